package dev.portmanager.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
     * A registry of the test's own in {@code dir}: {@code ports.json} holding only the named ranges, side by side on a
     * span of ports picked at random from 20000-28999 that this machine lets us bind now, {@code size} ports each. With
     * no range of the six standard ones, nothing the test does depends on ports such as 3000 or 8080 staying free.
     *
     * @return the first port of each range, by name, in order
     */
    public static Map<String, Integer> ownRanges(Path dir, int size, String... names) throws IOException {
        int span = size * names.length;
        int first = 20_000 + new Random().nextInt(9_000 - span);
        while (!bindable(first, span)) {
            first += span;
            if (first + span > 29_000) {
                first = 20_000;
            }
        }
        Map<String, Integer> starts = new LinkedHashMap<>();
        StringBuilder ranges = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            int start = first + i * size;
            starts.put(names[i], start);
            ranges.append(i == 0 ? "" : ",\n").append("    \"").append(names[i]).append("\": {\"start\": ")
                    .append(start).append(", \"end\": ").append(start + size - 1)
                    .append(", \"description\": \"\", \"auto_allocate\": true}");
        }
        Files.writeString(dir.resolve("ports.json"), "{\n  \"ranges\": {\n" + ranges + "\n  },\n"
                + "  \"allocations\": [],\n  \"metadata\": {\"schema_version\": 1}\n}\n");
        return starts;
    }

    private static boolean bindable(int first, int count) {
        for (int p = first; p < first + count; p++) {
            try (java.net.ServerSocket s = new java.net.ServerSocket()) {
                s.setReuseAddress(false); // as the probe binds: a port in TIME_WAIT counts as busy
                s.bind(new java.net.InetSocketAddress(p));
            } catch (IOException busy) {
                return false;
            }
        }
        return true;
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
