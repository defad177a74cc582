package dev.portmanager.cli;

import dev.portmanager.AllocationUpdate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code portman update PROJECT SERVICE --description ... --meta k=v}. */
@Command(name = "update", description = "Change a service's description, metadata or health endpoint.")
final class UpdateCommand extends PortmanCommand {
    @Parameters(index = "0", paramLabel = "PROJECT")
    String project;

    @Parameters(index = "1", paramLabel = "SERVICE")
    String service;

    @Option(names = {"-d", "--description"}, paramLabel = "TEXT")
    String description;

    @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "set a metadata pair (repeatable)")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Option(names = "--unset-meta", paramLabel = "KEY", description = "remove a metadata key (repeatable)")
    List<String> unset = new ArrayList<>();

    @Option(names = "--health", paramLabel = "URL", description = "set the health endpoint")
    URI health;

    @Option(names = "--no-health", description = "remove the health endpoint")
    boolean noHealth;

    @Override
    public Integer call() {
        AllocationUpdate.Builder b = AllocationUpdate.builder();
        if (description != null) {
            b.description(description);
        }
        metadata.forEach(b::putMetadata);
        unset.forEach(b::removeMetadata);
        if (health != null && noHealth) {
            throw new IllegalArgumentException("--health and --no-health contradict each other; give one");
        }
        if (health != null || noHealth) {
            b.healthEndpoint(noHealth ? null : health);
        }
        AllocationUpdate update = b.build();
        if (update.isEmpty()) {
            throw new IllegalArgumentException("nothing to update: give --description, --meta, --unset-meta, --health "
                    + "or --no-health");
        }
        printAllocation("updated", manager().update(project, service, update));
        return 0;
    }
}
