package dev.portmanager.store.json;

import dev.portmanager.AllocationRequest;
import dev.portmanager.PortManager;
import dev.portmanager.spi.PortStore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The JSON store benchmark of docs/BENCHMARKS.md: with 10,000 allocations in the file, the median time of
 * {@code getOrAllocate} for an existing service and of a new allocation, in one process and with 4 processes
 * allocating into one file at once; each beside the naive read-everything/write-everything store, in the same run.
 * Run with {@code mvn -B -pl port-core,port-store-json -Pbench verify}.
 */
public final class JsonStoreBenchmark {
    private static final int SIZE = 10_000;

    private JsonStoreBenchmark() {
    }

    /** {@code JsonStoreBenchmark <work folder>}. */
    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Files.createDirectories(work);
        Path seed = work.resolve("seed.json");
        Files.deleteIfExists(seed);
        populate(seed);
        Thread.sleep(3500);
        System.out.printf("file with %,d allocations: %,d bytes%n", SIZE, Files.size(seed));

        List<String> rows = new ArrayList<>();
        Path settled = copy(seed, work, "fast-get");
        Path fresh = copy(seed, work, "fast-get-fresh");
        Path naiveFile = copy(seed, work, "naive-get");
        Thread.sleep(3500);
        touch(fresh);
        Result freshGet = measure(fresh, JsonFileStore::open, 1000, false);
        Result fastGet = measure(settled, JsonFileStore::open, 5000, false);
        Result naiveGet = measure(naiveFile, NaiveJsonStore::new, 200, false);
        rows.add(row("getOrAllocate, existing service (1 process)", fastGet, naiveGet));
        rows.add(row("getOrAllocate, existing service, file changed < 3 s ago (content checksummed)", freshGet,
                naiveGet));
        Result fastNew = measure(copy(seed, work, "fast-new"), JsonFileStore::open, 300, true);
        Result naiveNew = measure(copy(seed, work, "naive-new"), NaiveJsonStore::new, 150, true);
        rows.add(row("allocate, new service (1 process)", fastNew, naiveNew));
        Result fastMulti = processes(copy(seed, work, "fast-multi"), "fast", 4, 60);
        Result naiveMulti = processes(copy(seed, work, "naive-multi"), "naive", 4, 60);
        rows.add(row("allocate, new service (4 processes at once)", fastMulti, naiveMulti));

        System.out.println();
        System.out.println("| operation (10,000 allocations in the file) | JsonFileStore median | p90 | naive median | p90 "
                + "| naive / JsonFileStore |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        rows.forEach(System.out::println);
        System.out.printf("%n4 processes: JsonFileStore %.0f allocations/s, naive %.0f allocations/s%n",
                fastMulti.perSecond, naiveMulti.perSecond);
    }

    /** Latencies of one measurement, in microseconds, and the rate. */
    private static final class Result {
        final List<Long> micros;
        final double perSecond;

        Result(List<Long> micros, double perSecond) {
            this.micros = new ArrayList<>(micros);
            Collections.sort(this.micros);
            this.perSecond = perSecond;
        }

        long percentile(double p) {
            return micros.get((int) Math.min(micros.size() - 1, Math.floor(p * micros.size())));
        }
    }

    private static String row(String what, Result fast, Result naive) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.1fx |", what, ms(fast.percentile(0.5)),
                ms(fast.percentile(0.9)), ms(naive.percentile(0.5)), ms(naive.percentile(0.9)),
                (double) naive.percentile(0.5) / Math.max(1, fast.percentile(0.5)));
    }

    private static String ms(long micros) {
        return micros < 1000 ? micros + " µs" : String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
    }

    private static void populate(Path file) {
        try (JsonFileStore store = JsonFileStore.open(file);
             PortManager pm = manager(store)) {
            for (int batch = 0; batch < SIZE / 500; batch++) {
                List<AllocationRequest> requests = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    requests.add(AllocationRequest.builder("project-" + (batch % 40), "service-" + (batch * 500 + i))
                            .range("bench").description("benchmark allocation").build());
                }
                pm.allocateAll(requests);
            }
        }
    }

    /** Gives the file a modification time of now, as a write by another process would. */
    private static void touch(Path file) throws IOException {
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
    }

    private static Path copy(Path seed, Path work, String name) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        Path file = dir.resolve("ports.json");
        Files.copy(seed, file, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(dir.resolve("ports.history.jsonl"));
        return file;
    }

    private static PortManager manager(PortStore store) {
        return PortManager.builder().store(store).range("bench", 10000, 29999).probe((port, protocol) -> true).build();
    }

    private static Result measure(Path file, Function<Path, PortStore> open, int iterations, boolean allocate)
            throws InterruptedException {
        PortStore store = open.apply(file);
        try (PortManager pm = manager(store)) {
            int warmup = iterations / 10;
            List<Long> micros = new ArrayList<>();
            long start = 0;
            for (int i = -warmup; i < iterations; i++) {
                if (i == 0) {
                    start = System.nanoTime();
                }
                long t = System.nanoTime();
                if (allocate) {
                    pm.allocate(AllocationRequest.builder("bench", "new-" + i + "-" + t).range("bench").build());
                } else {
                    int n = ThreadLocalRandom.current().nextInt(SIZE);
                    pm.getOrAllocate(AllocationRequest.builder("project-" + (n / 500 % 40), "service-" + n)
                            .range("bench").build());
                }
                if (i >= 0) {
                    micros.add((System.nanoTime() - t) / 1000);
                }
            }
            return new Result(micros, iterations / ((System.nanoTime() - start) / 1e9));
        } finally {
            store.close();
        }
    }

    private static Result processes(Path file, String impl, int count, int each) throws Exception {
        List<Process> writers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            writers.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                    BenchWriterMain.class.getName(), file.toString(), impl, "p" + i, String.valueOf(each))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        List<BufferedReader> outs = new ArrayList<>();
        for (Process p : writers) {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            if (!"ready".equals(out.readLine())) {
                throw new IllegalStateException("a writer did not start");
            }
            outs.add(out);
        }
        long start = System.nanoTime();
        List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        List<Thread> readers = new ArrayList<>();
        for (BufferedReader out : outs) {
            Thread t = new Thread(() -> {
                try {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith("us ")) {
                            micros.add(Long.parseLong(line.substring(3)));
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            readers.add(t);
        }
        for (Thread t : readers) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        for (Process p : writers) {
            if (p.waitFor() != 0) {
                throw new IllegalStateException("a writer failed");
            }
        }
        return new Result(micros, micros.size() / seconds);
    }
}
