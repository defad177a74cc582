package dev.portmanager.server;

import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.PortEvent;
import dev.portmanager.PortEventListener;
import dev.portmanager.PortManager;
import dev.portmanager.PortManagerException;
import dev.portmanager.wire.MachineJson;
import io.javalin.http.sse.SseClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's events, one per {@link PortEvent}, to every {@code /events} subscriber and the webhook.
 *
 * <p>Where they come from: the registry's changes, made by any process sharing the store, are read from the store's
 * history every poll interval (for a JSON registry only when its history file's size or time changed). Entries up
 * to {@link #LAG} older than the newest seen are read again, so that an entry a slower process dated earlier but
 * committed later is not missed; an entry already sent is not sent twice. The
 * monitor's findings ({@code zombie}, {@code orphan}, {@code conflict}, {@code unhealthy}, {@code recovered}) come
 * from the manager's listener. One thread delivers everything, in order. Thread-safe.
 */
final class EventHub implements AutoCloseable {
    /** How far back each poll reads again. */
    static final Duration LAG = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(PortServer.class);
    private static final Set<PortEvent.Type> MONITORING = EnumSet.of(PortEvent.Type.ZOMBIE, PortEvent.Type.ORPHAN,
            PortEvent.Type.CONFLICT, PortEvent.Type.UNHEALTHY, PortEvent.Type.OVER_LIMIT,
            PortEvent.Type.RECOVERED);
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final PortManager pm;
    private final PortServer.Settings s;
    private final List<SseClient> clients = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService worker;
    private final Webhook webhook;
    private final PortEventListener monitorFindings = this::fromMonitor;
    private final AtomicLong ids = new AtomicLong();
    /** Entries read in the last {@link #LAG}, with how many times each was seen; touched by the worker only. */
    private final Map<HistoryEntry, Integer> recent = new HashMap<>();
    private Instant newest;
    /** A JSON registry's history file, read again only when it changed; null for other stores. */
    private final Path historyFile;
    private String lastStamp;

    EventHub(PortManager pm, PortServer.Settings settings) {
        this.pm = pm;
        this.s = settings;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portserver-events");
            t.setDaemon(true);
            return t;
        });
        this.webhook = settings.webhook != null ? new Webhook(settings.webhook) : null;
        this.historyFile = historyFileOf(pm.storeName());
    }

    /**
     * The history file of a {@code json:} registry ({@code ports.json} keeps it in {@code ports.history.jsonl}), or
     * null for another store.
     */
    static Path historyFileOf(String storeName) {
        if (!storeName.startsWith("json:")) {
            return null;
        }
        Path registry = Path.of(storeName.substring(5));
        String name = registry.getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return registry.resolveSibling(base + ".history.jsonl");
    }

    /** Whether the history may hold something new: always, but for a JSON file whose size and time are unchanged. */
    private boolean historyChanged() {
        if (historyFile == null) {
            return true;
        }
        String stamp;
        try {
            BasicFileAttributes a = Files.readAttributes(historyFile, BasicFileAttributes.class);
            stamp = a.fileKey() + " " + a.size() + " " + a.lastModifiedTime();
        } catch (IOException e) {
            stamp = "absent";
        }
        boolean changed = !stamp.equals(lastStamp);
        lastStamp = stamp;
        return changed;
    }

    /** Starts reading the history (from now on) and listening to the monitor. */
    void start() {
        newest = Instant.now();
        pm.addListener(monitorFindings);
        worker.scheduleWithFixedDelay(this::poll, s.poll.toMillis(), s.poll.toMillis(), TimeUnit.MILLISECONDS);
        worker.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** A new {@code /events} subscriber: kept open until it goes away or the server stops. */
    void subscribe(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        clients.add(client);
        worker.execute(() -> client.sendComment("connected to " + pm.storeName()));
    }

    /** Sends an event to every subscriber and the webhook, on the delivery thread. */
    void publish(PortEvent event) {
        worker.execute(() -> deliver(event));
    }

    private void fromMonitor(PortEvent event) {
        if (MONITORING.contains(event.type())) {
            publish(event);
        }
    }

    private void deliver(PortEvent event) {
        String json = MachineJson.event(event).toString();
        String id = String.valueOf(ids.incrementAndGet());
        for (SseClient c : clients) {
            if (c.terminated()) {
                clients.remove(c);
            } else {
                c.sendData(json, id);
            }
        }
        if (webhook != null) {
            webhook.offer(json);
        }
    }

    /** Reads the history since the newest entry seen (less the lag) and publishes what is new. */
    private void poll() {
        if (!historyChanged()) {
            return;
        }
        List<HistoryEntry> entries;
        try {
            entries = pm.history(HistoryQuery.builder().since(newest.minus(LAG)).limit(10_000).build());
        } catch (PortManagerException | IllegalStateException e) {
            LOG.debug("[portserver] history poll failed: {}", e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.warn("[portserver] history poll failed; the next one runs in {}", s.poll, e);
            return;
        }
        Map<HistoryEntry, Integer> inPoll = new HashMap<>();
        List<HistoryEntry> fresh = new ArrayList<>();
        for (HistoryEntry e : entries) {
            int n = inPoll.merge(e, 1, Integer::sum);
            if (n > recent.getOrDefault(e, 0)) {
                fresh.add(e);
                recent.put(e, n);
            }
            if (e.at().isAfter(newest)) {
                newest = e.at();
            }
        }
        Instant horizon = newest.minus(LAG).minus(LAG);
        recent.keySet().removeIf(e -> e.at().isBefore(horizon));
        for (HistoryEntry e : fresh) {
            deliver(PortEvent.of(e));
        }
    }

    private void heartbeat() {
        for (SseClient c : clients) {
            if (c.terminated()) {
                clients.remove(c);
            } else {
                c.sendComment("heartbeat");
            }
        }
    }

    /** Subscribers connected now: for tests. */
    int subscribers() {
        return clients.size();
    }

    @Override
    public void close() {
        pm.removeListener(monitorFindings);
        worker.shutdownNow();
        for (SseClient c : clients) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.debug("[portserver] closing an event subscriber: {}", e.toString());
            }
        }
        clients.clear();
        if (webhook != null) {
            webhook.close();
        }
    }
}
