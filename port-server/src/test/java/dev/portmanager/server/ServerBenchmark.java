package dev.portmanager.server;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.PortManager;
import dev.portmanager.store.json.JsonFileStore;
import dev.portmanager.testing.FreeSpan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server benchmark of docs/BENCHMARKS.md: the same calls made through HTTP (the JDK's HttpClient, keep-alive)
 * and in-process on the same manager, in the same run, on a JSON registry: {@code getOrAllocate} of an existing
 * service and allocate + release, as p50/p99, beside {@code GET /health} (what HTTP alone costs); then requests per
 * second of get-or-allocate at 1, 8 and 32 clients
 * (threads in-process as the baseline). Run with {@code mvn -B -pl port-server -am -Pbench-server -DskipTests verify}.
 */
public final class ServerBenchmark {
    private static final String TOKEN = "bench-token-0123456789-abcdefghijklmnopqrstuvwxyz";
    private static final Duration RATE_WINDOW = Duration.ofSeconds(5);

    private ServerBenchmark() {
    }

    /** {@code ServerBenchmark <work folder>}. */
    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args[0]));
        Path registry = Files.createTempDirectory(work, "registry").resolve("ports.json");
        int first = FreeSpan.find(1000);
        try (PortManager pm = PortManager.builder().store(JsonFileStore.open(registry)).range("bench", first,
                first + 999).build();
             PortServer server = PortServer.builder(pm).port(0).token(TOKEN).monitor(null).start()) {
            HttpClient http = HttpClient.newHttpClient();
            URI base = server.uri();
            pm.getOrAllocate(request("existing"));

            List<String> rows = new ArrayList<>();
            Stats floor = time(3000, i -> send(http, HttpRequest.newBuilder(base.resolve("/health"))));
            rows.add(String.format(Locale.ROOT, "| `GET /health`: the HTTP floor, no registry work | - | - | %s | %s "
                    + "| - |", micros(floor.p(50)), micros(floor.p(99))));
            Stats inGet = time(3000, i -> pm.getOrAllocate(request("existing")));
            Stats httpGet = time(3000, i -> post(http, base, "/get-or-allocate", json("existing")));
            rows.add(row("getOrAllocate, existing service", inGet, httpGet));
            Stats inNew = time(300, i -> pm.release(pm.allocate(request("in-" + i))));
            Stats httpNew = time(300, i -> {
                post(http, base, "/allocate", json("http-" + i));
                send(http, HttpRequest.newBuilder(base.resolve("/services/bench/http-" + i))
                        .header("Authorization", "Bearer " + TOKEN).DELETE());
            });
            rows.add(row("allocate + release, new service", inNew, httpNew));

            System.out.println();
            System.out.println("| operation (JSON registry) | in-process p50 | p99 | HTTP p50 | p99 "
                    + "| HTTP / in-process (p50) |");
            System.out.println("| --- | --- | --- | --- | --- | --- |");
            rows.forEach(System.out::println);

            System.out.println();
            System.out.println("| clients | in-process get-or-allocate/s | HTTP requests/s | HTTP / in-process |");
            System.out.println("| --- | --- | --- | --- |");
            for (int clients : new int[] {1, 8, 32}) {
                for (int c = 0; c < clients; c++) {
                    pm.getOrAllocate(request("client-" + c));
                }
                double in = rate(clients, c -> pm.getOrAllocate(request("client-" + c)));
                double over = rate(clients, c -> post(http, base, "/get-or-allocate", json("client-" + c)));
                System.out.printf(Locale.ROOT, "| %d | %,.0f | %,.0f | %.2f |%n", clients, in, over, over / in);
            }
        }
    }

    private static AllocationRequest request(String service) {
        return AllocationRequest.builder("bench", service).range("bench").build();
    }

    private static String json(String service) {
        return "{\"project\": \"bench\", \"service\": \"" + service + "\", \"range\": \"bench\"}";
    }

    private static void post(HttpClient http, URI base, String path, String json) {
        send(http, HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static void send(HttpClient http, HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One call, numbered. */
    private interface Call {
        void run(int i) throws Exception;
    }

    /** Latencies of {@code n} calls after {@code n / 5} of warm-up, in microseconds. */
    private static Stats time(int n, Call call) throws Exception {
        for (int i = 0; i < n / 5; i++) {
            call.run(-1 - i);
        }
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            call.run(i);
            micros.add((System.nanoTime() - start) / 1000);
        }
        return new Stats(micros);
    }

    /** Calls per second of {@code clients} threads calling for {@link #RATE_WINDOW}, after a second of warm-up. */
    private static double rate(int clients, Call call) throws Exception {
        AtomicLong done = new AtomicLong();
        long warmEnd = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        long end = warmEnd + RATE_WINDOW.toNanos();
        CountDownLatch finished = new CountDownLatch(clients);
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                try {
                    long now;
                    while ((now = System.nanoTime()) < end) {
                        call.run(client);
                        if (now >= warmEnd) {
                            done.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    finished.countDown();
                }
            });
            t.start();
        }
        finished.await();
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a client failed", failures.get(0));
        }
        return done.get() / (RATE_WINDOW.toNanos() / 1e9);
    }

    private static String row(String what, Stats in, Stats over) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.1fx |", what, micros(in.p(50)),
                micros(in.p(99)), micros(over.p(50)), micros(over.p(99)), (double) over.p(50) / Math.max(1, in.p(50)));
    }

    private static String micros(long us) {
        return us >= 1000 ? String.format(Locale.ROOT, "%.1f ms", us / 1000.0) : us + " µs";
    }

    /** Sorted latencies. */
    private static final class Stats {
        private final List<Long> sorted;

        Stats(List<Long> micros) {
            this.sorted = new ArrayList<>(micros);
            Collections.sort(sorted);
        }

        long p(int percentile) {
            return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percentile / 100));
        }
    }
}
