package dev.portmanager.cli;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.PortManager;
import dev.portmanager.launch.LaunchReport;
import dev.portmanager.launch.Launcher;
import dev.portmanager.launch.ServiceDefinition;
import dev.portmanager.wire.LaunchJson;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** What {@code up}, {@code down}, {@code restart} and {@code status} share: the project, the services, the logs. */
final class LaunchTarget {
    @Parameters(paramLabel = "PROJECT", arity = "0..1", description = "the project (default: $PORTMANAGER_PROJECT, "
            + "else the name of the linked git worktree you are in, else the only project with defined services)")
    String project;

    @Option(names = "--services", split = ",", paramLabel = "SERVICE",
            description = "only these services (and, for up, what they depend on); default: all defined ones")
    List<String> services = new ArrayList<>();

    @Option(names = "--logs", paramLabel = "DIR",
            description = "the folder of the services' logs, one file per project and service (default: "
                    + "$PORTMANAGER_LOGS, else ~/.portmanager/logs)")
    Path logs;

    /** A launcher over the root's manager and probe. */
    Launcher.Builder launcher(Portman root) {
        Launcher.Builder b = Launcher.builder(root.manager()).probe(root.probe());
        String fromEnv = System.getenv("PORTMANAGER_LOGS");
        if (logs != null) {
            b.logs(logs);
        } else if (fromEnv != null && !fromEnv.isBlank()) {
            b.logs(Path.of(fromEnv.strip()));
        }
        return b;
    }

    /** The project named, or the default one. @throws IllegalArgumentException if there is no single default */
    String project(PortManager pm) {
        if (project != null) {
            return project;
        }
        Optional<String> implied = DefaultProject.find();
        if (implied.isPresent()) {
            return implied.get();
        }
        TreeSet<String> defined = new TreeSet<>();
        for (Allocation a : pm.list(AllocationQuery.builder().host(pm.host()).environment(pm.environment()).build())) {
            if (ServiceDefinition.of(a).isPresent()) {
                defined.add(a.project());
            }
        }
        if (defined.size() == 1) {
            return defined.first();
        }
        throw new IllegalArgumentException(defined.isEmpty() ? "no project has defined services; define one with: "
                + "portman define PROJECT SERVICE --command '...'" : "several projects have defined services "
                + defined + "; name one: portman <command> PROJECT");
    }

    /** Prints a report; returns 0 when every step succeeded, 3 after a conflict, 1 after a failure. */
    static int print(Output out, LaunchReport r) {
        if (out.json()) {
            out.print(LaunchJson.report(r));
        } else if (r.services().isEmpty()) {
            out.line("nothing to do");
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (LaunchReport.Step s : r.services()) {
                rows.add(List.of(s.service(), String.valueOf(s.port()), s.pid() == 0 ? "-" : String.valueOf(s.pid()),
                        Views.lower(s.outcome()), Views.cpu(s.resources()), Views.memory(s.resources()), s.detail()));
            }
            out.table(List.of("SERVICE", "PORT", "PID", "OUTCOME", "CPU", "RSS", "DETAIL"), rows);
        }
        if (r.ok()) {
            return 0;
        }
        boolean failed = r.services().stream().anyMatch(s -> s.outcome() == LaunchReport.Outcome.FAILED);
        return failed ? 1 : Portman.FOUND_PROBLEMS;
    }
}
