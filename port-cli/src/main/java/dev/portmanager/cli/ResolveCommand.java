package dev.portmanager.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portmanager.AuditReport;
import dev.portmanager.ConflictLevel;
import dev.portmanager.launch.ConflictResolver;
import dev.portmanager.probe.ProcessControl;
import dev.portmanager.wire.MachineJson;
import dev.portmanager.wire.RegistryJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code portman resolve [--strategy S] [--dry-run] [--level L]}: resolves the audit's conflicts. */
@Command(name = "resolve", description = {"Resolve the conflicts of the audit with a strategy, or with --dry-run say "
        + "what it would do and change nothing.", "intelligent: end the service's own stale process (level low), "
        + "else move our service to its first free alternative or a free port of its range; another user's process "
        + "is never touched.", "Exits 3 when a conflict is left unresolved (always, with --dry-run and a conflict)."})
final class ResolveCommand extends PortmanCommand {
    @Option(names = "--strategy", paramLabel = "STRATEGY", converter = StartOptions.StrategyConverter.class,
            description = "conservative, aggressive, intelligent (default), or dry-run")
    ConflictResolver.Strategy strategy = ConflictResolver.Strategy.INTELLIGENT;

    @Option(names = "--dry-run", description = "say what the strategy would do about each conflict; change nothing")
    boolean dryRun;

    @Option(names = "--level", paramLabel = "LEVEL", converter = ConflictsCommand.LevelConverter.class,
            description = "only conflicts at this level or above (default: none, all of them)")
    ConflictLevel level = ConflictLevel.NONE;

    @Override
    public Integer call() {
        AuditReport r = audit();
        ConflictResolver resolver = ConflictResolver.create(manager(),
                ProcessControl.builder().probe(root.probe()).build());
        List<ConflictResolver.Resolution> done = new ArrayList<>();
        for (AuditReport.Conflict c : r.conflictsAtLeast(level)) {
            done.add(dryRun ? resolver.preview(c, strategy) : resolver.resolve(c, strategy));
        }
        if (out().json()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (ConflictResolver.Resolution x : done) {
                ObjectNode o = array.addObject();
                o.set("conflict", MachineJson.conflict(x.conflict()));
                o.put("strategy", x.strategy().name().toLowerCase(Locale.ROOT).replace('_', '-'));
                o.put("done", x.done());
                o.put("detail", x.detail());
                o.set("moved", x.moved().map(a -> (JsonNode) RegistryJson.allocation(a))
                        .orElse(JsonNodeFactory.instance.nullNode()));
            }
            out().print(array);
        } else if (done.isEmpty()) {
            out().line(r.sawSockets() ? "no conflicts to resolve"
                    : "no conflicts seen (no socket table: owners unknown)");
        } else {
            for (ConflictResolver.Resolution x : done) {
                out().line("[" + x.conflict().level().name().toLowerCase(Locale.ROOT) + "] "
                        + Output.escape(x.conflict().message()) + ": " + Output.escape(x.detail()));
            }
        }
        return done.stream().allMatch(ConflictResolver.Resolution::done) ? 0 : Portman.FOUND_PROBLEMS;
    }
}
