package dev.portmanager.junit;

import dev.portmanager.PortClaim;
import dev.portmanager.PortManager;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The claim benchmark of docs/BENCHMARKS.md: claims per second (claim, then close) on the JSON claim registry and on a
 * memory registry, held and not, beside {@code new ServerSocket(0)} (bind an ephemeral port, then close) in the same
 * run. Run with {@code mvn -B -pl port-core,port-store-json,port-junit -Pbench -DskipTests verify}.
 */
public final class ClaimBenchmark {
    private ClaimBenchmark() {
    }

    /** An operation timed once per call. */
    private interface Op {
        void run() throws Exception;
    }

    /** Runs the benchmark and prints a markdown table. */
    public static void main(String[] args) throws Exception {
        List<String> rows = new ArrayList<>();
        rows.add(row("new ServerSocket(0), then close (baseline: no record, no guarantee)", 5000, () -> {
            try (ServerSocket s = new ServerSocket(0)) {
                s.getLocalPort();
            }
        }));
        try (PortManager memory = PortManager.builder().store("memory:").build()) {
            rows.add(row("claim + close, memory registry (one JVM)", 3000, () -> memory.claim().close()));
            rows.add(row("claim + hold + close, memory registry", 3000, () -> memory.claim().hold().close()));
        }
        FreePorts.registry();
        rows.add(row("FreePorts.claim() + close, JSON registry shared by every JVM", 1000,
                () -> FreePorts.claim().close()));
        rows.add(row("FreePorts.claim().hold() + close, JSON registry", 1000, () -> FreePorts.claim().hold().close()));
        System.out.println();
        System.out.println("| operation | median | p90 | per second |");
        System.out.println("| --- | --- | --- | --- |");
        rows.forEach(System.out::println);
    }

    private static String row(String what, int n, Op op) throws Exception {
        for (int i = 0; i < n / 10; i++) {
            op.run();
        }
        List<Long> nanos = new ArrayList<>(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            op.run();
            nanos.add(System.nanoTime() - t);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Collections.sort(nanos);
        return String.format(Locale.ROOT, "| %s | %s | %s | %,.0f |", what, time(nanos.get(n / 2)),
                time(nanos.get(n * 9 / 10)), n / seconds);
    }

    private static String time(long nanos) {
        return nanos < 1_000_000 ? String.format(Locale.ROOT, "%.0f µs", nanos / 1e3)
                : String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
}
