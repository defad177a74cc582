package dev.portmanager;

import dev.portmanager.internal.LocalMachine;

import java.time.Instant;
import java.util.Objects;

/**
 * The process that holds a lease: an allocation owned by a process is free again once that process is gone.
 * A process is named by its pid and start time (pids are reused; a pid with another start time is another process)
 * and by the machine it runs on, so a registry shared by many hosts never judges a process it cannot see.
 *
 * <p>Immutable and thread-safe.
 *
 * @param pid       the operating system's process id, positive
 * @param startedAt when the process started; {@link Instant#EPOCH} when the platform cannot tell, in which case only
 *                  the pid is compared
 * @param machine   the name of the machine the process runs on (its host name)
 */
public record ProcessOwner(long pid, Instant startedAt, String machine) {

    /**
     * Checks every component.
     *
     * @throws IllegalArgumentException if the pid is not positive or the machine name is invalid
     * @throws NullPointerException     if startedAt or machine is null
     */
    public ProcessOwner {
        if (pid <= 0) {
            throw new IllegalArgumentException("owner pid " + pid + " is not a process id; pids are positive");
        }
        Objects.requireNonNull(startedAt, "startedAt == null");
        Checks.name("owner machine", machine);
    }

    /**
     * This JVM's process on this machine.
     *
     * @return the owner for the current process; the same value on every call
     */
    public static ProcessOwner current() {
        return LocalMachine.currentOwner();
    }

    /**
     * The owner for a process of this machine.
     *
     * @throws NullPointerException if {@code process} is null
     */
    public static ProcessOwner of(ProcessHandle process) {
        Objects.requireNonNull(process, "process == null");
        return new ProcessOwner(process.pid(), process.info().startInstant().orElse(Instant.EPOCH),
                LocalMachine.name());
    }

    /** {@code pid 4242 on build-7}. */
    @Override
    public String toString() {
        return "pid " + pid + " on " + machine;
    }
}
