package dev.portmanager;

import com.sun.net.httpserver.HttpServer;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health checks against real servers on the loopback address: a ServerSocket and the JDK's HTTP server. */
class HealthCheckTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private HttpServer http;
    private String base;

    @BeforeEach
    void startServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        http.createContext("/ok", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        http.createContext("/down", exchange -> {
            byte[] body = "database down".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "/elsewhere");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        http.createContext("/slow", exchange -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        http.start();
        base = "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        http.stop(0);
    }

    @Test
    void tcp_toAListeningPort_isHealthy() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            HealthResult r = HealthCheck.tcp("127.0.0.1", s.getLocalPort(), TIMEOUT);
            assertEquals(HealthStatus.HEALTHY, r.status());
            assertEquals("accepted a TCP connection on 127.0.0.1:" + s.getLocalPort(), r.detail());
            assertEquals(OptionalInt.empty(), r.httpStatus());
            assertTrue(r.healthy());
            assertFalse(r.latency().isNegative());
        }
    }

    @Test
    void tcp_toLocalhost_findsAServiceOnAnyOfItsAddresses() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            HealthResult r = HealthCheck.tcp("localhost", s.getLocalPort(), TIMEOUT);
            assertEquals(HealthStatus.HEALTHY, r.status());
            assertEquals("accepted a TCP connection on localhost:" + s.getLocalPort(), r.detail());
        }
    }

    @Test
    void tcp_toAPortNothingListensOn_isNotRunning() {
        int port = FreeSpan.find(1);
        HealthResult r = HealthCheck.tcp("127.0.0.1", port, TIMEOUT);
        assertEquals(HealthStatus.NOT_RUNNING, r.status());
        assertEquals("nothing listens on 127.0.0.1:" + port + " (connection refused)", r.detail());
    }

    @Test
    void tcp_toAServerWhoseBacklogIsFull_timesOutUnhealthy() throws IOException {
        List<Socket> filling = new ArrayList<>();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            boolean full = false;
            for (int i = 0; i < 16 && !full; i++) {
                Socket c = new Socket();
                filling.add(c);
                try {
                    c.connect(new InetSocketAddress("127.0.0.1", s.getLocalPort()), 200);
                } catch (SocketTimeoutException e) {
                    full = true;
                }
            }
            Assumptions.assumeTrue(full, "this kernel kept accepting connections beyond the backlog");
            HealthResult r = HealthCheck.tcp("127.0.0.1", s.getLocalPort(), Duration.ofMillis(200));
            assertEquals(HealthStatus.UNHEALTHY, r.status());
            assertEquals("no TCP connection to 127.0.0.1:" + s.getLocalPort() + " within 200 ms", r.detail());
            assertTrue(r.latency().toMillis() >= 190, r.latency().toString());
        } finally {
            for (Socket c : filling) {
                c.close();
            }
        }
    }

    @Test
    void http_200_isHealthy_withTheStatusAndTheLatency() {
        HealthResult r = HealthCheck.http(URI.create(base + "/ok"), TIMEOUT);
        assertEquals(HealthStatus.HEALTHY, r.status());
        assertEquals(OptionalInt.of(200), r.httpStatus());
        assertEquals("HTTP 200 from " + base + "/ok", r.detail());
        assertTrue(r.latency().compareTo(TIMEOUT) < 0);
        assertTrue(r.toString().startsWith("HEALTHY in "), r.toString());
    }

    @Test
    void http_503_isUnhealthy() {
        HealthResult r = HealthCheck.http(URI.create(base + "/down"), TIMEOUT);
        assertEquals(HealthStatus.UNHEALTHY, r.status());
        assertEquals(OptionalInt.of(503), r.httpStatus());
        assertEquals("HTTP 503 from " + base + "/down", r.detail());
    }

    @Test
    void http_redirect_isHealthy_andNotFollowed() {
        HealthResult r = HealthCheck.http(URI.create(base + "/moved"), TIMEOUT);
        assertEquals(HealthStatus.HEALTHY, r.status());
        assertEquals(OptionalInt.of(302), r.httpStatus());
    }

    @Test
    void http_slowerThanTheTimeout_isUnhealthy() {
        HealthResult r = HealthCheck.http(URI.create(base + "/slow"), Duration.ofMillis(300));
        assertEquals(HealthStatus.UNHEALTHY, r.status());
        assertEquals("no answer from " + base + "/slow within 300 ms", r.detail());
        assertEquals(OptionalInt.empty(), r.httpStatus());
    }

    @Test
    void http_toAPortNothingListensOn_isNotRunning() {
        int port = FreeSpan.find(1);
        String url = "http://127.0.0.1:" + port + "/health";
        HealthResult r = HealthCheck.http(URI.create(url), TIMEOUT);
        assertEquals(HealthStatus.NOT_RUNNING, r.status());
        assertEquals("nothing listens at " + url + " (connection refused)", r.detail());
    }

    @Test
    void badArguments_areRefusedWithTheValueAndTheFix() {
        assertEquals("health endpoint 'ftp://127.0.0.1/x' is not an absolute http or https URL with a host; give one "
                + "such as http://localhost:8080/health", assertThrows(IllegalArgumentException.class,
                () -> HealthCheck.http(URI.create("ftp://127.0.0.1/x"), TIMEOUT)).getMessage());
        assertEquals("health endpoint '/health' is not an absolute http or https URL with a host; give one such as "
                + "http://localhost:8080/health", assertThrows(IllegalArgumentException.class,
                () -> HealthCheck.http(URI.create("/health"), TIMEOUT)).getMessage());
        assertEquals("timeout PT0S is not positive; give at least a millisecond, such as Duration.ofSeconds(2)",
                assertThrows(IllegalArgumentException.class,
                        () -> HealthCheck.http(URI.create(base + "/ok"), Duration.ZERO)).getMessage());
        assertEquals("timeout PT-1S is not positive; give at least a millisecond, such as Duration.ofSeconds(2)",
                assertThrows(IllegalArgumentException.class,
                        () -> HealthCheck.tcp("localhost", 80, Duration.ofSeconds(-1))).getMessage());
        assertEquals("host ' ' is blank; give a name or address such as localhost",
                assertThrows(IllegalArgumentException.class, () -> HealthCheck.tcp(" ", 80, TIMEOUT)).getMessage());
        assertEquals("port 0 is outside 1-65535; ports are numbered 1 to 65535",
                assertThrows(IllegalArgumentException.class, () -> HealthCheck.tcp("localhost", 0, TIMEOUT))
                        .getMessage());
        assertEquals("url == null", assertThrows(NullPointerException.class, () -> HealthCheck.http(null, TIMEOUT))
                .getMessage());
        assertEquals("timeout == null", assertThrows(NullPointerException.class,
                () -> HealthCheck.tcp("localhost", 80, null)).getMessage());
    }

    @Test
    void result_refusesANegativeLatency() {
        assertEquals("latency PT-0.001S is negative", assertThrows(IllegalArgumentException.class,
                () -> new HealthResult(HealthStatus.HEALTHY, Duration.ofMillis(-1), "x", OptionalInt.empty()))
                .getMessage());
    }
}
