package dev.portmanager.cli;

import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.wire.RegistryJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code portman history [PORT]}. */
@Command(name = "history", description = "What happened in the registry, oldest first: the latest --limit entries.")
final class HistoryCommand extends PortmanCommand {
    @Parameters(paramLabel = "PORT", arity = "0..1")
    Integer port;

    @Option(names = "--project", paramLabel = "PROJECT")
    String project;

    @Option(names = "--service", paramLabel = "SERVICE")
    String service;

    @Option(names = "--action", paramLabel = "ACTION", converter = ActionConverter.class,
            description = "allocated, reserved, released, expired, reassigned, conflict_detected or updated")
    HistoryAction action;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "at most this many (default 50)")
    int limit = 50;

    @Override
    public Integer call() {
        HistoryQuery.Builder q = HistoryQuery.builder().limit(limit);
        if (port != null) {
            q.port(port);
        }
        if (project != null) {
            q.project(project);
        }
        if (service != null) {
            q.service(service);
        }
        if (action != null) {
            q.action(action);
        }
        if (root.host != null) {
            q.host(root.host);
        }
        List<HistoryEntry> entries = manager().history(q.build());
        if (out().json()) {
            out().print(RegistryJson.history(entries));
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (HistoryEntry e : entries) {
            rows.add(List.of(e.at().toString(), Views.lower(e.action()), e.port() + "/" + e.protocol(),
                    e.host(), e.project() + "/" + e.service(), e.by(), e.reason()));
        }
        out().table(List.of("AT", "ACTION", "PORT", "HOST", "SERVICE", "BY", "REASON"), rows);
        return 0;
    }

    /** Reads an action name. */
    static final class ActionConverter implements picocli.CommandLine.ITypeConverter<HistoryAction> {
        @Override
        public HistoryAction convert(String text) {
            return HistoryAction.parse(text);
        }
    }
}
