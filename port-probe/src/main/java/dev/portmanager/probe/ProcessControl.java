package dev.portmanager.probe;

import dev.portmanager.Checks;
import dev.portmanager.ListeningSocket;
import dev.portmanager.PortManagerException;
import dev.portmanager.ProcessInfo;
import dev.portmanager.Protocol;
import dev.portmanager.probe.Termination.Outcome;
import dev.portmanager.probe.TerminationRefusedException.Reason;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Ends the process holding a port, or a process by pid: politely first (SIGTERM), then forcibly (SIGKILL) if it
 * still runs after a grace period. It is for the seeds' "kill by port" ({@code portman kill :8767}), made safe:
 * <ul>
 *   <li>it refuses pid 1, the JVM asking and every ancestor of it (its parent, the parent's parent, ...: a process
 *       that started it, even through a shell), and processes of another user unless
 *       {@link Builder#allowOtherUsers()} was given; a refusal throws {@link TerminationRefusedException} saying why,
 *       before any process is signalled;</li>
 *   <li>it refuses a port held by a process this user cannot see, since it could not check it;</li>
 *   <li>it targets a process only by pid or by the port it holds, never by a name pattern, and the JDK checks the
 *       start time of the process before signalling, so a pid reused meanwhile is not hit;</li>
 *   <li>{@link Builder#dryRun()} reports what would be done and signals nothing.</li>
 * </ul>
 *
 * <pre>{@code
 * ProcessControl control = ProcessControl.builder().gracePeriod(Duration.ofSeconds(5)).build();
 * for (Termination t : control.terminatePort(8767, Protocol.TCP)) {
 *     System.out.println(t.detail());   // python3 (pid 12345) ended 40 ms after SIGTERM
 * }
 * }</pre>
 *
 * <p>On Windows both steps are {@code TerminateProcess}: the JDK has no polite request there. Thread-safe; calls
 * block until the processes are gone or the grace period and the kill wait have passed.
 */
public final class ProcessControl {
    /** The grace period unless the builder is given one: as long as {@code docker stop} waits. */
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(10);
    static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 10;

    private final Duration grace;
    private final boolean allowOtherUsers;
    private final boolean dryRun;
    private final SystemProbe probe;
    private final ProcessReader processes;
    private final Signals signals;
    private final Guard guard;

    ProcessControl(Duration grace, boolean allowOtherUsers, boolean dryRun, SystemProbe probe, Signals signals) {
        this.grace = grace;
        this.allowOtherUsers = allowOtherUsers;
        this.dryRun = dryRun;
        this.probe = probe;
        this.processes = probe.processes();
        this.signals = signals;
        this.guard = new Guard(allowOtherUsers, processes);
    }

    /**
     * A control with the defaults: a grace period of 10 seconds, this user's processes only, for real.
     *
     * @return a new control
     */
    public static ProcessControl create() {
        return builder().build();
    }

    /**
     * A builder; each option may be set once.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Ends every process holding a socket on the port for the protocol ({@code BOTH}: TCP and UDP). Every owner is
     * checked before any is signalled: one refusal and nothing is sent to any of them.
     *
     * @return one termination per owning process, in port-listing order; empty when nothing is bound to the port
     * @throws IllegalArgumentException    if the port is outside 1-65535
     * @throws NullPointerException        if the protocol is null
     * @throws TerminationRefusedException if an owner is refused, or cannot be seen
     * @throws ProbeUnavailableException   if the socket table cannot be read
     * @throws PortManagerException        if the operating system refused a signal, or a process outlived SIGKILL
     */
    public List<Termination> terminatePort(int port, Protocol protocol) {
        Checks.port("port", port);
        Objects.requireNonNull(protocol, "protocol == null");
        Map<Long, ProcessInfo> owners = new LinkedHashMap<>();
        for (ListeningSocket s : probe.thorough(port, port, protocol)) {
            if (s.process().isEmpty()) {
                throw new TerminationRefusedException(Reason.OWNER_UNKNOWN, 0, "port " + port + "/" + s.protocol()
                        + " is held (" + s + ") by a process this user cannot see: another user's, or the kernel's; "
                        + "run as that user or as root to stop it, or stop it by its own means");
            }
            owners.putIfAbsent(s.process().get().pid(), s.process().get());
        }
        for (ProcessInfo owner : owners.values()) {
            guard.check(owner.pid(), owner.toString());
            guard.checkUser(owner);
        }
        List<Termination> done = new ArrayList<>();
        for (ProcessInfo owner : owners.values()) {
            Optional<ProcessHandle> handle = ProcessHandle.of(owner.pid());
            done.add(handle.isEmpty() || !sameProcess(handle.get(), owner) ? notRunning(owner.pid())
                    : act(handle.get(), owner));
        }
        return done;
    }

    /**
     * Ends one process.
     *
     * @return what was done; {@link Outcome#NOT_RUNNING} when no process with the pid runs
     * @throws IllegalArgumentException    if the pid is not positive
     * @throws TerminationRefusedException if the process is refused; nothing was sent
     * @throws PortManagerException        if the operating system refused a signal, or the process outlived SIGKILL
     */
    public Termination terminate(long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid " + pid + " is not a process id; pids are positive");
        }
        guard.check(pid, "pid " + pid);
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        Optional<ProcessInfo> info = handle.isPresent() ? processes.describe(pid) : Optional.empty();
        if (info.isEmpty()) {
            return notRunning(pid);
        }
        guard.checkUser(info.get());
        return act(handle.get(), info.get());
    }

    /** Whether the handle still names the process that was seen holding the port, not a successor with its pid. */
    private static boolean sameProcess(ProcessHandle handle, ProcessInfo seen) {
        if (seen.startedAt().isEmpty()) {
            return true;
        }
        Optional<java.time.Instant> started = handle.info().startInstant();
        return started.isEmpty() || started.get().equals(seen.startedAt().get());
    }

    private Termination act(ProcessHandle handle, ProcessInfo process) {
        long pid = process.pid();
        if (dryRun) {
            return new Termination(pid, Optional.of(process), Outcome.WOULD_TERMINATE, Duration.ZERO, "would send "
                    + signals.gentle() + " to " + process + ", then " + signals.forcible() + " if it still runs after "
                    + millis(grace));
        }
        long start = System.nanoTime();
        if (!signals.terminate(handle)) {
            if (!isRunning(handle)) {
                return notRunning(pid);
            }
            throw new PortManagerException("the operating system refused to deliver " + signals.gentle() + " to "
                    + process + "; run as its user or as root");
        }
        if (awaitExit(handle, grace)) {
            Duration took = since(start);
            return new Termination(pid, Optional.of(process), Outcome.TERMINATED, took, process + " ended "
                    + millis(took) + " after " + signals.gentle());
        }
        long killedAt = System.nanoTime();
        signals.kill(handle);
        if (awaitExit(handle, KILL_WAIT)) {
            return new Termination(pid, Optional.of(process), Outcome.KILLED, since(start), process
                    + " still ran " + millis(grace) + " after " + signals.gentle() + "; it ended "
                    + millis(since(killedAt)) + " after " + signals.forcible());
        }
        throw new PortManagerException(process + " still runs " + millis(KILL_WAIT) + " after " + signals.forcible()
                + ": it may be stuck in the kernel (uninterruptible I/O) or be a zombie its parent has not reaped; "
                + "look at its state with ps -o stat -p " + pid);
    }

    /**
     * Ends a process and every process it started, together, as a launcher stops a service of its own: the polite
     * signal to all, up to {@code grace} for all of them, then the forcible one to those left. The root passes the
     * guard's rules (never init, this JVM or an ancestor of it); as the caller started it, its user is not checked,
     * and a dry run does not apply.
     *
     * @throws TerminationRefusedException if the root is refused; nothing was sent
     * @throws PortManagerException        if one of them outlived the forcible signal, or the wait was interrupted
     */
    public void endTree(ProcessHandle root, Duration grace, String what) {
        guard.check(root.pid(), what);
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root);
        tree.forEach(signals::terminate);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle p : tree) {
            if (!awaitExit(p, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                signals.kill(p);
            }
        }
        for (ProcessHandle p : tree) {
            if (!awaitExit(p, KILL_WAIT)) {
                throw new PortManagerException("pid " + p.pid() + " of " + what + " still runs " + millis(KILL_WAIT)
                        + " after " + signals.forcible() + ": it may be stuck in the kernel (uninterruptible I/O); "
                        + "look at its state with ps -o stat -p " + p.pid());
            }
            reaped(p);
        }
    }

    /**
     * An ended process is gone once its parent (this JVM, or init for an orphan, which in some containers reaps only
     * every few seconds) has reaped it: wait for that, {@link #KILL_WAIT} at most, so that a caller that stops and then
     * looks finds nothing.
     */
    private static void reaped(ProcessHandle p) {
        try {
            p.onExit().get(KILL_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // ended all the same; its parent reaps it when it gets to it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean awaitExit(ProcessHandle handle, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (isRunning(handle)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PortManagerException("interrupted while waiting for pid " + handle.pid() + " to end", e);
            }
        }
        return true;
    }

    /** Alive by the JDK's account (which checks the start time) and, on Linux, not a zombie. */
    private boolean isRunning(ProcessHandle handle) {
        return handle.isAlive() && processes.isRunning(handle.pid());
    }

    private static Termination notRunning(long pid) {
        return new Termination(pid, Optional.empty(), Outcome.NOT_RUNNING, Duration.ZERO, "no process with pid "
                + pid + " runs; nothing was sent");
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static String millis(Duration d) {
        return Checks.describe(d);
    }

    /** {@code ProcessControl[grace 10 s, own user only]}. */
    @Override
    public String toString() {
        return "ProcessControl[grace " + millis(grace) + (allowOtherUsers ? ", any user" : ", own user only")
                + (dryRun ? ", dry run" : "") + "]";
    }

    /** Builds a {@link ProcessControl}. Each option may be set once. Not thread-safe; reusable after build. */
    public static final class Builder {
        private Duration grace;
        private boolean allowOtherUsers;
        private boolean dryRun;
        private SystemProbe probe;
        private Signals signals;

        private Builder() {
        }

        /**
         * How long a process may take to end after the polite signal before it is killed; zero kills at once after it.
         * 10 seconds by default.
         *
         * @return this builder
         * @throws NullPointerException     if the grace period is null
         * @throws IllegalArgumentException if it is negative
         * @throws IllegalStateException    if it was already set
         */
        public Builder gracePeriod(Duration grace) {
            Objects.requireNonNull(grace, "grace == null");
            once("gracePeriod", this.grace != null);
            if (grace.isNegative()) {
                throw new IllegalArgumentException("grace period " + grace + " is negative; give zero to kill right "
                        + "after the polite signal, or a positive duration such as Duration.ofSeconds(10)");
            }
            this.grace = grace;
            return this;
        }

        /**
         * Allows ending processes of other users (as root, or on Windows as an administrator). Off by default.
         *
         * @return this builder
         * @throws IllegalStateException if it was already given
         */
        public Builder allowOtherUsers() {
            once("allowOtherUsers", allowOtherUsers);
            allowOtherUsers = true;
            return this;
        }

        /**
         * Reports what would be done, with every refusal, and signals nothing.
         *
         * @return this builder
         * @throws IllegalStateException if it was already given
         */
        public Builder dryRun() {
            once("dryRun", dryRun);
            dryRun = true;
            return this;
        }

        /**
         * The probe that finds the owners of ports; a new {@link SystemProbe#create()} by default. Give the
         * application's shared probe to reuse what it has learnt.
         *
         * @return this builder
         * @throws NullPointerException  if the probe is null
         * @throws IllegalStateException if it was already set
         */
        public Builder probe(SystemProbe probe) {
            Objects.requireNonNull(probe, "probe == null");
            once("probe", this.probe != null);
            this.probe = probe;
            return this;
        }

        Builder signals(Signals signals) {
            this.signals = Objects.requireNonNull(signals, "signals == null");
            return this;
        }

        /**
         * The control. The builder may be used again.
         *
         * @return a new control
         */
        public ProcessControl build() {
            return new ProcessControl(grace != null ? grace : DEFAULT_GRACE_PERIOD, allowOtherUsers, dryRun,
                    probe != null ? probe : SystemProbe.create(), signals != null ? signals : new Signals());
        }

        private static void once(String option, boolean set) {
            if (set) {
                throw new IllegalStateException(option + " is already set on this builder; set each option once");
            }
        }
    }
}
