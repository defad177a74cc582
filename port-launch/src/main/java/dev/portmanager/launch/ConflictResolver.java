package dev.portmanager.launch;

import dev.portmanager.Allocation;
import dev.portmanager.AuditReport;
import dev.portmanager.ConflictLevel;
import dev.portmanager.PortManager;
import dev.portmanager.PortManagerException;
import dev.portmanager.ProcessInfo;
import dev.portmanager.probe.ProcessControl;
import dev.portmanager.probe.Termination;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves the conflicts an audit found, with seed 003's strategies: {@link Strategy#DRY_RUN} only says what would
 * happen (the default), {@link Strategy#CONSERVATIVE} moves our service to a free port of its range
 * ({@link PortManager#reassign(Allocation)}, history {@code REASSIGNED}) and leaves the other process alone,
 * {@link Strategy#AGGRESSIVE} ends the other process through {@link ProcessControl}, with all its safety rules, and
 * {@link Strategy#INTELLIGENT} decides per conflict by its {@link ConflictLevel} ({@link #decide}): it ends the
 * service's own stale process (level low), and moves our service whenever the holder is anyone else (a foreign
 * process of this user, another user's, or a protected one), so it never touches another user's process.
 * {@link #preview} says what a strategy would do before anything happens.
 *
 * <pre>{@code
 * ConflictResolver resolver = ConflictResolver.create(pm, ProcessControl.create());
 * for (ConflictResolver.Resolution r : resolver.resolve(pm.audit(), ConflictResolver.Strategy.CONSERVATIVE)) {
 *     System.out.println(r);
 * }
 * }</pre>
 *
 * <p>Thread-safe as far as the manager and the control are.
 */
public final class ConflictResolver {
    /** How to resolve a conflict. */
    public enum Strategy {
        /** Say what each strategy would do; change nothing. */
        DRY_RUN,
        /** Move our service to a free port of its range; never touch the other process. */
        CONSERVATIVE,
        /** End the other process, gracefully then forcibly, under {@link ProcessControl}'s safety rules. */
        AGGRESSIVE,
        /** Per conflict, as {@link #decide} says: end our own stale process, else move our service. */
        INTELLIGENT
    }

    /** What the intelligent strategy does about one conflict. */
    public enum Decision {
        /** End the holder, the service's own stale process (level low); the service keeps its port. */
        END_STALE_PROCESS,
        /** Move our service (to its first free alternative, else a free port of its range); the holder is untouched. */
        MIGRATE_SERVICE
    }

    /**
     * What was done about one conflict.
     *
     * @param conflict the conflict
     * @param strategy the strategy applied
     * @param done     whether the conflict was resolved (never, for a dry run)
     * @param detail   what was done, or would be, or why it could not be
     * @param moved    the service's new allocation, after a conservative resolution
     */
    public record Resolution(AuditReport.Conflict conflict, Strategy strategy, boolean done, String detail,
                             Optional<Allocation> moved) {
        /** Checks the components. @throws NullPointerException if one is null */
        public Resolution {
            Objects.requireNonNull(conflict, "conflict == null");
            Objects.requireNonNull(strategy, "strategy == null");
            Objects.requireNonNull(detail, "detail == null");
            Objects.requireNonNull(moved, "moved == null");
        }

        @Override
        public String toString() {
            return conflict.message() + ": " + detail;
        }
    }

    private final PortManager pm;
    private final ProcessControl control;

    private ConflictResolver(PortManager pm, ProcessControl control) {
        this.pm = pm;
        this.control = control;
    }

    /**
     * A resolver over the manager, ending processes (aggressive strategy only) through the control.
     *
     * @throws NullPointerException if an argument is null
     */
    public static ConflictResolver create(PortManager pm, ProcessControl control) {
        return new ConflictResolver(Objects.requireNonNull(pm, "pm == null"),
                Objects.requireNonNull(control, "control == null"));
    }

    /** Resolves every conflict of the report with the strategy, in order; a failure is reported, never thrown. */
    public List<Resolution> resolve(AuditReport report, Strategy strategy) {
        List<Resolution> out = new ArrayList<>();
        for (AuditReport.Conflict c : report.conflicts()) {
            out.add(resolve(c, strategy));
        }
        return out;
    }

    /** Resolves one conflict with the strategy; a failure is reported in the resolution, never thrown. */
    public Resolution resolve(AuditReport.Conflict c, Strategy strategy) {
        Objects.requireNonNull(c, "conflict == null");
        Objects.requireNonNull(strategy, "strategy == null");
        Allocation a = c.allocation();
        String other = c.found().process().map(ProcessInfo::toString).orElse("the process this user cannot see");
        try {
            switch (strategy) {
                case CONSERVATIVE: {
                    Allocation moved = migrate(pm, a);
                    return new Resolution(c, strategy, true, "moved " + a.project() + "/" + a.service() + " from port "
                            + a.port() + " to " + destination(a, moved) + "; " + other + " keeps " + a.port(),
                            Optional.of(moved));
                }
                case INTELLIGENT: {
                    if (decide(c) == Decision.END_STALE_PROCESS) {
                        Termination t = control.terminate(c.found().process().orElseThrow().pid());
                        return new Resolution(c, strategy, true, t.detail() + ": the service's own stale process "
                                + "(level low); " + a.project() + "/" + a.service() + " keeps port " + a.port(),
                                Optional.empty());
                    }
                    Allocation moved = migrate(pm, a);
                    return new Resolution(c, strategy, true, "moved " + a.project() + "/" + a.service() + " from port "
                            + a.port() + " to " + destination(a, moved) + " (level " + level(c) + "); " + other
                            + " is left alone", Optional.of(moved));
                }
                case AGGRESSIVE: {
                    List<Termination> ended = control.terminatePort(a.port(), c.found().protocol());
                    StringBuilder b = new StringBuilder();
                    for (Termination t : ended) {
                        b.append(b.length() == 0 ? "" : "; ").append(t.detail());
                    }
                    return new Resolution(c, strategy, true, b.length() == 0 ? "nothing held port " + a.port()
                            + " any more" : b.toString(), Optional.empty());
                }
                default:
                    return new Resolution(c, strategy, false, "dry run: conservative would move " + a.project() + "/"
                            + a.service() + " to " + alternativesOf(a).map(l -> "its first free alternative of " + l
                            + ", else ").orElse("") + "another free port of " + a.range().map(r -> "range '" + r
                            + "'").orElse("the allowed ports") + "; aggressive would end " + other
                            + "; intelligent would " + (decide(c) == Decision.END_STALE_PROCESS ? "end it"
                            : "move the service") + " (level " + level(c) + "); nothing was changed",
                            Optional.empty());
            }
        } catch (PortManagerException e) {
            return new Resolution(c, strategy, false, "not resolved: " + e.getMessage(), Optional.empty());
        }
    }

    /**
     * What the intelligent strategy does about the conflict: {@link Decision#END_STALE_PROCESS} when its level is
     * {@link ConflictLevel#LOW} (the holder is the service's own stale process, which this user may signal), else
     * {@link Decision#MIGRATE_SERVICE}: a foreign holder of this user is not ours to end, and another user's or a
     * protected process is never touched. Changes nothing.
     *
     * @throws NullPointerException if the conflict is null
     */
    public static Decision decide(AuditReport.Conflict c) {
        return c.level() == ConflictLevel.LOW ? Decision.END_STALE_PROCESS : Decision.MIGRATE_SERVICE;
    }

    /**
     * What {@link #resolve(AuditReport.Conflict, Strategy)} would do with the strategy, without doing it: a resolution
     * that is not done, whose detail starts with {@code would}. The migration target is the first alternative free in
     * the registry, or "another free port"; the operating system is not asked. Changes nothing.
     *
     * @throws NullPointerException if an argument is null
     */
    public Resolution preview(AuditReport.Conflict c, Strategy strategy) {
        Objects.requireNonNull(c, "conflict == null");
        Objects.requireNonNull(strategy, "strategy == null");
        Allocation a = c.allocation();
        String other = c.found().process().map(ProcessInfo::toString).orElse("the process this user cannot see");
        String move = "would move " + a.project() + "/" + a.service() + " from port " + a.port() + " to "
                + alternativesOf(a).map(l -> "its first free alternative of " + l + ", else ").orElse("")
                + "another free port of " + a.range().map(r -> "range '" + r + "'").orElse("the allowed ports");
        String detail = switch (strategy) {
            case DRY_RUN -> resolve(c, Strategy.DRY_RUN).detail();
            case CONSERVATIVE -> move + "; " + other + " would keep port " + a.port();
            case AGGRESSIVE -> "would end " + other + "; " + a.project() + "/" + a.service() + " would keep port "
                    + a.port();
            case INTELLIGENT -> decide(c) == Decision.END_STALE_PROCESS
                    ? "would end " + other + ", the service's own stale process (level low); " + a.project() + "/"
                    + a.service() + " would keep port " + a.port()
                    : move + " (level " + level(c) + "); " + other + " would be left alone";
        };
        return new Resolution(c, strategy, false, "dry run: " + detail.replaceFirst("^dry run: ", ""),
                Optional.empty());
    }

    private static String level(AuditReport.Conflict c) {
        return c.level().name().toLowerCase(Locale.ROOT);
    }

    /**
     * Moves the service of {@code a} off its port: to the first of its definition's alternatives that the registry
     * and the operating system let it have, else to another free port of its range.
     */
    static Allocation migrate(PortManager pm, Allocation a) {
        for (int port : ServiceDefinition.of(a).map(ServiceDefinition::alternatives).orElse(List.of())) {
            if (port == a.port()) {
                continue;
            }
            try {
                return pm.reassign(a.project(), a.service(), port);
            } catch (PortManagerException | IllegalArgumentException e) {
                // Held by another service or process, or refused by the policy: try the next alternative.
            }
        }
        return pm.reassign(a);
    }

    /** "port 8001 (an alternative)" or "port 20010". */
    static String destination(Allocation from, Allocation moved) {
        boolean alternative = alternativesOf(from).map(l -> l.contains(moved.port())).orElse(false);
        return "port " + moved.port() + (alternative ? " (an alternative)" : "");
    }

    private static Optional<List<Integer>> alternativesOf(Allocation a) {
        return ServiceDefinition.of(a).map(ServiceDefinition::alternatives).filter(l -> !l.isEmpty());
    }
}
