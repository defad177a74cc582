package dev.portmanager.cli;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
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
        } else if (released) {
            out().line("released " + t);
        } else {
            out().line("nothing released: " + (protocol == null ? t : t + "/" + protocol) + " is not allocated on "
                    + manager().host() + " (environment " + manager().environment() + ")" + otherProtocols(t));
        }
        return 0;
    }

    /** When a port was named with a protocol it is not allocated for: what it is allocated for, and how to free it. */
    private String otherProtocols(Target t) {
        if (t.port == null || protocol == null) {
            return "";
        }
        List<Allocation> held = manager().list(AllocationQuery.builder().host(manager().host()).port(t.port).build());
        if (held.isEmpty()) {
            return "";
        }
        Allocation a = held.get(0);
        return "; it is allocated for " + a.protocol() + " to " + a.project() + "/" + a.service()
                + ": release it with -p " + Views.lower(a.protocol()) + ", or without -p";
    }
}
