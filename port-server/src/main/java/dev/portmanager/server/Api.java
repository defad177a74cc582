package dev.portmanager.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portmanager.Allocation;
import dev.portmanager.AllocationNotFoundException;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AllocationStatus;
import dev.portmanager.AuditReport;
import dev.portmanager.Checks;
import dev.portmanager.EnvExport;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryQuery;
import dev.portmanager.PortManager;
import dev.portmanager.PortRange;
import dev.portmanager.Protocol;
import dev.portmanager.RangeSummary;
import dev.portmanager.launch.ComposeFile;
import dev.portmanager.launch.Launcher;
import dev.portmanager.launch.ServiceDefinition;
import dev.portmanager.launch.ServiceStatus;
import dev.portmanager.wire.LaunchJson;
import dev.portmanager.wire.MachineJson;
import dev.portmanager.wire.RegistryJson;
import dev.portmanager.wire.RequestJson;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseHandler;
import io.javalin.security.RouteRole;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The routes: each one a few lines over the manager, answering with port-wire's forms (the CLI's {@code --json}
 * documents). Thread-safe: handlers share nothing but the manager, which is.
 */
final class Api {
    /** A registered route, for the OpenAPI check. */
    record Route(String method, String path) {
    }

    /** What a route needs beyond being reachable. */
    enum Access implements RouteRole {
        /** It changes the registry: the token is required. */
        WRITE,
        /** It reads a JSON body: {@code Content-Type: application/json} is required. */
        JSON,
        /** It reads a YAML body. */
        YAML
    }

    static final ObjectMapper MAPPER = new ObjectMapper();

    private final PortServer.Settings s;
    private final PortManager pm;
    private final EventHub events;
    private final PrometheusMeterRegistry registry;
    private final Guard guard;
    private volatile Launcher launcher;

    Api(PortServer.Settings settings, EventHub events, PrometheusMeterRegistry registry) {
        this.s = settings;
        this.pm = settings.pm;
        this.events = events;
        this.registry = registry;
        this.guard = new Guard(settings);
    }

    void register(JavalinConfig config) {
        RoutesConfig r = config.routes;
        r.beforeMatched(guard::check);
        r.after(Guard::securityHeaders);
        r.exception(Exception.class, new Failures(s)::handle);
        r.error(404, ctx -> Failures.unmatched(ctx, 404));
        r.error(405, ctx -> Failures.unmatched(ctx, 405));

        r.get("/", ctx -> resource(ctx, "dashboard.html", "text/html; charset=utf-8"));
        r.get("/dashboard.js", ctx -> resource(ctx, "dashboard.js", "text/javascript; charset=utf-8"));
        r.get("/openapi.json", ctx -> resource(ctx, "openapi.json", "application/json"));
        r.get("/health", ctx -> json(ctx, RegistryJson.health(pm.storeName())));
        r.get("/status", this::status);
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(registry.scrape()));
        r.addHttpHandler(HandlerType.GET, "/events", new SseHandler(0, events::subscribe));

        r.get("/ports", this::list);
        r.get("/ports/available", this::availableFrom);
        r.get("/ports/available/{range}", this::availableInRange);
        r.post("/ports/register", this::register, Access.WRITE, Access.JSON);
        r.get("/ports/{port}", ctx -> json(ctx, RegistryJson.allocation(byPort(ctx))));
        r.put("/ports/{port}", ctx -> {
            Allocation a = byPort(ctx);
            json(ctx, RegistryJson.allocation(pm.update(a.project(), a.service(), RequestJson.update(body(ctx)))));
        }, Access.WRITE, Access.JSON);
        r.delete("/ports/{port}", this::releasePort, Access.WRITE);
        r.get("/services/{project}/{service}", ctx -> json(ctx, RegistryJson.allocation(byService(ctx))));
        r.put("/services/{project}/{service}", ctx -> json(ctx, RegistryJson.allocation(pm.update(
                ctx.pathParam("project"), ctx.pathParam("service"), RequestJson.update(body(ctx))))),
                Access.WRITE, Access.JSON);
        r.delete("/services/{project}/{service}", ctx -> {
            String project = ctx.pathParam("project");
            String service = ctx.pathParam("service");
            json(ctx, RegistryJson.release(project + "/" + service, pm.release(project, service)));
        }, Access.WRITE);

