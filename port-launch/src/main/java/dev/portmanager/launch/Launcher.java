package dev.portmanager.launch;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.ConflictLevel;
import dev.portmanager.EnvExport;
import dev.portmanager.HealthCheck;
import dev.portmanager.HealthResult;
import dev.portmanager.HealthStatus;
import dev.portmanager.PortManager;
import dev.portmanager.PortManagerException;
import dev.portmanager.Protocol;
import dev.portmanager.ResourceUsage;
import dev.portmanager.probe.ProcessControl;
import dev.portmanager.probe.SystemProbe;
import dev.portmanager.spi.PortProbe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Starts and stops a project's services on their allocated ports, as seeds 002 and 003 launch whole stacks: every
 * service's port is allocated (or its own reused) and checked free before anything starts; services start in
 * dependency order, each waiting for its health check before its dependents start; a failed start stops what was
 * started with it, and says why; {@link #down} stops in reverse order, gracefully then forcibly.
 *
 * <pre>{@code
 * Launcher launcher = Launcher.create(pm);
 * launcher.define(ServiceDefinition.builder("shop", "db").command("postgres -p ${port} -D data").build());
 * launcher.define(ServiceDefinition.builder("shop", "api").command("java -jar api.jar")
 *         .healthEndpoint("http://localhost:${port}/health").dependsOn("db").build());
 * LaunchReport up = launcher.up("shop", List.of());     // db, then api once db answers
 * launcher.down("shop", List.of());                     // api, then db
 * }</pre>
 *
 * <p>A service gets its port as {@code ${port}} in its command, and as the environment variables {@code PORT} and
 * {@code <SERVICE>_PORT}; the port of each service it depends on comes as {@code <DEPENDENCY>_PORT}. Its output goes to {@code <logs>/<project>/<service>.log}. Definitions and the started
 * process (pid and start time) are kept in the registry, so another process, such as a later {@code portman down},
 * finds and stops exactly that process (and its children), never a process that reused its pid. On Linux each service
 * starts in a session of its own ({@code setsid}), so a Ctrl-C meant for the program that launched it (such as
 * {@code portman up --watch}) does not reach it: it is stopped by {@link #down}, in order. Thread-safe; one
 * project's {@code up} and {@code down} should not run at once.
 */
public final class Launcher {
    static final String STARTED_AT = ServiceDefinition.PREFIX + "started_at";
    private static final Duration POLL = Duration.ofMillis(100);
    /**
     * {@code setsid} where the system has it (Linux): it runs a service in a new session and process group. A process
     * Java starts is never a process group leader, so {@code setsid} replaces itself with the service (same pid)
     * rather than forking.
     */
    private static final Optional<String> SETSID = System.getProperty("os.name", "").startsWith("Linux")
            ? java.util.stream.Stream.of("/usr/bin/setsid", "/bin/setsid").filter(f -> Files.isExecutable(Path.of(f)))
                    .findFirst()
            : Optional.empty();

    private final PortManager pm;
    private final PortProbe probe;
    private final ProcessControl control;
    private final Path logs;
    private final Duration startTimeout;
    private final Duration grace;
    private final ConflictResolver.Strategy strategy;

    private Launcher(Builder b) {
        this.pm = b.pm;
        this.probe = b.probe != null ? b.probe : SystemProbe.create();
        this.control = b.control != null ? b.control : ProcessControl.create();
        this.logs = b.logs != null ? b.logs
                : Path.of(System.getProperty("user.home"), ".portmanager", "logs");
        this.startTimeout = b.startTimeout != null ? b.startTimeout : Duration.ofSeconds(30);
        this.grace = b.grace != null ? b.grace : Duration.ofSeconds(10);
        this.strategy = b.strategy != null ? b.strategy : ConflictResolver.Strategy.DRY_RUN;
    }

    /** A launcher with the defaults: logs under {@code ~/.portmanager/logs}, 30 s to become healthy, dry run. */
    public static Launcher create(PortManager pm) {
        return builder(pm).build();
    }

    /** A builder. @throws NullPointerException if the manager is null */
    public static Builder builder(PortManager pm) {
        return new Builder(Objects.requireNonNull(pm, "pm == null"));
    }

    /**
     * Keeps a definition in the registry: the service's port is allocated (or its own reused) and the definition
     * stored with it, replacing an earlier one. Nothing is started.
     *
     * @return the service's allocation
     * @throws NullPointerException             if the definition is null
     * @throws dev.portmanager.NoFreePortException if the service has no port and its range is full
     * @throws PortManagerException         if the store fails
     */
    public Allocation define(ServiceDefinition def) {
        Objects.requireNonNull(def, "def == null");
        AllocationRequest.Builder r = AllocationRequest.builder(def.project(), def.service());
        def.range().ifPresent(r::range);
        if (!def.alternatives().isEmpty()) {
            r.alternatives(def.alternatives().stream().mapToInt(Integer::intValue).toArray());
        }
        Allocation a = pm.getOrAllocate(r.build());
        Map<String, String> meta = def.metadata();
        AllocationUpdate.Builder u = AllocationUpdate.builder();
        for (String key : a.metadata().keySet()) {
            if ((key.startsWith(ServiceDefinition.PREFIX) || key.equals(ConflictLevel.CRITICAL_KEY))
                    && !meta.containsKey(key) && !key.equals(STARTED_AT)) {
                u.removeMetadata(key);
            }
        }
        meta.forEach(u::putMetadata);
        u.healthEndpoint(def.healthEndpoint(a.port()).orElse(null));
        return pm.update(def.project(), def.service(), u.build());
    }

    /**
     * Removes the service's definition from the registry; its port stays allocated ({@code release} gives it up).
     *
     * @return whether there was a definition
     * @throws IllegalStateException    if the service's process is running; stop it first with {@link #down}
     * @throws IllegalArgumentException if a name is invalid
     * @throws PortManagerException     if the store fails
     */
    public boolean undefine(String project, String service) {
        Optional<Allocation> a = pm.find(project, service);
        if (a.isEmpty() || ServiceDefinition.of(a.get()).isEmpty()) {
            return false;
        }
        Optional<ProcessHandle> p = running(a.get());
        if (p.isPresent()) {
            throw new IllegalStateException(project + "/" + service + " is running (pid " + p.get().pid() + "); stop "
                    + "it first: portman down " + project + " --services " + service);
        }
        AllocationUpdate.Builder u = AllocationUpdate.builder().healthEndpoint(null);
        a.get().metadata().keySet().stream().filter(k -> k.startsWith(ServiceDefinition.PREFIX))
                .forEach(u::removeMetadata);
        pm.update(project, service, u.build());
        return true;
    }

    /**
     * The project's defined services on the manager's host and environment, by name.
     *
     * @throws IllegalArgumentException if the project name is invalid
     * @throws PortManagerException     if the store fails
     */
    public Map<String, ServiceDefinition> definitions(String project) {
        Map<String, ServiceDefinition> defs = new TreeMap<>();
        for (Allocation a : pm.list(AllocationQuery.builder().project(project).host(pm.host())
                .environment(pm.environment()).build())) {
            ServiceDefinition.of(a).ifPresent(d -> defs.put(d.service(), d));
        }
        return defs;
    }

    /**
     * Starts the services (all defined ones of the project when {@code services} is empty) and those they depend on.
     * Every port is checked first; a port held by another process is resolved by the launcher's strategy (dry run:
     * reported, and nothing starts).
     *
     * @return what was done, service by service; {@link LaunchReport#ok()} is false after a conflict or a failure
     * @throws IllegalArgumentException if a service is not defined, or the dependencies form a cycle (named)
     * @throws PortManagerException     if the store fails
     */
    public LaunchReport up(String project, Collection<String> services) {
        Map<String, ServiceDefinition> defs = definitions(project);
        List<LaunchReport.Step> steps = new ArrayList<>();
        Map<String, String> notes = new LinkedHashMap<>();
        Map<String, Allocation> ready = prepare(project, defs, services, steps, notes, true);
        if (ready == null) {
            return new LaunchReport(steps);
        }
        List<Allocation> started = new ArrayList<>();
        for (Map.Entry<String, Allocation> e : ready.entrySet()) {
            try {
                Allocation a = start(defs.get(e.getKey()), e.getValue());
                started.add(a);
                String note = notes.get(e.getKey());
                steps.add(step(a, LaunchReport.Outcome.STARTED, note == null ? "healthy" : "healthy, " + note));
            } catch (LaunchFailure f) {
                steps.add(new LaunchReport.Step(e.getKey(), e.getValue().port(), f.pid, LaunchReport.Outcome.FAILED,
                        f.getMessage()));
                Collections.reverse(started);
                for (Allocation a : started) {
                    stop(a);
                    steps.add(step(a, LaunchReport.Outcome.ROLLED_BACK, "stopped because " + e.getKey() + " failed"));
                }
                return new LaunchReport(steps);
            }
        }
        return new LaunchReport(steps);
    }

    /**
     * What {@link #up} would do, without doing it: each service in start order, {@code READY} when its port is free,
     * {@code ALREADY_RUNNING}, or {@code CONFLICT} naming the process that holds its port. Nothing is started, moved
     * or ended.
     *
     * @throws IllegalArgumentException if a service is not defined, or the dependencies form a cycle (named)
     * @throws PortManagerException     if the store fails
     */
    public LaunchReport check(String project, Collection<String> services) {
        Map<String, ServiceDefinition> defs = definitions(project);
        List<LaunchReport.Step> steps = new ArrayList<>();
        prepare(project, defs, services, steps, new LinkedHashMap<>(), false);
        return new LaunchReport(steps);
    }

    /**
     * The services to start, in order, with their ports checked; null after a conflict left unresolved. Conflicts are
     * resolved by the strategy only when {@code act}. When nothing will start (a conflict, or not {@code act}), every
     * service's state is reported in {@code steps} in start order, free ports as {@code READY}; else only services
     * already running are.
     */
    private Map<String, Allocation> prepare(String project, Map<String, ServiceDefinition> defs,
                                            Collection<String> services, List<LaunchReport.Step> steps,
                                            Map<String, String> notes, boolean act) {
        List<String> order = DependencyOrder.of(defs, services.isEmpty() ? defs.keySet() : services);
        Map<String, Allocation> ready = new LinkedHashMap<>();
        List<LaunchReport.Step> planned = new ArrayList<>();
        boolean conflict = false;
        for (String s : order) {
            Allocation a = pm.find(project, s).orElseGet(() -> define(defs.get(s)));
            if (running(a).isPresent()) {
                planned.add(step(a, LaunchReport.Outcome.ALREADY_RUNNING, "its process is running"));
                continue;
            }
            if (held(a)) {
                Optional<Allocation> resolved = resolve(a, planned, notes, act ? strategy
                        : ConflictResolver.Strategy.DRY_RUN);
                if (resolved.isEmpty()) {
                    conflict = true;
                    continue;
                }
                a = resolved.get();
            }
            planned.add(step(a, LaunchReport.Outcome.READY, "port " + a.port() + " is free"));
            ready.put(s, a);
        }
        if (act && !conflict) {
            planned.stream().filter(p -> p.outcome() != LaunchReport.Outcome.READY).forEach(steps::add);
            return ready;
        }
        for (LaunchReport.Step p : planned) {
            steps.add(p.outcome() == LaunchReport.Outcome.READY && act ? new LaunchReport.Step(p.service(), p.port(),
                    p.pid(), p.outcome(), p.detail() + "; not started because of the conflict") : p);
        }
        return conflict ? null : ready;
    }

    /**
     * Stops the services (all defined ones when empty) in reverse dependency order, each with its child processes:
     * SIGTERM, then SIGKILL after the grace period. Only the process the launcher started is stopped, never one that
     * reused its pid.
     *
     * @throws IllegalArgumentException if a service is not defined (a dependency cycle is no obstacle)
     * @throws PortManagerException     if the store fails, the recorded pid is init or this JVM, or a process
     *                                  outlives SIGKILL
     */
    public LaunchReport down(String project, Collection<String> services) {
        Map<String, ServiceDefinition> defs = definitions(project);
        requireDefined(defs, services, project);
        Collection<String> wanted = services.isEmpty() ? defs.keySet() : services;
        List<String> order = new ArrayList<>(DependencyOrder.lenient(defs, wanted));
        order.retainAll(wanted);
        Collections.reverse(order);
        List<LaunchReport.Step> steps = new ArrayList<>();
        for (String s : order) {
            Optional<Allocation> a = pm.find(project, s);
            if (a.isEmpty()) {
                continue;
            }
            boolean stopped = stop(a.get());
            steps.add(step(a.get(), stopped ? LaunchReport.Outcome.STOPPED : LaunchReport.Outcome.NOT_RUNNING,
                    stopped ? "" : "no process of its was running"));
        }
        return new LaunchReport(steps);
    }

    /**
     * {@link #down}, then {@link #up}, of the same services.
     *
     * @throws IllegalArgumentException if a service is not defined, or the dependencies form a cycle
     * @throws PortManagerException     if the store fails
     */
    public LaunchReport restart(String project, Collection<String> services) {
        List<LaunchReport.Step> steps = new ArrayList<>(down(project, services).services());
        steps.addAll(up(project, services).services());
        return new LaunchReport(steps);
    }

    /**
     * Each defined service, by name: its port, its process if running, and its health (checked now, 2 s at most
     * each).
     *
     * @throws PortManagerException if the store fails
     */
    public List<ServiceStatus> status(String project) {
        return status(project, List.of());
    }

    /**
     * The status of the named services (all defined ones when empty), in name order.
     *
     * @throws IllegalArgumentException if a service is not defined
     * @throws PortManagerException     if the store fails
     */
    public List<ServiceStatus> status(String project, Collection<String> services) {
        Map<String, ServiceDefinition> defs = definitions(project);
        requireDefined(defs, services, project);
        List<ServiceStatus> out = new ArrayList<>();
        for (String s : defs.keySet()) {
            if (!services.isEmpty() && !services.contains(s)) {
                continue;
            }
            Allocation a = pm.find(project, s).orElseThrow();
            Optional<ProcessHandle> p = running(a);
            HealthResult health = p.isPresent() ? HealthCheck.of(a, Duration.ofSeconds(2))
                    : new HealthResult(HealthStatus.NOT_RUNNING, Duration.ZERO, "not started", java.util.OptionalInt.empty());
            long pid = p.map(ProcessHandle::pid).orElse(0L);
            out.add(new ServiceStatus(s, a.port(), pid, health, pid == 0 ? Optional.empty() : ResourceUsage.of(pid)));
        }
        return out;
    }

    /** Refuses a service the project does not define, naming it and where to see the defined ones. */
    static void requireDefined(Map<String, ServiceDefinition> defs, Collection<String> services, String project) {
        for (String s : services) {
            if (!defs.containsKey(s)) {
                throw new IllegalArgumentException("no service '" + s + "' is defined in project '" + project
                        + "'; see the defined ones with portman status " + project + ", or define it (portman define)");
            }
        }
    }

    /**
     * Watches the services (all defined ones when empty) on a daemon thread and restarts a crashed one up to its
     * definition's restart limit, waiting its backoff (doubled after each restart); says what it does through
     * {@code log}. Close the returned supervisor to end the watch.
     *
     * @throws IllegalArgumentException if a service is not defined
     * @throws NullPointerException     if an argument is null
     */
    public Supervisor supervise(String project, Collection<String> services, Consumer<String> log) {
        Map<String, ServiceDefinition> defs = definitions(project);
        return new Supervisor(this, pm, project, services.isEmpty() ? List.copyOf(defs.keySet()) : List.copyOf(services),
                defs, log);
    }

    /** Where a service's output goes: {@code <logs>/<project>/<service>.log}, appended to by each start. */
    public Path logFile(String project, String service) {
        return logs.resolve(safe(project)).resolve(safe(service) + ".log");
    }

    // ---- processes ----

    /** The service's recorded process, if it runs and is the process that was started (same start time). */
    Optional<ProcessHandle> running(Allocation a) {
        if (a.processId().isEmpty() || !a.metadata().containsKey(STARTED_AT)) {
            return Optional.empty();
        }
        Optional<ProcessHandle> h = ProcessHandle.of(a.processId().getAsLong()).filter(ProcessHandle::isAlive);
        if (h.isEmpty()) {
            return Optional.empty();
        }
        Instant recorded = Instant.parse(a.metadata().get(STARTED_AT));
        Optional<Instant> actual = h.get().info().startInstant();
        boolean same = actual.isEmpty() || Duration.between(actual.get(), recorded).abs().compareTo(Duration.ofSeconds(2)) <= 0;
        return same ? h : Optional.empty();
    }

    /** Starts the service, records its process, and waits until it is healthy. */
    Allocation start(ServiceDefinition def, Allocation a) throws LaunchFailure {
        int port = a.port();
        if (!def.healthEndpoint(port).equals(a.healthEndpoint())) {
            a = pm.update(def.project(), def.service(), AllocationUpdate.builder()
                    .healthEndpoint(def.healthEndpoint(port).orElse(null)).build());
        }
        List<String> argv = def.argv(port);
        List<String> run = new ArrayList<>(argv.size() + 1);
        SETSID.ifPresent(run::add);
        run.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(run);
        def.workingDirectory().ifPresent(d -> pb.directory(d.toFile()));
        pb.environment().put("PORT", String.valueOf(port));
        pb.environment().put(EnvExport.name(def.service()) + "_PORT", String.valueOf(port));
        for (String dep : def.dependsOn()) {
            pm.find(def.project(), dep).ifPresent(d -> pb.environment().put(EnvExport.name(dep) + "_PORT",
                    String.valueOf(d.port())));
        }
        def.environment().forEach((k, v) -> pb.environment().put(k, v.replace("${port}", String.valueOf(port))));
        Path log = logFile(def.project(), def.service());
        Process p;
        try {
            LogFiles.append(log, "=== " + Instant.now() + " starting " + String.join(" ", argv) + " on port " + port
                    + "\n");
            p = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new LaunchFailure("cannot start '" + argv.get(0) + "': " + e.getMessage() + " (log: " + log + ")", 0);
        }
        Instant startedAt = p.toHandle().info().startInstant().orElse(Instant.now());
        try {
            a = pm.update(def.project(), def.service(), AllocationUpdate.builder().processId(p.pid())
                    .putMetadata(STARTED_AT, startedAt.toString()).build());
        } catch (RuntimeException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new LaunchFailure("started " + def.service() + " (pid " + p.pid() + ") but could not record it, so "
                    + "it was ended: " + e.getMessage(), p.pid());
        }
        awaitHealthy(def, a, p, log);
        return a;
    }

    private void awaitHealthy(ServiceDefinition def, Allocation a, Process p, Path log) throws LaunchFailure {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        HealthResult last = null;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new LaunchFailure(def.service() + " exited with status " + p.exitValue() + " before it was "
                        + "healthy; see " + log + lastLines(log), p.pid());
            }
            last = HealthCheck.of(a, Duration.ofSeconds(1));
            if (last.healthy()) {
                return;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop(a);
                throw new LaunchFailure("interrupted while waiting for " + def.service() + " to be healthy", p.pid());
            }
        }
        stop(a);
        throw new LaunchFailure(def.service() + " was not healthy within " + startTimeout.toSeconds() + " s ("
                + (last == null ? "not checked" : last.toString()) + "); it was stopped; see " + log, p.pid());
    }

    /** Stops the service's recorded process and its children: SIGTERM, then SIGKILL after the grace period. */
    boolean stop(Allocation a) {
        Optional<ProcessHandle> h = running(a);
        if (h.isPresent()) {
            control.endTree(h.get(), grace, a.describe());
        }
        if (a.processId().isPresent()) {
            pm.update(a.project(), a.service(), AllocationUpdate.builder().processId(null).removeMetadata(STARTED_AT)
                    .build());
        }
        return h.isPresent();
    }

    /**
     * Whether another process holds the service's port: a listening socket when the probe sees the socket table (a
     * closed connection lingering in TIME_WAIT is no obstacle to a server, which binds with SO_REUSEADDR), else a
     * failed bind.
     */
    private boolean held(Allocation a) {
        if (probe.seesSockets()) {
            return !probe.listening(a.port(), a.port(), a.protocol()).isEmpty();
        }
        return !probe.isFree(a.port(), a.protocol());
    }

    /** A port held by another process: resolved by the strategy, or reported and empty. */
    private Optional<Allocation> resolve(Allocation a, List<LaunchReport.Step> steps, Map<String, String> notes,
                                         ConflictResolver.Strategy strategy) {
        Optional<dev.portmanager.ListeningSocket> holder = probe instanceof SystemProbe
                ? ((SystemProbe) probe).owner(a.port(), Protocol.BOTH) : Optional.empty();
        String who = holder.flatMap(dev.portmanager.ListeningSocket::process).map(Object::toString)
                .orElse("a process the registry does not know");
        switch (strategy) {
            case INTELLIGENT: {
                // The service's own stale process is ended; anyone else's process keeps the port and we move.
                boolean stale = holder.flatMap(dev.portmanager.ListeningSocket::process)
                        .map(p -> ConflictLevel.of(a, p) == ConflictLevel.LOW).orElse(false);
                return resolve(a, steps, notes, stale ? ConflictResolver.Strategy.AGGRESSIVE
                        : ConflictResolver.Strategy.CONSERVATIVE);
            }
            case CONSERVATIVE: {
                Allocation moved = ConflictResolver.migrate(pm, a);
                notes.put(a.service(), "moved from port " + a.port() + ", which " + who + " holds, to "
                        + ConflictResolver.destination(a, moved));
                return Optional.of(moved);
            }
            case AGGRESSIVE:
                try {
                    control.terminatePort(a.port(), a.protocol());
                    notes.put(a.service(), "ended " + who + ", which held port " + a.port());
                    return Optional.of(a);
                } catch (PortManagerException e) {
                    steps.add(step(a, LaunchReport.Outcome.CONFLICT, "port " + a.port() + " is held by " + who
                            + " and it could not be ended: " + e.getMessage()));
                    return Optional.empty();
                }
            default:
                steps.add(step(a, LaunchReport.Outcome.CONFLICT, "port " + a.port() + " is held by " + who
                        + "; nothing was started (dry run: use the conservative strategy to move the service, or the "
                        + "aggressive one to end that process)"));
                return Optional.empty();
        }
    }

    private static LaunchReport.Step step(Allocation a, LaunchReport.Outcome outcome, String detail) {
        long pid = a.processId().orElse(0);
        boolean runs = outcome == LaunchReport.Outcome.STARTED || outcome == LaunchReport.Outcome.ALREADY_RUNNING;
        return new LaunchReport.Step(a.service(), a.port(), pid, outcome, detail,
                runs && pid != 0 ? ResourceUsage.of(pid) : Optional.empty());
    }

    private static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - 3), lines.size());
            return tail.isEmpty() ? "" : ": " + String.join(" | ", tail);
        } catch (IOException e) {
            return "";
        }
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Why a service could not be started; carries the pid when there was one. */
    static final class LaunchFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final long pid;

        LaunchFailure(String message, long pid) {
            super(message);
            this.pid = pid;
        }
    }

    /** Builds a {@link Launcher}. Not thread-safe. */
    public static final class Builder {
        private final PortManager pm;
        private PortProbe probe;
        private ProcessControl control;
        private Path logs;
        private Duration startTimeout;
        private Duration grace;
        private ConflictResolver.Strategy strategy;

        private Builder(PortManager pm) {
            this.pm = pm;
        }

        /** The probe that checks ports before starting; {@code SystemProbe.create()} by default. */
        public Builder probe(PortProbe probe) {
            this.probe = Objects.requireNonNull(probe, "probe == null");
            return this;
        }

        /** The control that ends a foreign process (aggressive strategy); {@code ProcessControl.create()} by default. */
        public Builder control(ProcessControl control) {
            this.control = Objects.requireNonNull(control, "control == null");
            return this;
        }

        /** The folder of the services' logs; {@code ~/.portmanager/logs} by default. */
        public Builder logs(Path folder) {
            this.logs = Objects.requireNonNull(folder, "folder == null");
            return this;
        }

        /** How long a started service may take to become healthy; 30 s by default. */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = positive("start timeout", timeout);
            return this;
        }

        /** How long a stopped service gets between SIGTERM and SIGKILL; 10 s by default. */
        public Builder gracePeriod(Duration grace) {
            Objects.requireNonNull(grace, "grace == null");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("grace period " + grace + " is negative");
            }
            this.grace = grace;
            return this;
        }

        /** What to do about a port held by another process before a start; a dry run by default. */
        public Builder strategy(ConflictResolver.Strategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy == null");
            return this;
        }

        /** Builds the launcher. */
        public Launcher build() {
            return new Launcher(this);
        }

        private static Duration positive(String what, Duration d) {
            Objects.requireNonNull(d, what + " == null");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " " + d + " is not positive");
            }
            return d;
        }
    }
}
