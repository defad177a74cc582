package dev.portmanager.launch;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A small HTTP server run as a real child process by the launcher tests. {@code GET /health} answers 200 (503 with
 * {@code --unhealthy}); {@code GET /env/NAME} answers the value of an environment variable. Options:
 * {@code --name N}, {@code --port P} (else {@code $PORT}), {@code --delay MS} before listening,
 * {@code --crash-after MS} (exit 3), {@code --exit CODE} at once, {@code --slow-stop} (ignores SIGTERM for a minute),
 * {@code --child} (starts a sleeping child process), {@code --marker FILE} (appends "name launched|listening|stopping").
 */
public final class TinyServer {
    private TinyServer() {
    }

    /** The command that runs this server, words joined by spaces, followed by {@code options}. */
    static String command(String options) {
        String java = ProcessHandle.current().info().command().orElse("java");
        try {
            Path classes = Path.of(TinyServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return "'" + java + "' -Xshare:auto -XX:TieredStopAtLevel=1 -cp '" + classes + "' "
                    + TinyServer.class.getName() + " " + options;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        String name = "server";
        Integer port = null;
        long delay = 0;
        long crashAfter = -1;
        Integer exit = null;
        boolean unhealthy = false;
        boolean slowStop = false;
        boolean child = false;
        Path marker = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--name" -> name = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--delay" -> delay = Long.parseLong(args[++i]);
                case "--crash-after" -> crashAfter = Long.parseLong(args[++i]);
                case "--exit" -> exit = Integer.parseInt(args[++i]);
                case "--unhealthy" -> unhealthy = true;
                case "--slow-stop" -> slowStop = true;
                case "--child" -> child = true;
                case "--marker" -> marker = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        final String me = name;
        final Path mark = marker;
        mark(mark, me + " launched");
        System.out.println(me + " launched with " + List.of(args));
        if (exit != null) {
            System.out.println(me + " failing on purpose with status " + exit);
            System.exit(exit);
        }
        if (port == null) {
            port = Integer.parseInt(System.getenv("PORT"));
        }
        Thread.sleep(delay);
        List<Process> children = new ArrayList<>();
        if (child) {
            Process p = new ProcessBuilder("sleep", "300").start();
            children.add(p);
            mark(mark, me + " child " + p.pid());
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        final boolean sick = unhealthy;
        server.createContext("/health", x -> answer(x, sick ? 503 : 200, sick ? "sick" : "ok"));
        server.createContext("/env/", x -> {
            String var = x.getRequestURI().getPath().substring("/env/".length());
            String value = System.getenv(var);
            answer(x, value == null ? 404 : 200, value == null ? "" : value);
        });
        server.start();
        mark(mark, me + " listening " + port);
        System.out.println(me + " listening on " + port);
        final boolean stubborn = slowStop;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            mark(mark, me + " stopping");
            System.out.println(me + " stopping");
            if (stubborn) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException ignored) {
                    // ends with the JVM
                }
            }
        }));
        if (crashAfter >= 0) {
            Thread.sleep(crashAfter);
            System.out.println(me + " crashing on purpose");
            Runtime.getRuntime().halt(3);
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange x, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void mark(Path marker, String line) {
        if (marker == null) {
            return;
        }
        try {
            Files.writeString(marker, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
