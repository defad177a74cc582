package dev.portmanager.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code portman serve} run as a user runs it: its own port in the registry, the token file, a change over HTTP. */
class PortmanServeIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void serve_registersItsOwnPort_createsTheToken_andServesChanges() throws Exception {
        Path token = dir.resolve("pm").resolve("server.token");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", PortmanJar.jar().toString()));
        cmd.addAll(List.of(PortmanJar.onStoreIn(dir, "--json", "serve", "--token-file", token.toString(),
                "--monitor", "0")));
        Process serve = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(),
                    StandardCharsets.UTF_8));
            JsonNode started = JSON.readTree(out.readLine());
            int port = started.get("port").asInt();
            assertEquals("http://127.0.0.1:" + port, started.get("url").asText());
            assertEquals(token.toString(), started.get("token_file").asText());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(token)));

            PortmanJar.Result list = PortmanJar.run(dir, Map.of(), PortmanJar.onStoreIn(dir, "--json", "show",
                    "portmanager", "server"));
            assertEquals(0, list.exit(), list.toString());
            assertEquals(port, list.json().get("port").asInt());
            assertEquals(serve.pid(), list.json().get("process_id").asLong());

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> got = http.send(HttpRequest.newBuilder(URI.create(started.get("url").asText()
                            + "/get-or-allocate")).header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + Files.readString(token).strip())
                            .POST(HttpRequest.BodyPublishers.ofString("{\"project\": \"web\", \"service\": \"app\"}"))
                            .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, got.statusCode(), got.body());
            PortmanJar.Result show = PortmanJar.run(dir, Map.of(), PortmanJar.onStoreIn(dir, "get", "web", "app"));
            assertEquals(JSON.readTree(got.body()).get("port").asText(), show.out().strip());
        } finally {
            serve.destroy();
            assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "portman serve did not stop on SIGTERM");
        }
    }
}
