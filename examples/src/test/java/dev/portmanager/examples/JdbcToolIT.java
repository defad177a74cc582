package dev.portmanager.examples;

import dev.portmanager.store.jdbc.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JDBC example on a real PostgreSQL server, run for two hosts and twice for one. */
class JdbcToolIT {

    private static List<String> run(String url, String host) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                ExamplesJar.path().toString(), JdbcTool.class.getName(), url, host, "consilio", "web", "api", "worker")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }

    @Test
    @Timeout(180)
    void hostsShareOneRegistry_eachWithItsOwnPorts_theSameOnEveryRun() throws Exception {
        String url = TestPostgres.get().newSchemaUrl();
        List<String> first = run(url, "build-1");
        assertEquals(List.of("build-1 consilio/web 8080", "build-1 consilio/api 3000", "build-1 consilio/worker 1024"),
                first.subList(0, 3));
        List<String> second = run(url, "build-2");
        assertEquals(List.of("build-2 consilio/web 8080", "build-2 consilio/api 3000", "build-2 consilio/worker 1024"),
                second.subList(0, 3), "another host: the same numbers are free there");
        assertTrue(second.get(3).endsWith(" holds 6 allocations of 2 hosts: build-1, build-2"), second.get(3));
        assertEquals(first.subList(0, 3), run(url, "build-1").subList(0, 3), "the same ports on every run");
    }
}