        r.post("/get-or-allocate", ctx -> json(ctx, RegistryJson.allocation(pm.getOrAllocate(
                RequestJson.allocationRequest(body(ctx))))), Access.WRITE, Access.JSON);
        r.post("/allocate", ctx -> created(ctx, RegistryJson.allocation(pm.allocate(
                RequestJson.allocationRequest(body(ctx))))), Access.WRITE, Access.JSON);
        r.post("/reserve", ctx -> {
            RequestJson.Reservation res = RequestJson.reservation(body(ctx));
            created(ctx, RegistryJson.allocation(pm.reserve(res.request(), res.ttl())));
        }, Access.WRITE, Access.JSON);
        r.delete("/reserve/{port}", this::cancelReservation, Access.WRITE);
        r.post("/renew", ctx -> {
            RequestJson.Renewal renewal = RequestJson.renewal(body(ctx));
            json(ctx, RegistryJson.allocation(pm.renew(renewal.project(), renewal.service(), renewal.ttl())));
        }, Access.WRITE, Access.JSON);
        r.post("/bulk-allocate", ctx -> created(ctx, RegistryJson.allocations(pm.allocateAll(
                RequestJson.allocationRequests(body(ctx))))), Access.WRITE, Access.JSON);

        r.get("/ranges", ctx -> json(ctx, RegistryJson.ranges(pm.ranges())));
        r.post("/ranges", ctx -> created(ctx, RegistryJson.range(pm.defineRange(RequestJson.range(body(ctx))))),
                Access.WRITE, Access.JSON);
        r.get("/summary", ctx -> json(ctx, RegistryJson.summaries(summaries())));
        r.get("/summary/{range}", ctx -> json(ctx, RegistryJson.summary(pm.summary(ctx.pathParam("range")))));
        r.get("/history", this::history);

