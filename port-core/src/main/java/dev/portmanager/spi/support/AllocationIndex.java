package dev.portmanager.spi.support;

import dev.portmanager.Allocation;
import dev.portmanager.spi.AllocationPlan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The unended allocations of a {@link Registry}, by id (in insertion order), by (host, port) and by service, so that
 * lookups by port and by service answer in microseconds in a registry of tens of thousands of allocations. Not
 * thread-safe: the registry's owner guards it.
 */
final class AllocationIndex {
    private final Map<String, Allocation> byId = new LinkedHashMap<>();
    private final Map<PortKey, List<Allocation>> byPort = new HashMap<>();
    private final Map<ServiceKey, List<Allocation>> byService = new HashMap<>();

    /** Every allocation, in insertion order; unmodifiable. */
    Collection<Allocation> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    int size() {
        return byId.size();
    }

    /** The allocation with this id, or null. */
    Allocation get(String id) {
        return byId.get(id);
    }

    /** The allocations at (host, port), of any protocol; do not modify. */
    List<Allocation> atPort(String host, int port) {
        return byPort.getOrDefault(new PortKey(host, port), List.of());
    }

    /** The allocations of (host, project, service, environment); do not modify. */
    List<Allocation> ofService(String host, String project, String service, String environment) {
        return byService.getOrDefault(new ServiceKey(host, project, service, environment), List.of());
    }

    /** The allocations of the plan's service; do not modify. */
    List<Allocation> ofService(AllocationPlan plan) {
        return ofService(plan.host(), plan.project(), plan.service(), plan.environment());
    }

    /** Adds the allocation, replacing one with the same id. */
    void put(Allocation a) {
        Allocation old = byId.get(a.id());
        if (old != null) {
            remove(old);
        }
        byId.put(a.id(), a);
        // get and put, not computeIfAbsent with a lambda: this runs while a registry loads (start-up, issue 20).
        PortKey portKey = new PortKey(a.host(), a.port());
        List<Allocation> atPort = byPort.get(portKey);
        if (atPort == null) {
            atPort = new ArrayList<>(1);
            byPort.put(portKey, atPort);
        }
        atPort.add(a);
        ServiceKey serviceKey = ServiceKey.of(a);
        List<Allocation> ofService = byService.get(serviceKey);
        if (ofService == null) {
            ofService = new ArrayList<>(1);
            byService.put(serviceKey, ofService);
        }
        ofService.add(a);
    }

    /** Removes the allocation with the id of {@code a}. */
    void remove(Allocation a) {
        byId.remove(a.id());
        removeFrom(byPort, new PortKey(a.host(), a.port()), a);
        removeFrom(byService, ServiceKey.of(a), a);
    }

    private static <K> void removeFrom(Map<K, List<Allocation>> index, K key, Allocation a) {
        List<Allocation> list = index.get(key);
        if (list != null) {
            list.removeIf(x -> x.id().equals(a.id()));
            if (list.isEmpty()) {
                index.remove(key);
            }
        }
    }

    // The keys' equals and hashCode are written out: a record's generated ones are bootstrapped through
    // invokedynamic (ObjectMethods) at first use, tens of milliseconds of every program's first getOrAllocate.

    private record PortKey(String host, int port) {
        @Override
        public boolean equals(Object o) {
            return o instanceof PortKey k && port == k.port && host.equals(k.host);
        }

        @Override
        public int hashCode() {
            return 31 * host.hashCode() + port;
        }
    }

    private record ServiceKey(String host, String project, String service, String environment) {
        static ServiceKey of(Allocation a) {
            return new ServiceKey(a.host(), a.project(), a.service(), a.environment());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ServiceKey k && host.equals(k.host) && project.equals(k.project)
                    && service.equals(k.service) && environment.equals(k.environment);
        }

        @Override
        public int hashCode() {
            return ((host.hashCode() * 31 + project.hashCode()) * 31 + service.hashCode()) * 31
                    + environment.hashCode();
        }
    }
}
