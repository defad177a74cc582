package dev.portmanager.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portmanager.PortManager;
import dev.portmanager.PortManagerBuilder;
import dev.portmanager.probe.SystemProbe;
import dev.portmanager.store.json.JsonFileStore;
import dev.portmanager.testing.FreeSpan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A server for one test: a JSON registry in a temporary folder with a range of its own ({@code srv}, 20 ports free
 * now, unless told otherwise), listening on a free loopback port, with a known token; and a JDK {@link HttpClient}
 * to call it.
 */
final class TestServer implements AutoCloseable {
    static final String TOKEN = "test-token-0123456789-abcdefghijklmnopqrstuvwxyz";
    static final ObjectMapper JSON = new ObjectMapper();

    final Path registry;
    final int first;
    final int last;
    final PortManager pm;
    final PortServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(Path dir, int span, SystemProbe probe, Consumer<PortServer.Builder> settings) {
        this.registry = dir.resolve("ports.json");
        this.first = FreeSpan.find(span);
        this.last = first + span - 1;
        PortManagerBuilder pb = PortManager.builder().store(JsonFileStore.open(registry)).range("srv", first, last);
        if (probe != null) {
            pb.probe(probe);
        }
        this.pm = pb.build();
        PortServer.Builder b = PortServer.builder(pm).port(0).historyPoll(Duration.ofMillis(100));
        if (probe != null) {
            b.probe(probe);
        }
        settings.accept(b);
        if (!b.monitorSet()) {
            b.monitor(null);
        }
        this.server = b.start();
    }

    /** A server on 127.0.0.1 with {@link #TOKEN}. */
    static TestServer start(Path dir) {
        return start(dir, b -> b.token(TOKEN));
    }

    /** A server with these settings (port 0, no monitor and a fast history poll already set). */
    static TestServer start(Path dir, Consumer<PortServer.Builder> settings) {
        return new TestServer(dir, 20, null, settings);
    }

    /** A server whose range {@code srv} has {@code span} ports. */
    static TestServer start(Path dir, int span, Consumer<PortServer.Builder> settings) {
        return new TestServer(dir, span, null, settings);
    }

    /** A server whose manager reads the OS socket table (so that its audit sees conflicts). */
    static TestServer withSystemProbe(Path dir, Consumer<PortServer.Builder> settings) {
        return new TestServer(dir, 20, SystemProbe.create(), settings);
    }

    /** The registry as a store URI, for another process. */
    String storeUri() {
        return "json:" + registry;
    }

    URI uri(String path) {
        return server.uri().resolve(path);
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** A change with the token and a JSON body. */
    Response write(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN);
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return send(b);
    }

    Response post(String path, String json) {
        return write("POST", path, json);
    }

    Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        pm.close();
    }

    /** An answer: status, body, headers. */
    record Response(int status, String body, HttpHeaders headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + body, e);
            }
        }

        /** {@code {"error": kind, "message": message}} as a string, to compare whole. */
        String error() {
            JsonNode n = json();
            return n.path("error").asText() + ": " + n.path("message").asText();
        }
    }
}
