package dev.portmanager.examples.cli;

import dev.portmanager.probe.ConflictResolver;
import dev.portmanager.probe.Launcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code portman restart [PROJECT] [--services a,b]}. */
@Command(name = "restart", description = {"down, then up, of the same services.",
        "Exits 0 when all run again, 3 on a conflict, 1 when a service failed to start."})
final class RestartCommand extends PortmanCommand {
    @Mixin
    LaunchTarget target;

    @Option(names = "--strategy", paramLabel = "STRATEGY", converter = UpCommand.StrategyConverter.class,
            description = "for a port held by another process: dry-run (default), conservative or aggressive")
    ConflictResolver.Strategy strategy = ConflictResolver.Strategy.DRY_RUN;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how long each service may take to become healthy (default 30s)")
    Duration timeout;

    @Override
    public Integer call() {
        Launcher.Builder b = target.launcher(root).strategy(strategy);
        if (timeout != null) {
            b.startTimeout(timeout);
        }
        return LaunchTarget.print(out(), b.build().restart(target.project(manager()), target.services));
    }
}
