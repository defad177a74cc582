package dev.portmanager.internal;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationStatus;
import dev.portmanager.AuditReport;
import dev.portmanager.Checks;
import dev.portmanager.HealthResult;
import dev.portmanager.HealthStatus;
import dev.portmanager.ListeningSocket;
import dev.portmanager.PortEvent;
import dev.portmanager.PortManager;
import dev.portmanager.PortMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The monitor behind {@link PortManager#monitor}: rounds on one daemon thread, and the findings of
 * the last round, so that each change is reported once. Thread-safe: rounds are serialised.
 */
final class Monitor implements PortMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(PortManager.class);
    /** How long a health check of this machine's services may take. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

    private final Duration interval;
    private final PortManager pm;
    private final LiveAllocations live;
    private final LeaseChanges changes;
    private final Consumer<PortEvent> emit;
    private final Function<Allocation, HealthResult> healthCheck;
    private final Consumer<Monitor> whenClosed;
    private final ScheduledExecutorService schedule;
    private final Set<String> zombies = new HashSet<>();
    private final Map<String, Long> conflicts = new HashMap<>();
    private final Set<String> orphans = new HashSet<>();
    private final Set<String> unhealthy = new HashSet<>();
    private final Set<String> overLimit = new HashSet<>();
    private final String name;
    private boolean closed;
    private volatile AuditReport last;

    /**
     * Starts the rounds.
     *
     * @param pm         the manager whose audit a round runs
     * @param live       the registry as the manager's judge sees it
     * @param changes    records health checks
     * @param events     the manager's listeners
     * @param check      the health check of one allocation of the host
     * @param whenClosed told once the monitor is closed, so the manager forgets it
     */
    Monitor(String name, Duration interval, PortManager pm, LiveAllocations live, LeaseChanges changes, Events events,
            Function<Allocation, HealthResult> check, Consumer<Monitor> whenClosed) {
        this.name = name;
        this.interval = interval;
        this.pm = pm;
        this.live = live;
        this.changes = changes;
        this.emit = events::emit;
        this.healthCheck = check;
        this.whenClosed = whenClosed;
        this.schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portmanager-monitor-" + name);
            t.setDaemon(true);
            return t;
        });
        schedule.scheduleWithFixedDelay(this::scheduledRound, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public synchronized AuditReport runOnce() {
        if (closed) {
            throw new IllegalStateException("the monitor is closed; start another with monitor(...)");
        }
        AuditReport report = pm.audit();
        Instant now = report.at();
        Set<String> zombieNow = new HashSet<>();
        for (Allocation a : report.zombies()) {
            zombieNow.add(a.id());
            if (zombies.add(a.id())) {
                emit.accept(PortEvent.about(PortEvent.Type.ZOMBIE, now, a, "nothing listens on the port"));
            }
        }
        Map<String, Long> conflictNow = new HashMap<>();
        for (AuditReport.Conflict c : report.conflicts()) {
            long pid = c.found().process().map(p -> p.pid()).orElse(0L);
            conflictNow.put(c.allocation().id(), pid);
            Long before = conflicts.put(c.allocation().id(), pid);
            if (before == null || before != pid) {
                emit.accept(PortEvent.about(PortEvent.Type.CONFLICT, now, c.allocation(), c.message()));
            }
        }
        Set<String> orphanNow = new HashSet<>();
        for (AuditReport.Orphan o : report.orphans()) {
            ListeningSocket s = o.socket();
            String key = s.protocol() + " " + s.address() + ":" + s.port();
            orphanNow.add(key);
            if (orphans.add(key)) {
                emit.accept(new PortEvent(PortEvent.Type.ORPHAN, now, s.port(), s.protocol(), report.host(), "", "",
                        "", o.toString()));
            }
        }
        Set<String> unhealthyNow = checkHealth(now, zombieNow);
        for (Allocation a : live.onHost()) {
            if (a.healthStatus() == HealthStatus.NOT_RUNNING && zombieNow.add(a.id()) && zombies.add(a.id())) {
                emit.accept(PortEvent.about(PortEvent.Type.ZOMBIE, now, a, "its health check finds nothing listening"));
            }
        }
        recovered(now, zombies, zombieNow, "listening again");
        recovered(now, conflicts.keySet(), conflictNow.keySet(), "the expected process holds the port again");
        recovered(now, unhealthy, unhealthyNow, "healthy again");
        recovered(now, overLimit, overLimits(report), "within its resource limits again");
        orphans.retainAll(orphanNow);
        last = report;
        return report;
    }

    /** Checks each live active allocation of the host; records changed statuses; returns the unhealthy ids. */
    private Set<String> checkHealth(Instant now, Set<String> zombieNow) {
        Set<String> unhealthyNow = new HashSet<>();
        for (Allocation a : live.onHost()) {
            if (a.status() != AllocationStatus.ACTIVE) {
                continue;
            }
            HealthResult result = zombieNow.contains(a.id()) && a.healthEndpoint().isEmpty()
                    ? new HealthResult(HealthStatus.NOT_RUNNING, Duration.ZERO, "nothing listens on the port",
                    java.util.OptionalInt.empty())
                    : healthCheck.apply(a);
            changes.recordHealth(a, result, now);
            if (result.status() == HealthStatus.UNHEALTHY) {
                unhealthyNow.add(a.id());
                if (unhealthy.add(a.id())) {
                    emit.accept(PortEvent.about(PortEvent.Type.UNHEALTHY, now, a, result.toString()));
                }
            }
        }
        return unhealthyNow;
    }

    /** Warns of each service newly above a resource limit; returns the ids of those above one now. */
    private Set<String> overLimits(AuditReport report) {
        Set<String> now = new HashSet<>();
        for (AuditReport.ServiceResources r : report.overLimits()) {
            Allocation a = r.allocation();
            now.add(a.id());
            if (overLimit.add(a.id())) {
                String why = String.join("; ", r.overLimits()) + " (pid " + r.usage().pid() + ")";
                LOG.warn("[{}] {}/{} on port {}: {}", name, a.project(), a.service(), a.port(), why);
                emit.accept(PortEvent.about(PortEvent.Type.OVER_LIMIT, report.at(), a, why));
            }
        }
        return now;
    }

    private void recovered(Instant now, Set<String> before, Set<String> current, String why) {
        for (String id : new HashSet<>(before)) {
            if (!current.contains(id)) {
                before.remove(id);
                live.onHost(id).ifPresent(a -> emit.accept(PortEvent.about(PortEvent.Type.RECOVERED, now, a, why)));
            }
        }
    }

    private void scheduledRound() {
        try {
            runOnce();
        } catch (IllegalStateException e) {
            if (!closed) {
                LOG.warn("monitoring round failed: {}", e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("monitoring round failed; the next one runs in {}: {}", Checks.describe(interval), e.toString());
        }
    }

    @Override
    public Optional<AuditReport> lastAudit() {
        return Optional.ofNullable(last);
    }

    @Override
    public boolean isRunning() {
        return !schedule.isShutdown();
    }

    @Override
    public void close() {
        schedule.shutdown();
        try {
            if (!schedule.awaitTermination(30, TimeUnit.SECONDS)) {
                schedule.shutdownNow();
            }
        } catch (InterruptedException e) {
            schedule.shutdownNow();
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            closed = true;
        }
        whenClosed.accept(this);
    }
}
