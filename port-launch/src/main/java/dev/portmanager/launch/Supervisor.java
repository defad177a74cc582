package dev.portmanager.launch;

import dev.portmanager.Allocation;
import dev.portmanager.Checks;
import dev.portmanager.PortManager;
import dev.portmanager.PortManagerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Watches started services and restarts a crashed one, as {@code portman up --watch} does: a service whose recorded
 * process has ended (and was not stopped through a {@link Launcher}, which clears the record) is restarted after its
 * definition's backoff, the wait doubling with each restart, up to its restart limit; past the limit it is left
 * stopped and said so. A service that has run for {@link #STABLE_AFTER} (one minute) since its last restart starts its
 * count and backoff again, so a service that crashes once a day is restarted every time, while one that crashes in a
 * loop is given up on. Runs on one daemon thread; thread-safe. {@link #close} ends the watch and leaves the services
 * running.
 */
public final class Supervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    static final Duration POLL = Duration.ofMillis(200);
    /** How long a restarted service must run before its restart count starts again. */
    public static final Duration STABLE_AFTER = Duration.ofMinutes(1);

    private final Launcher launcher;
    private final PortManager pm;
    private final String project;
    private final List<String> services;
    private final Map<String, ServiceDefinition> defs;
    private final Consumer<String> log;
    private final Map<String, Integer> restarts = new ConcurrentHashMap<>();
    private final Map<String, Boolean> givenUp = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Long> restartedAt = new ConcurrentHashMap<>();
    private volatile Duration stableAfter = STABLE_AFTER;
    private final Thread thread;
    private volatile boolean closed;

    Supervisor(Launcher launcher, PortManager pm, String project, List<String> services,
               Map<String, ServiceDefinition> defs, Consumer<String> log) {
        this.launcher = launcher;
        this.pm = pm;
        this.project = project;
        this.services = services;
        this.defs = defs;
        this.log = log;
        Launcher.requireDefined(defs, services, project);
        this.thread = new Thread(this::run, "portmanager-supervisor-" + project);
        thread.setDaemon(true);
        thread.start();
    }

    /** How many times the service has been restarted since it last ran for {@link #STABLE_AFTER}. Thread-safe. */
    public int restarts(String service) {
        return restarts.getOrDefault(service, 0);
    }

    /** Whether the service crashed past its restart limit and is left stopped. Thread-safe. */
    public boolean gaveUp(String service) {
        return givenUp.getOrDefault(service, false);
    }

    /** Sets how long a restarted service must run before its count starts again: for tests. */
    Supervisor stableAfter(Duration d) {
        this.stableAfter = d;
        return this;
    }

    /** Whether the watch still runs. Thread-safe. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /**
     * Ends the watch and waits for its thread (a restart under way is allowed to finish or fail); the services keep
     * running. Idempotent; thread-safe.
     */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (!closed) {
            for (String s : services) {
                if (closed) {
                    return;
                }
                try {
                    watch(s);
                } catch (RuntimeException e) {
                    LOG.warn("supervising {}/{} failed; the watch goes on", project, s, e);
                    say(s + ": could not be checked: " + e.getMessage());
                }
            }
            if (!sleep(POLL)) {
                return;
            }
        }
    }

    private void watch(String service) {
        if (gaveUp(service)) {
            return;
        }
        ServiceDefinition def = defs.get(service);
        Pending pending = this.pending.get(service);
        Optional<Allocation> found = pm.find(project, service);
        if (found.isEmpty()) {
            return;
        }
        Allocation a = found.get();
        if (pending == null) {
            if (a.processId().isEmpty() || !a.metadata().containsKey(Launcher.STARTED_AT)) {
                return;
            }
            if (launcher.running(a).isPresent()) {
                forgiveIfStable(service);
                return;
            }
            schedule(service, def, "pid " + a.processId().getAsLong() + " exited", false);
            return;
        }
        if (System.nanoTime() < pending.at) {
            return;
        }
        if (!pending.afterFailure && a.processId().isEmpty()) {
            this.pending.remove(service);
            say(service + " was stopped meanwhile; not restarted");
            return;
        }
        restarts.merge(service, 1, Integer::sum);
        try {
            Allocation started = launcher.start(def, a);
            this.pending.remove(service);
            restartedAt.put(service, System.nanoTime());
            say(service + " restarted on port " + started.port() + " (pid " + started.processId().getAsLong() + ")");
        } catch (Launcher.LaunchFailure | PortManagerException e) {
            say(service + " restart " + restarts(service) + " failed: " + e.getMessage());
            schedule(service, def, "its restart failed", true);
        }
    }

    /** Starts the count again for a restarted service that has run long enough. */
    private void forgiveIfStable(String service) {
        Long at = restartedAt.get(service);
        if (at != null && System.nanoTime() - at >= stableAfter.toNanos()) {
            restartedAt.remove(service);
            restarts.remove(service);
            say(service + " has run for " + stableAfter.toSeconds() + " s since its last restart; its restart count "
                    + "starts again");
        }
    }

    /** Plans the next restart after the backoff, or gives up past the limit. */
    private void schedule(String service, ServiceDefinition def, String why, boolean afterFailure) {
        int done = restarts(service);
        if (done >= def.maxRestarts()) {
            pending.remove(service);
            pm.find(project, service).ifPresent(launcher::stop);
            say(service + ": " + why + "; restart limit " + def.maxRestarts() + " reached, left stopped; see "
                    + launcher.logFile(project, service));
            givenUp.put(service, true);
            return;
        }
        Duration wait = def.backoff().multipliedBy(1L << Math.min(done, 20));
        pending.put(service, new Pending(System.nanoTime() + wait.toNanos(), afterFailure));
        say(service + ": " + why + "; restart " + (done + 1) + " of " + def.maxRestarts() + " in "
                + Checks.describe(wait));
    }

    /** A restart planned for a time. */
    private record Pending(long at, boolean afterFailure) {
    }

    private void say(String message) {
        LOG.info("{}: {}", project, message);
        try {
            log.accept(message);
        } catch (RuntimeException e) {
            LOG.warn("the supervisor's log consumer failed", e);
        }
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
