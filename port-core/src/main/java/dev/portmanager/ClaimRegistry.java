package dev.portmanager;

import dev.portmanager.internal.DefaultPortClaim;
import dev.portmanager.internal.LocalMachine;
import dev.portmanager.spi.PortProbe;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The machine's claim registry: the one registry every JVM of the user claims free ports from (JUnit's
 * {@code FreePorts} and {@code @FreePort}, the Maven plugin's {@code reserve} goal), so that a test, a build and
 * another build never hold the same port. Opening it needs the JSON store ({@code port-store-json}) on the class
 * path, which keeps the registry's ranges.
 *
 * <p>The registry is {@code claims.json} in a folder of the user's alone: {@code $XDG_RUNTIME_DIR/portmanager} where
 * {@code XDG_RUNTIME_DIR} names a folder of the user's alone (systemd sessions), else
 * {@code <java.io.tmpdir>/portmanager-<user>}. The folder is made {@code 0700}; one that another user made first, a
 * link, or one others can write in is refused. The system property {@value #STORE_PROPERTY} names another store URI.
 *
 * <p>On a JSON registry a claim is a kernel lock on byte N of {@code claims.json.locks} for port N, held by the
 * claiming JVM until the claim is closed or the JVM ends (even by {@code kill -9}, and whatever PID namespace it runs
 * in), after a bind check finds the port free; who holds it and since when is written to
 * {@code claims.json.claims/<port>}. Nothing shared is rewritten and no claimant waits for another, so a claim costs
 * about a few binds. On another store (a {@code jdbc:} URI) a claim is the store's allocation, as
 * {@link PortManager#claim()} makes it.
 *
 * <p>Thread-safe; one instance per store URI per JVM ({@link #open(String)}).
 */
public final class ClaimRegistry {
    /** The system property that names the claim registry's store URI, such as {@code json:/tmp/claims.json}. */
    public static final String STORE_PROPERTY = "portmanager.claims";
    /** The project claims are recorded under. */
    public static final String PROJECT = "claims";

    private static final ConcurrentMap<String, ClaimRegistry> OPEN = new ConcurrentHashMap<>();
    private static final AtomicLong CLAIMS = new AtomicLong();
    private static final PortProbe PROBE = PortProbe.bindOnly();
    private static final RangePolicy POLICY = RangePolicy.builder().build();

    private final String uri;
    private final PortManager manager;
    /** The claim locks; null when the registry is not a JSON file, and claims are the store's allocations. */
    private final ClaimLocks locks;
    private volatile List<PortRange> ranges;
    /** The policy's candidates of each range searched ("" for any port): the policy takes longer than a claim. */
    private final ConcurrentMap<String, Candidates> candidates = new ConcurrentHashMap<>();

    private ClaimRegistry(String uri, PortManager manager, ClaimLocks locks) {
        this.uri = uri;
        this.manager = manager;
        this.locks = locks;
        this.ranges = manager.ranges();
    }

    /**
     * The claim registry's store URI: {@value #STORE_PROPERTY} if set, else {@link #defaultFile()}, whose folder is
     * made (or checked) here.
     *
     * @throws StoreUnavailableException if the default folder is not the user's alone (another user's, a link, or
     *                                   writable by others) or cannot be made; the message names the folder, its
     *                                   owner and mode, and what to do
     */
    public static String storeUri() {
        String uri = System.getProperty(STORE_PROPERTY);
        if (uri != null && !uri.isBlank()) {
            return uri.strip();
        }
        Path file = defaultFile();
        ClaimFolder.prepare(file.getParent());
        return "json:" + file;
    }

    /**
     * The default claim registry file, {@code claims.json} in {@code $XDG_RUNTIME_DIR/portmanager} when
     * {@code XDG_RUNTIME_DIR} is a folder of the user's alone, else in {@code <java.io.tmpdir>/portmanager-<user>}.
     * Nothing is created or checked; never throws.
     */
    public static Path defaultFile() {
        return ClaimFolder.locate(System.getenv(), System.getProperty("java.io.tmpdir"),
                System.getProperty("user.name", "user")).resolve("claims.json");
    }

    /**
     * The claim registry {@link #storeUri()} names, opened on first use.
     *
     * @throws StoreUnavailableException if the claim folder is not the user's alone, or the registry cannot be opened
     */
    public static ClaimRegistry open() {
        return open(storeUri());
    }

    /**
     * The claim registry of a store URI, opened on first use (which also clears the store's allocations of JVMs that
     * are gone) and shared by the whole JVM; never closed.
     *
     * @param storeUri a store URI such as {@code json:/path/claims.json}
     * @throws NullPointerException      if {@code storeUri} is null
     * @throws IllegalArgumentException  if no store provider takes the URI
     * @throws StoreUnavailableException if the store, its claim lock file or its record folder cannot be opened, or
     *                                   one of them is a symbolic link
     */
    public static ClaimRegistry open(String storeUri) {
        Objects.requireNonNull(storeUri, "storeUri == null");
        return OPEN.computeIfAbsent(storeUri.strip(), ClaimRegistry::openNew);
    }

    private static ClaimRegistry openNew(String uri) {
        PortManager pm = PortManager.builder().name("free-ports").store(uri).build();
        try {
            pm.reclaimLapsed();
            ClaimLocks locks = uri.startsWith("json:") ? ClaimLocks.beside(Path.of(uri.substring("json:".length())))
                    : null;
            return new ClaimRegistry(uri, pm, locks);
        } catch (RuntimeException e) {
            pm.close();
            throw e;
        }
    }

    /** The registry's store URI. */
    public String uri() {
        return uri;
    }

    /**
     * The registry's manager: its ranges, and on a store other than a JSON file its claims. Shared by the whole JVM;
     * never close it.
     */
    public PortManager manager() {
        return manager;
    }

    /**
     * Claims one free TCP port outside the OS ephemeral range, searched from a random point.
     *
     * @throws NoFreePortException       if no port is free
     * @throws StoreUnavailableException if the claim cannot be recorded
     */
    public PortClaim claim() {
        return locks == null ? manager.claim() : take(null);
    }

    /**
     * Claims one free TCP port of a range of the registry (it starts with the six Atlas ranges: web, database,
     * testing, debug, api, cache).
     *
     * @throws IllegalArgumentException  if the registry has no such range
     * @throws NoFreePortException       if the range is full
     * @throws StoreUnavailableException if the claim cannot be recorded
     */
    public PortClaim claim(String range) {
        return locks == null ? manager.claim(range) : take(range(Checks.name("range name", range)));
    }

    /**
     * Claims {@code count} distinct free TCP ports at once, all or none.
     *
     * @throws IllegalArgumentException  if count is not positive
     * @throws NoFreePortException       if fewer ports are free
     * @throws StoreUnavailableException if a claim cannot be recorded
     */
    public List<PortClaim> claim(int count) {
        if (locks == null) {
            return manager.claim(count);
        }
        if (count < 1) {
            throw new IllegalArgumentException("claim count " + count + " is not positive; claim 1 or more ports");
        }
        List<PortClaim> claims = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                claims.add(take(null));
            }
            return claims;
        } catch (RuntimeException e) {
            claims.forEach(PortClaim::close);
            throw e;
        }
    }

    /**
     * The claims every JVM holds now, by port; on a JSON registry, from their records (a claim whose record is not
     * written yet is missed), and records of JVMs that are gone are deleted.
     *
     * @throws StoreUnavailableException if the claims cannot be read
     */
    public List<Allocation> claims() {
        return locks == null ? manager.list(AllocationQuery.project(PROJECT)) : locks.list(PROJECT);
    }

    /**
     * Locks a port this JVM got some other way (the Maven plugin's allocations in the JSON store) as a claim, so that
     * no claimant of this registry is handed it until {@link #unlock(int)} or the end of this JVM. Does nothing on a
     * store other than a JSON file, whose allocations are the claims.
     *
     * @return whether this JVM holds the port now; false if another process or another claim of this JVM holds it
     * @throws IllegalArgumentException  if the port is not 1-65535
     * @throws StoreUnavailableException if the lock cannot be asked for
     */
    public boolean lock(int port) {
        Checks.port("port", port);
        return locks == null || locks.take(port);
    }

    /**
     * Gives back a port {@link #lock(int)} locked. Does nothing for a port this JVM does not hold; never throws.
     *
     * @throws IllegalArgumentException if the port is not 1-65535
     */
    public void unlock(int port) {
        Checks.port("port", port);
        if (locks != null) {
            locks.give(port);
        }
    }

    /**
     * Takes the first port no process holds and the bind check finds free, searching the range's candidates from a
     * random allowed port on (wrapping), so that concurrent claimants rarely meet.
     */
    private PortClaim take(PortRange range) {
        String service = "jvm-" + ProcessHandle.current().pid() + "-" + CLAIMS.incrementAndGet();
        Candidates c = candidates.computeIfAbsent(range == null ? "" : range.toString(), k -> POLICY.candidates(
                AllocationRequest.builder(PROJECT, service).searchOrder(SearchOrder.SPREAD).build(), range));
        int size = c.last() - c.first() + 1;
        int start = c.first() + ThreadLocalRandom.current().nextInt(size);
        for (int tries = 0; tries < 32 && !c.allows(start); tries++) {
            start = c.first() + ThreadLocalRandom.current().nextInt(size);
        }
        int held = 0;
        int busy = 0;
        for (int i = 0; i < size; i++) {
            int port = c.first() + (start - c.first() + i) % size;
            if (!c.allows(port)) {
                continue;
            }
            if (!locks.take(port)) {
                held++;
            } else if (!PROBE.isFree(port, Protocol.TCP)) {
                locks.give(port);
                busy++;
            } else {
                return granted(port, service, range);
            }
        }
        throw new NoFreePortException(range == null ? null : range.name(), c.first(), c.last(), "localhost",
                Protocol.TCP, held, busy, c.excludedCount(), "");
    }

    private PortClaim granted(int port, String service, PortRange range) {
        try {
            Allocation a = Allocation.builder().id(service).port(port).project(PROJECT).service(service)
                    .range(range == null ? null : range.name()).allocatedAt(Instant.now())
                    .allocatedBy(LocalMachine.userAtMachine()).owner(ProcessOwner.current())
                    .description("claimed by " + LocalMachine.jvmName()).build();
            locks.record(a);
            return DefaultPortClaim.of(a, () -> locks.give(port));
        } catch (RuntimeException e) {
            locks.give(port);
            throw e;
        }
    }

    /** The registry's range of that name; the stored ranges are read again when it is not among those known. */
    private PortRange range(String name) {
        Optional<PortRange> known = ranges.stream().filter(r -> r.name().equals(name)).findFirst();
        if (known.isPresent()) {
            return known.get();
        }
        ranges = manager.ranges();
        return ranges.stream().filter(r -> r.name().equals(name)).findFirst()
                // The manager's own words for a range it does not have.
                .orElseGet(() -> {
                    manager.available(name, 1);
                    throw new IllegalArgumentException("no range named '" + name + "' in " + uri);
                });
    }

    @Override
    public String toString() {
        return "ClaimRegistry{" + uri + (locks == null ? "" : ", locks " + locks.lockFile()) + "}";
    }
}
