package dev.portmanager.probe;

import dev.portmanager.ProcessInfo;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ProcessControl} did to one process, or in a dry run would do. Immutable and thread-safe.
 *
 * @param pid     the process id acted on
 * @param process the process as it was seen before acting; empty when no process with the pid ran
 * @param outcome what happened
 * @param elapsed from the first signal until the process was gone; zero for a dry run or a process not running
 * @param detail  one sentence for a person, such as {@code python3 (pid 12345) ended 40 ms after SIGTERM}
 */
public record Termination(long pid, Optional<ProcessInfo> process, Outcome outcome, Duration elapsed, String detail) {

    /** What happened to the process. */
    public enum Outcome {
        /** Dry run: the process runs and would have been sent the polite signal; nothing was sent. */
        WOULD_TERMINATE,
        /** The process ended within the grace period after the polite signal (SIGTERM). */
        TERMINATED,
        /** The process outlived the grace period and was killed (SIGKILL). */
        KILLED,
        /** No process with the pid ran (or it ended before it was signalled); nothing was sent. */
        NOT_RUNNING
    }

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if the pid is not positive or the elapsed time is negative
     * @throws NullPointerException     if a component is null
     */
    public Termination {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid " + pid + " is not a process id; pids are positive");
        }
        Objects.requireNonNull(process, "process == null");
        Objects.requireNonNull(outcome, "outcome == null");
        Objects.requireNonNull(elapsed, "elapsed == null");
        if (elapsed.isNegative()) {
            throw new IllegalArgumentException("elapsed " + elapsed + " is negative");
        }
        Objects.requireNonNull(detail, "detail == null");
    }

    /** Whether the process is gone now because of this termination ({@link Outcome#TERMINATED} or {@code KILLED}). */
    public boolean ended() {
        return outcome == Outcome.TERMINATED || outcome == Outcome.KILLED;
    }

    /** The detail sentence. */
    @Override
    public String toString() {
        return detail;
    }
}
