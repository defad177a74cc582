package dev.portmanager.cli;

import dev.portmanager.launch.Launcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code portman restart [PROJECT] [--services a,b]}. */
@Command(name = "restart", description = {"down, then up, of the same services.",
        "Exits 0 when all run again, 3 on a conflict, 1 when a service failed to start."})
final class RestartCommand extends PortmanCommand {
    @Mixin
    LaunchTarget target;

    @Mixin
    StartOptions start;

    @Override
    public Integer call() {
        Launcher launcher = start.apply(target.launcher(root)).build();
        return LaunchTarget.print(out(), launcher.restart(target.project(manager()), target.services));
    }
}
