package dev.portmanager.cli;

import dev.portmanager.Allocation;
import dev.portmanager.wire.RegistryJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code portman get PROJECT SERVICE}: the service's port, allocated on first use. */
@Command(name = "get", description = {"Print the port of a service, allocating one the first time (getOrAllocate).",
        "The same port on every call until it is released: PORT=$(portman get consilio api)."})
final class GetCommand extends PortmanCommand {
    @Mixin
    RequestOptions options = new RequestOptions();

    @Override
    public Integer call() {
        Allocation a = manager().getOrAllocate(options.request(null));
        if (out().json()) {
            out().print(RegistryJson.allocation(a));
        } else {
            out().line(String.valueOf(a.port()));
        }
        return 0;
    }
}
