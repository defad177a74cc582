package dev.portmanager.cli;

import dev.portmanager.Allocation;
import dev.portmanager.launch.Launcher;
import dev.portmanager.launch.ServiceDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code portman define PROJECT SERVICE --command CMD [...]}. */
@Command(name = "define", description = {"Keep how to run a service in the registry, beside its port (allocated now "
        + "if it has none). Replaces an earlier definition; starts nothing.",
        "The command runs without a shell; $${port} in it, in --var values and in --health becomes the port, which also "
        + "reaches the process as $PORT and $<SERVICE>_PORT (and each dependency's as $<DEPENDENCY>_PORT)."})
final class DefineCommand extends PortmanCommand {
    @Parameters(index = "0", paramLabel = "PROJECT")
    String project;

    @Parameters(index = "1", paramLabel = "SERVICE")
    String service;

    @Option(names = "--command", required = true, paramLabel = "CMD",
            description = "the command line, such as 'java -jar api.jar --port $${port}'; quotes group words")
    String command;

    @Option(names = "--cwd", paramLabel = "DIR", description = "where the command runs (default: where up runs)")
    Path cwd;

    @Option(names = "--var", paramLabel = "NAME=VALUE",
            description = "an environment variable for the service, $${port} replaced (repeatable)")
    Map<String, String> env = Map.of();

    @Option(names = "--health", paramLabel = "URL",
            description = "the health endpoint, such as http://localhost:$${port}/health (default: a TCP connection)")
    String health;

    @Option(names = "--depends", split = ",", paramLabel = "SERVICE",
            description = "services of the project to start (and see healthy) first")
    List<String> depends = new ArrayList<>();

    @Option(names = "--restarts", paramLabel = "N", description = "restarts after a crash under up --watch (default 0)")
    int restarts;

    @Option(names = "--backoff", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "wait before the first restart, doubled each time (default 1s)")
    Duration backoff = Duration.ofSeconds(1);

    @Option(names = "--range", paramLabel = "NAME", description = "the range to take the port from")
    String range;

    @Option(names = "--alternatives", paramLabel = "PORTS", description = "the ports it prefers, in order, such as "
            + "8000,8001,8002: it is defined on the first free one, and up --strategy conservative moves it to the "
            + "first free one when another process holds its port")
    String alternatives;

    @Option(names = "--critical", description = "mark the service critical: a foreign process on its port is a "
            + "critical conflict (portman conflicts --level critical)")
    boolean critical;

    @Override
    public Integer call() {
        ServiceDefinition.Builder b = ServiceDefinition.builder(project, service).command(command)
                .restarts(restarts, backoff);
        if (cwd != null) {
            b.workingDirectory(cwd.toAbsolutePath().normalize());
        }
        env.forEach(b::environment);
        if (health != null) {
            b.healthEndpoint(health);
        }
        if (!depends.isEmpty()) {
            b.dependsOn(depends.toArray(String[]::new));
        }
        if (range != null) {
            b.range(range);
        }
        b.critical(critical);
        if (alternatives != null) {
            b.alternatives(RequestOptions.alternativePorts(alternatives, null));
        }
        Allocation a = Launcher.create(manager()).define(b.build());
        printAllocation("defined", a);
        return 0;
    }
}
