package dev.portmanager.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.AuditReport;
import dev.portmanager.EnvExport;
import dev.portmanager.ListeningSocket;
import dev.portmanager.PortManager;
import dev.portmanager.PortRange;
import dev.portmanager.Protocol;
import dev.portmanager.RangeSummary;
import dev.portmanager.probe.SystemProbe;
import dev.portmanager.wire.MachineJson;
import dev.portmanager.wire.RegistryJson;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The tools, each a few lines over the API: seed 001's {@code get-port}, {@code allocate-port}, {@code list-ports},
 * {@code audit-ports}, {@code port-summary}, {@code release-port} and {@code update-port} with its parameter names, and
 * {@code check-port}, {@code find-conflicts} and {@code env} from the rest of the library. Each answers a short text
 * and the JSON form the CLI prints with {@code --json} (an array wrapped in an object, as MCP wants an object).
 * Thread-safe: the manager and the probe are.
 */
final class PortTools {
    /** A tool: its declaration, whether it only reads, and what it does with read arguments. */
    record Tool(ToolSpec spec, boolean readOnly, Function<ToolSpec.Args, Outcome> run) {
    }

    /** What a tool answers: a short text for the agent, and the result's JSON form. */
    record Outcome(String summary, ObjectNode json) {
    }

    static final String CLOUDFLARE_HOSTNAME = "cloudflare_hostname";

    private static final String PROJECT = "the project, a group of services, such as \"consilio\" (an agent in a git "
            + "worktree may use the worktree's name to keep its ports apart)";
    private static final String SERVICE = "the service within the project, such as \"api\" or \"web\"";
    private static final String DESCRIPTION = "what the port is for, such as \"Main API server\"";
    private static final String HOSTNAME = "a public hostname routed to this port by a tunnel, such as "
            + "\"api.consilio.153.se\"; kept in the allocation's metadata as " + CLOUDFLARE_HOSTNAME;
    private static final String PROTOCOL = "tcp (the default), udp, or both";

    private final PortManager pm;
    private final SystemProbe probe;
    private final List<Tool> tools;

    PortTools(PortManager pm, SystemProbe probe) {
        this.pm = pm;
        this.probe = probe;
        this.tools = List.of(getPort(), allocatePort(), listPorts(), auditPorts(), portSummary(), releasePort(),
                updatePort(), checkPort(), findConflicts(), env());
    }

    List<Tool> all() {
        return tools;
    }

    private Tool getPort() {
        ToolSpec spec = request(ToolSpec.named("get-port", "Get a service's port",
                "Get the port of a service, allocating one the first time: the same port on every call, from any "
                        + "process sharing the registry, until it is released. Call it before starting a server "
                        + "(dev server, preview, test server) and start the server on the port it returns. "
                        + "Idempotent."))
                .build();
        return new Tool(spec, false, args -> {
            Allocation a = pm.getOrAllocate(request(args));
            return new Outcome("port " + a.port() + ": " + describe(a), RegistryJson.allocation(a));
        });
    }

    private Tool allocatePort() {
        ToolSpec spec = request(ToolSpec.named("allocate-port", "Allocate a new port",
                "Allocate a new port for a service that holds none; fails if it already holds one (get-port returns "
                        + "that one, release-port frees it). With port, exactly that port or an error saying who "
                        + "holds it."))
                .port("port", false, "exactly this port, or fail if it is allocated or in use; leave it out to "
                        + "take a free one")
                .build();
        return new Tool(spec, false, args -> {
            Allocation a = pm.allocate(request(args));
            return new Outcome("allocated port " + a.port() + ": " + describe(a), RegistryJson.allocation(a));
        });
    }

