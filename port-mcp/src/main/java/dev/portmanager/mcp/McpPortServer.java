package dev.portmanager.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portmanager.PortManager;
import dev.portmanager.probe.SystemProbe;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The registry as Model Context Protocol tools, for agents that start servers: {@code get-port},
 * {@code allocate-port}, {@code list-ports}, {@code audit-ports}, {@code port-summary}, {@code release-port},
 * {@code update-port}, {@code check-port}, {@code find-conflicts} and {@code env}, served over a pair of streams, one
 * JSON-RPC message per line (MCP's stdio transport).
 *
 * <pre>{@code
 * try (PortManager pm = PortManager.builder().probe(probe).build()) {
 *     McpPortServer.builder(pm).probe(probe).build().serve(System.in, System.out);   // until stdin ends
 * }
 * }</pre>
 *
 * <p>Each tool answers with a short text and, as structured content, the JSON form the {@code portman} CLI prints with
 * {@code --json} (port-wire's). A call that fails (a bad argument, a full range, a port held by another process)
 * answers a tool error ({@code isError}) with the CLI's message, and {@code {"error": kind, "message": ...}} as
 * structured content; a line that is no valid JSON-RPC message is answered with a JSON-RPC error. Neither stops the
 * server: it serves until its input ends.
 *
 * <p>Thread-safe: {@link #serve} may run on several pairs of streams at once, each a session of its own, over the one
 * manager. Nothing but the protocol is written to the output stream; the server logs through slf4j, and a process
 * serving on its stdout must send its logging elsewhere (slf4j-simple writes to stderr).
 */
public final class McpPortServer {
    private final PortManager manager;
    private final SystemProbe probe;
    private final String name;
    private final String version;

    private McpPortServer(Builder b) {
        this.manager = b.manager;
        this.probe = b.probe != null ? b.probe : SystemProbe.create();
        this.name = b.name;
        this.version = b.version;
    }

    /**
     * A builder for a server over the manager, which the server uses but never closes.
     *
     * @throws NullPointerException if the manager is null
     */
    public static Builder builder(PortManager manager) {
        return new Builder(manager);
    }

    /**
     * Serves one client on the streams: reads its messages from {@code in} and writes the answers to {@code out}, until
     * {@code in} ends; requests still being handled then are answered first (30 s at most). Input that cannot be
     * read any more (an {@code IOException}) ends the serving as its end does, logged at warn; output that cannot be
     * written loses the answers, logged at debug. The streams are not closed.
     *
     * @throws NullPointerException if a stream is null
     */
    public void serve(InputStream in, OutputStream out) {
        Objects.requireNonNull(in, "in == null");
        Objects.requireNonNull(out, "out == null");
        ObjectMapper json = new ObjectMapper();
        JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(json);
        StdioTransport transport = new StdioTransport(mapper, json, in, out);
        List<McpServerFeatures.SyncToolSpecification> specs = new ArrayList<>();
        for (PortTools.Tool tool : new PortTools(manager, probe).all()) {
            specs.add(ToolCalls.specification(tool, mapper));
        }
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo(name, version)
                .instructions("Port Manager's registry of which service owns which port on this machine. Before "
                        + "starting a server, call get-port with its project and service, and start it on that "
                        + "port: the same port comes back on every call, and no other service is handed it. "
                        + "check-port says who holds a port when a server fails with 'address already in use'; "
                        + "release-port frees a port that is no longer needed.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .jsonMapper(mapper)
                .jsonSchemaValidator(new DefaultJsonSchemaValidator(json))
                // The tools check their own arguments, so that a refusal names the argument as the CLI would.
                .validateToolInputs(false)
                .tools(specs)
                .build();
        try {
            transport.run();
        } finally {
            server.closeGracefully();
        }
    }

    /** Sets up a server; not thread-safe, reusable. */
    public static final class Builder {
        private final PortManager manager;
        private SystemProbe probe;
        private String name = "portmanager";
        private String version = defaultVersion();

        private Builder(PortManager manager) {
            this.manager = Objects.requireNonNull(manager, "manager == null");
        }

        /**
         * The probe {@code check-port} asks who listens on a port; default: a new {@link SystemProbe}. Give the
         * manager's own to share what it has learned.
         *
         * @throws NullPointerException if the probe is null
         */
        public Builder probe(SystemProbe probe) {
            this.probe = Objects.requireNonNull(probe, "probe == null");
            return this;
        }

        /**
         * The name and version the server gives clients when they connect; default {@code portmanager} and the
         * library's version.
         *
         * @throws NullPointerException     if an argument is null
         * @throws IllegalArgumentException if an argument is blank
         */
        public Builder serverInfo(String name, String version) {
            this.name = nonBlank(name, "name");
            this.version = nonBlank(version, "version");
            return this;
        }

        /** The server. */
        public McpPortServer build() {
            return new McpPortServer(this);
        }

        private static String nonBlank(String value, String what) {
            Objects.requireNonNull(value, what + " == null");
            if (value.isBlank()) {
                throw new IllegalArgumentException("the server's " + what + " is blank; give one, such as "
                        + (what.equals("name") ? "portmanager" : "1.0"));
            }
            return value;
        }

        private static String defaultVersion() {
            String v = McpPortServer.class.getPackage().getImplementationVersion();
            return v == null ? "development" : v;
        }
    }
}
