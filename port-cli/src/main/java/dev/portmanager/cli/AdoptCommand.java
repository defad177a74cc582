package dev.portmanager.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.AuditReport;
import dev.portmanager.ListeningSocket;
import dev.portmanager.PortManagerException;
import dev.portmanager.ProcessInfo;
import dev.portmanager.wire.MachineJson;
import dev.portmanager.wire.RegistryJson;
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
        List<AuditReport.Orphan> orphans = audit().orphans();
        if (orphans.isEmpty() && !out().json()) {
            out().line("nothing to adopt: every listener in the registry's ranges is allocated");
            return 0;
        }
        if (dryRun) {
            ArrayNode would = JsonNodeFactory.instance.arrayNode();
            for (AuditReport.Orphan o : orphans) {
                ListeningSocket s = o.socket();
                if (out().json()) {
                    would.add(MachineJson.wouldAdopt(o, manager().host(), project, serviceFor(s)));
                } else {
                    out().line("would adopt " + project + "/" + serviceFor(s) + " on " + s.port() + "/" + s.protocol());
                }
            }
            if (out().json()) {
                out().print(would);
            }
            return 0;
        }
        List<Allocation> adopted = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (AuditReport.Orphan o : orphans) {
            ListeningSocket s = o.socket();
            AllocationRequest.Builder b = AllocationRequest.builder(project, serviceFor(s)).port(s.port())
                    .alreadyListening().protocol(s.protocol()).range(o.range())
                    .description("adopted: " + s.process().map(ProcessInfo::commandLine).orElse("owner not visible"));
            s.process().ifPresent(p -> b.metadata("process_name", p.name()));
            try {
                Allocation a = manager().allocate(b.build());
                if (s.process().isPresent()) {
                    a = manager().update(a.project(), a.service(), AllocationUpdate.builder()
                            .processId(s.process().get().pid()).build());
                }
                adopted.add(a);
            } catch (PortManagerException e) {
                failed.add(s + ": " + e.getMessage());
            }
        }
        if (out().json()) {
            out().print(RegistryJson.allocations(adopted));
        } else {
            adopted.forEach(a -> out().line("adopted " + a.describe()));
            failed.forEach(f -> out().line("not adopted: " + f));
        }
        return failed.isEmpty() ? 0 : 1;
    }

    /** The service an adopted listener is registered as: its command and port, such as python3-8000. */
    private static String serviceFor(ListeningSocket s) {
        return s.process().map(ProcessInfo::name).filter(n -> !n.isEmpty()).orElse("unknown") + "-" + s.port();
    }
}