    /** The parameters of get-port and allocate-port. */
    private ToolSpec.Builder request(ToolSpec.Builder b) {
        List<String> ranges = new ArrayList<>();
        for (PortRange r : pm.ranges()) {
            ranges.add(r.name() + " " + r.start() + "-" + r.end());
        }
        return b.string("projectName", true, "consilio", PROJECT)
                .string("serviceName", true, "api", SERVICE)
                .string("serviceType", false, "api", "the range to take the port from (when the server started: "
                        + String.join(", ", ranges) + "); default: the range named like the service, else the "
                        + "registry's default")
                .string("description", false, "Main API server", DESCRIPTION)
                .string("cloudflareHostname", false, "api.consilio.153.se", HOSTNAME)
                .choice("protocol", List.of("tcp", "udp", "both"), PROTOCOL)
                .port("preferredPort", false, "this port if it is free, else another of the range")
                .ports("alternatives", "ports to try in this order after preferredPort, before the rest of the range")
                .flag("alternativesOnly", "true: only preferredPort or one of the alternatives, never another port");
    }

    private AllocationRequest request(ToolSpec.Args args) {
        AllocationRequest.Builder b = AllocationRequest.builder(args.string("projectName"), args.string("serviceName"));
        if (args.has("serviceType")) {
            b.range(args.string("serviceType"));
        }
        if (args.has("description")) {
            b.description(args.string("description"));
        }
        if (args.has("cloudflareHostname")) {
            b.metadata(CLOUDFLARE_HOSTNAME, args.string("cloudflareHostname"));
        }
        if (args.has("protocol")) {
            b.protocol(Protocol.parse(args.string("protocol")));
        }
        if (args.has("port") && args.has("preferredPort")) {
            throw new IllegalArgumentException("port " + args.integer("port") + " and preferredPort "
                    + args.integer("preferredPort") + " both name a port; give one");
        }
        if (args.has("port")) {
            b.port(args.integer("port"));
        }
        if (args.has("preferredPort")) {
            b.preferredPort(args.integer("preferredPort"));
        }
        alternatives(args, b);
        return b.build();
    }

    /** Reads alternatives and alternativesOnly, checked in the tools' words. */
    private static void alternatives(ToolSpec.Args args, AllocationRequest.Builder b) {
        List<Integer> ports = args.ports("alternatives");
        if (ports == null) {
            if (args.flag("alternativesOnly")) {
                throw new IllegalArgumentException("alternativesOnly limits the request to its alternatives, but none "
                        + "were given; pass them as alternatives, such as [8001, 8002]");
            }
            return;
        }
        if (args.has("port")) {
            throw new IllegalArgumentException("port " + args.integer("port") + " asks for exactly that port, so "
                    + "alternatives would never be tried; pass it as preferredPort instead");
        }
        int[] array = new int[ports.size()];
        for (int i = 0; i < array.length; i++) {
            int p = ports.get(i);
            if (ports.indexOf(p) != i) {
                throw new IllegalArgumentException("alternatives names " + p + " twice; name each port once");
            }
            if (args.has("preferredPort") && p == args.integer("preferredPort")) {
                throw new IllegalArgumentException("alternatives names " + p + ", the preferredPort; leave it out of "
                        + "the alternatives");
            }
            array[i] = p;
        }
        b.alternatives(array);
        if (args.flag("alternativesOnly")) {
            b.alternativesOnly();
        }
    }

    private Tool listPorts() {
        ToolSpec spec = ToolSpec.named("list-ports", "List allocated ports",
                        "List the live port allocations of every host and environment, optionally of one project only: "
                                + "port, protocol, host, project, service, range, status and the rest of each.")
                .string("projectName", false, "consilio", "only this project's allocations; leave it out for all")
                .build();
        return new Tool(spec, true, args -> {
            String project = args.string("projectName");
            List<Allocation> all = pm.list(project == null ? AllocationQuery.all() : AllocationQuery.project(project));
            StringBuilder text = new StringBuilder(all.size() + (all.size() == 1 ? " allocation" : " allocations")
                    + (project == null ? "" : " of project " + project));
            for (Allocation a : all) {
                text.append("\n").append(describe(a));
            }
            return new Outcome(text.toString(), wrap("allocations", RegistryJson.allocations(all)));
        });
    }

