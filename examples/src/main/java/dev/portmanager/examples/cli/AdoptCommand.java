package dev.portmanager.examples.cli;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AuditReport;
import dev.portmanager.ListeningSocket;
import dev.portmanager.PortManagerException;
import dev.portmanager.ProcessInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code portman adopt}: register the services already listening in managed ranges. */
@Command(name = "adopt", description = {"Register the services already listening in the registry's ranges and not yet "
        + "allocated (the audit's orphans), as seed 001's migration does.", "Each becomes PROJECT/<command>-<port>, "
        + "with its pid and command recorded."})
final class AdoptCommand extends PortmanCommand {
    @Option(names = "--project", paramLabel = "PROJECT", description = "the project to register them under (default: "
            + "adopted)")
    String project = "adopted";

    @Option(names = "--dry-run", description = "say what would be registered; register nothing")
    boolean dryRun;

    @Override
    public Integer call() {
        List<Allocation> adopted = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        com.fasterxml.jackson.databind.node.ArrayNode wouldAdopt =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        int would = 0;
        for (AuditReport.Orphan o : manager().audit().orphans()) {
            ListeningSocket s = o.socket();
            String name = s.process().map(ProcessInfo::name).filter(n -> !n.isEmpty()).orElse("unknown");
            AllocationRequest.Builder b = AllocationRequest.builder(project, name + "-" + s.port()).port(s.port())
                    .alreadyListening().protocol(s.protocol()).range(o.range())
                    .description("adopted: " + s.process().map(ProcessInfo::commandLine).orElse("owner not visible"));
            s.process().ifPresent(p -> b.metadata("process_name", p.name()));
            if (dryRun) {
                would++;
                if (out().json()) {
                    wouldAdopt.add(Views.socket(s).put("host", manager().host()).put("project", project).put("service", name + "-" + s.port())
                            .put("range", o.range()).put("status", "would_adopt"));
                } else {
                    out().line("would adopt " + project + "/" + name + "-" + s.port() + " on " + s.port() + "/"
                            + s.protocol());
                }
                continue;
            }
            try {
                Allocation a = manager().allocate(b.build());
                if (s.process().isPresent()) {
                    a = manager().update(a.project(), a.service(), dev.portmanager.AllocationUpdate.builder()
                            .processId(s.process().get().pid()).build());
                }
                adopted.add(a);
            } catch (PortManagerException e) {
                failed.add(s + ": " + e.getMessage());
            }
        }
        if (dryRun && out().json()) {
            out().print(wouldAdopt);
        } else if (dryRun && would == 0) {
            out().line("nothing to adopt: every listener in the registry's ranges is allocated");
        }
        if (!dryRun) {
            if (out().json()) {
                out().print(Views.allocations(adopted));
            } else {
                adopted.forEach(a -> out().line("adopted " + a.describe()));
                failed.forEach(f -> out().line("not adopted: " + f));
                if (adopted.isEmpty() && failed.isEmpty()) {
                    out().line("nothing to adopt: every listener in the registry's ranges is allocated");
                }
            }
        }
        return failed.isEmpty() ? 0 : 1;
    }
}
