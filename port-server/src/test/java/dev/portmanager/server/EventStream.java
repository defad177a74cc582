package dev.portmanager.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A subscriber of {@code /events} through the JDK's HttpClient: each {@code data:} line as JSON, in order. */
final class EventStream implements AutoCloseable {
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private volatile Stream<String> lines;

    EventStream(HttpClient http, URI events) {
        this.response = http.sendAsync(HttpRequest.newBuilder(events).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> {
            lines = r.body();
            Thread reader = new Thread(() -> read(r.body()), "sse-reader");
            reader.setDaemon(true);
            reader.start();
        });
    }

    private void read(Stream<String> body) {
        try {
            body.forEach(line -> {
                if (line.startsWith(":")) {
                    connected.complete(null);
                } else if (line.startsWith("data:")) {
                    try {
                        events.add(TestServer.JSON.readTree(line.substring(5).strip()));
                    } catch (IOException e) {
                        throw new IllegalStateException("not JSON: " + line, e);
                    }
                }
            });
        } catch (RuntimeException e) {
            // The stream closed.
        }
    }

    /** Waits until the server has registered the subscription (its first comment line). */
    EventStream awaitConnected() throws Exception {
        connected.get(30, TimeUnit.SECONDS);
        return this;
    }

    /** The HTTP status and content type of the stream. */
    HttpResponse<Stream<String>> response() throws Exception {
        return response.get(30, TimeUnit.SECONDS);
    }

    /** The next event matching, skipping others; fails after the timeout. */
    JsonNode next(Predicate<JsonNode> wanted, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode e = events.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no matching event within " + timeout);
            }
            if (wanted.test(e)) {
                return e;
            }
        }
    }

    @Override
    public void close() {
        if (lines != null) {
            lines.close();
        }
        response.cancel(true);
    }
}
