package dev.portmanager.spring.boot.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the starter adds to an application's start: the test application started cold in fresh JVMs, alternately with
 * the starter off ({@code portmanager.enabled=false}, the baseline) and on (a JSON registry in which the application
 * already holds its port: a restart, the common case), timed by Spring Boot's own "process running for" figure.
 * Writes {@code target/benchmarks/port-spring-boot.md}. A harness, not a test: {@code -Pbench}.
 */
public final class StartupBenchmark {
    private static final Pattern STARTED = Pattern.compile("Started \\w+ in ([0-9.]+) seconds \\(process running "
            + "for ([0-9.]+)\\)");

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path dir = Files.createTempDirectory("spring-bench");
        String store = "json:" + dir.resolve("ports.json");
        List<String> on = List.of("--spring.application.name=bench", "--portmanager.store=" + store);
        List<String> off = List.of("--spring.application.name=bench", "--portmanager.enabled=false",
                "--server.port=0");
        start(on);
        double[] offTimes = new double[rounds];
        double[] onTimes = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            offTimes[i] = start(off);
            onTimes[i] = start(on);
        }
        String report = "| starter | median | p90 |\n| --- | --- | --- |\n"
                + row("off (baseline)", offTimes) + row("on, JSON registry, port already held", onTimes)
                + String.format(Locale.ROOT, "%nOn minus off, medians: %+.0f ms (%.2fx); %d alternating rounds, load "
                        + "average %s.%n", (median(onTimes) - median(offTimes)) * 1000,
                        median(onTimes) / median(offTimes), rounds, Files.readString(Path.of("/proc/loadavg"))
                                .split(" ")[0]);
        Path out = Path.of("target", "benchmarks", "port-spring-boot.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.print(report);
    }

    /** Starts the test application in a fresh JVM, returns its "process running for" seconds, and stops it. */
    private static double start(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "dev.portmanager.spring.boot.TestApp"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                Matcher m = STARTED.matcher(line);
                if (m.find()) {
                    return Double.parseDouble(m.group(2));
                }
            }
            throw new IllegalStateException("the application did not start: " + command);
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String row(String name, double[] seconds) {
        return String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms |%n", name, median(seconds) * 1000,
                percentile(seconds, 0.9) * 1000);
    }

    private static double median(double[] values) {
        return percentile(values, 0.5);
    }

    private static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(p * sorted.length) - 1];
    }
}
