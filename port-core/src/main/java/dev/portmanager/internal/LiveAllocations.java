package dev.portmanager.internal;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationNotFoundException;
import dev.portmanager.AllocationQuery;
import dev.portmanager.Checks;
import dev.portmanager.spi.LeaseJudge;
import dev.portmanager.spi.PortStore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The registry as the manager's judge sees it: the store's unended allocations less those whose lease lapsed or whose
 * owner is gone. Thread-safe: every call reads the store afresh, with a judge of its own.
 */
final class LiveAllocations {
    private final PortStore store;
    private final SystemLeaseJudge judges;
    private final Clock clock;
    private final String host;
    private final String environment;

    /** @param host the manager's host and @param environment its environment: those of {@link #required} */
    LiveAllocations(PortStore store, SystemLeaseJudge judges, Clock clock, String host, String environment) {
        this.store = store;
        this.judges = judges;
        this.clock = clock;
        this.host = host;
        this.environment = environment;
    }

    /** The live allocations matching the query, in the store's order. */
    List<Allocation> list(AllocationQuery query) {
        Instant now = clock.instant();
        LeaseJudge judge = judges.forOperation();
        List<Allocation> out = new ArrayList<>();
        for (Allocation a : store.list(query)) {
            if (judge.isLive(a, now)) {
                out.add(a);
            }
        }
        return out;
    }

    /** The live allocation of (host, project, service, environment), if any. */
    Optional<Allocation> ofService(String h, String project, String service, String environment) {
        return first(list(serviceQuery(h, project, service, environment)));
    }

    /**
     * The live allocation of project/service on the manager's host and environment.
     *
     * @param what what the caller was asked to do, for the message
     * @throws IllegalArgumentException    if the project or service name is invalid
     * @throws AllocationNotFoundException if there is none
     */
    Allocation required(String what, String project, String service) {
        return ofService(host, Checks.name("project", project), Checks.name("service", service), environment)
                .orElseThrow(() -> notFound(what, project, service));
    }

    /** The exception for project/service holding no port on the manager's host and environment. */
    AllocationNotFoundException notFound(String what, String project, String service) {
        return new AllocationNotFoundException("cannot " + what + " " + project + "/" + service + ": it holds no port on "
                + host + " (environment " + environment + "); allocate one first");
    }

    /** The unended allocation of (host, project, service, environment), lapsed or not, if any. */
    Optional<Allocation> unendedOfService(String h, String project, String service, String environment) {
        return first(store.list(serviceQuery(h, project, service, environment)));
    }

    /** The live allocations at a port of a host, any protocol. */
    List<Allocation> at(String h, int port) {
        return list(AllocationQuery.builder().host(h).port(port).build());
    }

    /** The live allocations of the manager's host. */
    List<Allocation> onHost() {
        return list(AllocationQuery.builder().host(host).build());
    }

    /** The live allocation with this id on the manager's host, if any. */
    Optional<Allocation> onHost(String id) {
        return onHost().stream().filter(a -> a.id().equals(id)).findFirst();
    }

    /** The first of the list: an if, not a stream, on the path of every getOrAllocate (start-up, issue 20). */
    private static Optional<Allocation> first(List<Allocation> list) {
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    private static AllocationQuery serviceQuery(String h, String project, String service, String environment) {
        return AllocationQuery.builder().host(h).project(project).service(service).environment(environment).build();
    }
}
