package dev.portmanager.cli;

import dev.portmanager.CheckReport;
import dev.portmanager.launch.ComposeFile;
import dev.portmanager.wire.MachineJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** {@code portman validate-compose FILE}. */
@Command(name = "validate-compose", description = {"Check the host ports a docker-compose file publishes: against "
        + "each other, the registry, and what listens now.", "Exits 3 when a port is taken."})
final class ValidateComposeCommand extends PortmanCommand {
    @Parameters(paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
        ComposeFile compose = ComposeFile.read(file);
        CheckReport report = compose.check(manager());
        if (out().json()) {
            out().print(MachineJson.plannedBindings(report));
        } else {
            for (CheckReport.Result r : report.results()) {
                String line = r.binding().service() + " " + Views.socket(r.binding().address(), r.binding().port())
                        + "/" + r.binding().protocol() + ": " + (r.verdict() == CheckReport.Verdict.OK ? "ok"
                        : Views.lower(r.verdict()).replace('_', ' ') + ", " + r.detail());
                out().styled(r.verdict() == CheckReport.Verdict.OK ? Output.escape(line)
                        : "@|red " + Output.escape(line) + "|@");
            }
            out().line(report.ok() ? "project " + compose.project() + ": every port is free"
                    : "project " + compose.project() + ": " + report.problems().size() + " port(s) taken");
        }
        return report.ok() ? 0 : Portman.FOUND_PROBLEMS;
    }
}
