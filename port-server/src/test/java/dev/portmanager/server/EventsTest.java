package dev.portmanager.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** {@code /events} and the webhook: every change by any process of the registry, and the monitor's findings. */
class EventsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void events_reportChangesOfThisProcessAndOfAnotherJvm() throws Exception {
        try (TestServer t = TestServer.start(dir);
             EventStream events = new EventStream(t.http, t.uri("/events")).awaitConnected()) {
            HttpResponse<Stream<String>> stream = events.response();
            assertEquals(200, stream.statusCode());
            assertEquals("text/event-stream", stream.headers().firstValue("Content-Type").orElse("")
                    .replaceFirst(";.*", ""));

            int web = t.post("/get-or-allocate", "{\"project\": \"shop\", \"service\": \"web\", \"range\": \"srv\"}")
                    .json().get("port").asInt();
            JsonNode allocated = events.next(e -> e.get("project").asText().equals("shop"), WAIT);
            assertEquals("allocated", allocated.get("event").asText());
            assertEquals(web, allocated.get("port").asInt());
            assertEquals("web", allocated.get("service").asText());

            List<Integer> other = OtherProcess.ports(OtherProcess.start(t.storeUri(), "other", "srv", "api", 1,
                    false));
            JsonNode fromOther = events.next(e -> e.get("project").asText().equals("other"), WAIT);
            assertEquals("allocated", fromOther.get("event").asText());
            assertEquals((int) other.get(0), fromOther.get("port").asInt());
            assertEquals("api-0", fromOther.get("service").asText());

            t.pm.release("shop", "web");
            JsonNode released = events.next(e -> e.get("event").asText().equals("released"), WAIT);
            assertEquals(web, released.get("port").asInt());
        }
    }

    @Test
    void events_reportTheMonitorsFindings() throws Exception {
        try (TestServer t = TestServer.start(dir, b -> b.token(TestServer.TOKEN).monitor(Duration.ofMillis(300)));
             EventStream events = new EventStream(t.http, t.uri("/events")).awaitConnected()) {
            int port = t.post("/get-or-allocate", "{\"project\": \"shop\", \"service\": \"down\", \"range\": "
                    + "\"srv\"}").json().get("port").asInt();

            JsonNode zombie = events.next(e -> e.get("event").asText().equals("zombie"), WAIT);

            assertEquals(port, zombie.get("port").asInt());
            assertEquals("nothing listens on the port", zombie.get("detail").asText());
        }
    }

    @Test
    void webhook_getsEachEvent_andARefusedPostIsRetried() throws Exception {
        BlockingQueue<String> posts = new LinkedBlockingQueue<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/hook", exchange -> {
            int call = calls.incrementAndGet();
            posts.add(exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(call == 1 ? 500 : 204, -1);
            exchange.close();
        });
        hook.start();
        URI url = URI.create("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
        try (TestServer t = TestServer.start(dir, b -> b.token(TestServer.TOKEN).webhook(url))) {
            int port = t.post("/allocate", "{\"project\": \"hooked\", \"service\": \"api\", \"range\": \"srv\"}")
                    .json().get("port").asInt();

            String refused = posts.poll(30, TimeUnit.SECONDS);
            String retried = posts.poll(30, TimeUnit.SECONDS);

            assertNotNull(retried, "no retry after a 500");
            assertEquals(refused, retried);
            JsonNode event = TestServer.JSON.readTree(retried.substring(retried.indexOf(' ') + 1));
            assertEquals("application/json", retried.substring(0, retried.indexOf(' ')));
            assertEquals("allocated", event.get("event").asText());
            assertEquals(port, event.get("port").asInt());
            assertEquals(2, calls.get());
        } finally {
            hook.stop(0);
        }
    }
}
