package dev.portmanager.examples.cli;

import dev.portmanager.Allocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code portman get PROJECT SERVICE}: the service's port, allocated on first use. */
@Command(name = "get", description = {"Print the port of a service, allocating one the first time (getOrAllocate).",
        "The same port on every call until it is released: PORT=$(portman get consilio api)."})
final class GetCommand extends PortmanCommand {
    @Parameters(index = "0", paramLabel = "PROJECT")
    String project;

    @Parameters(index = "1", paramLabel = "SERVICE")
    String service;

    @Mixin
    RequestOptions options = new RequestOptions();

    @Override
    public Integer call() {
        Allocation a = manager().getOrAllocate(options.request(project, service, null));
        if (out().json()) {
            out().print(Views.allocation(a));
        } else {
            out().line(String.valueOf(a.port()));
        }
        return 0;
    }
}
