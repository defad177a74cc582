package dev.portmanager;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A process as the operating system describes it, for reports such as
 * {@code port 8767: expected uDOS/goblin, found python3 (pid 12345)}. Immutable and thread-safe.
 *
 * @param pid         the process id
 * @param name        the short command name, such as {@code python3}; empty when unknown
 * @param commandLine the full command line; empty when unknown
 * @param user        the owning user's name; empty when unknown
 * @param startedAt   when the process started; empty when unknown
 */
public record ProcessInfo(long pid, String name, String commandLine, String user, Optional<Instant> startedAt) {

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if the pid is not positive
     * @throws NullPointerException     if a component is null
     */
    public ProcessInfo {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid " + pid + " is not a process id; pids are positive");
        }
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(commandLine, "commandLine == null");
        Objects.requireNonNull(user, "user == null");
        Objects.requireNonNull(startedAt, "startedAt == null");
    }

    /** {@code python3 (pid 12345)}, or {@code pid 12345} when the name is unknown. */
    @Override
    public String toString() {
        return name.isEmpty() ? "pid " + pid : name + " (pid " + pid + ")";
    }
}
