package dev.portmanager.server;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.Checks;
import dev.portmanager.PortManager;
import dev.portmanager.PortMonitor;
import dev.portmanager.metrics.PortMetrics;
import dev.portmanager.probe.SystemProbe;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The registry as a local HTTP service: a JSON API over a {@link PortManager}, a dashboard at {@code /}, server-sent
 * events at {@code /events}, Prometheus metrics at {@code /metrics} and the OpenAPI document at
 * {@code /openapi.json}. Built from a manager the caller owns, started and closed by the caller:
 *
 * <pre>{@code
 * try (PortManager pm = PortManager.builder().build();
 *      PortServer server = PortServer.builder(pm).start()) {   // 127.0.0.1, port 8021 when free
 *     System.out.println(server.uri());
 *     ...
 * }
 * }</pre>
 *
 * <p>Security: every route that changes the registry needs {@code Authorization: Bearer <token>}; the token is read
 * from (or, on a first start, created in) {@code ~/.portmanager/server.token}, owner-only. On loopback the reading
 * routes are open; bound to any other address every route but the dashboard page needs the token, and the server
 * refuses to start with a token it would have to create. No CORS: no {@code Access-Control-Allow-Origin} is sent,
 * and a change whose {@code Origin} is another site is refused.
 *
 * <p>Thread-safe. Closing it stops the server, its monitor and its event delivery; the manager stays open.
 */
public final class PortServer implements AutoCloseable {
    /** The port seed 000's agent served on, tried first when no port is given. */
    public static final int DEFAULT_PORT = 8021;
    /** The project and service the server's own port is registered under. */
    public static final String PROJECT = "portmanager";
    /** The service name of the server's own port. */
    public static final String SERVICE = "server";

    private static final Logger LOG = LoggerFactory.getLogger(PortServer.class);

    private final Settings settings;
    private final Javalin app;
    private final EventHub events;
    private final PortMonitor monitor;
    private final PortMetrics metrics;
    private final List<Api.Route> routes;
    private final URI uri;

    private PortServer(Settings settings, Javalin app, EventHub events, PortMonitor monitor, PortMetrics metrics,
                       List<Api.Route> routes, URI uri) {
        this.settings = settings;
        this.app = app;
        this.events = events;
        this.monitor = monitor;
        this.metrics = metrics;
        this.routes = routes;
        this.uri = uri;
    }

    /**
     * A builder for a server over the manager.
     *
     * @throws NullPointerException if the manager is null
     */
    public static Builder builder(PortManager pm) {
        return new Builder(pm);
    }

    /** The port the server listens on. */
    public int port() {
        return app.port();
    }

    /** The server's base address, such as {@code http://127.0.0.1:8021}. */
    public URI uri() {
        return uri;
    }

    /** The file the token is kept in, or empty when the builder was given the token itself. */
    public Optional<Path> tokenFile() {
        return Optional.ofNullable(settings.token.file());
    }

    /** The method and path of every route, in registration order: for the OpenAPI check. */
    List<Api.Route> routes() {
        return routes;
    }

    /** Stops the server, its monitor, its metrics and its event delivery. Idempotent. */
    @Override
    public void close() {
        events.close();
        app.stop();
        if (monitor != null) {
            monitor.close();
        }
        metrics.close();
        LOG.info("[{}] stopped", settings.name);
    }

    @Override
    public String toString() {
        return "PortServer(" + uri + " over " + settings.pm.storeName() + ")";
    }

    /** What a server is built from, checked once. */
    static final class Settings {
        final PortManager pm;
        final String name;
        final String bind;
        final boolean loopback;
        final ServerToken token;
        final SystemProbe probe;
        final long maxBodyBytes;
        final int threads;
        final Duration idleTimeout;
        final Duration poll;
        final URI webhook;
        final Path logs;

        Settings(Builder b, String bind, ServerToken token, boolean loopback) {
            this.pm = b.pm;
            this.name = "portserver";
            this.bind = bind;
            this.loopback = loopback;
            this.token = token;
            this.probe = b.probe != null ? b.probe : SystemProbe.create();
            this.maxBodyBytes = b.maxBodyBytes;
            this.threads = b.threads;
            this.idleTimeout = b.idleTimeout;
            this.poll = b.poll;
            this.webhook = b.webhook;
            this.logs = b.logs;
        }
    }

    /**
     * Builds and starts a {@link PortServer}. Each argument is checked as it is given; an option set twice is
     * refused. Not thread-safe; reusable.
     */
    public static final class Builder {
        private final PortManager pm;
        private String bind;
        private Integer port;
        private String token;
        private Path tokenFile;
        private SystemProbe probe;
        private long maxBodyBytes = 1 << 20;
        private int threads = 32;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration poll = Duration.ofMillis(250);
        private Duration monitorInterval = Duration.ofMinutes(1);
        private boolean monitorSet;
        private URI webhook;
        private Path logs;

