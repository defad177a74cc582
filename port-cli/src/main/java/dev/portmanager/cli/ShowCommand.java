package dev.portmanager.cli;

import dev.portmanager.Allocation;
import dev.portmanager.wire.RegistryJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;

/** {@code portman show PORT | PROJECT SERVICE}. */
@Command(name = "show", description = "Show everything the registry knows of a port or a service's allocation.")
final class ShowCommand extends PortmanCommand {
    @Parameters(paramLabel = "PORT | PROJECT SERVICE", arity = "1..2")
    List<String> target;

    @Override
    public Integer call() {
        Allocation a = Target.of(target).require(manager());
        if (out().json()) {
            out().print(RegistryJson.allocation(a));
            return 0;
        }
        for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e : iterable(RegistryJson.allocation(a))) {
            String value = e.getValue().isNull() ? "-" : e.getValue().isValueNode() ? e.getValue().asText()
                    : e.getValue().toString();
            out().line(String.format("%-18s %s", e.getKey(), value));
        }
        return 0;
    }

    private static Iterable<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> iterable(
            com.fasterxml.jackson.databind.node.ObjectNode n) {
        return n::fields;
    }
}
