package dev.portmanager.launch;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The start order of services: every service after the ones it depends on; a cycle is refused, named. */
final class DependencyOrder {
    private DependencyOrder() {
    }

    /**
     * The services to start for {@code wanted} (their dependencies included, transitively), dependencies first.
     *
     * @throws IllegalArgumentException if a service or dependency has no definition, or the dependencies form a
     *                                  cycle; the message names them
     */
    static List<String> of(Map<String, ServiceDefinition> defs, Iterable<String> wanted) {
        return order(defs, wanted, true);
    }

    /**
     * The order to stop {@code wanted} in, reversed: as {@link #of}, but a cycle or a missing definition never stops
     * a stop; a dependency edge that closes a cycle is ignored, an undefined service skipped.
     */
    static List<String> lenient(Map<String, ServiceDefinition> defs, Iterable<String> wanted) {
        return order(defs, wanted, false);
    }

    private static List<String> order(Map<String, ServiceDefinition> defs, Iterable<String> wanted, boolean strict) {
        List<String> order = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        for (String s : wanted) {
            visit(s, defs, done, new ArrayList<>(), order, null, strict);
        }
        return order;
    }

    private static void visit(String service, Map<String, ServiceDefinition> defs, Set<String> done, List<String> path,
                              List<String> order, String neededBy, boolean strict) {
        if (done.contains(service) || !strict && (path.contains(service) || !defs.containsKey(service))) {
            return;
        }
        int at = path.indexOf(service);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            cycle.add(service);
            throw new IllegalArgumentException("the services depend on each other in a cycle: " + String.join(" -> ",
                    cycle) + "; remove one of these dependencies");
        }
        ServiceDefinition def = defs.get(service);
        if (def == null) {
            throw new IllegalArgumentException(neededBy == null ? "no service '" + service + "' is defined; define it "
                    + "first (portman define)" : neededBy + " depends on '" + service + "', which is not defined; "
                    + "define it (portman define) or drop the dependency");
        }
        path.add(service);
        for (String dep : def.dependsOn()) {
            visit(dep, defs, done, path, order, service, strict);
        }
        path.remove(path.size() - 1);
        done.add(service);
        order.add(service);
    }
}
