package dev.portmanager.store.json;

import dev.portmanager.PortManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an application's first getOrAllocate on a JSON registry loads, read from a real child JVM's class-loading log
 * (issue 20, start-up): no lambda class of ours (each is spun at its first use), and on a restart that declares
 * nothing and finds its port held (the start-up benchmark's program), nothing of claiming, auditing, process handles
 * or the lock watchdog; and string concatenation compiled without invokedynamic. Counts classes, never times.
 */
class StartupPathTest {
    /** Loaded only by work a restart does not do. */
    private static final List<String> NOT_ON_A_RESTART = List.of("java.lang.ProcessHandleImpl",
            "java.util.concurrent.ScheduledThreadPoolExecutor", "dev.portmanager.internal.ClaimEngine",
            "dev.portmanager.internal.Auditor");

    @Test
    void firstGetOrAllocate_spinsNoLambdaOfOurs_andARestartLoadsNoClaimingAuditingOrWatchdog(@TempDir Path dir)
            throws Exception {
        Path registry = dir.resolve("ports.json");
        List<String> fresh = classesLoaded(registry, dir.resolve("fresh.log"), "declare");
        List<String> restart = classesLoaded(registry, dir.resolve("restart.log"));

        assertEquals(List.of(), lambdasOfOurs(fresh), "lambda classes of ours on a new registry");
        assertEquals(List.of(), lambdasOfOurs(restart), "lambda classes of ours on a restart");
        assertTrue(fresh.contains("dev.portmanager.internal.ClaimEngine"), "a new registry claims a port: " + fresh);
        List<String> unwanted = new ArrayList<>();
        for (String c : NOT_ON_A_RESTART) {
            if (restart.contains(c)) {
                unwanted.add(c);
            }
        }
        assertEquals(List.of(), unwanted, "loaded on a restart");
    }

    @Test
    void coreAndJsonStore_compileStringConcatenationWithoutInvokedynamic() throws Exception {
        List<String> indy = new ArrayList<>();
        int classes = 0;
        for (Class<?> inModule : List.of(PortManager.class, JsonFileStore.class)) {
            Path location = Path.of(inModule.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location);
                 Stream<Path> files = Files.walk(jar == null ? location : jar.getPath("/"))) {
                for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".class"))::iterator) {
                    classes++;
                    // The constant pool names the bootstrap class of every indy concatenation.
                    if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)
                            .contains("java/lang/invoke/StringConcatFactory")) {
                        indy.add(f.toString());
                    }
                }
            }
        }
        assertTrue(classes > 100, "classes read: " + classes);
        assertEquals(List.of(), indy, "classes concatenating through invokedynamic (each shape spins method-handle "
                + "classes at first use): compile with -XDstringConcat=inline, as the poms of both modules say");
    }

    /** Runs {@link StartupMain} in a child JVM logging its class loading; the names of the classes it loaded. */
    private static List<String> classesLoaded(Path registry, Path log, String... declare)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(registry.toString()));
        args.addAll(List.of(declare));
        Process p = Jvm.start(List.of("-Xlog:class+load=info:file=" + log), StartupMain.class,
                args.toArray(new String[0]));
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end");
        assertEquals(0, p.exitValue(), "exit status; printed: " + out);
        assertEquals("23100", out, "the port of app/api");
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            // [0.123s][info][class,load] java.lang.Object source: shared objects file
            int start = line.indexOf("] ", line.indexOf("[class,load]")) + 2;
            int end = line.indexOf(' ', start);
            if (start > 1 && end > start) {
                names.add(line.substring(start, end));
            }
        }
        assertTrue(names.contains(StartupMain.class.getName()), "the log names the classes: " + log);
        return names;
    }

    private static List<String> lambdasOfOurs(List<String> classes) {
        List<String> out = new ArrayList<>();
        for (String c : classes) {
            if (c.startsWith("dev.portmanager.") && c.contains("$$Lambda")) {
                out.add(c);
            }
        }
        return out;
    }
}
