package dev.portmanager.cli;

import dev.portmanager.AuditReport;
import dev.portmanager.PortEvent;
import dev.portmanager.PortManager;
import dev.portmanager.PortMonitor;
import dev.portmanager.wire.MachineJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code portman monitor [--interval 5m] [--once]}. */
@Command(name = "monitor", description = {"Audit and health-check every interval, printing each change once "
        + "(ZOMBIE, ORPHAN, CONFLICT, UNHEALTHY, RECOVERED) until interrupted.",
        "With --once: one round, then exit 3 if a conflict or a service not running was found."})
final class MonitorCommand extends PortmanCommand {
    /** The events monitoring raises; the registry's own changes (allocated, released, ...) are not printed. */
    private static final Set<PortEvent.Type> MONITORING = EnumSet.of(PortEvent.Type.ZOMBIE, PortEvent.Type.ORPHAN,
            PortEvent.Type.CONFLICT, PortEvent.Type.UNHEALTHY, PortEvent.Type.RECOVERED);

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.Positive.class,
            description = "time between rounds (default 5m)")
    Duration interval = Duration.ofMinutes(5);

    @Option(names = "--once", description = "run one round and exit")
    boolean once;

    @Override
    public Integer call() throws InterruptedException {
        try (PortManager pm = listeningManager()) {
            if (once) {
                try (PortMonitor m = onThisMachine(() -> pm.monitor(Duration.ofDays(365)))) {
                    AuditReport r = m.runOnce();
                    return r.hasProblems() ? Portman.FOUND_PROBLEMS : 0;
                }
            }
            root.printWarningsAsTheyCome();
            CountDownLatch forever = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
            try (PortMonitor m = onThisMachine(() -> pm.monitor(interval))) {
                forever.await();
            }
            return 0;
        }
    }

    /** A manager like the root's, whose listener prints each event as it comes. */
    private PortManager listeningManager() {
        return root.builder("portman-monitor").listener(this::print).build();
    }

    private void print(PortEvent e) {
        if (!MONITORING.contains(e.type())) {
            return;
        }
        if (out().json()) {
            out().line(MachineJson.event(e).toString());
        } else {
            out().line(e.at() + " " + e);
        }
        out().flush();
    }
}
