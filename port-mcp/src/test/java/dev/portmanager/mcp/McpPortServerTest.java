package dev.portmanager.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portmanager.PortManager;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server in this JVM over a pair of streams, spoken to line by line as a client would: bad lines are answered with
 * JSON-RPC errors and the server goes on; when the input ends it answers what is in flight and returns.
 */
@Timeout(120)
class McpPortServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":\"init\",\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"test\","
            + "\"version\":\"1\"}}}";
    private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

    private final int first = FreeSpan.find(2);
    private final PortManager pm = PortManager.builder().store("memory:").range("mcp", first, first + 1)
            .defaultRange("mcp").build();
    private final McpPortServer server = McpPortServer.builder(pm).build();

    private final PipedOutputStream toServer = new PipedOutputStream();
    private final BlockingQueue<String> fromServer = new LinkedBlockingQueue<>();
    private final List<JsonNode> unclaimed = new ArrayList<>();
    private Thread serving;

    @AfterEach
    void close() throws Exception {
        toServer.close();
        if (serving != null) {
            serving.join(TimeUnit.SECONDS.toMillis(60));
        }
        pm.close();
    }

    private void start() throws IOException {
        PipedInputStream in = new PipedInputStream(toServer, 1 << 16);
        serving = new Thread(() -> server.serve(in, new Lines(fromServer)), "mcp-server");
        serving.start();
        send(INIT);
        assertEquals("portmanager", response("init").get("result").get("serverInfo").get("name").asText());
        send(INITIALIZED);
    }

    private void send(String line) throws IOException {
        toServer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        toServer.flush();
    }

    private String call(Object id, String tool, String arguments) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + JSON.valueToTree(id) + ",\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}}";
    }

    /** The next response with this id (null: with a null id); responses may come in any order. */
    private JsonNode response(Object id) {
        JsonNode wanted = JSON.valueToTree(id);
        for (Iterator<JsonNode> it = unclaimed.iterator(); it.hasNext(); ) {
            JsonNode r = it.next();
            if (Objects.equals(r.get("id"), wanted)) {
                it.remove();
                return r;
            }
        }
        while (true) {
            String line;
            try {
                line = fromServer.poll(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertNotNull(line, "no response with id " + id + "; unclaimed: " + unclaimed);
            JsonNode r;
            try {
                r = JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("the server wrote a line that is not JSON: " + line, e);
            }
            if (Objects.equals(r.get("id"), wanted)) {
                return r;
            }
            unclaimed.add(r);
        }
    }

    private void assertError(Object id, int code, String message) {
        JsonNode r = response(id);
        assertEquals(code, r.get("error").get("code").asInt(), r.toString());
        assertEquals(message, r.get("error").get("message").asText());
    }

    private void assertPingAnswered(int id) throws IOException {
        send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}");
        assertEquals("{}", response(id).get("result").toString());
    }

    @Test
    void serve_answersEachBadLineWithAJsonRpcError_andKeepsServing() throws Exception {
        start();
        send("this is not json");
        assertError(null, -32700, "Parse error: the line is not JSON (Unrecognized token 'this': was expecting "
                + "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')); send one JSON-RPC "
                + "message per line");
        assertPingAnswered(1);
        send("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]");
        assertError(null, -32600, "Invalid request: a message is one JSON object (batches are not part of MCP)");
        send("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}");
        assertError(null, -32600, "Invalid request: id must be a string or an integer");
        send("{\"jsonrpc\":\"1.0\",\"id\":5,\"method\":\"ping\"}");
        assertError(5, -32600, "Invalid request: jsonrpc must be \"2.0\"");
        send("{\"jsonrpc\":\"2.0\",\"id\":6,\"params\":{}}");
        assertError(null, -32600, "Invalid request: a message has a method (a request or notification), or a result "
                + "or an error (a response)");
        send(call(7, "get-port", "5"));
        assertError(7, -32602, "Invalid params: arguments must be an object of the tool's arguments, such as "
                + "{\"projectName\": \"consilio\"}");
        send("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":{\"name\":3}}");
        assertError(8, -32602, "Invalid params: name must be the tool's name, a string such as \"get-port\"");
        send(call(9, "no-such-tool", "{}"));
        assertError(9, -32602, "Unknown tool: invalid_tool_name");
        send("{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"no/such/method\"}");
        assertError(10, -32601, "Method not found: no/such/method");
        send("{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":{}}");   // a response that cannot be read: dropped
        send("{\"jsonrpc\":\"2.0\",\"id\":\"never-asked\",\"result\":{}}");   // a response to nothing: dropped
        send("");
        send("   ");
        send(call("get", "get-port", "{\"projectName\":\"consilio\",\"serviceName\":\"api\"}"));
        JsonNode got = response("get").get("result");
        assertFalse(got.get("isError").asBoolean());
        assertEquals(first, got.get("structuredContent").get("port").asInt());
        assertTrue(unclaimed.isEmpty(), "unexpected messages: " + unclaimed);
    }

    @Test
    void serve_answersAFailedToolCallAsAToolError_notAProtocolError() throws Exception {
        start();
        send(call(1, "get-port", "{\"projectName\":\"consilio\"}"));
        JsonNode result = response(1).get("result");
        assertTrue(result.get("isError").asBoolean());
        assertEquals("get-port needs serviceName: the service within the project, such as \"api\" or \"web\"",
                result.get("content").get(0).get("text").asText());
        assertEquals("invalid_argument", result.get("structuredContent").get("error").asText());
        assertPingAnswered(2);
    }

    @Test
    void serve_skipsALineLongerThanItReads_andGoesOn() throws Exception {
        start();
        String tooLong = "x".repeat(StdioTransport.MAX_LINE);
        send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":\"" + tooLong + "\"}}");
        assertError(null, -32600, "Invalid request: a message longer than " + StdioTransport.MAX_LINE
                + " characters was skipped");
        assertPingAnswered(2);
    }

    @Test
    void serve_whenTheInputEnds_answersTheRequestsInFlight_andReturns() throws Exception {
        start();
        send(call(1, "get-port", "{\"projectName\":\"consilio\",\"serviceName\":\"web\"}"));
        toServer.close();
        JsonNode result = response(1).get("result");
        assertEquals("port " + first + ": consilio/web " + first + "/TCP on localhost (range mcp)",
                result.get("content").get(0).get("text").asText());
        serving.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse(serving.isAlive(), "serve did not return when its input ended");
    }

    @Test
    void serve_overEveryStream_writesOnlyJsonRpcLines() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String input = INIT + "\n" + INITIALIZED + "\n" + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}\n"
                + call(3, "audit-ports", "{}") + "\n";
        server.serve(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length, out.toString(StandardCharsets.UTF_8));
        for (String line : lines) {
            assertEquals("2.0", JSON.readTree(line).get("jsonrpc").asText(), line);
        }
    }

    @Test
    void builder_refusesABlankServerName() {
        assertEquals("the server's name is blank; give one, such as portmanager", assertThrows(
                IllegalArgumentException.class, () -> McpPortServer.builder(pm).serverInfo(" ", "1")).getMessage());
        assertEquals("manager == null", assertThrows(NullPointerException.class,
                () -> McpPortServer.builder(null)).getMessage());
    }

    /** The server's output, one line at a time into a queue. */
    private static final class Lines extends OutputStream {
        private final BlockingQueue<String> lines;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Lines(BlockingQueue<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }
}
