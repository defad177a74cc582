package dev.portmanager.junit;

import dev.portmanager.ClaimRegistry;
import dev.portmanager.Protocol;
import dev.portmanager.spi.PortProbe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The claims benchmark of issue 20 (docs/BENCHMARKS.md): 4 processes at once, 200 ports each, by a bind
 * ({@code new ServerSocket(0)}, closed), by {@code FreePorts.claim()} (held) and by the JSON registry's rewrite under
 * one lock (the claims before), in the same run, each repeated; the median per port across every process of a way,
 * its ratio to the bind's, and the ports handed to two processes, counted here. Then the parts of one claim in one
 * process. Run with {@code mvn -B -pl port-core,port-store-json,port-junit -Pbench -DskipTests verify}; arguments
 * {@code [processes] [ports] [repetitions]}.
 */
public final class ClaimRaceBenchmark {
    private ClaimRaceBenchmark() {
    }

    /** What one race of one way gave: every per-port time and the ports handed to two processes. */
    private record Race(long[] nanos, int shared, int ports) {
    }

    /** Races each way, prints a markdown table; exits 1 if a claim way handed a port to two processes. */
    public static void main(String[] args) throws Exception {
        int processes = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int ports = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Map<String, List<Race>> races = new HashMap<>();
        List<String> ways = List.of("bind", "claim", "json");
        for (int r = 0; r < repetitions; r++) {
            for (String way : ways) {
                races.computeIfAbsent(way, w -> new ArrayList<>()).add(race(way, processes, ports));
            }
        }
        double bind = median(races.get("bind"));
        System.out.println();
        System.out.printf(Locale.ROOT, "%d processes at once, %d ports each, %d repetitions; load average %s%n%n",
                processes, ports, repetitions, loadAverage());
        System.out.println("| way to get a test port | ports handed to two processes (per race) | per port (median) "
                + "| p90 | x bind |");
        System.out.println("| --- | --- | --- | --- | --- |");
        boolean failed = false;
        for (String way : ways) {
            List<Race> rs = races.get(way);
            StringBuilder shared = new StringBuilder();
            for (Race race : rs) {
                shared.append(shared.length() == 0 ? "" : ", ").append(race.shared());
            }
            double median = median(rs);
            System.out.printf(Locale.ROOT, "| %s | %s of %d | %s | %s | %.1f |%n", label(way), shared,
                    processes * ports, time(median), time(percentile(rs, 0.9)), median / bind);
            failed |= !way.equals("bind") && rs.stream().anyMatch(race -> race.shared() > 0);
        }
        parts();
        if (failed) {
            System.out.println("FAILED: a claim was handed to two processes");
            System.exit(1);
        }
    }

    private static String label(String way) {
        switch (way) {
            case "bind":
                return "`new ServerSocket(0)`, closed (baseline)";
            case "claim":
                return "`FreePorts.claim()`, held (claim locks)";
            default:
                return "JSON registry rewritten under one lock, held (claims before issue 20)";
        }
    }

    /** One race: every process started, warmed up, let go at once; their times and ports. */
    private static Race race(String way, int processes, int ports) throws Exception {
        List<Process> racers = new ArrayList<>();
        List<BufferedReader> outs = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-D" + ClaimRegistry.STORE_PROPERTY + "=" + System.getProperty(ClaimRegistry.STORE_PROPERTY),
                        "-cp", System.getProperty("java.class.path"), ClaimRaceMain.class.getName(), way,
                        String.valueOf(ports)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                racers.add(p);
                outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (BufferedReader out : outs) {
                expect(out, "ready");
            }
            for (Process p : racers) {
                send(p);
            }
            long[] nanos = new long[0];
            Map<Integer, Integer> handed = new HashMap<>();
            for (BufferedReader out : outs) {
                long[] mine = Arrays.stream(expect(out, "nanos").split(" ")).skip(1).mapToLong(Long::parseLong)
                        .toArray();
                nanos = concat(nanos, mine);
                Arrays.stream(expect(out, "ports").split(" ")).skip(1).mapToInt(Integer::parseInt).distinct()
                        .forEach(port -> handed.merge(port, 1, Integer::sum));
            }
            for (Process p : racers) {
                send(p);
                p.waitFor();
            }
            int shared = (int) handed.values().stream().filter(n -> n > 1).count();
            return new Race(nanos, shared, processes * ports);
        } finally {
            racers.forEach(Process::destroyForcibly);
        }
    }

    /** The parts of one claim, in this process alone: what a claim costs beside its bind check and its lock. */
    private static void parts() throws Exception {
        PortProbe probe = PortProbe.bindOnly();
        ClaimRegistry registry = ClaimRegistry.open();
        int n = 2000;
        long[] lock = new long[n];
        long[] check = new long[n];
        long[] claim = new long[n];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < n; i++) {
                int port = 20_000 + ThreadLocalRandom.current().nextInt(10_000);
                long t = System.nanoTime();
                if (registry.lock(port)) {
                    registry.unlock(port);
                }
                lock[i] = System.nanoTime() - t;
                t = System.nanoTime();
                probe.isFree(port, Protocol.TCP);
                check[i] = System.nanoTime() - t;
                t = System.nanoTime();
                FreePorts.claim().close();
                claim[i] = System.nanoTime() - t;
            }
        }
        System.out.println();
        System.out.println("| part of a claim, one process | median |");
        System.out.println("| --- | --- |");
        System.out.println("| lock and unlock byte N of the lock file | " + time(median(lock)) + " |");
        System.out.println("| bind check (4 binds: 0.0.0.0, ::, 127.0.0.1, ::1) | " + time(median(check)) + " |");
        System.out.println("| whole claim + close (lock, check, record written and cleared) | " + time(median(claim))
                + " |");
    }

    private static String expect(BufferedReader out, String word) throws IOException {
        String line = out.readLine();
        if (line == null || !line.startsWith(word)) {
            throw new IllegalStateException("a racer said '" + line + "' where '" + word + "' was due");
        }
        return line;
    }

    private static void send(Process p) throws IOException {
        OutputStream in = p.getOutputStream();
        in.write('\n');
        in.flush();
    }

    private static long[] concat(long[] a, long[] b) {
        long[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static double median(List<Race> races) {
        return percentile(races, 0.5);
    }

    private static double percentile(List<Race> races, double p) {
        long[] all = new long[0];
        for (Race r : races) {
            all = concat(all, r.nanos());
        }
        Arrays.sort(all);
        return all[(int) (all.length * p)];
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String time(double nanos) {
        return nanos < 1_000_000 ? String.format(Locale.ROOT, "%.0f µs", nanos / 1e3)
                : String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
}
