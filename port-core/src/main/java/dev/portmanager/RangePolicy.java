package dev.portmanager;

import dev.portmanager.internal.LocalMachine;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which ports a request may take: pure rules, no I/O. The policy picks the range for a request, lists the ports
 * excluded from it, and chooses where the search starts.
 *
 * <p>The rules, in order:
 * <ol>
 *   <li>Ports excluded by configuration ({@link Builder#exclude}) are never handed out, not even when asked for by
 *       number.</li>
 *   <li>Ports below 1024 are handed out only from a range that includes them, or anywhere after
 *       {@link Builder#allowSystemPorts()}.</li>
 *   <li>Ports in the OS ephemeral range are never chosen automatically while the policy avoids it (the default); a
 *       port asked for by number ({@link AllocationRequest.Builder#port(int)}) is granted anyway, since the caller
 *       named it.</li>
 *   <li>The range of a request is, in order: the one it names; for a port asked for by number, the smallest range
 *       holding it; the project's block when {@link Builder#projectBlocks project blocks} are on; for a preferred
 *       port (or, without one, the first {@link AllocationRequest#alternatives() alternative}), the smallest range
 *       holding it (so the search falls back to the rest of that range); the range named
 *       like the service (service {@code web} takes range {@code web}); the default range; else every port the rules
 *       above allow.</li>
 * </ol>
 *
 * <p>Immutable and thread-safe.
 */
public final class RangePolicy {
    /** The first port above the system ports (rule 2). */
    private static final int FIRST_USER_PORT = 1024;

    private final BitSet excluded;
    private final boolean allowSystemPorts;
    private final boolean avoidEphemeralRange;
    private final PortRange ephemeralRange;
    private final SearchOrder order;
    private final String defaultRange;
    private final ProjectBlocks projectBlocks;

    private RangePolicy(Builder b) {
        this.excluded = (BitSet) b.excluded.clone();
        this.allowSystemPorts = b.allowSystemPorts;
        this.avoidEphemeralRange = b.avoidEphemeralRange == null || b.avoidEphemeralRange;
        this.ephemeralRange = b.ephemeralRange == null ? LocalMachine.ephemeralRange() : b.ephemeralRange;
        this.order = b.order == null ? SearchOrder.LOWEST_FIRST : b.order;
        this.defaultRange = b.defaultRange;
        this.projectBlocks = b.projectBlocks;
    }

    /** A builder with the defaults: nothing excluded, system ports refused, the OS ephemeral range avoided. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Each new project gets the next free block of {@code size} ports between {@code start} and {@code end}, stored
     * as a range named after the project (seed 001's one 100-port block per project).
     *
     * @param start first port of the first block
     * @param end   last port of the last block
     * @param size  ports per block
     */
    public record ProjectBlocks(int start, int end, int size) {
        /**
         * Checks the blocks.
         *
         * @throws IllegalArgumentException if a port is outside 1-65535, start is after end, size is not positive
         *                                  or the span is not a whole number of blocks
         */
        public ProjectBlocks {
            Checks.port("project blocks start", start);
            Checks.port("project blocks end", end);
            if (start > end) {
                throw new IllegalArgumentException("project blocks start " + start + " is after end " + end);
            }
            int span = end - start + 1;
            if (size < 1 || size > span) {
                throw new IllegalArgumentException("project block size " + size + " does not fit " + start + "-"
                        + end + " (" + span + " ports); give a size from 1 to " + span);
            }
            if (span % size != 0) {
                throw new IllegalArgumentException("project blocks " + start + "-" + end + " hold " + span
                        + " ports, not a whole number of blocks of " + size + "; the last " + (span % size)
                        + " would never be used: end the span at " + (end - span % size) + " or "
                        + (end - span % size + size));
            }
        }
    }

    /** The search order used when a request names none. */
    public SearchOrder order() {
        return order;
    }

    /** Whether ports below 1024 may be handed out outside ranges that include them. */
    public boolean allowsSystemPorts() {
        return allowSystemPorts;
    }

    /** Whether automatic allocation avoids the OS ephemeral range. */
    public boolean avoidsEphemeralRange() {
        return avoidEphemeralRange;
    }

    /** The OS ephemeral range this policy knows. */
    public PortRange ephemeralRange() {
        return ephemeralRange;
    }

    /** The range used when nothing else picks one; empty for none. */
    public Optional<String> defaultRange() {
        return Optional.ofNullable(defaultRange);
    }

    /** The project block settings; empty when projects get no blocks. */
    public Optional<ProjectBlocks> projectBlocks() {
        return Optional.ofNullable(projectBlocks);
    }

    /** Whether the port is excluded by configuration. */
    public boolean isExcluded(int port) {
        return excluded.get(port);
    }

    /**
     * The name of the range a request takes its port from (rule 4); empty when the request may take any port the
     * other rules allow. With project blocks on, the name returned may not exist yet: the manager creates the block.
     *
     * @param request the request
     * @param ranges  the stored ranges by name
     * @throws NullPointerException if an argument is null
     */
    public Optional<String> rangeNameFor(AllocationRequest request, Map<String, PortRange> ranges) {
        if (request.range().isPresent()) {
            return request.range();
        }
        if (request.port().isPresent() || !request.alternatives().isEmpty()) {
            int port = request.port().orElse(request.alternatives().isEmpty() ? 0 : request.alternatives().get(0));
            Optional<String> holding = ranges.values().stream().filter(r -> r.contains(port))
                    .min(Comparator.comparingInt(PortRange::size).thenComparing(PortRange::name))
                    .map(PortRange::name);
            // A preferred port falls back to the rest of its own range; with project blocks, to the project's block.
            if (request.exact() || (holding.isPresent() && projectBlocks == null)) {
                return holding;
            }
        }
        if (projectBlocks != null) {
            return Optional.of(request.project());
        }
        PortRange named = ranges.get(request.service());
        if (named != null && named.autoAllocate()) {
            return Optional.of(named.name());
        }
        return Optional.ofNullable(defaultRange);
    }

    /**
     * The candidates for a request in a range (or in every allowed port when {@code range} is null).
     *
     * @param request the request
     * @param range   the range chosen by {@link #rangeNameFor}, or null for any port
     * @return the candidates, with configured, system and ephemeral exclusions applied
     * @throws IllegalArgumentException if the request asks by number for a port the rules forbid, or prefers a port
     *                                  outside the range; the message says why and what to do
     */
    public Candidates candidates(AllocationRequest request, PortRange range) {
        Objects.requireNonNull(request, "request == null");
        String rangeName = range == null ? null : range.name();
        if (request.exact()) {
            int port = request.port().getAsInt();
            refuseExact(request, port, range);
            return Candidates.exactly(port, rangeName);
        }
        int first = range != null ? range.start() : lowestOutsideRanges();
        int last = range != null ? range.end() : 65535;
        BitSet out = excluded.get(0, last + 1);
        avoidEphemeral(out, first, last);
        int preferred = 0;
        if (request.port().isPresent()) {
            preferred = request.port().getAsInt();
            if (preferred < first || preferred > last) {
                throw new RefusedArgumentException("preferred port " + preferred + " of " + request.project() + "/"
                        + request.service() + " is outside " + describe(range, first, last),
                        "name the range that holds it with range(...), or ask for it exactly with port(" + preferred
                                + ")", RefusedArgumentException.Remedy.NAME_RANGE_OR_ASK_EXACTLY,
                        String.valueOf(preferred));
            }
            if (out.get(preferred)) {
                preferred = 0;
            }
        }
        for (int alternative : request.alternatives()) {
            if (alternative < first || alternative > last) {
                throw new RefusedArgumentException("alternative port " + alternative + " of " + request.project()
                        + "/" + request.service() + " is outside " + describe(range, first, last),
                        "name a range that holds every alternative with range(...), or leave this one out",
                        RefusedArgumentException.Remedy.NAME_RANGE_OR_ASK_EXACTLY, String.valueOf(alternative));
            }
        }
        SearchOrder searchOrder = request.searchOrder().orElse(order);
        int startAt = startAt(searchOrder, request, first, last, out);
        return new Candidates(rangeName, first, last, startAt, preferred, false, out, searchOrder,
                request.alternatives(), request.alternativesOnly());
    }

    /**
     * Checks a range about to be declared against the policy.
     *
     * @throws IllegalArgumentException if the range lies wholly in the avoided ephemeral range, so no port of it
     *                                  could ever be allocated
     */
    public void checkRange(PortRange range) {
        if (!admits(range)) {
            throw new RefusedArgumentException("range " + range + " lies wholly in the OS ephemeral range "
                    + ephemeralRange.start() + "-" + ephemeralRange.end()
                    + ", which is avoided, so none of its ports could be allocated", "move the range below "
                    + ephemeralRange.start() + " or turn avoidEphemeralRange off",
                    RefusedArgumentException.Remedy.RANGE_BELOW_EPHEMERAL, String.valueOf(ephemeralRange.start()));
        }
    }

    /**
     * The ports of {@code range} that the policy never hands out automatically.
     *
     * @throws NullPointerException if the range is null
     */
    public BitSet excludedIn(PortRange range) {
        return excludedIn(range.start(), range.end());
    }

    /**
     * The ports of {@code first..last} that the policy never hands out automatically to a request that names no
     * range: those {@link #excludedIn} names, and the system ports unless {@link Builder#allowSystemPorts()} allows
     * them (rule 2).
     *
     * @throws IllegalArgumentException if the span is not within 1-65535 or first is after last
     */
    public BitSet excludedOutsideRanges(int first, int last) {
        Checks.port("first", first);
        Checks.port("last", last);
        if (first > last) {
            throw new IllegalArgumentException("span " + first + "-" + last + " ends before it starts");
        }
        BitSet out = excludedIn(first, last);
        int lowest = lowestOutsideRanges();
        if (first < lowest) {
            out.set(first, Math.min(lowest, last + 1));
        }
        return out;
    }

    /**
     * Whether automatic allocation can take any port of the range: false when it lies wholly in the OS ephemeral
     * range while the policy avoids it (rule 3).
     *
     * @throws NullPointerException if the range is null
     */
    public boolean admits(PortRange range) {
        return !avoidEphemeralRange || range.start() < ephemeralRange.start() || range.end() > ephemeralRange.end();
    }

    /** The ports of {@code first..last} excluded by configuration or in the avoided ephemeral range (rules 1, 3). */
    private BitSet excludedIn(int first, int last) {
        BitSet out = excluded.get(0, last + 1);
        out.clear(0, first);
        avoidEphemeral(out, first, last);
        return out;
    }

    /** The lowest port a request that names no range may take (rule 2). */
    private int lowestOutsideRanges() {
        return allowSystemPorts ? 1 : FIRST_USER_PORT;
    }

    /** Adds the avoided ephemeral ports of {@code first..last} to {@code out} (rule 3). */
    private void avoidEphemeral(BitSet out, int first, int last) {
        if (avoidEphemeralRange) {
            int from = Math.max(first, ephemeralRange.start());
            int to = Math.min(last, ephemeralRange.end());
            if (from <= to) {
                out.set(from, to + 1);
            }
        }
    }

    private void refuseExact(AllocationRequest request, int port, PortRange range) {
        if (excluded.get(port)) {
            throw new IllegalArgumentException("port " + port + " asked for by " + request.project() + "/"
                    + request.service() + " is excluded by this manager's configuration; ask for another port");
        }
        if (range != null && !range.contains(port)) {
            throw new IllegalArgumentException("port " + port + " asked for by " + request.project() + "/"
                    + request.service() + " is outside range " + range + "; ask for a port inside it, or name "
                    + "another range");
        }
        if (range == null && port < lowestOutsideRanges()) {
            throw new RefusedArgumentException("port " + port + " asked for by " + request.project() + "/"
                    + request.service() + " is a system port (below 1024) and no range includes it", "define a range "
                    + "that includes it, or call allowSystemPorts() on the builder",
                    RefusedArgumentException.Remedy.RANGE_INCLUDING_PORT, String.valueOf(port));
        }
    }

    private static String describe(PortRange range, int first, int last) {
        return range != null ? "range " + range : "the allowed ports " + first + "-" + last;
    }

    /**
     * Where the search starts: for {@code SPREAD} a port drawn uniformly from the allowed ones, for {@code STICKY} the
     * allowed port the service's hash picks. Drawing from the whole span instead would send every search that starts
     * inside an excluded block (the ephemeral range, say) to the first port after it, which is exactly the crowding
     * these orders exist to avoid.
     */
    private static int startAt(SearchOrder order, AllocationRequest request, int first, int last, BitSet excluded) {
        int size = last - first + 1;
        if (order == SearchOrder.LOWEST_FIRST) {
            return first;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (order == SearchOrder.SPREAD) {
            for (int tries = 0; tries < 32; tries++) {
                int port = first + random.nextInt(size);
                if (!excluded.get(port)) {
                    return port;
                }
            }
        }
        int allowed = size - excluded.get(first, last + 1).cardinality();
        if (allowed <= 0) {
            return first;
        }
        int k = order == SearchOrder.SPREAD ? random.nextInt(allowed)
                : Math.floorMod(stableHash(request.project() + '\0' + request.service()), allowed);
        return kthAllowed(excluded, first, k);
    }

    /** The {@code k}-th (from 0) port at or after {@code first} that is not excluded. */
    private static int kthAllowed(BitSet excluded, int first, int k) {
        int port = excluded.nextClearBit(first);
        for (int i = 0; i < k; i++) {
            port = excluded.nextClearBit(port + 1);
        }
        return port;
    }

    /** FNV-1a over UTF-8: the same on every JVM and machine, unlike {@link String#hashCode()} guarantees nothing. */
    static int stableHash(String text) {
        int hash = 0x811C9DC5;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xFF;
            hash *= 0x01000193;
        }
        return hash;
    }

    /**
     * Builds a {@link RangePolicy}. Each value is checked as it is given; a single-valued option set twice is
     * refused. Not thread-safe; reusable.
     */
    public static final class Builder {
        private final BitSet excluded = new BitSet(65536);
        private boolean allowSystemPorts;
        private Boolean avoidEphemeralRange;
        private PortRange ephemeralRange;
        private SearchOrder order;
        private String defaultRange;
        private ProjectBlocks projectBlocks;

        private Builder() {
        }

        /**
         * Never hands out these ports. May be called many times; exclusions add up.
         *
         * @throws IllegalArgumentException if a port is outside 1-65535
         */
        public Builder exclude(int... ports) {
            Objects.requireNonNull(ports, "ports == null");
            for (int port : ports) {
                Checks.port("excluded port", port);
            }
            for (int port : ports) {
                excluded.set(port);
            }
            return this;
        }

        /**
         * Never hands out the ports {@code first..last}. May be called many times; exclusions add up.
         *
         * @throws IllegalArgumentException if a port is outside 1-65535 or first is after last
         */
        public Builder excludeRange(int first, int last) {
            Checks.port("excluded range start", first);
            Checks.port("excluded range end", last);
            if (first > last) {
                throw new IllegalArgumentException("excluded range start " + first + " is after its end " + last);
            }
            excluded.set(first, last + 1);
            return this;
        }

        /** Allows ports below 1024 outside the ranges that include them. @throws IllegalStateException if set twice */
        public Builder allowSystemPorts() {
            if (allowSystemPorts) {
                throw new IllegalStateException("allowSystemPorts was already set");
            }
            allowSystemPorts = true;
            return this;
        }

        /**
         * Whether automatic allocation avoids the OS ephemeral range; on by default.
         *
         * @throws IllegalStateException if set twice
         */
        public Builder avoidEphemeralRange(boolean avoid) {
            if (avoidEphemeralRange != null) {
                throw new IllegalStateException("avoidEphemeralRange was already set to " + avoidEphemeralRange);
            }
            avoidEphemeralRange = avoid;
            return this;
        }

        /**
         * Overrides the OS ephemeral range read from the machine (for tests and for registries serving other hosts).
         *
         * @throws IllegalArgumentException if a port is outside 1-65535 or first is after last
         * @throws IllegalStateException    if set twice
         */
        public Builder ephemeralRange(int first, int last) {
            if (ephemeralRange != null) {
                throw new IllegalStateException("ephemeralRange was already set to " + ephemeralRange);
            }
            ephemeralRange = PortRange.of("ephemeral", first, last);
            return this;
        }

        /** Sets the default search order. @throws IllegalStateException if set twice */
        public Builder order(SearchOrder order) {
            Objects.requireNonNull(order, "order == null");
            if (this.order != null) {
                throw new IllegalStateException("search order was already set to " + this.order);
            }
            this.order = order;
            return this;
        }

        /** Sets the range used when nothing else picks one. @throws IllegalStateException if set twice */
        public Builder defaultRange(String name) {
            Checks.name("default range", name);
            if (defaultRange != null) {
                throw new IllegalStateException("default range was already set to '" + defaultRange + "'");
            }
            if (projectBlocks != null) {
                throw new IllegalStateException("project blocks are on, so every request that names no range goes "
                        + "to its project's block and a default range would never be used; drop one of the two");
            }
            defaultRange = name;
            return this;
        }

        /**
         * Gives each new project the next free block of {@code size} ports between {@code start} and {@code end}.
         *
         * @throws IllegalArgumentException if the blocks are invalid
         * @throws IllegalStateException    if set twice, or a default range is set
         */
        public Builder projectBlocks(int start, int end, int size) {
            ProjectBlocks blocks = new ProjectBlocks(start, end, size);
            if (projectBlocks != null) {
                throw new IllegalStateException("project blocks were already set to " + projectBlocks);
            }
            if (defaultRange != null) {
                throw new IllegalStateException("a default range '" + defaultRange + "' is set, and with project "
                        + "blocks it would never be used; drop one of the two");
            }
            projectBlocks = blocks;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @throws IllegalArgumentException if the project blocks lie wholly in the avoided ephemeral range
         */
        public RangePolicy build() {
            RangePolicy policy = new RangePolicy(this);
            if (projectBlocks != null) {
                policy.checkRange(PortRange.of("project blocks", projectBlocks.start(), projectBlocks.end()));
            }
            return policy;
        }
    }
}
