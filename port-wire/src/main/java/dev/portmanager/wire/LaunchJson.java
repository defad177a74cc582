package dev.portmanager.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portmanager.launch.LaunchReport;
import dev.portmanager.launch.ServiceDefinition;
import dev.portmanager.launch.ServiceStatus;

import java.nio.file.Path;

import static dev.portmanager.wire.Nodes.F;
import static dev.portmanager.wire.Nodes.lower;

/** Launching services, as JSON: what up, down and restart did, and each service's status. Thread-safe. */
public final class LaunchJson {
    private LaunchJson() {
    }

    /**
     * What a launch step did, one object per service in the report's order: {@code service}, {@code port},
     * {@code pid} (null when no process ran), {@code outcome} (such as {@code started} or {@code conflict}),
     * {@code detail} and {@code resources} (what its process used, as {@link MachineJson#resources}; null when none
     * runs).
     *
     * @throws NullPointerException if the report is null
     */
    public static ArrayNode report(LaunchReport r) {
        ArrayNode array = F.arrayNode();
        for (LaunchReport.Step s : r.services()) {
            ObjectNode n = array.addObject();
            n.put("service", s.service());
            n.put("port", s.port());
            if (s.pid() == 0) {
                n.putNull("pid");
            } else {
                n.put("pid", s.pid());
            }
            n.put("outcome", lower(s.outcome()));
            n.put("detail", s.detail());
            n.set("resources", s.resources().map(MachineJson::resources).orElse(null));
        }
        return array;
    }

    /**
     * A defined service's status: {@code service}, {@code port}, {@code pid} (null when not running),
     * {@code health}, {@code health_detail}, {@code command}, {@code depends_on} (an array of services),
     * {@code log} (its log file) and {@code resources} (what its process uses, as {@link MachineJson#resources}; null
     * when none runs).
     *
     * @param s          the status
     * @param definition the service's definition
     * @param log        the service's log file
     * @throws NullPointerException if an argument is null
     */
    public static ObjectNode status(ServiceStatus s, ServiceDefinition definition, Path log) {
        ObjectNode n = F.objectNode();
        n.put("service", s.service());
        n.put("port", s.port());
        if (s.running()) {
            n.put("pid", s.pid());
        } else {
            n.putNull("pid");
        }
        n.put("health", lower(s.health().status()));
        n.put("health_detail", s.health().detail());
        n.put("command", definition.command());
        ArrayNode deps = n.putArray("depends_on");
        definition.dependsOn().forEach(deps::add);
        n.put("log", log.toString());
        n.set("resources", s.resources().map(MachineJson::resources).orElse(null));
        return n;
    }

    /**
     * What forgetting a definition did: {@code project}, {@code service} and {@code undefined} (false when the
     * service had no definition).
     */
    public static ObjectNode undefined(String project, String service, boolean had) {
        return F.objectNode().put("project", project).put("service", service).put("undefined", had);
    }
}