        private Builder(PortManager pm) {
            this.pm = Objects.requireNonNull(pm, "pm == null");
        }

        /**
         * The address to listen on (default {@code 127.0.0.1}). Anything but a loopback address makes every route
         * need the token, and needs a token that exists already.
         *
         * @throws IllegalArgumentException if the address is blank, or set twice
         */
        public Builder bind(String address) {
            Objects.requireNonNull(address, "address == null");
            once(bind, "bind");
            if (address.isBlank()) {
                throw new IllegalArgumentException("bind address is blank; give one such as 127.0.0.1");
            }
            this.bind = address.strip();
            return this;
        }

        /**
         * The port to listen on: 0 for any free port (not registered). Without it the server takes its own port
         * from the registry, as {@code portmanager/server}, preferring {@value #DEFAULT_PORT}.
         *
         * @throws IllegalArgumentException if the port is outside 0-65535, or set twice
         */
        public Builder port(int port) {
            once(this.port, "port");
            if (port != 0) {
                Checks.port("server port", port);
            }
            this.port = port;
            return this;
        }

        /**
         * The token itself, instead of the token file; at least 32 characters.
         *
         * @throws IllegalArgumentException if it is shorter, or a token or token file was given already
         */
        public Builder token(String token) {
            Objects.requireNonNull(token, "token == null");
            once(this.token != null ? this.token : tokenFile, "token");
            if (token.strip().length() < 32) {
                throw new IllegalArgumentException("the token is " + token.strip().length() + " characters; give at "
                        + "least 32 (a random 256-bit value in base64url is 43)");
            }
            this.token = token.strip();
            return this;
        }

        /**
         * The file holding the token (default {@code ~/.portmanager/server.token}); created owner-only on a first
         * start on loopback.
         *
         * @throws IllegalArgumentException if a token or token file was given already
         */
        public Builder tokenFile(Path file) {
            Objects.requireNonNull(file, "file == null");
            once(this.token != null ? this.token : tokenFile, "token");
            this.tokenFile = file;
            return this;
        }

        /** The probe for scans and checks (default: a new {@link SystemProbe}). */
        public Builder probe(SystemProbe probe) {
            once(this.probe, "probe");
            this.probe = Objects.requireNonNull(probe, "probe == null");
            return this;
        }

        /**
         * The largest request body accepted (default 1 MiB); a larger one is answered 413.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxBodyBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("max body size " + bytes + " is not positive; give bytes, such "
                        + "as 1048576");
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /**
         * How many requests are served at once (default 32); more wait for a worker.
         *
         * @throws IllegalArgumentException if below 2
         */
        public Builder threads(int threads) {
            if (threads < 2) {
                throw new IllegalArgumentException("worker threads " + threads + " is below 2; give 2 or more");
            }
            this.threads = threads;
            return this;
        }

        /**
         * How long a connection may stay silent before it is closed (default 30 s); bounds slow clients.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idle timeout");
            return this;
        }

        /**
         * How often the store's history is read for changes other processes made (default 250 ms): they become
         * events on {@code /events}.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder historyPoll(Duration interval) {
            this.poll = positive(interval, "history poll interval");
            return this;
        }

        /**
         * How often the server's monitor audits and health-checks (default 1 minute); null for no monitor (no
         * zombie, orphan, conflict or unhealthy events, no audit metrics).
         *
         * @throws IllegalArgumentException if not positive, or set twice
         */
        public Builder monitor(Duration interval) {
            if (monitorSet) {
                throw new IllegalArgumentException("monitor is set already; set it once");
            }
            this.monitorInterval = interval == null ? null : positive(interval, "monitor interval");
            this.monitorSet = true;
            return this;
        }

        /** Whether {@link #monitor} was called: for tests that turn monitoring off unless told otherwise. */
        boolean monitorSet() {
            return monitorSet;
        }

        /**
         * A URL to POST each event to (JSON, as on {@code /events}), retried 3 times, with at most 1,000 events
         * waiting.
         *
         * @throws IllegalArgumentException if it is not an http or https URL, or set twice
         */
        public Builder webhook(URI url) {
            Objects.requireNonNull(url, "url == null");
            once(webhook, "webhook");
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("webhook '" + url + "' is not an http or https URL; give one such "
                        + "as http://localhost:8099/events");
            }
            this.webhook = url;
            return this;
        }

