package dev.portmanager.metrics;

import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationStatus;
import dev.portmanager.AuditReport;
import dev.portmanager.PortEvent;
import dev.portmanager.PortEventListener;
import dev.portmanager.PortManager;
import dev.portmanager.PortManagerException;
import dev.portmanager.PortMonitor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

/**
 * Port Manager's meters for one {@link PortManager}, as a Micrometer {@link MeterBinder}:
 *
 * <table>
 *   <caption>meters (Prometheus names in brackets)</caption>
 *   <tr><th>meter</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code portmanager.range.allocated} ({@code portmanager_range_allocated})</td><td>{@code range}</td>
 *       <td>ports of the range allocated on the manager's host</td></tr>
 *   <tr><td>{@code portmanager.range.capacity}</td><td>{@code range}</td><td>ports in the range</td></tr>
 *   <tr><td>{@code portmanager.range.utilization}</td><td>{@code range}</td><td>allocated / capacity, 0 to 1</td></tr>
 *   <tr><td>{@code portmanager.allocations}</td><td>{@code status} ({@code active}, {@code reserved})</td>
 *       <td>live allocations on the manager's host</td></tr>
 *   <tr><td>{@code portmanager.events} ({@code portmanager_events_total})</td><td>{@code type}
 *       ({@code allocated}, {@code released}, {@code expired}, {@code conflict}, {@code zombie}, {@code orphan},
 *       {@code unhealthy}, ...)</td><td>events this manager reported</td></tr>
 *   <tr><td>{@code portmanager.allocation} ({@code portmanager_allocation_seconds})</td><td>{@code operation},
 *       {@code outcome} ({@code success}, {@code failure}), {@code exception}</td><td>how long allocating calls
 *       take</td></tr>
 *   <tr><td>{@code portmanager.audit.conflicts}, {@code .zombies}, {@code .orphans}, {@code .health}
 *       ({@code portmanager_audit_health_percent})</td><td></td><td>the monitor's last audit; NaN before its first
 *       round; only with a monitor</td></tr>
 * </table>
 *
 * <pre>{@code
 * PortMetrics metrics = PortMetrics.of(pm, pm.monitor());   // or PortMetrics.of(pm) without audit figures
 * metrics.bindTo(meterRegistry);                           // Spring Boot: declare it as a bean instead
 * }</pre>
 *
 * <p>Gauges read the registry at most once a second, whoever asks (a scrape of many gauges costs one read). Ranges
 * are known from binding, and a range defined later gets its gauges at the next event of this manager. Events and
 * timings are this manager's (this process's); a change another process makes shows in the gauges, not in the
 * counters. A store that cannot be read leaves the gauges at their last values.
 *
 * <p>Thread-safe; bind it to any number of registries. {@link #close()} stops the counting (the gauges stay).
 */
public final class PortMetrics implements MeterBinder, AutoCloseable {
    private static final Duration FRESH = Duration.ofSeconds(1);

    private final Duration fresh;
    private final PortManager pm;
    private final PortMonitor monitor;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Listener listener = new Listener();
    private final Object refresh = new Object();
    private volatile Snapshot snapshot;
    private final Set<String> knownRanges = ConcurrentHashMap.newKeySet();
    private volatile long rangesCheckedAt;

    /** @param fresh how long the registry's figures are reused (tests read them afresh) */
    PortMetrics(PortManager pm, PortMonitor monitor, Duration fresh) {
        this.pm = Objects.requireNonNull(pm, "pm == null");
        this.monitor = monitor;
        this.fresh = fresh;
        pm.addListener(listener);
    }

    /**
     * Meters for the manager, without the audit figures. It starts counting now.
     *
     * @throws NullPointerException if the manager is null
     */
    public static PortMetrics of(PortManager pm) {
        return new PortMetrics(pm, null, FRESH);
    }

    /**
     * Meters for the manager, with the audit figures of the monitor's last round. It starts counting now.
     *
     * @throws NullPointerException if an argument is null
     */
    public static PortMetrics of(PortManager pm, PortMonitor monitor) {
        return new PortMetrics(pm, Objects.requireNonNull(monitor, "monitor == null"), FRESH);
    }

