package dev.portmanager.spi;

import dev.portmanager.Allocation;
import dev.portmanager.ProcessOwner;

import java.time.Instant;

/**
 * Decides whether an allocation is still live: its lease not expired and its owner process alive. The manager passes
 * its judge (its clock, its view of local processes) to every store operation that decides, so stores need no clock
 * of their own. The judge's clock is the one the store chose when the manager was built ({@link PortStore#clock}):
 * the manager's own, or the registry's (the JDBC store's database time). Implementations must be thread-safe.
 */
public interface LeaseJudge {
    /** The current instant, from the manager's clock as the store chose it ({@link PortStore#clock}). */
    Instant now();

    /**
     * Whether the owner process is alive. An owner that cannot be seen from here (another machine, or on Linux another
     * boot or PID namespace, see {@link ProcessOwner}) counts as alive.
     */
    boolean isAlive(ProcessOwner owner);

    /**
     * Whether the allocation is live at {@code now}: not past its {@code expiresAt} and its owner, if any, alive.
     *
     * @throws NullPointerException if an argument is null
     */
    default boolean isLive(Allocation allocation, Instant now) {
        if (allocation.expiresAt().isPresent() && !allocation.expiresAt().get().isAfter(now)) {
            return false;
        }
        return allocation.owner().isEmpty() || isAlive(allocation.owner().get());
    }

    /**
     * Why a lapsed allocation lapsed, for its {@code EXPIRED} history entry.
     *
     * @throws NullPointerException if an argument is null
     */
    default String lapseReason(Allocation allocation, Instant now) {
        if (allocation.expiresAt().isPresent() && !allocation.expiresAt().get().isAfter(now)) {
            return "lease expired at " + allocation.expiresAt().get();
        }
        return allocation.owner().map(o -> "owner " + o + " is gone").orElse("lapsed");
    }
}
