package dev.portmanager.cli;

import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationStatus;
import dev.portmanager.Protocol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portman list [--project P] [--range R]}. */
@Command(name = "list", description = {"List live allocations.", "With --host or --env, only those of that host or "
        + "environment."})
final class ListCommand extends PortmanCommand {
    @Option(names = "--project", paramLabel = "PROJECT")
    String project;

    @Option(names = "--service", paramLabel = "SERVICE")
    String service;

    @Option(names = {"-r", "--range"}, paramLabel = "RANGE")
    String range;

    @Option(names = "--status", paramLabel = "STATUS", description = "active or reserved",
            converter = StatusConverter.class)
    AllocationStatus status;

    @Option(names = {"-p", "--protocol"}, paramLabel = "PROTOCOL", converter = RequestOptions.ProtocolConverter.class)
    Protocol protocol;

    @Override
    public Integer call() {
        AllocationQuery.Builder q = AllocationQuery.builder();
        if (project != null) {
            q.project(project);
        }
        if (service != null) {
            q.service(service);
        }
        if (range != null) {
            manager().summary(range); // an unknown range is refused as get refuses it, not listed as empty
            q.range(range);
        }
        if (status != null) {
            q.status(status);
        }
        if (protocol != null) {
            q.protocol(protocol);
        }
        if (root.host != null) {
            q.host(root.host);
        }
        if (root.environment != null) {
            q.environment(root.environment);
        }
        printAllocations(manager().list(q.build()));
        return 0;
    }

    /** Reads active, reserved. */
    static final class StatusConverter implements picocli.CommandLine.ITypeConverter<AllocationStatus> {
        @Override
        public AllocationStatus convert(String text) {
            return AllocationStatus.parse(text);
        }
    }
}