    private Tool auditPorts() {
        ToolSpec spec = ToolSpec.named("audit-ports", "Audit the ports",
                "Compare the registry with what really listens on this machine: services allocated but not running, "
                        + "ports held by an unexpected process (with what to do), listeners nobody allocated, ranges "
                        + "used above the warning threshold.")
                .build();
        return new Tool(spec, true, args -> {
            AuditReport r = pm.audit();
            String text = "allocated " + r.allocated() + ", in use " + r.inUse() + ", not running " + r.notRunning()
                    + ", reserved " + r.reserved() + ": health " + r.healthPercent() + "%; " + r.conflicts().size()
                    + (r.conflicts().size() == 1 ? " conflict, " : " conflicts, ") + r.orphans().size()
                    + (r.orphans().size() == 1 ? " orphan" : " orphans")
                    + (r.sawSockets() ? "" : " (no socket table: owners unknown, conflicts not checked)");
            return new Outcome(text, MachineJson.audit(r));
        });
    }

    private Tool portSummary() {
        ToolSpec spec = ToolSpec.named("port-summary", "How full the ranges are",
                        "How full a range is: total, allocated, available and excluded ports, and the percentage "
                                + "used. Give range, or projectName for the project's own block of ports, or nothing "
                                + "for every range.")
                .string("projectName", false, "consilio", "the project whose own range (block of ports) to "
                        + "summarize")
                .string("range", false, "web", "the range to summarize, such as \"web\"")
                .build();
        return new Tool(spec, true, args -> {
            String project = args.string("projectName");
            String range = args.string("range");
            if (project != null && range != null) {
                throw new IllegalArgumentException("projectName " + project + " and range " + range + " both name a "
                        + "range; give one");
            }
            if (project != null) {
                range = projectRange(project);
            }
            if (range != null) {
                RangeSummary s = pm.summary(range);
                return new Outcome(s.toString(), RegistryJson.summary(s));
            }
            List<RangeSummary> all = new ArrayList<>();
            for (PortRange r : pm.ranges()) {
                all.add(pm.summary(r.name()));
            }
            List<String> lines = all.stream().map(RangeSummary::toString).toList();
            return new Outcome(String.join("\n", lines), wrap("ranges", RegistryJson.summaries(all)));
        });
    }

    /** A project's own range is the one named after it (project blocks, as seed 001's ranges per project). */
    private String projectRange(String project) {
        List<String> names = new ArrayList<>();
        for (PortRange r : pm.ranges()) {
            if (r.name().equals(project)) {
                return project;
            }
            names.add(r.name());
        }
        throw new IllegalArgumentException("project " + project + " has no range of its own (the ranges: "
                + String.join(", ", names) + "); give range to summarize one of them, or nothing for all");
    }

    private Tool releasePort() {
        ToolSpec spec = ToolSpec.named("release-port", "Release a port",
                        "Release a service's port (projectName and serviceName), or a port by number (port), so "
                                + "that it can be handed out again. Releasing what is not allocated changes nothing "
                                + "and says so.")
                .string("projectName", false, "consilio", PROJECT)
                .string("serviceName", false, "old-service", SERVICE)
                .port("port", false, "the port to release, instead of projectName and serviceName")
                .choice("protocol", List.of("tcp", "udp", "both"), "with port: only the allocation serving this "
                        + "protocol; default: every protocol")
                .build();
        return new Tool(spec, false, args -> {
            Integer port = args.integer("port");
            boolean byService = args.has("projectName") || args.has("serviceName");
            if (port != null && byService) {
                throw new IllegalArgumentException("give port, or projectName and serviceName, not both");
            }
            if (port == null && !(args.has("projectName") && args.has("serviceName"))) {
                throw new IllegalArgumentException("release-port needs projectName and serviceName, or port");
            }
            if (port == null && args.has("protocol")) {
                throw new IllegalArgumentException("protocol goes with port; a service is released whatever its "
                        + "protocol");
            }
            String target = port != null ? "port " + port
                    : args.string("projectName") + "/" + args.string("serviceName");
            boolean released;
            if (port == null) {
                released = pm.release(args.string("projectName"), args.string("serviceName"));
            } else if (args.has("protocol")) {
                released = pm.release(port, Protocol.parse(args.string("protocol")));
            } else {
                released = pm.release(port);
            }
            String text = released ? "released " + target : "nothing released: " + target + " is not allocated on "
                    + pm.host() + " (environment " + pm.environment() + ")";
            return new Outcome(text, RegistryJson.release(target, released));
        });
    }

