package dev.portmanager.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portmanager.Allocation;
import dev.portmanager.ListeningSocket;
import dev.portmanager.Protocol;
import dev.portmanager.wire.MachineJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Optional;

/** {@code portman check PORT...}: who holds each port, in the registry and on the machine. */
@Command(name = "check", description = "Say who holds each port: its allocation in the registry, and the process "
        + "listening on it now.")
final class CheckCommand extends PortmanCommand {
    @Parameters(paramLabel = "PORT", arity = "1..*")
    List<Integer> ports;

    @Override
    public Integer call() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (int port : ports) {
            Optional<Allocation> allocation = manager().find(port);
            Optional<ListeningSocket> socket = root.probe().owner(port, Protocol.BOTH);
            if (out().json()) {
                array.add(MachineJson.portHolder(port, allocation, socket));
            } else {
                String registry = allocation.map(a -> "allocated to " + a.project() + "/" + a.service() + " ("
                        + a.protocol() + ", " + a.environment() + ")").orElse("not allocated");
                String live = socket.map(s -> s.process().map(p -> "held by " + p)
                        .orElse("held by a process this user cannot see")).orElse("nothing listens");
                out().line(port + ": " + registry + "; " + live);
            }
        }
        if (out().json()) {
            out().print(array);
        }
        return 0;
    }
}
