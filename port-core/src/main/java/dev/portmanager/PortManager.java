package dev.portmanager;

import dev.portmanager.internal.ManagerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The registry's facade: gives every service a port that no other service on its host is handed, and keeps the
 * record of who owns which port.
 *
 * <pre>{@code
 * try (PortManager pm = PortManager.builder().store("json:ports.json").build()) {
 *     int port = pm.getOrAllocate("consilio", "api");   // the same port on every restart
 * }
 * }</pre>
 *
 * <p>Every method is <b>thread-safe</b>; one manager is meant to be shared by a whole application. Atomicity comes
 * from the store: two managers (threads, processes, or hosts on a shared database) over one store never hand out the
 * same live port. After the store claims a port, the manager checks it with its probe; a port found held by a
 * process the registry does not know is given back, recorded as {@link HistoryAction#CONFLICT_DETECTED} and avoided.
 *
 * <p>Names used below: the <em>host</em> and <em>environment</em> of a request default to the manager's
 * ({@link PortManagerBuilder#host}, {@link PortManagerBuilder#environment}); a service is identified by (host, project,
 * service, environment) and holds at most one live allocation.
 *
 * <p>Failures: {@link NoFreePortException}, {@link PortConflictException}, {@link AllocationExistsException},
 * {@link AllocationNotFoundException} for registry states; {@link StoreUnavailableException} and
 * {@link StoreCorruptedException} for the store; {@link IllegalArgumentException} for bad arguments;
 * {@link IllegalStateException} after {@link #close()}.
 */
public interface PortManager extends AutoCloseable {

    /**
     * The store a manager built without {@link PortManagerBuilder#store} opens here: the {@code PORTMANAGER_STORE}
     * environment variable if set; else, inside a git worktree, the {@code design/worktrees/ports.json} at the root of
     * the repository's main worktree when that file exists (every linked worktree shares it; a linked worktree's own
     * copy is never used); outside git, the first {@code design/worktrees/ports.json} found from the working
     * directory upward; else {@code json:~/.portmanager/ports.json}. Reads files only (no git process). Thread-safe.
     *
     * @return a store URI such as {@code json:/home/ana/.portmanager/ports.json}
     */
    static String defaultStoreUri() {
        return ManagerFactory.defaultStoreUri();
    }

    /**
     * {@link #defaultStoreUri()} as it would be for the given environment variables, working directory and home
     * folder. Thread-safe.
     *
     * @throws NullPointerException if an argument is null
     */
    static String defaultStoreUri(Map<String, String> env, Path workingDir, Path home) {
        return ManagerFactory.defaultStoreUri(Objects.requireNonNull(env, "env == null"),
                Objects.requireNonNull(workingDir, "workingDir == null"), Objects.requireNonNull(home, "home == null"));
    }

    /** A builder for a manager. Not thread-safe; reusable. */
    static PortManagerBuilder builder() {
        return new PortManagerBuilder();
    }

    /**
     * The port of {@code project}/{@code service}: its live allocation's port if it has one, else a newly allocated
     * one. Idempotent: every call (and every process sharing the store) gets the same port until it is released.
     *
     * @throws IllegalArgumentException if a name is invalid, or no range suits the service
     * @throws NoFreePortException      if the range is full
     */
    int getOrAllocate(String project, String service);

    /**
     * The live allocation of the request's (host, project, service, environment) if there is one, unchanged; else a
     * new allocation as {@link #allocate} makes it. If the service's previous allocation lapsed, its port is tried
     * first.
     *
     * @throws IllegalArgumentException if the request's range does not exist or it asks for a forbidden port
     * @throws NoFreePortException      if no port of the range is free
     * @throws PortConflictException    if the request asks for exactly a port that is held
     */
    Allocation getOrAllocate(AllocationRequest request);

    /**
     * A new allocation for a service that holds none.
     *
     * @throws AllocationExistsException if the service already holds a live allocation
     * @throws IllegalArgumentException  if the request's range does not exist or it asks for a forbidden port
     * @throws NoFreePortException       if no port of the range is free
     * @throws PortConflictException     if the request asks for exactly a port that is held
     */
    Allocation allocate(AllocationRequest request);

    /**
     * A hold on a port that ends by itself {@code ttl} from now unless {@link #renew renewed}; the allocation has
     * status {@link AllocationStatus#RESERVED}.
     *
     * @throws IllegalArgumentException  if the ttl is not positive or the request also sets a ttl
     * @throws AllocationExistsException if the service already holds a live allocation
     * @throws NoFreePortException       if no port of the range is free
     */
    Allocation reserve(AllocationRequest request, Duration ttl);

    /**
     * Extends a lease to {@code ttl} from now. An allocation whose lease lapsed can be renewed as long as its port was
     * not reclaimed meanwhile.
     *
     * @return the renewed allocation
     * @throws AllocationNotFoundException if the allocation was released or reclaimed
     * @throws IllegalArgumentException    if the ttl is not positive
     */
    Allocation renew(Allocation allocation, Duration ttl);

    /**
     * Extends the lease of the service's allocation to {@code ttl} from now.
     *
     * @throws AllocationNotFoundException if the service holds no allocation
     */
    Allocation renew(String project, String service, Duration ttl);

    /**
     * Allocates for every request in one atomic step: either all get a port or none does (multi-container
     * deployments). Each request is made as by {@link #allocate}.
     *
     * @return one allocation per request, in order
     * @throws AllocationExistsException if a service already holds a live allocation; nothing is allocated
     * @throws NoFreePortException       if some request finds no free port; nothing is allocated
     * @throws IllegalArgumentException  if the list is empty or a request is invalid
     */
    List<Allocation> allocateAll(List<AllocationRequest> requests);

    /**
     * Releases exactly this allocation. An allocation already released or reclaimed (its lease lapsed and its port
     * went to someone else) is left alone: releasing a stale copy never frees another service's port.
     *
     * @return true if it was released, false if nothing changed (the reason is logged at info)
     */
    boolean release(Allocation allocation);

    /**
     * Releases the service's live allocation on the manager's host and environment.
     *
     * @return true if it was released, false if the service held none (logged at info)
     */
    boolean release(String project, String service);

    /**
     * Releases every live allocation of the port on the manager's host, whatever its protocol.
     *
     * @return true if any was released, false if the port was not allocated (logged at info)
     * @throws IllegalArgumentException if the port is outside 1-65535
     */
    boolean release(int port);

    /**
     * Releases the live allocation serving {@code protocol} on the port on the manager's host (a BOTH allocation
     * serves TCP and UDP).
     *
     * @return true if it was released, false if there was none (logged at info)
     */
    boolean release(int port, Protocol protocol);

    /**
     * Releases the live allocation serving {@code protocol} on the port on {@code host}.
     *
     * @return true if it was released, false if there was none (logged at info)
     */
    boolean release(int port, Protocol protocol, String host);

    /**
     * Changes the description, metadata, health endpoint, health or lease of the service's allocation.
     *
     * @return the updated allocation
     * @throws AllocationNotFoundException if the service holds no live allocation
     */
    Allocation update(String project, String service, AllocationUpdate update);

    /**
     * Moves the service to another free port of its range, in one atomic step; the old port is recorded as
     * {@link HistoryAction#REASSIGNED}.
     *
     * @return the new allocation
     * @throws AllocationNotFoundException if the service holds no live allocation
     * @throws NoFreePortException         if the range has no other free port
     */
    Allocation reassign(String project, String service);

    /**
     * Moves exactly this allocation (of any host or environment) to another free port of its range, in one atomic
     * step.
     *
     * @return the new allocation
     * @throws AllocationNotFoundException if the allocation was released or reclaimed
     * @throws NoFreePortException         if the range has no other free port
     */
    Allocation reassign(Allocation allocation);

    /**
     * Moves the service to exactly {@code port}.
     *
     * @return the new allocation
     * @throws AllocationNotFoundException if the service holds no live allocation
     * @throws PortConflictException       if the port is allocated or in use
     * @throws IllegalArgumentException    if the service already holds that port, or the policy forbids it
     */
    Allocation reassign(String project, String service, int port);

    /**
     * The live allocation of the port on the manager's host: the TCP (or BOTH) one when TCP and UDP are allocated
     * separately; use {@link #list} with a port filter for all.
     *
     * @throws IllegalArgumentException if the port is outside 1-65535
     */
    Optional<Allocation> find(int port);

    /** The service's live allocation on the manager's host and environment. */
    Optional<Allocation> find(String project, String service);

    /** The live allocations matching the query, ordered by host, port and protocol. */
    List<Allocation> list(AllocationQuery query);

    /** The stored ranges, by name. */
    List<PortRange> ranges();

    /**
     * Stores a range so that every process sharing the store can allocate from it; declaring a range that is already
     * stored with the same ports does nothing.
     *
     * @return the stored range
     * @throws RangeConflictException   if a range of that name is stored with other ports
     * @throws IllegalArgumentException if the range lies wholly in the avoided OS ephemeral range
     */
    PortRange defineRange(PortRange range);

    /**
     * How full a range is on the manager's host.
     *
     * @throws IllegalArgumentException if no range has that name
     */
    RangeSummary summary(String range);

    /** The history entries matching the query: the most recent {@code limit}, oldest first. */
    List<HistoryEntry> history(HistoryQuery query);

    /**
     * Claims one free TCP port for this JVM: from every port the policy allows outside the OS ephemeral range, searched
     * from a random point so that concurrent claimants rarely meet. The claim's allocation is owned by this process.
     *
     * @throws NoFreePortException if no port is free
     */
    PortClaim claim();

    /**
     * Claims one free TCP port of the named range for this JVM.
     *
     * @throws IllegalArgumentException if no range has that name
     * @throws NoFreePortException      if the range is full
     */
    PortClaim claim(String range);

    /**
     * Claims {@code count} distinct free TCP ports for this JVM in one atomic step, all or none.
     *
     * @throws IllegalArgumentException if count is not positive
     * @throws NoFreePortException      if fewer ports are free
     */
    List<PortClaim> claim(int count);

    /**
     * Claims a port as the request describes it; a request with no owner is owned by this JVM.
     *
     * @throws AllocationExistsException if the request's service already holds a port
     * @throws NoFreePortException       if no port of its range is free
     */
    PortClaim claim(AllocationRequest request);

    /**
     * Releases every lapsed allocation of the registry (lease expired, or owner process gone), recording each as
     * {@link HistoryAction#EXPIRED}. Lapsed allocations are free already and are reclaimed when their port is next
     * taken; this clears them out of listings and files at once.
     *
     * @return how many were reclaimed
     */
    int reclaimLapsed();

    /**
     * Up to {@code count} ports of the range that could be allocated now: not allocated, not excluded by the policy,
     * and free by the probe on this machine. Nothing is allocated: another process may take them first.
     *
     * @throws IllegalArgumentException if no range has that name or count is not positive
     */
    List<Integer> available(String range, int count);

    /**
     * Up to {@code count} ports from {@code from} upward that could be allocated now, as seed 002's
     * {@code get_available_port(9000)}. Nothing is allocated.
     *
     * @throws IllegalArgumentException if from is outside 1-65535 or count is not positive
     */
    List<Integer> available(int from, int count);

    /**
     * Audits the manager's host. On this machine: its allocations against the sockets really bound, as the probe sees
     * them. Zombies (allocated, nothing listening), orphans (listening in a managed range, not allocated), conflicts
     * (an allocated port held by a process other than the expected one: the allocation's owner, recorded process id,
     * or {@code process_name} metadata), what each running service uses against the resource limits, and each range's
     * utilization, flagged above the warning threshold. When the manager's host is another machine: by connecting to
     * it, as {@link #audit(String)} does. Thread-safe.
     *
     * @throws StoreUnavailableException if the registry cannot be read
     */
    AuditReport audit();

    /**
     * Audits a host the registry names from here, by connecting to it (the manager's own host is audited as
     * {@link #audit()} does): each live active TCP allocation of the host gets a connection within the host's timeout
     * ({@link PortManagerBuilder#remoteTimeout}); a port where nothing answers is a zombie. No process information is
     * claimed ({@link AuditReport#byConnecting()}): no owners, conflicts, orphans or resource use. Only the named host
     * is contacted, and only a host some live allocation names. Thread-safe.
     *
     * @throws IllegalArgumentException  if the host is invalid, or no live allocation names it (the message lists the
     *                                   hosts that are named)
     * @throws NullPointerException      if the host is null
     * @throws StoreUnavailableException if the registry cannot be read
     */
    AuditReport audit(String host);

    /**
     * Checks planned bindings before anything is deployed: against each other, the registry (allocated to another
     * service?) and this machine (bound by a process now?). Changes nothing.
     *
     * @throws NullPointerException if the plan or a binding is null
     */
    CheckReport check(List<PlannedBinding> plan);

    /**
     * Starts monitoring every 5 minutes. @see #monitor(Duration)
     */
    PortMonitor monitor();

    /**
     * Starts monitoring: a first round now, then one every {@code interval}, on a daemon thread, until the monitor or
     * the manager is closed. A manager whose host is another machine monitors it by connecting to it (see
     * {@link #audit(String)}); its health checks then call a health endpoint only when it is on that host.
     *
     * @throws IllegalArgumentException if the interval is not positive
     */
    PortMonitor monitor(Duration interval);

    /**
     * Environment variables for a project's ports on the manager's host and environment (all projects when
     * {@code project} is null): {@code CONSILIO_API_PORT=3101}, {@code CONSILIO_API_URL=http://localhost:3101}.
     *
     * @throws IllegalArgumentException if the project name is invalid
     * @throws PortManagerException     if two services' names give the same variable (see {@link EnvExport#of})
     */
    EnvExport environment(String project);

    /**
     * Adds a listener after the manager was built, as {@link PortManagerBuilder#listener} does before: it receives
     * the events of every change committed from now on, and the monitors' findings. Adding one listener twice makes
     * it called twice.
     *
     * @throws NullPointerException if the listener is null
     */
    void addListener(PortEventListener listener);

    /**
     * Removes a listener added by {@link #addListener} or the builder (one registration of it).
     *
     * @return true if it was registered
     * @throws NullPointerException if the listener is null
     */
    boolean removeListener(PortEventListener listener);

    /** The host of requests that name none. */
    String host();

    /** The environment of requests that name none. */
    String environment();

    /** The policy that picks ranges and candidate ports. */
    RangePolicy policy();

    /** The store's name, such as {@code json:/home/ana/.portmanager/ports.json}. */
    String storeName();

    /**
     * Closes the manager, and the store if the manager opened it from a URI. Idempotent. Allocations stay in the
     * store; leases owned by this process end when it exits.
     */
    @Override
    void close();
}
