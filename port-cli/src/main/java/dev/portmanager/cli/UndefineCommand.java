package dev.portmanager.cli;

import dev.portmanager.launch.Launcher;
import dev.portmanager.wire.LaunchJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code portman undefine PROJECT SERVICE}. */
@Command(name = "undefine", description = {"Forget how to run a service; its port stays its own (release gives it up).",
        "Refused while the service runs: stop it first with down."})
final class UndefineCommand extends PortmanCommand {
    @Parameters(index = "0", paramLabel = "PROJECT")
    String project;

    @Parameters(index = "1", paramLabel = "SERVICE")
    String service;

    @Override
    public Integer call() {
        boolean had = Launcher.create(manager()).undefine(project, service);
        if (out().json()) {
            out().print(LaunchJson.undefined(project, service, had));
        } else {
            out().line(had ? "undefined " + project + "/" + service : project + "/" + service + " had no definition");
        }
        return 0;
    }
}
