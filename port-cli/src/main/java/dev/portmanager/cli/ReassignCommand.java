package dev.portmanager.cli;

import dev.portmanager.Allocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.Optional;

/** {@code portman reassign PROJECT SERVICE [PORT]}. */
@Command(name = "reassign", description = "Move a service to another free port of its range, or to exactly PORT.")
final class ReassignCommand extends PortmanCommand {
    @Parameters(index = "0", paramLabel = "PROJECT")
    String project;

    @Parameters(index = "1", paramLabel = "SERVICE")
    String service;

    @Parameters(index = "2", paramLabel = "PORT", arity = "0..1")
    Integer port;

    @Override
    public Integer call() {
        if (port != null) {
            Optional<Allocation> now = manager().find(project, service).filter(a -> a.port() == port);
            if (now.isPresent()) {
                // Already where it was asked to go: nothing to do, as releasing what is not allocated.
                printAllocation("nothing moved:", now.get());
                return 0;
            }
        }
        printAllocation("moved to", port == null ? manager().reassign(project, service)
                : manager().reassign(project, service, port));
        return 0;
    }
}
