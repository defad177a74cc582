package dev.portmanager.probe.bench;

import dev.portmanager.Protocol;
import dev.portmanager.probe.SystemProbe;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The probe's speed beside the commands it replaces, every number measured in the same run so their ratios hold on a
 * noisy, shared machine. Runs only with {@code mvn -B -pl port-core,port-probe -Pbench verify}; writes
 * {@code target/benchmarks/port-probe.md} and prints the same table. It asserts nothing: a benchmark reports.
 *
 * <p>Operations are interleaved round by round (each round runs every operation once, in a rotating order) rather than
 * run one after another, so a burst of load from another process spreads over all of them instead of landing on one.
 * JMH is not used for that reason, and because each operation takes milliseconds, where JMH's nanosecond machinery
 * adds nothing. Medians are quoted with the 10th and 90th percentiles.
 */
class ProbeBenchmark {
    private static final int WARMUP_ROUNDS = Integer.getInteger("bench.warmup", 30);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 40);
    private static final int SCALE_ROUNDS = Integer.getInteger("bench.scaleRounds", 15);
    private static final int COLD_RUNS = Integer.getInteger("bench.coldRuns", 40);
    private static final int FARM_PROCESSES = Integer.getInteger("bench.farmProcesses", 1000);
    private static final int FARM_FDS = Integer.getInteger("bench.farmFds", 100);

    private final StringBuilder report = new StringBuilder();

    @Test
    void run() throws Exception {
        report.append("# port-probe benchmark\n\n").append(Machine.describe()).append('\n');
        int first = FreeSpan.find(201);
        List<Closeable> held = new ArrayList<>();
        Process python = null;
        try {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            for (int i = 0; i < 100; i++) {
                held.add(new ServerSocket(first + i, 50, loopback));
            }
            for (int i = 100; i < 150; i++) {
                held.add(new DatagramSocket(first + i, loopback));
            }
            python = startPython(first + 150, 50);
            listenersAndBaselines(first);
            coldStart();
        } finally {
            if (python != null) {
                python.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            for (Closeable c : held) {
                c.close();
            }
        }
        scale();
        Path out = Path.of("target", "benchmarks", "port-probe.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.println(report);
        System.out.println("written to " + out.toAbsolutePath());
    }

    /** Warm-JVM timings with 200 sockets of this JVM and a Python child open, beside ss and lsof. */
    private void listenersAndBaselines(int first) throws Exception {
        SystemProbe shared = SystemProbe.create();
        int free = FreeSpan.find(1);
        Map<String, Op> ops = new LinkedHashMap<>();
        ops.put("listeners(), shared probe (owners remembered, re-checked by readlink)", shared::listeners);
        ops.put("listeners(), new probe each time (no memory: full descriptor walk)",
                () -> SystemProbe.create().listeners());
        ops.put("`ss -tulnp` spawned from Java, output parsed", () -> Baselines.ss("-tulnp"));
        ops.put("`lsof -i -P -n` spawned from Java, output parsed", Baselines::lsof);
        ops.put("listening(span of the 200 test ports, TCP): allocation hot path, 150 busy",
                () -> shared.listening(first, first + 199, Protocol.TCP));
        ops.put("listening(100 free ports, TCP): allocation hot path, nothing busy",
                () -> shared.listening(free, Math.min(65535, free + 99), Protocol.TCP));
        Map<String, Samples> results = measure(ops, WARMUP_ROUNDS, ROUNDS);
        int sockets = shared.listeners().size();

        Samples freeCheck = new Samples();
        Samples busyCheck = new Samples();
        for (int round = 0; round < ROUNDS; round++) {
            freeCheck.add(timePer(() -> shared.isFree(free, Protocol.TCP), 200));
            busyCheck.add(timePer(() -> shared.isFree(first, Protocol.TCP), 200));
        }

        String full = "listeners(), new probe each time (no memory: full descriptor walk)";
        String shared1 = "listeners(), shared probe (owners remembered, re-checked by readlink)";
        double ss = results.get("`ss -tulnp` spawned from Java, output parsed").median();
        double lsof = results.get("`lsof -i -P -n` spawned from Java, output parsed").median();
        report.append("## Warm JVM, ").append(sockets).append(" listening sockets\n\n")
                .append("100 TCP and 50 UDP sockets of the benchmark JVM, 50 TCP sockets of a Python child, and the "
                        + "machine's own. ").append(ROUNDS).append(" interleaved rounds after ").append(WARMUP_ROUNDS)
                .append(" warm-up rounds.\n\n| operation | median (p10, p90) |\n| --- | --- |\n");
        for (Map.Entry<String, Samples> e : results.entrySet()) {
            report.append("| ").append(e.getKey()).append(" | ").append(e.getValue().millis()).append(" |\n");
        }
        report.append("| isFree(free port, TCP): 4 binds | ").append(freeCheck.micros()).append(" |\n")
                .append("| isFree(busy port, TCP): 1 bind | ").append(busyCheck.micros()).append(" |\n\n")
                .append(String.format("Ratios of medians: full walk / ss = %.2f (target < 1); lsof / full walk = %.2f "
                        + "(target >= 2); shared probe / ss = %.2f; lsof / shared probe = %.2f.%n%n",
                        results.get(full).median() / ss, lsof / results.get(full).median(),
                        results.get(shared1).median() / ss, lsof / results.get(shared1).median()));
    }

    /**
     * A JVM that runs one full scan and exits, against one that only starts and exits: alternating runs timed from
     * here (so both see the same load), and hyperfine when it is installed (which runs each command's runs as a block,
     * and also reports CPU time, which load disturbs less than wall time).
     */
    private void coldStart() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = classPath();
        String empty = java + " -cp " + cp + " " + ColdEmptyMain.class.getName();
        String scan = java + " -cp " + cp + " " + ColdScanMain.class.getName();
        Samples e = new Samples();
        Samples s = new Samples();
        for (int i = 0; i < 5 + COLD_RUNS; i++) {
            long emptyNanos = timeOnce(() -> Baselines.run(empty.split(" ")));
            long scanNanos = timeOnce(() -> Baselines.run(scan.split(" ")));
            if (i >= 5) {
                e.add(emptyNanos);
                s.add(scanNanos);
            }
        }
        report.append("## Cold start\n\nA JVM running `SystemProbe.create().listeners()` once against one printing `0`, "
                + "same class path (the probe and core jars).\n\n").append(String.format("Alternating runs started from "
                + "Java, %d each after 5 warm-up pairs:%n%n| JVM | wall median (p10, p90) |%n| --- | --- |%n"
                + "| empty main | %s |%n| one full listener scan | %s |%n%nThe scan adds **%.1f ms** (target <= 60 ms)."
                + "%n%n", COLD_RUNS, e.millis(), s.millis(), (s.median() - e.median()) / 1e6));
        if (new File("/usr/bin/hyperfine").canExecute()) {
            Path json = Files.createTempFile("hyperfine", ".json");
            Baselines.run("hyperfine", "-N", "--warmup", "5", "--runs", Integer.toString(COLD_RUNS),
                    "--export-json", json.toString(), empty, scan);
            String text = Files.readString(json);
            Files.delete(json);
            report.append(String.format("hyperfine (`hyperfine -N --warmup 5 --runs %d '<empty>' '<scan>'`):%n%n"
                    + "| JVM | wall median | CPU user + system (mean) |%n| --- | --- | --- |%n"
                    + "| empty main | %.1f ms | %.1f + %.1f ms |%n| one full listener scan | %.1f ms | %.1f + %.1f ms |%n%n"
                    + "The scan adds %.1f ms of wall time and %.1f ms of CPU time.%n%n", COLD_RUNS,
                    field(text, "median", 0) * 1000, field(text, "user", 0) * 1000, field(text, "system", 0) * 1000,
                    field(text, "median", 1) * 1000, field(text, "user", 1) * 1000, field(text, "system", 1) * 1000,
                    (field(text, "median", 1) - field(text, "median", 0)) * 1000,
                    (field(text, "user", 1) + field(text, "system", 1) - field(text, "user", 0)
                            - field(text, "system", 0)) * 1000));
        }
    }

    /** 1,000 processes holding 100,000 descriptors: the descriptor walk against ss, which does the same walk. */
    private void scale() throws Exception {
        Path script = resource("/bench/fd_farm.py");
        Process farm = new ProcessBuilder("python3", script.toString(), Integer.toString(FARM_PROCESSES),
                Integer.toString(FARM_FDS)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String ready = new BufferedReader(new InputStreamReader(farm.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (ready == null || !ready.startsWith("ready")) {
                report.append("## Scale\n\nThe descriptor farm did not start: ").append(ready).append("\n");
                return;
            }
            SystemProbe shared = SystemProbe.create();
            Map<String, Op> ops = new LinkedHashMap<>();
            ops.put("listeners(), new probe each time (full descriptor walk)", () -> SystemProbe.create().listeners());
            ops.put("listeners(), shared probe", shared::listeners);
            ops.put("`ss -tlnp` spawned from Java, output parsed", () -> Baselines.ss("-tlnp"));
            Map<String, Samples> results = measure(ops, 3, SCALE_ROUNDS);
            report.append("## Scale: ").append(FARM_PROCESSES).append(" more processes, ")
                    .append(ready.substring(6)).append(" more descriptors\n\n")
                    .append(Machine.processesAndDescriptors()).append(". ").append(SCALE_ROUNDS)
                    .append(" interleaved rounds after 3 warm-up rounds.\n\n| operation | median (p10, p90) |\n"
                            + "| --- | --- |\n");
            for (Map.Entry<String, Samples> e : results.entrySet()) {
                report.append("| ").append(e.getKey()).append(" | ").append(e.getValue().millis()).append(" |\n");
            }
            double ratio = results.get("listeners(), new probe each time (full descriptor walk)").median()
                    / results.get("`ss -tlnp` spawned from Java, output parsed").median();
            report.append(String.format("%nRatio of medians: full walk / ss -tlnp = %.2f (target <= 1.2).%n%n", ratio));
        } finally {
            farm.getOutputStream().close();
            if (!farm.waitFor(60, TimeUnit.SECONDS)) {
                farm.destroyForcibly();
            }
        }
    }

    private static Map<String, Samples> measure(Map<String, Op> ops, int warmup, int rounds) throws Exception {
        List<String> names = new ArrayList<>(ops.keySet());
        Map<String, Samples> results = new LinkedHashMap<>();
        for (String name : names) {
            results.put(name, new Samples());
        }
        for (int round = 0; round < warmup + rounds; round++) {
            for (int k = 0; k < names.size(); k++) {
                String name = names.get((round + k) % names.size());
                long nanos = timeOnce(ops.get(name));
                if (round >= warmup) {
                    results.get(name).add(nanos);
                }
            }
        }
        return results;
    }

    private static long timeOnce(Op op) throws Exception {
        long start = System.nanoTime();
        op.run();
        return System.nanoTime() - start;
    }

    private static long timePer(Op op, int times) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < times; i++) {
            op.run();
        }
        return (System.nanoTime() - start) / times;
    }

    private static Process startPython(int first, int count) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", "-u", resource("/listen.py").toString()));
        for (int i = 0; i < count; i++) {
            command.addAll(List.of("tcp", "127.0.0.1", Integer.toString(first + i)));
        }
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (!"ready".equals(line)) {
            p.destroyForcibly();
            throw new IllegalStateException("the Python child did not start: " + line);
        }
        return p;
    }

    private static Path resource(String name) {
        try {
            return Path.of(ProbeBenchmark.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The probe's and core's jars (as an application has them; the module's own classes folder when its jar is not
     * built) and this benchmark's mains: the cold JVMs load nothing else.
     */
    private static String classPath() throws URISyntaxException {
        List<String> entries = new ArrayList<>();
        for (Class<?> type : List.of(SystemProbe.class, Protocol.class, ColdScanMain.class)) {
            Path source = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            entries.add(type == ColdScanMain.class ? source.toString() : jarOf(source).toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    /** {@code target/port-probe-<version>.jar} beside {@code target/classes}, if it was packaged. */
    private static Path jarOf(Path source) {
        File[] jars = source.getParent().toFile().listFiles((dir, name) -> name.endsWith(".jar")
                && !name.endsWith("-tests.jar") && !name.endsWith("-sources.jar"));
        return Files.isDirectory(source) && jars != null && jars.length == 1 ? jars[0].toPath() : source;
    }

    /** The {@code index}-th value of a numeric field in hyperfine's JSON export, in seconds. */
    private static double field(String json, String name, int index) {
        String key = "\"" + name + "\":";
        int at = -1;
        for (int i = 0; i <= index; i++) {
            at = json.indexOf(key, at + 1);
        }
        int end = at + key.length();
        while (end < json.length() && ",}\n".indexOf(json.charAt(end)) < 0) {
            end++;
        }
        return Double.parseDouble(json.substring(at + key.length(), end).trim());
    }

    /** One timed operation. */
    @FunctionalInterface
    private interface Op {
        void run() throws Exception;
    }
}
