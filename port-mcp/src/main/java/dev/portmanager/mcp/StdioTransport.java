package dev.portmanager.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * MCP over a pair of streams, one JSON-RPC message per line, for one client: what a server started by an MCP client
 * speaks on its stdin and stdout.
 *
 * <p>Unlike the SDK's stdio transport, which stops reading at the first line it cannot parse and ends the session when
 * an error escapes a handler, this one answers a bad line with a JSON-RPC error ({@code -32700} for a line that is not
 * JSON, {@code -32600} for JSON that is not a valid request) and contains every failure to the message that caused
 * it: the server keeps serving until its input ends. Messages are handled concurrently; each response is written
 * whole, as one line, under a lock. Thread-safe; {@link #run()} is called once.
 */
final class StdioTransport implements McpServerTransportProvider {
    private static final Logger LOG = LoggerFactory.getLogger(StdioTransport.class);

    /** Longest line read; a longer one is refused (and skipped) rather than buffered. */
    static final int MAX_LINE = 4 * 1024 * 1024;
    /** How long requests still being handled when the input ends may take to answer. */
    private static final long DRAIN_SECONDS = 30;

    private final McpJsonMapper mapper;
    private final ObjectMapper json;
    private final Reader in;
    private final OutputStream out;
    private final Object writeLock = new Object();
    /** One party for {@link #run()} and one for each message being handled. */
    private final Phaser inFlight = new Phaser(1);
    private volatile McpServerSession session;
    private volatile boolean closed;

    StdioTransport(McpJsonMapper mapper, ObjectMapper json, InputStream in, OutputStream out) {
        this.mapper = mapper;
        this.json = json;
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
    }

    @Override
    public void setSessionFactory(McpServerSession.Factory factory) {
        session = factory.create(new Transport());
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        McpServerSession s = session;
        return s == null ? Mono.error(new IllegalStateException("no session to notify yet"))
                : s.sendNotification(method, params);
    }

    @Override
    public Mono<Void> closeGracefully() {
        closed = true;
        McpServerSession s = session;
        return s == null ? Mono.empty() : s.closeGracefully();
    }

    /**
     * Reads and handles messages until the input ends (or fails), then waits, a bounded time, for the requests still
     * being handled to answer.
     */
    void run() {
        if (session == null) {
            throw new IllegalStateException("no session: the server must be built on this transport first");
        }
        StringBuilder line = new StringBuilder();
        boolean tooLong = false;
        try {
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    if (tooLong) {
                        answer(null, McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid request: a message longer than "
                                + MAX_LINE + " characters was skipped");
                    } else {
                        handle(line.toString());
                    }
                    line.setLength(0);
                    tooLong = false;
                } else if (line.length() < MAX_LINE) {
                    line.append((char) c);
                } else {
                    tooLong = true;
                }
            }
            if (!tooLong) {
                handle(line.toString());
            }
        } catch (IOException e) {
            LOG.warn("MCP input failed, so the server stops: {}", e.toString());
        }
        drain();
    }

    private void drain() {
        try {
            inFlight.awaitAdvanceInterruptibly(inFlight.arrive(), DRAIN_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warn("MCP input ended with requests unanswered after {} s; they are dropped", DRAIN_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One line: answered here when it is not a message the session can take, else handed to the session. */
    private void handle(String line) {
        String text = line.strip();
        if (text.isEmpty()) {
            return;
        }
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            answer(null, McpSchema.ErrorCodes.PARSE_ERROR, "Parse error: the line is not JSON ("
                    + e.getOriginalMessage() + "); send one JSON-RPC message per line");
            return;
        }
        JsonNode id = node.isObject() && node.has("method") && validId(node.get("id")) ? node.get("id") : null;
        Refusal refusal = refusal(node);
        if (refusal != null) {
            answer(id, refusal.code(), refusal.message());
            return;
        }
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(mapper, text);
        } catch (IOException | RuntimeException e) {
            if (node.has("method")) {
                answer(id, McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid request: " + e.getMessage());
            } else {
                LOG.debug("dropped a response that cannot be read ({}): {}", e.getMessage(), text);
            }
            return;
        }
        inFlight.register();
        session.handle(message)
                .onErrorResume(e -> {
                    LOG.warn("MCP message failed, the server goes on: {} ({})", e.toString(), text);
                    return Mono.empty();
                })
                .doFinally(signal -> inFlight.arriveAndDeregister())
                .subscribe();
    }

    /** Why a message is answered with a JSON-RPC error instead of being handled. */
    private record Refusal(int code, String message) {
        static Refusal invalid(String why) {
            return new Refusal(McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid request: " + why);
        }
    }

    /**
     * What makes a JSON value no JSON-RPC 2.0 message the session can take, or a tool call whose parameters it cannot
     * read; null when nothing does.
     */
    private static Refusal refusal(JsonNode node) {
        if (!node.isObject()) {
            return Refusal.invalid("a message is one JSON object (batches are not part of MCP)");
        }
        if (!"2.0".equals(node.path("jsonrpc").textValue())) {
            return Refusal.invalid("jsonrpc must be \"2.0\"");
        }
        if (!node.has("method")) {
            return node.has("result") || node.has("error") ? null : Refusal.invalid("a message has a method (a "
                    + "request or notification), or a result or an error (a response)");
        }
        if (!node.get("method").isTextual()) {
            return Refusal.invalid("method must be a string");
        }
        if (node.has("id") && !validId(node.get("id"))) {
            return Refusal.invalid("id must be a string or an integer");
        }
        JsonNode params = node.get("params");
        if (params != null && !params.isObject() && !params.isNull()) {
            return Refusal.invalid("params must be an object");
        }
        if (McpSchema.METHOD_TOOLS_CALL.equals(node.get("method").textValue())) {
            JsonNode name = node.path("params").path("name");
            JsonNode arguments = node.path("params").path("arguments");
            if (!name.isTextual()) {
                return new Refusal(McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid params: name must be the tool's "
                        + "name, a string such as \"get-port\"");
            }
            if (!arguments.isMissingNode() && !arguments.isNull() && !arguments.isObject()) {
                return new Refusal(McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid params: arguments must be an "
                        + "object of the tool's arguments, such as {\"projectName\": \"consilio\"}");
            }
        }
        return null;
    }

    /** MCP's request ids: a string or an integer (JSON-RPC's null is not one). */
    private static boolean validId(JsonNode id) {
        return id != null && (id.isTextual() || id.isIntegralNumber() && id.canConvertToLong());
    }

    /** Writes a JSON-RPC error response. */
    private void answer(JsonNode id, int code, String message) {
        ObjectNode response = json.createObjectNode().put("jsonrpc", "2.0");
        response.set("id", id);
        response.putObject("error").put("code", code).put("message", message);
        LOG.debug("answered a bad MCP message: {}", message);
        try {
            write(json.writeValueAsString(response));
        } catch (IOException e) {
            LOG.debug("could not answer a bad MCP message: {}", e.toString());
        }
    }

    private void write(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (writeLock) {
            out.write(bytes);
            out.flush();
        }
    }

    /** The session's side: sends its messages as lines. */
    private final class Transport implements McpServerTransport {
        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return Mono.fromCallable(() -> {
                if (closed) {
                    LOG.debug("MCP transport closed; not sent: {}", message);
                    return null;
                }
                String line = mapper.writeValueAsString(message);
                try {
                    write(line);
                } catch (IOException e) {
                    LOG.debug("MCP output failed (is the client gone?); not sent: {} ({})", message, e.toString());
                }
                return null;
            }).then();
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
            return mapper.convertValue(data, type);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.fromRunnable(() -> closed = true);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
