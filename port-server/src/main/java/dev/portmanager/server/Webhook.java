package dev.portmanager.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * POSTs each event, as JSON, to one URL (seed 000's event bus): in order, on a thread of its own, each retried
 * {@value #RETRIES} times after 0.5, 1 and 2 s; at most {@value #QUEUE} events wait, and an event that finds the
 * queue full is dropped and logged. The URL's query and credentials never reach a log line. Thread-safe.
 */
final class Webhook implements AutoCloseable {
    static final int RETRIES = 3;
    static final int QUEUE = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(PortServer.class);

    private final URI url;
    private final String shown;
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>(QUEUE);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Thread thread;
    private volatile boolean closed;

    Webhook(URI url) {
        this.url = url;
        this.shown = url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getPath() == null ? "" : url.getPath());
        this.thread = new Thread(this::run, "portserver-webhook");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues one event; drops it (logged) when the queue is full. */
    void offer(String json) {
        if (!queue.offer(json)) {
            LOG.warn("[portserver] webhook {} is {} events behind; dropped one", shown, QUEUE);
        }
    }

    private void run() {
        while (!closed) {
            String json;
            try {
                json = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (json != null && !send(json)) {
                return;
            }
        }
    }

    /** Posts one event with its retries; false when interrupted. */
    private boolean send(String json) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        String failure = "";
        for (int attempt = 0; attempt <= RETRIES; attempt++) {
            if (attempt > 0) {
                try {
                    Thread.sleep(500L << (attempt - 1));
                } catch (InterruptedException e) {
                    return false;
                }
            }
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    return true;
                }
                failure = "HTTP " + status;
            } catch (IOException e) {
                failure = e.toString();
            } catch (InterruptedException e) {
                return false;
            }
        }
        LOG.warn("[portserver] webhook {} refused an event {} times ({}); dropped it", shown, RETRIES + 1, failure);
        return true;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
