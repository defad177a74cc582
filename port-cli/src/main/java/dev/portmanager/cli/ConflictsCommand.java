package dev.portmanager.cli;

import dev.portmanager.AuditReport;
import dev.portmanager.ConflictLevel;
import dev.portmanager.wire.MachineJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;

/** {@code portman conflicts [--level LEVEL]}: allocated ports held by unexpected processes. */
@Command(name = "conflicts", description = {"List allocated ports held by a process other than the expected one, "
        + "with their level and what to do.", "Levels: low (the service's own stale process), medium (a foreign "
        + "process of this user), high (a process this user may not signal), critical (a foreign process on a service "
        + "marked critical).", "Exits 3 when there is one at --level or above."})
final class ConflictsCommand extends PortmanCommand {
    @Option(names = "--level", paramLabel = "LEVEL", converter = LevelConverter.class,
            description = "only conflicts at this level or above: none, low, medium, high, critical (default: none, "
                    + "all of them)")
    ConflictLevel level = ConflictLevel.NONE;

    @Override
    public Integer call() {
        AuditReport r = audit();
        List<AuditReport.Conflict> shown = r.conflictsAtLeast(level);
        if (out().json()) {
            out().print(MachineJson.conflicts(shown));
        } else if (shown.isEmpty()) {
            out().line(!r.sawSockets() ? "no conflicts seen (no socket table: owners unknown)"
                    : r.conflicts().isEmpty() ? "no conflicts"
                    : "no conflicts at level " + name(level) + " or above (" + r.conflicts().size() + " below)");
        } else {
            for (AuditReport.Conflict c : shown) {
                out().styled("@|red [" + name(c.level()) + "] " + Output.escape(c.message()) + "|@");
                out().line("  " + c.suggestion());
            }
        }
        return shown.isEmpty() ? 0 : Portman.FOUND_PROBLEMS;
    }

    private static String name(ConflictLevel level) {
        return level.name().toLowerCase(Locale.ROOT);
    }

    /** Reads none, low, medium, high, critical. */
    static final class LevelConverter implements picocli.CommandLine.ITypeConverter<ConflictLevel> {
        @Override
        public ConflictLevel convert(String text) {
            return ConflictLevel.parse(text);
        }
    }
}