    private Tool updatePort() {
        ToolSpec spec = ToolSpec.named("update-port", "Update a port's details",
                        "Change the description or the tunnel hostname of a service's allocation; the port stays.")
                .string("projectName", true, "consilio", PROJECT)
                .string("serviceName", true, "api", SERVICE)
                .string("description", false, "Updated API server", DESCRIPTION)
                .string("cloudflareHostname", false, "api.consilio.153.se", HOSTNAME)
                .build();
        return new Tool(spec, false, args -> {
            AllocationUpdate.Builder b = AllocationUpdate.builder();
            if (args.has("description")) {
                b.description(args.string("description"));
            }
            if (args.has("cloudflareHostname")) {
                b.putMetadata(CLOUDFLARE_HOSTNAME, args.string("cloudflareHostname"));
            }
            AllocationUpdate update = b.build();
            if (update.isEmpty()) {
                throw new IllegalArgumentException("nothing to update: give description or cloudflareHostname");
            }
            Allocation a = pm.update(args.string("projectName"), args.string("serviceName"), update);
            return new Outcome("updated " + describe(a), RegistryJson.allocation(a));
        });
    }

    private Tool checkPort() {
        ToolSpec spec = ToolSpec.named("check-port", "Who holds a port",
                        "Say who holds a port: its allocation in the registry (or none), and the process listening on "
                                + "it on this machine now (or none). Use it when a server fails with \"address "
                                + "already in use\".")
                .port("port", true, "the port to look at")
                .build();
        return new Tool(spec, true, args -> {
            int port = args.integer("port");
            Optional<Allocation> allocation = pm.find(port);
            Optional<ListeningSocket> socket = probe.owner(port, Protocol.BOTH);
            String registry = allocation.map(a -> "allocated to " + describe(a)).orElse("not allocated");
            String live = socket.map(s -> s.process().map(p -> "held by " + p)
                    .orElse("held by a process this user cannot see")).orElse("nothing listens");
            return new Outcome("port " + port + ": " + registry + "; " + live,
                    MachineJson.portHolder(port, allocation, socket));
        });
    }

    private Tool findConflicts() {
        ToolSpec spec = ToolSpec.named("find-conflicts", "Find port conflicts",
                        "List allocated ports held by a process other than the expected one, each with what to do.")
                .build();
        return new Tool(spec, true, args -> {
            AuditReport r = pm.audit();
            List<String> lines = new ArrayList<>();
            for (AuditReport.Conflict c : r.conflicts()) {
                lines.add(c.message() + "; " + c.suggestion());
            }
            String text = !lines.isEmpty() ? String.join("\n", lines)
                    : r.sawSockets() ? "no conflicts" : "no conflicts seen (no socket table: owners unknown)";
            return new Outcome(text, wrap("conflicts", MachineJson.conflicts(r.conflicts())));
        });
    }

    private Tool env() {
        ToolSpec spec = ToolSpec.named("env", "A project's port variables",
                        "Environment variables for a project's ports, to pass to the servers it starts: "
                                + "PROJECT_SERVICE_PORT for each port, and PROJECT_SERVICE_URL for TCP ones.")
                .string("projectName", false, "consilio", "the project; leave it out for every project")
                .build();
        return new Tool(spec, true, args -> {
            String project = args.string("projectName");
            EnvExport env = pm.environment(project);
            String text = env.variables().isEmpty()
                    ? "no ports allocated" + (project == null ? "" : " for project " + project)
                    : env.dotenv().stripTrailing();
            return new Outcome(text, RegistryJson.environment(env));
        });
    }

    /** {@code consilio/api 3000/TCP on localhost (range api)}. */
    private static String describe(Allocation a) {
        return a.describe() + a.range().map(r -> " (range " + r + ")").orElse("");
    }

    private static ObjectNode wrap(String field, JsonNode array) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set(field, array);
        return n;
    }
}
