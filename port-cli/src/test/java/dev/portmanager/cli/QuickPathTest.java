package dev.portmanager.cli;

import dev.portmanager.PortManager;
import dev.portmanager.PortRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command lines {@link QuickPath} runs without picocli give what picocli's run of the same line gives: the same
 * stdout, stderr and exit code, on a registry of this test's own (range quick, 27610-27619); every other line is left
 * to picocli.
 */
class QuickPathTest {
    @TempDir
    Path dir;
    private String store;

    @BeforeEach
    void registry() {
        store = "json:" + dir.resolve("ports.json");
        try (PortManager pm = PortManager.builder().store(store).build()) {
            pm.defineRange(PortRange.of("quick", 27610, 27619));
        }
    }

    @Test
    void quickLines_printAndExitAsPicocliDoes() {
        List<String[]> lines = List.of(
                args("--store", store, "get", "shop", "api", "-r", "quick"),
                args("--store=" + store, "--json", "get", "shop", "api", "--range", "quick"),
                args("get", "shop", "web", "--store", store, "--range=quick", "--json"),
                args("--store", store, "-e", "dev", "get", "-r", "quick", "shop", "api"),
                args("--store", store, "--env=test", "--host", "other.example", "get", "shop", "api", "-r", "quick"),
                // failures: a range that does not exist, a name the library refuses, with and without --json
                args("--store", store, "get", "shop", "db", "-r", "nosuch"),
                args("--store", store, "--json", "get", "shop", "db", "-r", "nosuch"),
                args("--store", store, "get", "shop", "a\u0001b", "-r", "quick"),
                args("--store", "nosuch:x", "get", "shop", "api"),
                args("--store", store, "scan", "--host", "other.example"));
        for (String[] line : lines) {
            assertNotNull(QuickPath.of(line), () -> "QuickPath takes " + String.join(" ", line));
            Run picocli = Run.of(false, line);
            Run quick = Run.of(true, line);
            assertEquals(picocli, quick, () -> String.join(" ", line));
        }
        int port = Integer.parseInt(Run.of(true, "--store", store, "get", "shop", "api", "-r", "quick").out.strip());
        assertTrue(port >= 27610 && port <= 27619, port + " is in range quick");
        Run refused = Run.of(true, "--store", store, "get", "shop", "db", "-r", "nosuch");
        assertEquals(2, refused.code);
        assertTrue(refused.err.startsWith("portman get: no range named 'nosuch'"), refused.err);
    }

    @Test
    void scan_printsTheSocketTable() {
        Run run = Run.of(true, "scan", "--json");
        assertEquals(0, run.code, run.err);
        assertTrue(run.out.startsWith("["), run.out);
        Run table = Run.of(true, "scan");
        assertTrue(table.out.startsWith("PORT"), table.out);
    }

    @Test
    void otherLines_goToPicocli() {
        List<String[]> lines = List.of(args("get", "a"), args("get", "a", "b", "c"), args("get", "a", "b", "--port",
                "5"), args("get", "a", "b", "-v"), args("--store", "x", "--store", "y", "get", "a", "b"),
                args("get", "--", "a", "b"), args("get", "@f", "a"), args("get", "a", "b", "--json", "--json"),
                args("scan", "-r", "x"), args("scan", "extra"), args("--help", "get"), args("get", "--help"),
                args("-edev", "get", "a", "b"), args("--store=", "get", "a", "b"), args("--store", "-x", "get", "a",
                        "b"), args("get", "a", "b", "-r"), args("get", "a", "b", "-r", "x", "-r", "y"),
                args("get", "", "b"), args("--json=true", "get", "a", "b"), args("list"), args());
        for (String[] line : lines) {
            assertNull(QuickPath.of(line), () -> "left to picocli: " + String.join(" ", line));
        }
    }

    private static String[] args(String... words) {
        return words;
    }

    /** One in-process run: what it printed on stdout and stderr, and its exit code. */
    private record Run(int code, String out, String err) {
        static synchronized Run of(boolean quick, String... args) {
            PrintStream stdout = System.out;
            PrintStream stderr = System.err;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code;
            try {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                code = Portman.run(quick, args.clone());
            } finally {
                System.setOut(stdout);
                System.setErr(stderr);
            }
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }
}
