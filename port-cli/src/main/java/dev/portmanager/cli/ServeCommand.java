package dev.portmanager.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portmanager.server.PortServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code portman serve [--bind 127.0.0.1] [--port N]}: the registry as a local HTTP service until Ctrl-C. */
@Command(name = "serve", description = {"Serve the registry over HTTP until Ctrl-C: a JSON API (the --json documents), "
        + "a dashboard at /, events at /events, Prometheus metrics at /metrics, the API at /openapi.json.",
        "Changes need Authorization: Bearer <token>, the token in ~/.portmanager/server.token (created on the first "
                + "start). The server's own port is portmanager/server in the registry, 8021 when free."})
final class ServeCommand extends PortmanCommand {
    @Option(names = "--bind", paramLabel = "ADDRESS", description = "the address to listen on (default 127.0.0.1); "
            + "any other needs an existing token file, and makes every route need the token")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", description = "the port (default: portmanager/server's in the "
            + "registry, 8021 when free; 0: any free port, not registered)")
    Integer port;

    @Option(names = "--token-file", paramLabel = "FILE", description = "where the token is kept (default "
            + "~/.portmanager/server.token)")
    Path tokenFile;

    @Option(names = "--webhook", paramLabel = "URL", description = "POST every event to this URL as JSON")
    URI webhook;

    @Option(names = "--monitor", paramLabel = "DURATION", description = "audit and health-check every DURATION "
            + "(default 1m); 0 turns monitoring off")
    String monitor;

    @Override
    public Integer call() throws InterruptedException {
        PortServer.Builder b = PortServer.builder(manager()).probe(root.probe());
        if (bind != null) {
            b.bind(bind);
        }
        if (port != null) {
            b.port(port);
        }
        if (tokenFile != null) {
            b.tokenFile(tokenFile);
        }
        if (webhook != null) {
            b.webhook(webhook);
        }
        if (monitor != null) {
            b.monitor(monitor.strip().equals("0") ? null : new DurationConverter().convert(monitor));
        }
        PortServer server = b.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        String token = server.tokenFile().map(Path::toString).orElse("");
        if (out().json()) {
            ObjectNode n = JsonNodeFactory.instance.objectNode().put("url", server.uri().toString())
                    .put("port", server.port()).put("store", manager().storeName()).put("token_file", token);
            out().line(n.toString());
        } else {
            out().line("portman serve: listening on " + server.uri() + " (registry " + manager().storeName()
                    + "; token in " + token + "); Ctrl-C stops it");
        }
        out().flush();
        stopped.await();
        return 0;
    }
}
