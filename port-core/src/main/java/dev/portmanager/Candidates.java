package dev.portmanager;

import java.util.BitSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.PrimitiveIterator;

/**
 * The ports one request may take, in the order to try them: a span {@code first..last}, ports excluded from it, an
 * optional preferred port tried first, optional alternative ports tried next in their order, and the point where the
 * search of the rest of the span starts (it wraps around). With {@link #alternativesOnly()} the search ends after the
 * alternatives.
 * Produced by {@link RangePolicy}, consumed by a store's {@link dev.portmanager.spi.Allocator}.
 *
 * <p>An exact request is a span of one port. Immutable and thread-safe.
 */
public final class Candidates {
    private final String range;
    private final int first;
    private final int last;
    private final int startAt;
    private final int preferred;
    private final boolean exact;
    private final BitSet excluded;
    private final SearchOrder order;
    private final List<Integer> alternatives;
    private final boolean alternativesOnly;
    private final BitSet listed;

    Candidates(String range, int first, int last, int startAt, int preferred, boolean exact, BitSet excluded,
               SearchOrder order) {
        this(range, first, last, startAt, preferred, exact, excluded, order, List.of(), false);
    }

    Candidates(String range, int first, int last, int startAt, int preferred, boolean exact, BitSet excluded,
               SearchOrder order, List<Integer> alternatives, boolean alternativesOnly) {
        if (first < 1 || last > 65535 || first > last || startAt < first || startAt > last) {
            throw new IllegalArgumentException("candidates " + first + "-" + last + " starting at " + startAt
                    + " are not a span of ports");
        }
        if (preferred != 0 && (preferred < first || preferred > last)) {
            throw new IllegalArgumentException("preferred port " + preferred + " is outside " + first + "-" + last);
        }
        this.range = range;
        this.first = first;
        this.last = last;
        this.startAt = startAt;
        this.preferred = preferred;
        this.exact = exact;
        this.excluded = (BitSet) excluded.clone();
        this.order = Objects.requireNonNull(order, "order == null");
        this.alternatives = List.copyOf(alternatives);
        this.alternativesOnly = alternativesOnly;
        this.listed = new BitSet();
        for (int p : this.alternatives) {
            if (p < first || p > last || p == preferred) {
                throw new IllegalArgumentException("alternative port " + p + " is outside " + first + "-" + last
                        + " or is the preferred port");
            }
            listed.set(p);
        }
        if (preferred != 0) {
            listed.set(preferred);
        }
    }

    /**
     * Candidates for exactly one port.
     *
     * @param range the name of the range the port belongs to, or null
     * @throws IllegalArgumentException if the port is outside 1-65535
     */
    public static Candidates exactly(int port, String range) {
        Checks.port("port", port);
        return new Candidates(range, port, port, port, port, true, new BitSet(), SearchOrder.LOWEST_FIRST);
    }

    /**
     * Candidates covering a range, searched lowest first, nothing excluded. Mostly for tests and simple stores.
     *
     * @throws NullPointerException if the range is null
     */
    public static Candidates of(PortRange range) {
        return new Candidates(range.name(), range.start(), range.end(), range.start(), 0, false, new BitSet(),
                SearchOrder.LOWEST_FIRST);
    }

    /** The name of the range searched; empty when the span lies outside every range. */
    public Optional<String> range() {
        return Optional.ofNullable(range);
    }

    /** The first port of the span. */
    public int first() {
        return first;
    }

    /** The last port of the span. */
    public int last() {
        return last;
    }

    /** The number of ports in the span. */
    public int size() {
        return last - first + 1;
    }

    /** Where the search of the span starts; it continues to {@link #last()} and wraps to {@link #first()}. */
    public int startAt() {
        return startAt;
    }

    /** The port tried before the span; empty for none. */
    public OptionalInt preferred() {
        return preferred == 0 ? OptionalInt.empty() : OptionalInt.of(preferred);
    }

    /** The alternative ports, tried after the preferred one and before the rest of the span, in order. */
    public List<Integer> alternatives() {
        return alternatives;
    }

    /** Whether only the preferred port and the alternatives may be taken, not the rest of the span. */
    public boolean alternativesOnly() {
        return alternativesOnly;
    }

    /** Whether only the one port may be taken. */
    public boolean exact() {
        return exact;
    }

