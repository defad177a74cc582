package dev.portmanager.server;

import dev.portmanager.PortManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A server bound to every address: every route but the dashboard page needs the token, which must exist already. */
class BeyondLoopbackTest {
    @TempDir
    Path dir;

    @Test
    void start_onEveryAddressWithoutATokenFile_refusesAndCreatesNone() {
        Path token = dir.resolve("home").resolve("server.token");
        try (PortManager pm = PortManager.builder().store("memory:").build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> PortServer.builder(pm).bind("0.0.0.0").port(0).monitor(null).tokenFile(token).start());

            assertEquals("refusing to listen on 0.0.0.0 without a token: " + token + " does not exist, and a server "
                    + "reachable from other machines does not make up a token nobody has seen; start it once on "
                    + "127.0.0.1 to create one, or give --token-file", e.getMessage());
            assertFalse(Files.exists(token));
        }
    }

    @Test
    void reads_onEveryAddress_needTheToken_butThePageDoesNot() {
        try (TestServer t = TestServer.start(dir, b -> b.bind("0.0.0.0").token(TestServer.TOKEN))) {
            TestServer.Response anonymous = t.get("/ports");
            TestServer.Response withToken = t.send(HttpRequest.newBuilder(t.uri("/ports"))
                    .header("Authorization", "Bearer " + TestServer.TOKEN));

            assertEquals(401, anonymous.status());
            assertEquals("unauthorized: this server listens beyond loopback and needs a token: send Authorization: "
                    + "Bearer <the server's token>", anonymous.error());
            assertEquals(200, withToken.status());
            assertEquals(200, t.get("/").status());
            assertEquals(200, t.get("/dashboard.js").status());
        }
    }
}
