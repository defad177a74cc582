package dev.portmanager;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How serious a conflict is (seed 003's none, low, medium, high, critical), ordered from least to most. The audit
 * gives each {@link AuditReport.Conflict} a level by one rule, the first that applies:
 *
 * <ol>
 *   <li>{@link #LOW}: the holder is the service's own stale process: it runs as this user, and its command line
 *       matches the allocation's {@value #PROCESS_PATTERN} metadata (a regular expression, seed 003's
 *       {@code process_patterns}), but it is not the process the allocation records. Ending it frees the port for
 *       the service.</li>
 *   <li>{@link #CRITICAL}: the service is marked critical (metadata {@value #CRITICAL_KEY} = {@code true}) and a
 *       foreign process holds its port.</li>
 *   <li>{@link #HIGH}: the holder is a process this user may not signal: another user's (or one whose user is
 *       unknown), init (pid 1), this very process or one of its ancestors.</li>
 *   <li>{@link #MEDIUM}: any other holder: a foreign process of this user.</li>
 * </ol>
 *
 * <p>{@link #NONE} is the level of no conflict; as a filter ({@code portman conflicts --level none}) it keeps every
 * conflict. Thread-safe.
 */
public enum ConflictLevel {
    /** No conflict. */
    NONE,
    /** The service's own stale process holds its port. */
    LOW,
    /** A foreign process of this user holds the port. */
    MEDIUM,
    /** A process this user may not signal holds the port. */
    HIGH,
    /** A foreign process holds a critical service's port. */
    CRITICAL;

    /** The metadata key that marks a service critical when its value is {@code true}. */
    public static final String CRITICAL_KEY = "critical";

    /** The metadata key holding a regular expression that matches the command lines of the service's own processes. */
    public static final String PROCESS_PATTERN = "process_pattern";

    /**
     * Parses {@code none}, {@code low}, {@code medium}, {@code high} or {@code critical}, in any case.
     *
     * @throws IllegalArgumentException if the text names none of them
     * @throws NullPointerException     if the text is null
     */
    public static ConflictLevel parse(String text) {
        return Checks.parseEnum(ConflictLevel.class, "conflict level", text);
    }

    /** Whether this level is {@code other} or more serious. */
    public boolean atLeast(ConflictLevel other) {
        return compareTo(other) >= 0;
    }

    /**
     * The level of the conflict of {@code holder} on the port of {@code a}, by the rule above.
     *
     * @throws NullPointerException if an argument is null
     */
    public static ConflictLevel of(Allocation a, ProcessInfo holder) {
        boolean mine = isMine(holder);
        if (mine && isOwnProcess(a, holder)) {
            return LOW;
        }
        if (isCritical(a)) {
            return CRITICAL;
        }
        return mine ? MEDIUM : HIGH;
    }

    /**
     * Whether this user may signal the process: it runs as this user, and it is not init, this process or one of its
     * ancestors.
     *
     * @throws NullPointerException if the process is null
     */
    public static boolean isMine(ProcessInfo p) {
        if (p.user().isEmpty() || !p.user().equals(CurrentUser.NAME) || p.pid() == 1) {
            return false;
        }
        for (ProcessHandle h = ProcessHandle.current(); h != null; h = h.parent().orElse(null)) {
            if (h.pid() == p.pid()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the process's command line (its name when the command line is unknown) matches the allocation's
     * {@value #PROCESS_PATTERN}; false when it has none or it is not a valid regular expression.
     *
     * @throws NullPointerException if an argument is null
     */
    public static boolean isOwnProcess(Allocation a, ProcessInfo p) {
        String regex = a.metadata().get(PROCESS_PATTERN);
        if (regex == null || regex.isBlank()) {
            return false;
        }
        try {
            return Pattern.compile(regex).matcher(p.commandLine().isEmpty() ? p.name() : p.commandLine()).find();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    /** This process's user, as the probe names the users of processes; computed once. */
    private static final class CurrentUser {
        static final String NAME = ProcessHandle.current().info().user().orElse(System.getProperty("user.name", ""));
    }

    /** Whether the allocation is marked critical ({@value #CRITICAL_KEY} metadata {@code true}, in any case). */
    public static boolean isCritical(Allocation a) {
        return "true".equalsIgnoreCase(a.metadata().getOrDefault(CRITICAL_KEY, "").strip());
    }
}
