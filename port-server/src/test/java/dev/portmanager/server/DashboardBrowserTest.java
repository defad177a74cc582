package dev.portmanager.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portmanager.AllocationRequest;
import dev.portmanager.PortRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real headless Chromium, driven through chromedriver's W3C WebDriver protocol with the JDK's
 * HttpClient: the page shows the registry, a service another JVM allocates appears without a reload, and a
 * screenshot is saved as {@code target/dashboard.png}. Skipped when Chromium or chromedriver is not installed.
 */
class DashboardBrowserTest {
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1400,1000");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static Path find(String... names) {
        for (String name : names) {
            for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
                Path p = Path.of(d.isEmpty() ? "." : d, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    @Test
    void dashboard_showsTheRegistry_andAServiceAllocatedByAnotherJvmAppearsWithoutAReload() throws Exception {
        Path chromium = find("chromium", "chromium-browser");
        Path driver = find("chromedriver");
        assumeTrue(chromium != null && driver != null, "Chromium or chromedriver is not installed (Debian packages "
                + "chromium and chromium-driver; .ci/run installs them)");

        try (TestServer t = TestServer.withSystemProbe(dir, b -> b.token(TestServer.TOKEN));
             ServerSocket squatter = new ServerSocket(t.first + 1, 50, InetAddress.getLoopbackAddress())) {
            assertEquals(t.first + 1, squatter.getLocalPort());
            t.pm.defineRange(PortRange.of("edge", t.last - 4, t.last, "a small range, nearly full"));
            t.pm.getOrAllocate(AllocationRequest.builder("shop", "web").range("srv").description("storefront")
                    .build());
            t.pm.allocate(AllocationRequest.builder("shop", "api").port(t.first + 1).metadata("process_name",
                    "shop-api").description("REST API").alreadyListening().build());
            for (int i = 0; i < 5; i++) {
                t.pm.getOrAllocate(AllocationRequest.builder("edge", "worker-" + i).range("edge").build());
            }

            int driverPort;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                driverPort = s.getLocalPort();
            }
            Process chromedriver = new ProcessBuilder(driver.toString(), "--port=" + driverPort)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            URI wd = URI.create("http://127.0.0.1:" + driverPort);
            String session = null;
            try {
                awaitReady(wd);
                session = newSession(wd, chromium, dir.resolve("chromium-profile"));
                URI s = wd.resolve("/session/" + session + "/");
                call("POST", s.resolve("url"), "{\"url\": \"" + t.server.uri() + "/\"}");

                await(s, "return document.querySelector('tr[data-service=\"shop/web\"]') !== null"
                        + " && document.getElementById('live').textContent === 'live'");
                String page = script(s, "return document.body.innerText").asText();
                assertTrue(page.contains("storefront"), page);
                assertTrue(page.contains("above 80%"), page);
                assertTrue(page.contains("expected shop/api, found java"), page);
                assertTrue(page.contains("Resolution: move shop/api to a free port"), page);

                script(s, "window.notReloaded = 42; return true");
                List<Integer> other = OtherProcess.ports(OtherProcess.start(t.storeUri(), "remote", "srv", "job", 1,
                        false));
                await(s, "return document.querySelector('tr[data-service=\"remote/job-0\"]') !== null");

                assertEquals(42, script(s, "return window.notReloaded").asInt());
                String row = script(s, "return document.querySelector('tr[data-service=\"remote/job-0\"]')"
                        + ".innerText").asText();
                assertTrue(row.contains(other.get(0) + "/tcp"), row);
                assertTrue(script(s, "return document.getElementById('feed').innerText").asText()
                        .contains("allocated " + other.get(0) + "/tcp remote/job-0"));

                JsonNode png = call("GET", s.resolve("screenshot"), null).get("value");
                Path shot = Path.of("target", "dashboard.png");
                Files.createDirectories(shot.getParent());
                Files.write(shot, Base64.getDecoder().decode(png.asText()));
                assertTrue(Files.size(shot) > 10_000, "screenshot of " + Files.size(shot) + " bytes");
            } finally {
                if (session != null) {
                    call("DELETE", wd.resolve("/session/" + session), null);
                }
                chromedriver.destroy();
                if (!chromedriver.waitFor(10, TimeUnit.SECONDS)) {
                    chromedriver.destroyForcibly();
                }
            }
        }
    }

    private void awaitReady(URI wd) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            try {
                if (call("GET", wd.resolve("/status"), null).path("value").path("ready").asBoolean()) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        throw new AssertionError("chromedriver did not become ready in 30 s");
    }

    private String newSession(URI wd, Path chromium, Path profile) throws Exception {
        StringBuilder args = new StringBuilder();
        for (String f : FLAGS) {
            args.append('"').append(f).append("\", ");
        }
        args.append("\"--user-data-dir=").append(profile).append('"');
        JsonNode r = call("POST", wd.resolve("/session"), "{\"capabilities\": {\"alwaysMatch\": {\"browserName\": "
                + "\"chrome\", \"goog:chromeOptions\": {\"binary\": \"" + chromium + "\", \"args\": [" + args
                + "]}}}}");
        String id = r.path("value").path("sessionId").asText();
        assertTrue(!id.isEmpty(), "no session: " + r);
        return id;
    }

    private JsonNode script(URI session, String js) throws Exception {
        return call("POST", session.resolve("execute/sync"), TestServer.JSON.createObjectNode().put("script", js)
                .set("args", TestServer.JSON.createArrayNode()).toString()).get("value");
    }

    /** Polls a script until it returns true (30 s at most). */
    private void await(URI session, String js) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            if (script(session, js).asBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the page never satisfied: " + js + "; it shows: "
                + script(session, "return document.body.innerText").asText());
    }

    private JsonNode call(String method, URI uri, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode n = TestServer.JSON.readTree(r.body());
        if (r.statusCode() != 200) {
            throw new AssertionError("WebDriver " + method + " " + uri + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return n;
    }
}
