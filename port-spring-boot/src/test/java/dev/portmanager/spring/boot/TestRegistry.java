package dev.portmanager.spring.boot;

import dev.portmanager.Allocation;
import dev.portmanager.PortManager;
import dev.portmanager.testing.FreeSpan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A registry file in a test's temporary folder with a range of its own (a span of ports free right now), and the
 * command-line arguments that point an application at it.
 */
final class TestRegistry {
    static final String RANGE = "spring-test";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Path file;
    final String store;
    final int first;
    final int last;

    private TestRegistry(Path file, int first, int last) {
        this.file = file;
        this.store = "json:" + file;
        this.first = first;
        this.last = last;
    }

    /** A registry with range {@code spring-test} of {@code size} ports, stored in {@code dir/ports.json}. */
    static TestRegistry create(Path dir, int size) {
        int first = FreeSpan.find(size);
        TestRegistry r = new TestRegistry(dir.resolve("ports.json"), first, first + size - 1);
        try (PortManager pm = PortManager.builder().store(r.store).range(RANGE, r.first, r.last).build()) {
            pm.ranges();
        }
        return r;
    }

    /** A manager on the registry, for looking at what the application left there. */
    PortManager open() {
        return PortManager.builder().store(store).build();
    }

    /** The live allocation of project/service, if any. */
    Optional<Allocation> find(String project, String service) {
        try (PortManager pm = open()) {
            return pm.find(project, service);
        }
    }

    /** Arguments naming the application, the registry and its range, then {@code more}. */
    String[] args(String name, String... more) {
        List<String> args = new ArrayList<>(List.of("--spring.application.name=" + name,
                "--portmanager.store=" + store, "--portmanager.range=" + RANGE));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    /** {@code GET http://localhost:port/path}. */
    static HttpResponse<String> get(int port, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
