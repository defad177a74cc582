package dev.portmanager.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The HttpApp example, run twice as a user runs it: it serves on its port, and gets the same port again. */
class HttpAppIT {
    @TempDir
    Path dir;

    private String runOnce() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", ExamplesJar.path().toString(), HttpApp.class.getName(), "examples", "http-app")
                .directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("PORTMANAGER_STORE", "json:" + dir.resolve("ports.json"));
        Process app = pb.start();
        try {
            String first = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            String url = first.substring("serving ".length());
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            return url + " -> " + response.body().trim();
        } finally {
            app.destroy();
            app.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(120)
    void theAppServesOnItsPort_andGetsTheSamePortOnRestart() throws Exception {
        String first = runOnce();
        String again = runOnce();
        assertEquals(first, again);
    }
}
