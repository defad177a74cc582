package dev.portmanager.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Programs without a JVM get ports from the registry: curl, and a Python script using only urllib. */
class CrossLanguageTest {
    @TempDir
    Path dir;

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command; returns its exit code and output (stdout and stderr). */
    private static String[] run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish: " + out);
        }
        return new String[] {String.valueOf(p.exitValue()), out};
    }

    @Test
    void python_allocatesThroughTheServer_andTheSamePortComesBack() throws Exception {
        assumeTrue(onPath("python3"), "python3 is not on the PATH: the Python client cannot run");
        Path script = dir.resolve("allocate.py");
        try (InputStream in = getClass().getResourceAsStream("allocate.py")) {
            Files.write(script, in.readAllBytes());
        }
        try (TestServer t = TestServer.start(dir)) {
            Map<String, String> env = Map.of("PORTMANAGER_TOKEN", TestServer.TOKEN);
            String base = t.server.uri().toString();

            String[] first = run(env, "python3", script.toString(), base, "py", "worker", "srv");
            String[] again = run(env, "python3", script.toString(), base, "py", "worker", "srv");
            String[] wrong = run(Map.of("PORTMANAGER_TOKEN", "nope"), "python3", script.toString(), base, "py",
                    "other", "srv");

            assertEquals("0 " + t.first, first[0] + " " + first[1]);
            assertEquals("0 " + t.first, again[0] + " " + again[1]);
            assertEquals(t.first, t.pm.find("py", "worker").orElseThrow().port());
            assertEquals("1 HTTP 403 forbidden: the bearer token is not this server's; send the server's token",
                    wrong[0] + " " + wrong[1]);
            assertEquals(true, t.pm.find("py", "other").isEmpty());
        }
    }

    @Test
    void curl_allocatesReadsAndReleases_andWithoutTheTokenIsRefused() throws Exception {
        assumeTrue(onPath("curl"), "curl is not on the PATH");
        try (TestServer t = TestServer.start(dir)) {
            String base = t.server.uri().toString();
            List<String> auth = List.of("-H", "Authorization: Bearer " + TestServer.TOKEN);

            String[] allocated = run(Map.of(), curl(auth, "-X", "POST", "-H", "Content-Type: application/json",
                    "-d", "{\"project\": \"sh\", \"service\": \"api\", \"range\": \"srv\"}", base + "/allocate"));
            String[] shown = run(Map.of(), curl(List.of(), base + "/services/sh/api"));
            String[] anonymous = run(Map.of(), curl(List.of(), "-X", "POST", "-H", "Content-Type: application/json",
                    "-d", "{\"project\": \"sh\", \"service\": \"web\"}", base + "/allocate"));
            String[] released = run(Map.of(), curl(auth, "-X", "DELETE", base + "/services/sh/api"));

            assertEquals("0", allocated[0], allocated[1]);
            assertEquals("201", last(allocated[1]));
            assertEquals(t.first, TestServer.JSON.readTree(body(allocated[1])).get("port").asInt());
            assertEquals("200", last(shown[1]));
            assertEquals("sh", TestServer.JSON.readTree(body(shown[1])).get("project").asText());
            assertEquals("401", last(anonymous[1]));
            assertEquals("unauthorized", TestServer.JSON.readTree(body(anonymous[1])).get("error").asText());
            assertEquals("{\"target\":\"sh/api\",\"released\":true}", body(released[1]));
            assertEquals(true, t.pm.find("sh", "api").isEmpty());
        }
    }

    /** curl, silent, printing the body then the status on a line of its own. */
    private static String[] curl(List<String> headers, String... args) {
        List<String> c = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30", "-w", "\n%{http_code}"));
        c.addAll(headers);
        c.addAll(List.of(args));
        return c.toArray(new String[0]);
    }

    private static String last(String out) {
        return out.substring(out.lastIndexOf('\n') + 1);
    }

    private static String body(String out) {
        return out.substring(0, out.lastIndexOf('\n'));
    }
}