        /** The folder of the services' logs, for the status of launched services (default as the launcher's). */
        public Builder logs(Path folder) {
            once(logs, "logs");
            this.logs = Objects.requireNonNull(folder, "folder == null");
            return this;
        }

        /**
         * Starts the server: reads or creates the token, takes the server's own port from the registry unless a
         * port was given, starts the monitor, and listens.
         *
         * @throws IllegalStateException             if the address is not loopback and the token file does not
         *                                           exist, or the address cannot be bound
         * @throws dev.portmanager.PortManagerException if the token file cannot be read or written, or the
         *                                           registry refuses the server's port
         */
        public PortServer start() {
            String address = bind != null ? bind : "127.0.0.1";
            boolean loopback = isLoopback(address);
            ServerToken serverToken = token != null ? ServerToken.of(token)
                    : ServerToken.load(tokenFile != null ? tokenFile : ServerToken.defaultFile(), loopback, address);
            Settings settings = new Settings(this, address, serverToken, loopback);
            int listenOn = port != null ? port : ownPort(pm, DEFAULT_PORT);
            EventHub events = new EventHub(pm, settings);
            PortMonitor monitor = null;
            PortMetrics metrics = null;
            try {
                monitor = startMonitor();
                metrics = monitor != null ? PortMetrics.of(pm, monitor) : PortMetrics.of(pm);
                PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                metrics.bindTo(registry);
                List<Api.Route> routes = new ArrayList<>();
                Api api = new Api(settings, events, registry);
                Javalin app = Javalin.create(config -> {
                    config.startup.showJavalinBanner = false;
                    config.jetty.host = address;
                    config.jetty.port = listenOn;
                    config.jetty.threadPool = threadPool(threads);
                    config.http.maxRequestSize = maxBodyBytes;
                    config.http.asyncTimeout = 0;
                    config.events.handlerAdded(h -> routes.add(new Api.Route(h.getHttpMethod().name(),
                            h.getPath())));
                    api.register(config);
                });
                try {
                    app.start();
                } catch (RuntimeException e) {
                    app.stop();
                    throw new IllegalStateException("cannot listen on " + address + ":" + listenOn + ": "
                            + rootMessage(e) + "; pick another address or port", e);
                }
                for (Connector c : app.jettyServer().server().getConnectors()) {
                    if (c instanceof ServerConnector) {
                        ((ServerConnector) c).setIdleTimeout(idleTimeout.toMillis());
                    }
                }
                events.start();
                URI uri = URI.create("http://" + (address.contains(":") ? "[" + address + "]" : address) + ":"
                        + app.port());
                LOG.info("[portserver] listening on {} over {} (token {}, {})", uri, pm.storeName(),
                        serverToken.file() != null ? "in " + serverToken.file() : "given",
                        loopback ? "reads open on loopback" : "every route needs it");
                return new PortServer(settings, app, events, monitor, metrics, List.copyOf(routes), uri);
            } catch (RuntimeException | Error e) {
                events.close();
                if (monitor != null) {
                    monitor.close();
                }
                if (metrics != null) {
                    metrics.close();
                }
                throw e;
            }
        }

        private PortMonitor startMonitor() {
            if (monitorInterval == null) {
                return null;
            }
            try {
                return pm.monitor(monitorInterval);
            } catch (IllegalStateException e) {
                LOG.warn("[portserver] no monitor: {}", e.getMessage());
                return null;
            }
        }

        private static QueuedThreadPool threadPool(int workers) {
            // Jetty's acceptor and selector threads come out of the same pool: room for them beside the workers.
            QueuedThreadPool pool = new QueuedThreadPool(workers + 8, 4, 60_000);
            pool.setName("portserver");
            pool.setDaemon(true);
            return pool;
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what + " == null");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " " + d + " is not positive; give one such as "
                        + "Duration.ofSeconds(1)");
            }
            return d;
        }

        private static void once(Object current, String option) {
            if (current != null) {
                throw new IllegalArgumentException(option + " is set already; set it once");
            }
        }
    }

    /**
     * The server's own port: {@code portmanager/server} from the registry, preferring {@code preferred}, with this
     * process's pid recorded. The allocation is kept when the server stops, like any service's.
     */
    static int ownPort(PortManager pm, int preferred) {
        Allocation a = pm.getOrAllocate(AllocationRequest.builder(PROJECT, SERVICE).preferredPort(preferred)
                .description("the Port Manager HTTP server (portman serve)").build());
        pm.update(PROJECT, SERVICE, AllocationUpdate.builder().processId(ProcessHandle.current().pid()).build());
        return a.port();
    }

    static boolean isLoopback(String address) {
        if (address.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
