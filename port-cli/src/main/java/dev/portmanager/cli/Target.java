package dev.portmanager.cli;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationNotFoundException;
import dev.portmanager.PortManager;

import java.util.List;
import java.util.Optional;

/** The {@code PORT | PROJECT SERVICE} argument of release, show, kill and the like. */
final class Target {
    final Integer port;
    final String project;
    final String service;

    private Target(Integer port, String project, String service) {
        this.port = port;
        this.project = project;
        this.service = service;
    }

    /**
     * Reads one argument (a port) or two (project and service).
     *
     * @throws IllegalArgumentException if there are none, more than two, or one that is not a port
     */
    static Target of(List<String> args) {
        if (args.size() == 1) {
            try {
                return new Target(Integer.parseInt(args.get(0)), null, null);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + args.get(0) + "' is not a port; give a PORT, or a PROJECT and "
                        + "a SERVICE");
            }
        }
        if (args.size() == 2) {
            return new Target(null, args.get(0), args.get(1));
        }
        throw new IllegalArgumentException("give a PORT, or a PROJECT and a SERVICE (got " + args.size()
                + " arguments)");
    }

    /** The live allocation the target names. */
    Optional<Allocation> find(PortManager pm) {
        return port != null ? pm.find(port) : pm.find(project, service);
    }

    /** The live allocation the target names, or a clear error. */
    Allocation require(PortManager pm) {
        return find(pm).orElseThrow(() -> new AllocationNotFoundException(
                (port != null ? "port " + port : project + "/" + service) + " is not allocated on " + pm.host()
                        + " (environment " + pm.environment() + ") in " + pm.storeName()));
    }

    @Override
    public String toString() {
        return port != null ? "port " + port : project + "/" + service;
    }
}
