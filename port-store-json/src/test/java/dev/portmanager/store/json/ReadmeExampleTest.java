package dev.portmanager.store.json;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's quick start is compiled and run as a user would run it: on the default store, a JSON file in the home
 * folder (a temporary one here), twice, as two runs of the program.
 */
class ReadmeExampleTest {
    private static final Path README = Path.of("..", "README.md");

    static String quickStart() throws IOException {
        List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
        StringBuilder code = new StringBuilder();
        boolean marked = false;
        boolean inside = false;
        for (String line : lines) {
            if (line.startsWith("<!-- quickstart")) {
                marked = true;
            } else if (marked && !inside && line.startsWith("```java")) {
                inside = true;
            } else if (inside && line.startsWith("```")) {
                return code.toString();
            } else if (inside) {
                code.append(line).append('\n');
            }
        }
        throw new AssertionError("README.md has no ```java block after <!-- quickstart -->");
    }

    @Test
    void quickStart_compilesAndPrintsTheSamePorts_onEveryRun(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(System.getenv("PORTMANAGER_STORE") == null, "PORTMANAGER_STORE overrides the default");
        Path source = dir.resolve("QuickStart.java");
        Files.writeString(source, quickStart());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, null, errors, "-d", dir.toString(), "-cp", System.getProperty("java.class.path"),
                source.toString());
        assertEquals(0, status, errors.toString(StandardCharsets.UTF_8));

        Path home = Files.createDirectories(dir.resolve("home"));
        String realHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            String first = run(dir);
            Matcher m = Pattern.compile("consilio/api -> (\\d+) \\(again: (\\d+)\\), consilio/web -> (\\d+)")
                    .matcher(first);
            assertTrue(m.matches(), first);
            assertEquals(m.group(1), m.group(2), "getOrAllocate is idempotent");
            int api = Integer.parseInt(m.group(1));
            int web = Integer.parseInt(m.group(3));
            assertTrue(api >= 3000 && api <= 3099, "api from the api range: " + api);
            assertTrue(web >= 8080 && web <= 8099, "web from the web range: " + web);
            assertTrue(Files.isRegularFile(home.resolve(".portmanager/ports.json")));
            assertEquals(first, run(dir), "the second run gets the same ports from the file");
        } finally {
            System.setProperty("user.home", realHome);
        }
    }

    private String run(Path classes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            Method main = loader.loadClass("QuickStart").getMethod("main", String[].class);
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8).trim();
    }
}
