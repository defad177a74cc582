package dev.portmanager.cli;

import dev.portmanager.launch.Launcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code portman down [PROJECT] [--services a,b] [--grace 10s]}. */
@Command(name = "down", description = {"Stop a project's services in reverse dependency order, each with the "
        + "processes it started: SIGTERM, then SIGKILL after the grace period.",
        "Only the process up started is stopped, never another that reused its pid. The ports stay the services' own."})
final class DownCommand extends PortmanCommand {
    @Mixin
    LaunchTarget target;

    @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how long to wait after SIGTERM (default 10s)")
    Duration grace;

    @Override
    public Integer call() {
        Launcher.Builder b = target.launcher(root);
        if (grace != null) {
            b.gracePeriod(grace);
        }
        return LaunchTarget.print(out(), b.build().down(target.project(manager()), target.services));
    }
}
