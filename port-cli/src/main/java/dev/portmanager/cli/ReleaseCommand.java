package dev.portmanager.cli;

import dev.portmanager.Protocol;
import dev.portmanager.wire.RegistryJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code portman release PORT | PROJECT SERVICE}. */
@Command(name = "release", description = {"Release a port, or a service's port.",
        "Releasing what is not allocated changes nothing and says so (exit 0)."})
final class ReleaseCommand extends PortmanCommand {
    @Parameters(paramLabel = "PORT | PROJECT SERVICE", arity = "1..2")
    List<String> target;

    @Option(names = {"-p", "--protocol"}, paramLabel = "PROTOCOL", converter = RequestOptions.ProtocolConverter.class,
            description = "with a PORT: only the allocation serving this protocol")
    Protocol protocol;

    @Override
    public Integer call() {
        Target t = Target.of(target);
        boolean released;
        if (t.port != null) {
            released = protocol == null ? manager().release(t.port) : manager().release(t.port, protocol);
        } else {
            released = manager().release(t.project, t.service);
        }
        if (out().json()) {
            out().print(RegistryJson.release(t.toString(), released));
        } else {
            out().line(released ? "released " + t : "nothing released: " + t + " is not allocated on "
                    + manager().host() + " (environment " + manager().environment() + ")");
        }
        return 0;
    }
}
