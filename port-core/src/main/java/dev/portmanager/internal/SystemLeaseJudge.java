package dev.portmanager.internal;

import dev.portmanager.ProcessOwner;
import dev.portmanager.spi.LeaseJudge;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The manager's judge: its clock, and this machine's processes. Make one per store operation with
 * {@link #forOperation()}: within an operation an owner is looked up once (a registry walk may meet the same owner
 * thousands of times), while the next operation looks again, so a process that just died frees its ports at once.
 * A dead owner stays dead across operations, since a pid with its start time names one process forever. Thread-safe.
 */
final class SystemLeaseJudge implements LeaseJudge {
    private static final int MAX_DEAD = 10_000;

    private final Clock clock;
    private final Set<ProcessOwner> dead;
    private final Map<ProcessOwner, Boolean> seen = new HashMap<>();

    /** @param clock the manager's clock */
    SystemLeaseJudge(Clock clock) {
        this(clock, ConcurrentHashMap.newKeySet());
    }

    private SystemLeaseJudge(Clock clock, Set<ProcessOwner> dead) {
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.dead = dead;
    }

    /** A judge for one store operation, sharing this one's clock and its knowledge of dead owners. */
    SystemLeaseJudge forOperation() {
        return new SystemLeaseJudge(clock, dead);
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public synchronized boolean isAlive(ProcessOwner owner) {
        if (owner.equals(LocalMachine.currentOwner())) {
            return true;
        }
        if (dead.contains(owner)) {
            return false;
        }
        Boolean alive = seen.get(owner);
        if (alive == null) {
            alive = LocalMachine.isAlive(owner);
            seen.put(owner, alive);
            if (!alive) {
                if (dead.size() > MAX_DEAD) {
                    dead.clear();
                }
                dead.add(owner);
            }
        }
        return alive;
    }
}
