package dev.portmanager;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Copies a registry into another: every range, then every live allocation as it is: its id, port, protocol, host,
 * project, service, range, environment, status, description, {@code allocated_at}, {@code allocated_by}, lease
 * (expiry to the millisecond, owner), process id, health endpoint, health status and last check, and metadata. Moves a
 * machine's JSON registry to PostgreSQL, backs one up, or merges two. Allocations the target already holds are
 * skipped; ones it cannot take (the port holds another service there) are reported, never forced. Copied ports are
 * registered as they are, without checking that they are free here: the services may well be running. The target's
 * history records each copy as allocated (or reserved) at its original time, by the target's allocator; the source's
 * history is not copied.
 *
 * <p>Thread-safe as far as the two managers are; the copy is not one atomic step.
 */
public final class Migration {
    private Migration() {
    }

    /** What a copy did. */
    public record Report(int ranges, int copied, int skipped, List<String> failures) {
        /** Copies the list. */
        public Report {
            failures = List.copyOf(failures);
        }

        /** {@code 6 ranges, 12 allocations copied, 1 already there, 0 failed}. */
        @Override
        public String toString() {
            return ranges + " ranges, " + copied + " allocations copied, " + skipped + " already there, "
                    + failures.size() + " failed";
        }
    }

    /**
     * Copies {@code from} into {@code to}.
     *
     * @throws RangeConflictException if a range exists in both with other ports: nothing after it is copied
     * @throws NullPointerException   if a manager is null
     */
    public static Report copy(PortManager from, PortManager to) {
        Objects.requireNonNull(from, "from == null");
        Objects.requireNonNull(to, "to == null");
        List<PortRange> ranges = from.ranges();
        for (PortRange r : ranges) {
            to.defineRange(r);
        }
        int copied = 0;
        int skipped = 0;
        List<String> failures = new ArrayList<>();
        Instant now = Instant.now();
        for (Allocation a : from.list(AllocationQuery.all())) {
            try {
                Duration left = a.expiresAt().map(e -> Duration.between(now, e)).orElse(null);
                if (left != null && (left.isNegative() || left.isZero())) {
                    continue;
                }
                AllocationRequest request = requestFor(a, a.status() == AllocationStatus.RESERVED ? null : left);
                if (a.status() == AllocationStatus.RESERVED) {
                    to.reserve(request, left == null ? Duration.ofDays(365_000) : left);
                } else {
                    to.allocate(request);
                }
                copied++;
            } catch (AllocationExistsException e) {
                if (e.existing().port() == a.port() && e.existing().protocol() == a.protocol()) {
                    skipped++;
                } else {
                    failures.add(a.describe() + ": " + e.getMessage());
                }
            } catch (PortManagerException | IllegalArgumentException e) {
                failures.add(a.describe() + ": " + e.getMessage());
            }
        }
        return new Report(ranges.size(), copied, skipped, failures);
    }

    /** The request that recreates the allocation as it is, on its exact port. */
    static AllocationRequest requestFor(Allocation a, Duration ttl) {
        AllocationRequest.Builder b = AllocationRequest.builder(a.project(), a.service()).port(a.port())
                .alreadyListening().protocol(a.protocol()).host(a.host()).environment(a.environment())
                .description(a.description()).metadata(a.metadata()).copyOf(a);
        a.range().ifPresent(b::range);
        a.owner().ifPresent(b::owner);
        a.healthEndpoint().ifPresent(b::healthEndpoint);
        if (ttl != null) {
            b.ttl(ttl);
        }
        return b.build();
    }
}
