package dev.portmanager.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code portman.jar} in a child process, as a user would. */
public final class PortmanJar {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a run printed and returned. */
    public record Result(int exit, String out, String err) {
        public JsonNode json() throws IOException {
            return JSON.readTree(out);
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private PortmanJar() {
    }

    public static Path jar() {
        String jar = System.getProperty("portman.jar");
        if (jar == null) {
            throw new IllegalStateException("portman.jar is not set: run these tests with mvn verify (failsafe)");
        }
        return Path.of(jar);
    }

    /** The arguments after {@code --store json:<dir>/ports.json}: a test's own registry in its temporary folder. */
    public static String[] onStoreIn(Path dir, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--store";
        all[1] = "json:" + dir.resolve("ports.json");
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }

    public static Result run(Path workingDir, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workingDir.toFile());
        pb.environment().remove("PORTMANAGER_STORE");
        pb.environment().put("NO_COLOR", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("portman " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), out, err.get());
    }

    /**
     * The lowest port from {@code from} up that can be bound now: what a lowest-first allocation on an empty registry
     * hands out on this machine, whatever else (a listener, a connection in TIME_WAIT) holds the first ports.
     */
    public static int firstBindable(int from) {
        for (int p = from; p < 65_536; p++) {
            try (java.net.ServerSocket s = new java.net.ServerSocket(p)) {
                return p;
            } catch (IOException busy) {
                // held: the allocator skips it too
            }
        }
        throw new IllegalStateException("no port from " + from + " up can be bound");
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
