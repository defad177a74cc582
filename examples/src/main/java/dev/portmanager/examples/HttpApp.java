package dev.portmanager.examples;

import com.sun.net.httpserver.HttpServer;
import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.PortManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * An application that asks the registry for its port at startup and serves HTTP on it: the same port on every
 * restart, never one another service of the machine was given. Started by {@code portman up}, it takes the port the
 * launcher hands it in {@code $PORT} instead.
 *
 * <pre>
 * java -cp examples/target/examples.jar dev.portmanager.examples.HttpApp [PROJECT SERVICE]
 * </pre>
 */
public final class HttpApp {
    private HttpApp() {
    }

    /** Gets the port ({@code $PORT}, else the registry's), serves {@code /} and {@code /health} on it until stopped. */
    public static void main(String[] args) throws IOException, InterruptedException {
        String project = args.length > 0 ? args[0] : "examples";
        String service = args.length > 1 ? args[1] : "http-app";
        String given = System.getenv("PORT");
        if (given != null) {
            serve(project, service, Integer.parseInt(given));
            return;
        }
        try (PortManager pm = PortManager.builder().build()) {
            Allocation a = pm.getOrAllocate(AllocationRequest.builder(project, service)
                    .description("HttpApp example").build());
            serve(project, service, a.port());
        }
    }

    private static void serve(String project, String service, int port) throws IOException, InterruptedException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/", exchange -> {
            byte[] body = ("hello from " + project + "/" + service + " on port " + port + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("serving http://localhost:" + port + "/");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            stop.countDown();
        }));
        stop.await();
    }
}
