package dev.portmanager.internal;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationStatus;
import dev.portmanager.AuditReport;
import dev.portmanager.HealthCheck;
import dev.portmanager.HealthResult;
import dev.portmanager.HealthStatus;
import dev.portmanager.Protocol;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The audit of a host by connecting to it, as seed 000's scanning of remote services: each live active allocation's
 * port gets a TCP connection; a refusal or no answer makes it a zombie ("nothing answers"). No process information is
 * claimed: no owners, no conflicts, no orphans, no resource use. Only the host the allocations name is contacted (a
 * health endpoint on another host is never called: its allocation is checked on its own host and port). The timeout
 * is the host's, and the host gets it once: after a connection to it finds no answer (a timeout, no route, an unknown
 * name), its other allocations are not tried and count as not answering, so an unreachable host costs one timeout,
 * not one per port. Thread-safe: holds nothing between calls.
 */
final class RemoteAuditor {
    private RemoteAuditor() {
    }

    /**
     * Audits the host's allocations.
     *
     * @param host    the host, as the registry names it
     * @param live    its live allocations
     * @param timeout how long to wait for it to answer one connection
     */
    static AuditReport audit(String host, List<Allocation> live, Instant now, Duration timeout) {
        List<Allocation> zombies = new ArrayList<>();
        int allocated = 0;
        int reserved = 0;
        Optional<HealthResult> silent = Optional.empty();
        for (Allocation a : live) {
            if (a.status() == AllocationStatus.RESERVED) {
                reserved++;
                continue;
            }
            allocated++;
            if (!a.protocol().covers(Protocol.TCP)) {
                continue; // UDP has no connection to try: counted in use, never a zombie
            }
            if (silent.isPresent()) {
                zombies.add(a);
                continue;
            }
            HealthResult r = HealthCheck.tcp(host, a.port(), timeout);
            if (r.status() == HealthStatus.UNHEALTHY) {
                silent = Optional.of(r);
            }
            if (r.status() != HealthStatus.HEALTHY) {
                zombies.add(a);
            }
        }
        int inUse = allocated - zombies.size();
        int health = allocated == 0 ? 100 : (int) Math.round(inUse * 100.0 / allocated);
        return new AuditReport(now, host, allocated, inUse, zombies.size(), reserved, health, zombies, List.of(),
                List.of(), List.of(), false, List.of(), true);
    }

    /**
     * The health check of an allocation on another host: its HTTP(S) or {@code tcp://} health endpoint when that is
     * on the allocation's own host, else a TCP connection to the host and port. An endpoint on any other host is
     * never contacted: only hosts the registry names are.
     */
    static HealthResult check(Allocation a, Duration timeout) {
        Optional<URI> endpoint = a.healthEndpoint();
        if (endpoint.isPresent() && !sameHost(endpoint.get().getHost(), a.host())) {
            if (!a.protocol().covers(Protocol.TCP)) {
                return new HealthResult(HealthStatus.UNKNOWN, Duration.ZERO, "health endpoint " + endpoint.get()
                        + " is not on " + a.host() + ", and is not called", OptionalInt.empty());
            }
            return HealthCheck.tcp(a.host(), a.port(), timeout);
        }
        return HealthCheck.of(a, timeout);
    }

    private static boolean sameHost(String endpointHost, String host) {
        if (endpointHost == null) {
            return false;
        }
        String e = endpointHost.startsWith("[") ? endpointHost.substring(1, endpointHost.length() - 1) : endpointHost;
        return e.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
    }
}