    /** The search order that chose {@link #startAt()}. */
    public SearchOrder order() {
        return order;
    }

    /**
     * Whether the port may be taken: in the span, not excluded, and, with {@link #alternativesOnly()}, the preferred
     * port or an alternative.
     */
    public boolean allows(int port) {
        return port >= first && port <= last && !excluded.get(port) && (!alternativesOnly || listed.get(port));
    }

    /** Whether the port is excluded. */
    public boolean isExcluded(int port) {
        return excluded.get(port);
    }

    /** How many ports of the span are excluded. */
    public int excludedCount() {
        return excluded.get(first, last + 1).cardinality();
    }

    /** The excluded ports (a copy), for set arithmetic without listing them. */
    public BitSet excludedSet() {
        return (BitSet) excluded.clone();
    }

    /** The excluded ports of the span, ascending; for stores that pass them to a database. */
    public int[] excludedPorts() {
        return excluded.get(0, last + 1).stream().filter(p -> p >= first).toArray();
    }

    /**
     * These candidates with more ports excluded.
     *
     * @throws NullPointerException if {@code more} is null
     */
    public Candidates exclude(BitSet more) {
        if (more.isEmpty()) {
            return this;
        }
        BitSet all = (BitSet) excluded.clone();
        all.or(more);
        int keepPreferred = preferred != 0 && all.get(preferred) && !exact ? 0 : preferred;
        return new Candidates(range, first, last, startAt, keepPreferred, exact, all, order, alternatives,
                alternativesOnly);
    }

    /**
     * The allowed ports in search order: the preferred port, then the alternatives in their order, then (unless
     * {@link #alternativesOnly()}) {@code startAt..last}, then {@code first..startAt-1}, skipping excluded ports and
     * those already tried. An exact request yields its port unless it is excluded.
     */
    public PrimitiveIterator.OfInt iterator() {
        return new SearchIterator();
    }

    /** Walks preferred, then the alternatives, then startAt..last, then first..startAt-1. */
    private final class SearchIterator implements PrimitiveIterator.OfInt {
        private static final int PREFERRED = 0;
        private static final int ALTERNATIVES = 1;
        private static final int UPPER = 2;
        private static final int LOWER = 3;
        private static final int DONE = 4;

        private int phase;
        private int cursor;
        private int alternative;
        private int next;

        SearchIterator() {
            phase = preferred != 0 ? PREFERRED : ALTERNATIVES;
            cursor = startAt;
            next = advance();
        }

        @Override
        public boolean hasNext() {
            return next > 0;
        }

        @Override
        public int nextInt() {
            if (next <= 0) {
                throw new NoSuchElementException();
            }
            int result = next;
            next = advance();
            return result;
        }

        private int advance() {
            while (phase != DONE) {
                if (phase == PREFERRED) {
                    phase = exact ? DONE : ALTERNATIVES;
                    if (!excluded.get(preferred)) {
                        return preferred;
                    }
                    continue;
                }
                if (phase == ALTERNATIVES) {
                    if (alternative < alternatives.size()) {
                        int p = alternatives.get(alternative++);
                        if (!excluded.get(p)) {
                            return p;
                        }
                        continue;
                    }
                    phase = alternativesOnly ? DONE : UPPER;
                    continue;
                }
                int to = phase == UPPER ? last : startAt - 1;
                int p = nextAllowed(cursor, to);
                if (p > 0) {
                    cursor = p + 1;
                    return p;
                }
                if (phase == UPPER) {
                    phase = LOWER;
                    cursor = first;
                } else {
                    phase = DONE;
                }
            }
            return -1;
        }

        private int nextAllowed(int from, int to) {
            int p = from;
            while (p <= to) {
                p = excluded.nextClearBit(p);
                if (p > to) {
                    return -1;
                }
                if (!listed.get(p)) {
                    return p;
                }
                p++;
            }
            return -1;
        }
    }

    @Override
    public String toString() {
        return "Candidates{" + (range == null ? "" : "range=" + range + ", ") + first + "-" + last
                + ", startAt=" + startAt + (preferred == 0 ? "" : (exact ? ", exactly " : ", preferred ") + preferred)
                + (alternatives.isEmpty() ? "" : (alternativesOnly ? ", only " : ", alternatives ") + alternatives)
                + ", excluded=" + excludedCount() + ", order=" + order + "}";
    }
}
