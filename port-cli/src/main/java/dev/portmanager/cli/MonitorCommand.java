package dev.portmanager.cli;

import dev.portmanager.AuditReport;
import dev.portmanager.PortEvent;
import dev.portmanager.PortManager;
import dev.portmanager.PortMonitor;
import dev.portmanager.ResourceLimits;
import dev.portmanager.wire.MachineJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code portman monitor [--interval 5m] [--once]}. */
@Command(name = "monitor", description = {"Audit and health-check every interval, printing each change once "
        + "(ZOMBIE, ORPHAN, CONFLICT, UNHEALTHY, OVER_LIMIT, RECOVERED) until interrupted.",
        "With --once: one round, then exit 3 if a conflict, a service not running or a service over a limit "
                + "(--max-memory, --max-cpu) was found."})
final class MonitorCommand extends PortmanCommand {
    /** The events monitoring raises; the registry's own changes (allocated, released, ...) are not printed. */
    private static final Set<PortEvent.Type> MONITORING = EnumSet.of(PortEvent.Type.ZOMBIE, PortEvent.Type.ORPHAN,
            PortEvent.Type.CONFLICT, PortEvent.Type.UNHEALTHY, PortEvent.Type.OVER_LIMIT,
            PortEvent.Type.RECOVERED);

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.Positive.class,
            description = "time between rounds (default 5m)")
    Duration interval = Duration.ofMinutes(5);

    @Option(names = "--once", description = "run one round and exit")
    boolean once;

    @Option(names = "--max-memory", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "warn (OVER_LIMIT) when a service's resident memory exceeds SIZE: 512MB, 2GB, 800KB")
    Long maxMemory;

    @Option(names = "--max-cpu", paramLabel = "PERCENT", description = "warn (OVER_LIMIT) when a service's CPU load, "
            + "averaged since it started, exceeds PERCENT of one core")
    Double maxCpu;

    /** Whether an OVER_LIMIT event was printed: with --once, a problem found like a conflict. */
    private volatile boolean overLimit;

    @Override
    public Integer call() throws InterruptedException {
        if (root.host != null) {
            hostAudit(); // another machine is contacted only when the registry names it
        }
        try (PortManager pm = listeningManager()) {
            if (once) {
                try (PortMonitor m = pm.monitor(Duration.ofDays(365))) {
                    AuditReport r = m.runOnce();
                    return r.hasProblems() || overLimit ? Portman.FOUND_PROBLEMS : 0;
                }
            }
            root.printWarningsAsTheyCome();
            CountDownLatch forever = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
            try (PortMonitor m = pm.monitor(interval)) {
                forever.await();
            }
            return 0;
        }
    }

    /** A manager like the root's, whose listener prints each event as it comes. */
    private PortManager listeningManager() {
        ResourceLimits limits = ResourceLimits.none();
        if (maxMemory != null) {
            limits = limits.residentMemory(maxMemory);
        }
        if (maxCpu != null) {
            if (!(maxCpu > 0)) {
                throw new IllegalArgumentException("--max-cpu " + maxCpu + " is not a positive percentage; give one "
                        + "such as 80");
            }
            limits = limits.cpuPercent(maxCpu);
        }
        return root.builder("portman-monitor").listener(this::print).resourceLimits(limits).build();
    }

    /** Reads {@code 512MB}, {@code 2GB}, {@code 800KB}, {@code 1048576} (bytes); units of 1024. */
    static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        private static final Pattern SIZE = Pattern.compile("(?i)(\\d+)\\s*(b|kb?|mb?|gb?)?");

        @Override
        public Long convert(String text) {
            Matcher m = SIZE.matcher(text.strip());
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a size; write 512MB, "
                        + "2GB, 800KB or a number of bytes");
            }
            String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
            long shift = switch (unit.charAt(0)) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                default -> 0;
            };
            long value;
            try {
                value = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                value = -1;
            }
            if (value <= 0 || value > (Long.MAX_VALUE >> shift)) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a positive size; write "
                        + "512MB, 2GB or 800KB");
            }
            return value << shift;
        }
    }

    private void print(PortEvent e) {
        if (!MONITORING.contains(e.type())) {
            return;
        }
        if (e.type() == PortEvent.Type.OVER_LIMIT) {
            overLimit = true;
        }
        if (out().json()) {
            out().line(MachineJson.event(e).toString());
        } else {
            out().line(e.at() + " " + e);
        }
        out().flush();
    }
}
