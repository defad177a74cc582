package dev.portmanager.spi;

import dev.portmanager.AllocationExistsException;
import dev.portmanager.AllocationNotFoundException;
import dev.portmanager.HistoryAction;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PortConflictException;
import dev.portmanager.StoreUnavailableException;

import java.util.List;

/**
 * A store's atomic "take the first eligible free port and record it": the one place where allocation decisions are
 * made, inside the store's lock, transaction or statement, never from a cached copy.
 *
 * <p>For each plan, in one atomic step for the whole list:
 * <ul>
 *   <li>in {@link AllocationPlan.Mode#GET_OR_ALLOCATE} mode, a live allocation of the plan's (host, project,
 *       service, environment) is returned as it is;</li>
 *   <li>in {@link AllocationPlan.Mode#ALLOCATE} mode, such an allocation fails the step with
 *       {@link AllocationExistsException};</li>
 *   <li>in {@link AllocationPlan.Mode#REPLACE} mode, the replaced allocation is ended and the service moves;</li>
 *   <li>otherwise the first port of {@link AllocationPlan#candidates()}, in their order, that no live allocation
 *       holds for a colliding protocol on the plan's host is taken. Lapsed allocations (expired, or owner gone, as the
 *       {@link LeaseJudge} says) on the way are reclaimed and recorded as {@link HistoryAction#EXPIRED}; a lapsed
 *       allocation of the same service is reclaimed too, and its port is tried first so a restarted service gets its
 *       port back.</li>
 * </ul>
 * Either every plan succeeds and every change and history entry is committed, or nothing is.
 *
 * <p>Implementations must be thread-safe, and safe across processes for stores shared by processes.
 */
@FunctionalInterface
public interface Allocator {
    /**
     * Allocates for every plan, all or nothing.
     *
     * @param plans the plans, in order; not empty
     * @param judge decides which allocations are still live
     * @return one allocation per plan, in order, the new ones among {@link StoreChange#created()}, and the history
     *         written
     * @throws NoFreePortException        if a plan's candidates hold no free port
     * @throws PortConflictException      if an exact plan's port is held by a live allocation
     * @throws AllocationExistsException  if an {@code ALLOCATE} plan's service already holds a port
     * @throws AllocationNotFoundException if a {@code REPLACE} plan's allocation is gone
     * @throws StoreUnavailableException  if the store cannot be reached or written; nothing was changed
     */
    StoreChange allocate(List<AllocationPlan> plans, LeaseJudge judge);
}
