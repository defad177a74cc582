package dev.portmanager.maven;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.ClaimRegistry;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PortManager;
import dev.portmanager.PortManagerException;
import dev.portmanager.PortRange;
import dev.portmanager.ProcessOwner;
import dev.portmanager.SearchOrder;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The ports this Maven JVM claimed, by module. One holder serves the whole JVM ({@link #JVM}): the modules of a
 * {@code -T 4} build run their mojos at once on threads of one JVM, and a module's {@code reserve} and {@code release}
 * run as separate mojo instances. Every claim is owned by this JVM (its pid, start time and machine), so it holds for
 * the whole build and lapses when the JVM ends, even by {@code kill -9}; {@link #release} frees a module's claims
 * earlier. Each claimed port is also locked in the registry's claim lock file ({@link ClaimRegistry#lock}), so that no
 * test's {@code FreePorts} claim, in any JVM, is handed it meanwhile; a port a test's claim holds is given up for
 * another. One manager per store URI, opened on first use and never closed (it lives as long as the claims it made).
 *
 * <p>Thread-safe: a module's claims change under that module's lock; stores keep claims distinct across threads and
 * processes.
 */
final class BuildClaims {
    /** The holder of this JVM. */
    static final BuildClaims JVM = new BuildClaims();

    /** The project non-sticky claims are recorded under in the registry. */
    static final String PROJECT = "maven";

    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** How many other ports a property is given when the ports the registry hands it are held by claims. */
    private static final int LOCK_TRIES = 16;

    private final ConcurrentMap<String, Map<String, Held>> modules = new ConcurrentHashMap<>();
    /** The ids of every allocation a module holds: one module's, never two modules' at once. */
    private final Set<String> taken = ConcurrentHashMap.newKeySet();

    /** A claim of this JVM: the property it serves, the registry it lives in, its allocation (whose port is locked). */
    private record Held(String property, ClaimRegistry registry, Allocation allocation) {
    }

    /**
     * What one {@code reserve} execution asks for.
     *
     * @param module     the module's {@code groupId:artifactId}, which the claims are kept under
     * @param artifactId the key of sticky ports
     * @param properties the property names of {@code <ports>}, in order
     * @param range      the registry range to claim from, or null for any free port
     * @param sticky     whether each port is got-or-allocated under the artifactId, searched from a stable start
     * @param store      the registry's store URI, or null for the claim registry {@code @FreePort} uses
     */
    record Request(String module, String artifactId, List<String> properties, String range, boolean sticky,
                   String store) {
    }

    /**
     * Claims a port for every property of the request that this module does not hold yet; a property it holds keeps
     * its port. The ports of one request are claimed all or none.
     *
     * @return every property of the request with its port, in the request's order
     * @throws MojoExecutionException if {@code <ports>} is empty, names a property twice or a blank one, the store
     *                                cannot be opened, or {@code <range>} names no range of the registry
     * @throws MojoFailureException   if the range (or the whole port space) has no free port left, or the registry
     *                                fails to record the claims
     */
    Map<String, Integer> reserve(Request request, Log log) throws MojoExecutionException, MojoFailureException {
        checkProperties(request.properties());
        String store = storeUri(request.store());
        ClaimRegistry claims = registry(store);
        PortManager registry = claims.manager();
        if (request.range() != null) {
            checkRange(registry, request.range(), store);
        }
        Map<String, Held> held = modules.computeIfAbsent(request.module(), m -> new LinkedHashMap<>());
        synchronized (held) {
            List<String> missing = new ArrayList<>();
            for (String p : request.properties()) {
                if (held.containsKey(p)) {
                    log.info(p + " keeps port " + held.get(p).allocation().port() + ", claimed earlier in this build");
                } else {
                    missing.add(p);
                }
            }
            if (!missing.isEmpty()) {
                List<Allocation> got = locked(claims, request, missing, claim(registry, request, missing, store, log),
                        store);
                for (int i = 0; i < missing.size(); i++) {
                    held.put(missing.get(i), new Held(missing.get(i), claims, got.get(i)));
                    taken.add(got.get(i).id());
                }
            }
            Map<String, Integer> ports = new LinkedHashMap<>();
            request.properties().forEach(p -> ports.put(p, held.get(p).allocation().port()));
            return ports;
        }
    }

    /**
     * Releases every claim this JVM holds for the module, so that other builds may be handed the ports at once.
     *
     * @return the released properties with their ports, in the order they were claimed; empty if the module held none
     */
    Map<String, Integer> release(String module, Log log) {
        Map<String, Held> held = modules.get(module);
        Map<String, Integer> released = new LinkedHashMap<>();
        if (held == null) {
            return released;
        }
        synchronized (held) {
            for (Held h : held.values()) {
                try {
                    h.registry().manager().release(h.allocation());
                } catch (PortManagerException e) {
                    log.warn("could not release port " + h.allocation().port() + " of " + h.property() + " ("
                            + e.getMessage() + "); it is free again when this build ends anyway");
                }
                h.registry().unlock(h.allocation().port());
                taken.remove(h.allocation().id());
                released.put(h.property(), h.allocation().port());
            }
            held.clear();
        }
        return released;
    }

    private static void checkProperties(List<String> properties) throws MojoExecutionException {
        if (properties == null || properties.isEmpty()) {
            throw new MojoExecutionException("<ports> lists no property; name the properties to set, such as "
                    + "<ports><port>http.port</port></ports>");
        }
        Set<String> seen = new HashSet<>();
        for (String p : properties) {
            if (p == null || p.isBlank() || !p.strip().equals(p) || p.chars().anyMatch(Character::isWhitespace)
                    || p.contains("${") || p.contains("}")) {
                throw new MojoExecutionException("<ports> entry '" + (p == null ? "" : p) + "' is not a property "
                        + "name; list names such as <port>http.port</port>, without spaces or ${...}");
            }
            if (!seen.add(p)) {
                throw new MojoExecutionException("<ports> lists the property '" + p + "' twice; list each property "
                        + "once: every property gets a port of its own");
            }
        }
    }

    private static String storeUri(String store) throws MojoExecutionException {
        if (store != null && !store.isBlank()) {
            return store.strip();
        }
        try {
            return ClaimRegistry.storeUri();
        } catch (PortManagerException e) {
            throw new MojoExecutionException(e.getMessage() + "; or name a store for this build with "
                    + "<store>json:/path/claims.json</store>", e);
        }
    }

    private static ClaimRegistry registry(String store) throws MojoExecutionException {
        try {
            return ClaimRegistry.open(store);
        } catch (PortManagerException | IllegalArgumentException e) {
            throw new MojoExecutionException("the claim registry <store>" + store + "</store> cannot be opened: "
                    + e.getMessage() + "; leave <store> out for the registry JUnit's @FreePort uses, or name one "
                    + "such as <store>json:/path/claims.json</store>", e);
        }
    }

    private static void checkRange(PortManager registry, String range, String store) throws MojoExecutionException {
        List<PortRange> ranges = registry.ranges();
        if (ranges.stream().noneMatch(r -> r.name().equals(range))) {
            throw new MojoExecutionException("<range>" + range + "</range> names no range of the claim registry "
                    + store + "; it has " + (ranges.isEmpty() ? "none" : ranges.stream()
                    .map(r -> r.name() + " " + r.start() + "-" + r.end()).collect(Collectors.joining(", ")))
                    + ". Name one of them, or leave <range> out to claim any free port");
        }
    }

    /** The allocations of {@code properties}, in their order, all or none. */
    private List<Allocation> claim(PortManager registry, Request request, List<String> properties, String store,
                                   Log log) throws MojoFailureException {
        try {
            if (!request.sticky()) {
                List<AllocationRequest> requests = new ArrayList<>();
                properties.forEach(p -> requests.add(claimRequest(request, p)));
                return registry.allocateAll(requests);
            }
            List<Allocation> got = new ArrayList<>();
            try {
                for (String p : properties) {
                    got.add(sticky(registry, request, p, log));
                }
            } catch (RuntimeException e) {
                for (Allocation a : got) {
                    taken.remove(a.id());
                    registry.release(a);
                }
                throw e;
            }
            return got;
        } catch (NoFreePortException e) {
            throw new MojoFailureException((request.range() == null ? "no free port is left"
                    : "<range>" + request.range() + "</range> has no free port left") + " for "
                    + String.join(", ", properties) + " in the claim registry " + store + ": " + e.getMessage()
                    + ". Name a wider <range>, or leave <range> out to claim any free port; ports held by other "
                    + "builds are free again when they end", e);
        } catch (PortManagerException | IllegalArgumentException e) {
            throw new MojoFailureException("could not claim ports for " + String.join(", ", properties)
                    + " in the claim registry <store>" + store + "</store>: " + e.getMessage(), e);
        }
    }

    /**
     * The allocations with their ports locked as claims of the registry, so that no {@code FreePorts} claimant (of any
     * JVM) is handed them while this build holds them: an allocation whose port a claim holds is released and the
     * property given another port, at most {@link #LOCK_TRIES} times. All or none: on failure every allocation is
     * released and every lock given back.
     */
    private List<Allocation> locked(ClaimRegistry claims, Request request, List<String> properties,
                                    List<Allocation> got, String store) throws MojoFailureException {
        PortManager registry = claims.manager();
        List<Allocation> result = new ArrayList<>(got);
        int locked = 0;
        try {
            for (; locked < result.size(); locked++) {
                int tries = 0;
                while (!claims.lock(result.get(locked).port())) {
                    Allocation held = result.get(locked);
                    taken.remove(held.id());
                    registry.release(held);
                    if (++tries > LOCK_TRIES) {
                        throw new MojoFailureException("could not claim a port for " + properties.get(locked)
                                + " in the claim registry " + store + ": " + LOCK_TRIES + " ports in a row were held "
                                + "by tests' claims (FreePorts); name a wider <range>, or leave <range> out");
                    }
                    result.set(locked, registry.allocateAll(List.of(claimRequest(request, properties.get(locked))))
                            .get(0));
                    taken.add(result.get(locked).id());
                }
            }
            return result;
        } catch (MojoFailureException | RuntimeException e) {
            for (int i = 0; i < result.size(); i++) {
                if (i < locked) {
                    claims.unlock(result.get(i).port());
                }
                taken.remove(result.get(i).id());
                registry.release(result.get(i));
            }
            if (e instanceof PortManagerException) {
                throw new MojoFailureException("could not claim ports for " + String.join(", ", properties)
                        + " in the claim registry <store>" + store + "</store>: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** A claim of this JVM: searched from a random start, so that concurrent builds rarely meet. */
    private static AllocationRequest claimRequest(Request request, String property) {
        long pid = ProcessHandle.current().pid();
        AllocationRequest.Builder b = AllocationRequest.builder(PROJECT,
                        request.artifactId() + "/" + property + "/" + pid + "-" + SEQUENCE.incrementAndGet())
                .ownedByCurrentProcess().searchOrder(SearchOrder.SPREAD)
                .description(property + " of " + request.module() + ", claimed by Maven (pid " + pid + ")");
        if (request.range() != null) {
            b.range(request.range());
        }
        return b.build();
    }

    /**
     * The artifact's port for the property: its live allocation when this JVM owns it, else a new one searched from a
     * start hashed from artifactId and property (so the same port as last time while nobody else holds it). Another
     * build or module holding it gets this one a claim of its own instead.
     */
    private Allocation sticky(PortManager registry, Request request, String property, Log log) {
        AllocationRequest.Builder b = AllocationRequest.builder(request.artifactId(), property)
                .ownedByCurrentProcess().searchOrder(SearchOrder.STICKY)
                .description("sticky " + property + " of " + request.artifactId() + ", claimed by Maven (pid "
                        + ProcessHandle.current().pid() + ")");
        if (request.range() != null) {
            b.range(request.range());
        }
        Allocation a = registry.getOrAllocate(b.build());
        Optional<ProcessOwner> owner = a.owner();
        ProcessOwner me = ProcessOwner.current();
        boolean mine = owner.isPresent() && owner.get().pid() == me.pid() && owner.get().machine().equals(me.machine());
        if (mine && taken.add(a.id())) {
            return a;
        }
        log.warn(property + ": the sticky port " + a.port() + " of " + request.artifactId() + " is held by "
                + (mine ? "another module of this build" : owner.map(o -> "another build (" + o + ")")
                .orElse("an allocation without an owner")) + "; this build claims another port for it");
        return registry.allocateAll(List.of(claimRequest(request, property))).get(0);
    }
}
