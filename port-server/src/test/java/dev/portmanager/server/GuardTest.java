package dev.portmanager.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token, the origin, the body's type and size: what every request passes before its route. */
class GuardTest {
    private static final String BODY = "{\"project\": \"p\", \"service\": \"s\", \"range\": \"srv\"}";

    @TempDir
    Path dir;

    private TestServer t;

    @BeforeEach
    void start() {
        t = TestServer.start(dir, b -> b.token(TestServer.TOKEN).maxBodyBytes(4096));
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private HttpRequest.Builder allocate() {
        return HttpRequest.newBuilder(t.uri("/allocate")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY));
    }

    @Test
    void aChange_withoutAToken_answers401AndChangesNothing() {
        TestServer.Response r = t.send(allocate());

        assertEquals(401, r.status());
        assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals("unauthorized: this route changes the registry and needs a token: send Authorization: Bearer "
                + "<the server's token>", r.error());
        assertTrue(t.pm.find("p", "s").isEmpty());
    }

    @Test
    void aChange_withAWrongToken_answers403AndChangesNothing() {
        TestServer.Response r = t.send(allocate().header("Authorization", "Bearer " + TestServer.TOKEN + "x"));
        TestServer.Response scheme = t.send(allocate().header("Authorization", "Basic " + TestServer.TOKEN));

        assertEquals(403, r.status());
        assertEquals("forbidden: the bearer token is not this server's; send the server's token", r.error());
        assertEquals(403, scheme.status());
        assertTrue(t.pm.find("p", "s").isEmpty());
    }

    @Test
    void aChange_withTheToken_isDone() {
        TestServer.Response r = t.send(allocate().header("Authorization", "bearer " + TestServer.TOKEN));

        assertEquals(201, r.status(), r.body());
        assertTrue(t.pm.find("p", "s").isPresent());
    }

    @Test
    void reads_onLoopback_needNoToken() {
        assertEquals(200, t.get("/ports").status());
        assertEquals(200, t.get("/").status());
    }

    @Test
    void aChange_fromAnotherSitesPage_answers403_andFromTheServersOwnPageIsDone() {
        TestServer.Response foreign = t.send(allocate().header("Authorization", "Bearer " + TestServer.TOKEN)
                .header("Origin", "http://evil.example"));
        TestServer.Response own = t.send(allocate().header("Authorization", "Bearer " + TestServer.TOKEN)
                .header("Origin", "http://127.0.0.1:" + t.server.port()));

        assertEquals(403, foreign.status());
        assertEquals("cross_origin: a page of http://evil.example may not change this registry; changes come from "
                + "programs, or from a page of the server itself", foreign.error());
        assertTrue(foreign.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertEquals(201, own.status(), own.body());
        assertTrue(own.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void aPreflight_getsNoCorsHeaders() {
        TestServer.Response r = t.send(HttpRequest.newBuilder(t.uri("/allocate"))
                .header("Origin", "http://evil.example").header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

        assertEquals(404, r.status());
        assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertTrue(r.headers().firstValue("Access-Control-Allow-Methods").isEmpty());
    }

    @Test
    void aJsonRoute_withAFormBody_answers415() {
        TestServer.Response r = t.send(HttpRequest.newBuilder(t.uri("/allocate"))
                .header("Authorization", "Bearer " + TestServer.TOKEN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("project=p&service=s")));

        assertEquals(415, r.status());
        assertEquals("unsupported_media_type: this route reads JSON: send the body with Content-Type: "
                + "application/json (got application/x-www-form-urlencoded)", r.error());
        assertTrue(t.pm.find("p", "s").isEmpty());
    }

    @Test
    void theComposeRoute_withNoContentType_answers415NotAServerError() {
        TestServer.Response r = t.send(HttpRequest.newBuilder(t.uri("/validate/compose"))
                .header("Authorization", "Bearer " + TestServer.TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("services: {}")));

        assertEquals(415, r.status());
        assertEquals("unsupported_media_type: this route reads a docker-compose file: send it with Content-Type: "
                + "application/yaml (got none)", r.error());
    }

    @Test
    void aBodyOverTheLimit_answers413() {
        String big = "{\"project\": \"p\", \"service\": \"s\", \"description\": \"" + "x".repeat(5000) + "\"}";

        TestServer.Response r = t.post("/allocate", big);

        assertEquals(413, r.status());
        assertEquals("too_large: the request body is over 4096 bytes; send a smaller one", r.error());
        assertTrue(t.pm.find("p", "s").isEmpty());
    }

    @Test
    void everyAnswer_forbidsFramingAndSniffing() {
        TestServer.Response r = t.get("/");

        assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""));
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'self'"));
    }
}