        r.post("/check", this::checkPorts, Access.JSON);
        r.post("/check/plan", ctx -> json(ctx, MachineJson.plannedBindings(pm.check(
                RequestJson.plannedBindings(body(ctx))))), Access.JSON);
        r.get("/scan", ctx -> json(ctx, MachineJson.sockets(s.probe.listeners())));
        r.get("/audit", ctx -> json(ctx, MachineJson.audit(pm.audit())));
        r.get("/health-report", ctx -> json(ctx, MachineJson.audit(pm.audit())));
        r.get("/conflicts", ctx -> json(ctx, MachineJson.conflicts(pm.audit().conflicts())));
        r.get("/zombies", ctx -> json(ctx, RegistryJson.allocations(pm.audit().zombies())));
        r.get("/orphans", ctx -> {
            ArrayNode orphans = JsonNodeFactory.instance.arrayNode();
            for (AuditReport.Orphan o : pm.audit().orphans()) {
                orphans.add(MachineJson.orphan(o));
            }
            json(ctx, orphans);
        });
        r.post("/validate/compose", this::validateCompose, Access.YAML);
        r.get("/env", this::env);
        r.get("/projects/{project}/status", this::serviceStatus);
    }

    private void status(Context ctx) {
        List<Allocation> live = pm.list(AllocationQuery.builder().host(pm.host()).build());
        json(ctx, RegistryJson.overview(Instant.now(), pm.storeName(), pm.host(), pm.environment(), live,
                summaries()));
    }

    private List<RangeSummary> summaries() {
        List<RangeSummary> all = new ArrayList<>();
        for (PortRange range : pm.ranges()) {
            all.add(pm.summary(range.name()));
        }
        return all;
    }

    private void list(Context ctx) {
        AllocationQuery.Builder q = AllocationQuery.builder();
        query(ctx, "project").ifPresent(q::project);
        query(ctx, "service").ifPresent(q::service);
        query(ctx, "range").ifPresent(q::range);
        query(ctx, "status").ifPresent(v -> q.status(AllocationStatus.parse(v)));
        query(ctx, "protocol").ifPresent(v -> q.protocol(Protocol.parse(v)));
        query(ctx, "host").ifPresent(q::host);
        query(ctx, "environment").ifPresent(q::environment);
        json(ctx, RegistryJson.allocations(pm.list(q.build())));
    }

    private void availableFrom(Context ctx) {
        int from = query(ctx, "from").map(v -> number(v, "from")).orElse(1024);
        int count = query(ctx, "count").map(v -> number(v, "count")).orElse(1);
        json(ctx, RegistryJson.freePorts(pm.available(from, count), pm.host(), null));
    }

    private void availableInRange(Context ctx) {
        String range = ctx.pathParam("range");
        int count = query(ctx, "count").map(v -> number(v, "count")).orElse(1);
        json(ctx, RegistryJson.freePorts(pm.available(range, count), pm.host(), range));
    }

    /** Registers a port a service already uses: exactly that port, even though something listens on it. */
    private void register(Context ctx) {
        JsonNode body = body(ctx);
        if (!body.hasNonNull("port")) {
            throw new IllegalArgumentException("\"port\" is missing; registering names the port the service uses");
        }
        AllocationRequest request = RequestJson.allocationRequest(body);
        if (!request.alreadyListening()) {
            request = request.toBuilder().alreadyListening().build();
        }
        created(ctx, RegistryJson.allocation(pm.allocate(request)));
    }

    private void releasePort(Context ctx) {
        int port = port(ctx);
        Optional<String> protocol = query(ctx, "protocol");
        boolean released = protocol.isPresent() ? pm.release(port, Protocol.parse(protocol.get()))
                : pm.release(port);
        json(ctx, RegistryJson.release("port " + port, released));
    }

    private void cancelReservation(Context ctx) {
        int port = port(ctx);
        Optional<Allocation> held = pm.find(port);
        if (held.isPresent() && held.get().status() != AllocationStatus.RESERVED) {
            throw new IllegalStateException("port " + port + " is allocated to " + held.get().project() + "/"
                    + held.get().service() + ", not reserved; DELETE /ports/" + port + " releases it");
        }
        json(ctx, RegistryJson.release("port " + port, held.isPresent() && pm.release(held.get())));
    }

    private void history(Context ctx) {
        HistoryQuery.Builder q = HistoryQuery.builder()
                .limit(query(ctx, "limit").map(v -> number(v, "limit")).orElse(50));
        query(ctx, "port").ifPresent(v -> q.port(number(v, "port")));
        query(ctx, "project").ifPresent(q::project);
        query(ctx, "service").ifPresent(q::service);
        query(ctx, "host").ifPresent(q::host);
        query(ctx, "action").ifPresent(v -> q.action(HistoryAction.parse(v)));
        query(ctx, "since").ifPresent(v -> q.since(instant(v, "since")));
        json(ctx, RegistryJson.history(pm.history(q.build())));
    }

    private void checkPorts(Context ctx) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int port : RequestJson.ports(body(ctx))) {
            out.add(MachineJson.portHolder(port, pm.find(port), s.probe.owner(port, Protocol.BOTH)));
        }
        json(ctx, out);
    }

    /** A docker-compose file sent as the body; the project is its {@code name:}, else {@code ?project=}. */
    private void validateCompose(Context ctx) throws IOException {
        String project = query(ctx, "project").orElse("compose");
        Checks.name("project", project);
        if (project.contains("/") || project.startsWith(".")) {
            throw new IllegalArgumentException("project '" + project + "' cannot name a folder; give a plain name");
        }
        byte[] yaml = ctx.bodyAsBytes();
        Path dir = Files.createTempDirectory("portserver-compose-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path folder = Files.createDirectory(dir.resolve(project));
        Path file = folder.resolve("docker-compose.yml");
        try {
            Files.write(Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------"))), yaml);
            ComposeFile compose;
            try {
                compose = ComposeFile.read(file);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().replace("compose file " + file, "the compose file "
                        + "in the body"), e);
            }
            json(ctx, MachineJson.plannedBindings(compose.check(pm)));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(folder);
            Files.deleteIfExists(dir);
        }
    }

    private void env(Context ctx) {
        String project = query(ctx, "project").orElse(null);
        String format = query(ctx, "format").orElse("json");
        EnvExport env = pm.environment(project);
        switch (format) {
            case "json":
                json(ctx, RegistryJson.environment(env));
                break;
            case "shell":
                ctx.contentType("text/plain; charset=utf-8").result(env.shell());
                break;
            case "dotenv":
                ctx.contentType("text/plain; charset=utf-8").result(env.dotenv());
                break;
            default:
                throw new IllegalArgumentException("format '" + format + "' is not one of json, shell, dotenv");
        }
    }

    private void serviceStatus(Context ctx) {
        String project = ctx.pathParam("project");
        Launcher l = launcher();
        Map<String, ServiceDefinition> defs = l.definitions(project);
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (ServiceStatus st : l.status(project)) {
            out.add(LaunchJson.status(st, defs.get(st.service()), l.logFile(project, st.service())));
        }
        json(ctx, out);
    }

    private Launcher launcher() {
        Launcher l = launcher;
        if (l == null) {
            Launcher.Builder b = Launcher.builder(pm).probe(s.probe);
            if (s.logs != null) {
                b.logs(s.logs);
            }
            l = b.build();
            launcher = l;
        }
        return l;
    }

    private Allocation byPort(Context ctx) {
        int port = port(ctx);
        return pm.find(port).orElseThrow(() -> new AllocationNotFoundException("port " + port + " is not allocated on "
                + pm.host() + " in " + pm.storeName()));
    }

    private Allocation byService(Context ctx) {
        String project = ctx.pathParam("project");
        String service = ctx.pathParam("service");
        return pm.find(project, service).orElseThrow(() -> new AllocationNotFoundException(project + "/" + service
                + " holds no port on " + pm.host() + " (environment " + pm.environment() + ") in " + pm.storeName()));
    }

    private static int port(Context ctx) {
        String text = ctx.pathParam("port");
        int port = number(text, "port");
        return Checks.port("port", port);
    }

    private static int number(String text, String what) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a whole number");
        }
    }

    private static Instant instant(String text, String what) {
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not an instant; write one such as "
                    + "2026-01-17T12:00:00Z");
        }
    }

    private static Optional<String> query(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    /** The request's JSON body; the guard has checked its type and size. */
    static JsonNode body(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw new IllegalArgumentException("the request has no body; send a JSON object");
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            String m = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage()
                    + (((JsonProcessingException) e).getLocation() == null ? "" : " at line "
                    + ((JsonProcessingException) e).getLocation().getLineNr() + ", column "
                    + ((JsonProcessingException) e).getLocation().getColumnNr()) : e.getMessage();
            throw new IllegalArgumentException("the body is not JSON: " + m);
        }
    }

    static void json(Context ctx, JsonNode document) {
        try {
            ctx.contentType("application/json").result(MAPPER.writeValueAsBytes(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a result could not be written as JSON", e);
        }
    }

    private static void created(Context ctx, JsonNode document) {
        ctx.status(201);
        json(ctx, document);
    }

    private static void resource(Context ctx, String name, String type) {
        try (InputStream in = Api.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the server's resource " + name + " is missing from its jar");
            }
            ctx.contentType(type).result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