    /**
     * Registers the meters in the registry.
     *
     * @throws NullPointerException if the registry is null
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry == null");
        registries.add(registry);
        for (PortEvent.Type type : PortEvent.Type.values()) {
            events(registry, type);
        }
        for (AllocationStatus status : AllocationStatus.values()) {
            Gauge.builder("portmanager.allocations", this, m -> m.snapshot().live(status))
                    .tag("status", lower(status))
                    .description("live allocations on the manager's host")
                    .register(registry);
        }
        if (monitor != null) {
            audit(registry, "conflicts", "allocated ports held by another process", r -> r.conflicts().size(), null);
            audit(registry, "zombies", "allocated ports nothing listens on", r -> r.zombies().size(), null);
            audit(registry, "orphans", "listeners in managed ranges with no allocation", r -> r.orphans().size(),
                    null);
            audit(registry, "health", "allocations in use, in percent of those allocated", AuditReport::healthPercent,
                    "percent");
        }
        Snapshot s = snapshot();
        knownRanges.addAll(s.ranges());
        rangeGauges(registry, s.ranges());
    }

    /** Stops counting this manager's events and timings; the meters stay registered. Idempotent. */
    @Override
    public void close() {
        pm.removeListener(listener);
    }

    private void audit(MeterRegistry registry, String name, String description, ToDoubleFunction<AuditReport> value,
                       String unit) {
        Gauge.builder("portmanager.audit." + name, monitor, m -> m.lastAudit().map(value::applyAsDouble)
                        .orElse(Double.NaN))
                .description("the monitor's last audit: " + description)
                .baseUnit(unit)
                .register(registry);
    }

    private void rangeGauges(MeterRegistry registry, Set<String> ranges) {
        for (String range : ranges) {
            Gauge.builder("portmanager.range.allocated", this, m -> m.snapshot().allocated(range))
                    .tag("range", range).description("ports of the range allocated on the manager's host")
                    .register(registry);
            Gauge.builder("portmanager.range.capacity", this, m -> m.snapshot().capacity(range))
                    .tag("range", range).description("ports in the range")
                    .register(registry);
            Gauge.builder("portmanager.range.utilization", this, m -> m.snapshot().utilization(range))
                    .tag("range", range).description("allocated ports of the range, 0 to 1")
                    .register(registry);
        }
    }

    /** Registers gauges for ranges defined since binding; looks at most once a second. */
    private void newRanges() {
        long now = System.nanoTime();
        if (now - rangesCheckedAt < fresh.toNanos()) {
            return;
        }
        rangesCheckedAt = now;
        Set<String> added = new HashSet<>(snapshot().ranges());
        added.removeAll(knownRanges);
        if (!added.isEmpty()) {
            knownRanges.addAll(added);
            registries.forEach(r -> rangeGauges(r, added));
        }
    }

    private static Counter events(MeterRegistry registry, PortEvent.Type type) {
        return Counter.builder("portmanager.events").tag("type", lower(type))
                .description("events reported by the manager: its changes and its monitors' findings")
                .register(registry);
    }

    /** The registry's figures, read at most once a second. */
    Snapshot snapshot() {
        Snapshot s = snapshot;
        if (s != null && !s.olderThan(fresh)) {
            return s;
        }
        synchronized (refresh) {
            s = snapshot;
            if (s == null || s.olderThan(fresh)) {
                try {
                    s = Snapshot.read(pm, AllocationQuery.builder().host(pm.host()).build());
                } catch (PortManagerException | IllegalStateException e) {
                    s = s != null ? s.retried() : Snapshot.EMPTY;
                }
                snapshot = s;
            }
            return s;
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** Counts events and times allocations into every bound registry. */
    private final class Listener implements PortEventListener {
        @Override
        public void onEvent(PortEvent event) {
            for (MeterRegistry registry : registries) {
                events(registry, event.type()).increment();
            }
            if (!registries.isEmpty() && (event.type() == PortEvent.Type.ALLOCATED
                    || event.type() == PortEvent.Type.RESERVED)) {
                newRanges();
            }
        }

        @Override
        public void onAllocationTimed(String operation, Duration elapsed, Throwable failure) {
            for (MeterRegistry registry : registries) {
                Timer.builder("portmanager.allocation")
                        .tag("operation", operation)
                        .tag("outcome", failure == null ? "success" : "failure")
                        .tag("exception", failure == null ? "none" : failure.getClass().getSimpleName())
                        .description("how long allocating calls take, retries included")
                        .register(registry)
                        .record(elapsed);
            }
        }

        @Override
        public String toString() {
            return "PortMetrics(" + pm.storeName() + ")";
        }
    }
}
