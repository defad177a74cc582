package dev.portmanager.examples;

import com.sun.net.httpserver.HttpServer;
import dev.portmanager.PortClaim;
import dev.portmanager.junit.FreePort;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The example of a JUnit test class using the extension: each test gets a port no other JVM on the machine (another
 * Surefire fork, another build) is handed, released when the test ends.
 */
class HttpServerTest {

    @Test
    void servesOnAClaimedPort(@FreePort int port) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", x -> {
            byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        try {
            assertEquals("hello", get("http://127.0.0.1:" + port + "/"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void servesOnAHeldPort(@FreePort(hold = true) PortClaim claim) throws Exception {
        claim.handOff();   // the port was bound until now: nothing else on the machine could take it
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", claim.port()), 0);
        server.createContext("/", x -> {
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        server.start();
        try {
            assertEquals("", get("http://127.0.0.1:" + claim.port() + "/"));
        } finally {
            server.stop(0);
        }
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
