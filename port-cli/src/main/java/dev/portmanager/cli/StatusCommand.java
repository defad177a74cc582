package dev.portmanager.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portmanager.launch.Launcher;
import dev.portmanager.launch.ServiceDefinition;
import dev.portmanager.launch.ServiceStatus;
import dev.portmanager.wire.LaunchJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code portman status [PROJECT]}. */
@Command(name = "status", description = {"Each defined service of a project: its port, its process, its health now, "
        + "its CPU time and resident memory (from /proc on Linux, else unknown), its command and log file.", "Exits 3 when a service is not running or not healthy."})
final class StatusCommand extends PortmanCommand {
    @Mixin
    LaunchTarget target;

    @Override
    public Integer call() {
        Launcher launcher = target.launcher(root).build();
        String project = target.project(manager());
        Map<String, ServiceDefinition> defs = launcher.definitions(project);
        List<ServiceStatus> all = launcher.status(project, target.services);
        if (out().json()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (ServiceStatus s : all) {
                array.add(LaunchJson.status(s, defs.get(s.service()), launcher.logFile(project, s.service())));
            }
            out().print(array);
        } else if (all.isEmpty()) {
            out().line("no services defined in " + project);
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (ServiceStatus s : all) {
                ServiceDefinition d = defs.get(s.service());
                rows.add(List.of(s.service(), String.valueOf(s.port()), s.running() ? String.valueOf(s.pid()) : "-",
                        Views.lower(s.health().status()), Views.cpu(s.resources()), Views.memory(s.resources()),
                        d.dependsOn().isEmpty() ? "-" : String.join(",", d.dependsOn()), d.command()));
            }
            out().table(List.of("SERVICE", "PORT", "PID", "HEALTH", "CPU", "RSS", "AFTER", "COMMAND"), rows);
        }
        boolean allHealthy = all.stream().allMatch(s -> s.running() && s.health().healthy());
        return allHealthy ? 0 : Portman.FOUND_PROBLEMS;
    }
}
