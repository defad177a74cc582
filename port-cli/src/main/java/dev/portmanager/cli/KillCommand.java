package dev.portmanager.cli;

import dev.portmanager.Protocol;
import dev.portmanager.probe.ProcessControl;
import dev.portmanager.probe.Termination;
import dev.portmanager.wire.MachineJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;

/** {@code portman kill PORT | PROJECT SERVICE [--force] [--dry-run]}. */
@Command(name = "kill", description = {"End the process holding a port, or a service's port: SIGTERM, then SIGKILL "
        + "after the grace period.", "Refuses pid 1, portman itself and its parent, and other users' processes unless "
        + "--other-users; never matches processes by name."})
final class KillCommand extends PortmanCommand {
    @Parameters(paramLabel = "PORT | PROJECT SERVICE", arity = "1..2")
    List<String> target;

    @Option(names = "--force", description = "no grace period: SIGTERM, then SIGKILL at once if the process has not exited")
    boolean force;

    @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how long to wait after SIGTERM (default 10s)")
    Duration grace;

    @Option(names = "--dry-run", description = "say what would be ended; signal nothing")
    boolean dryRun;

    @Option(names = "--other-users", description = "allow ending another user's process (needs the privileges)")
    boolean otherUsers;

    @Override
    public Integer call() {
        Target t = Target.of(target);
        int port = t.port != null ? t.port : t.require(manager()).port();
        ProcessControl.Builder b = ProcessControl.builder().probe(root.probe());
        if (force || grace != null) {
            b.gracePeriod(force ? Duration.ZERO : grace);
        }
        if (dryRun) {
            b.dryRun();
        }
        if (otherUsers) {
            b.allowOtherUsers();
        }
        List<Termination> ended = b.build().terminatePort(port, Protocol.BOTH);
        if (out().json()) {
            out().print(MachineJson.terminations(ended));
        } else if (ended.isEmpty()) {
            out().line("nothing listens on port " + port);
        } else {
            ended.forEach(x -> out().line(x.detail()));
        }
        return 0;
    }
}
