package dev.portmanager;

import dev.portmanager.internal.LocalMachine;
import dev.portmanager.internal.MachineIdentity;

import java.time.Instant;
import java.util.Objects;

/**
 * The process that holds a lease: an allocation owned by a process is free again once that process is gone.
 * A process is named by its pid and start time (pids are reused; a pid with another start time is another process)
 * and by the machine it runs on, so a process that cannot be seen is never judged: one on another host, and (on
 * Linux) one of another machine with the same host name, of another boot, or of another PID namespace (a container
 * sharing the host's network and {@code /tmp}), where its pid names some other process. Such an owner counts as
 * alive, except one of an earlier boot of this machine (same machine id, started before this boot began).
 *
 * <p>Immutable and thread-safe.
 *
 * @param pid       the operating system's process id (in its own PID namespace), positive
 * @param startedAt when the process started; {@link Instant#EPOCH} when the platform cannot tell, in which case only
 *                  the pid is compared
 * @param machine   where the process runs: the host name, and on Linux what tells machines, boots and PID namespaces
 *                  apart, {@code build-7;machine=<machine id>;boot=<boot id>;pidns=<PID namespace inode>}; a host name
 *                  alone (as older versions wrote) is judged by pid on a host of that name
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
                LocalMachine.identity().toString());
    }

    /** {@code pid 4242 on build-7}, and {@code pid 7 on build-7 in PID namespace 4026532178} in a container's. */
    @Override
    public String toString() {
        MachineIdentity where = MachineIdentity.parse(machine);
        return "pid " + pid + " on " + where.host()
                + (where.inOwnPidNamespace() ? " in PID namespace " + where.pidNamespace() : "");
    }
}
