package dev.portmanager;


import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Is the service behind a port alive? A TCP check (does anything accept a connection) and an HTTP check (does a GET
 * answer with a status from 200 to 399, the rule Kubernetes probes use; redirects are not followed and no proxy is
 * used). Each returns a {@link HealthResult} with the status, the latency and a sentence for a person; a failed check
 * is a result, not an exception.
 *
 * <pre>{@code
 * HealthResult r = HealthCheck.http(URI.create("http://localhost:8765/health"), Duration.ofSeconds(2));
 * if (!r.healthy()) {
 *     System.out.println(r);   // UNHEALTHY in 4 ms: HTTP 503 from http://localhost:8765/health
 * }
 * }</pre>
 *
 * <p>Thread-safe. HTTP checks share one {@link HttpClient}, made on the first HTTP check.
 */
public final class HealthCheck {
    private HealthCheck() {
    }

    /**
     * Opens a TCP connection to the host and port, and closes it. Every address the host name has is tried in turn
     * ({@code localhost} is both {@code ::1} and {@code 127.0.0.1}) within the one timeout.
     *
     * @param timeout how long to wait for the connection
     * @return {@code HEALTHY} if it was accepted, {@code NOT_RUNNING} if it was refused, {@code UNHEALTHY} if it timed
     *         out, the host is unknown or the connection failed otherwise
     * @throws NullPointerException     if the host or timeout is null
     * @throws IllegalArgumentException if the host is blank, the port is outside 1-65535 or the timeout is not positive
     *                                  or longer than {@link Integer#MAX_VALUE} ms
     */
    public static HealthResult tcp(String host, int port, Duration timeout) {
        Objects.requireNonNull(host, "host == null");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host " + Checks.quote(host) + " is blank; give a name or address such "
                    + "as localhost");
        }
        Checks.port("port", port);
        int millis = timeoutMillis(timeout);
        String target = host + ":" + port;
        long start = System.nanoTime();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return result(HealthStatus.UNHEALTHY, start, "unknown host '" + host + "'", OptionalInt.empty());
        }
        // Every address of the name is tried (localhost is ::1 and 127.0.0.1): a service on one of them is up.
        long deadline = start + millis * 1_000_000L;
        boolean timedOut = false;
        IOException failure = null;
        for (InetAddress address : addresses) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                timedOut = true;
                break;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), (int) left);
                return result(HealthStatus.HEALTHY, start, "accepted a TCP connection on " + target,
                        OptionalInt.empty());
            } catch (SocketTimeoutException e) {
                timedOut = true;
            } catch (IOException e) {
                boolean refused = e instanceof ConnectException
                        && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("refused");
                failure = refused ? failure : e;
            }
        }
        if (timedOut) {
            return result(HealthStatus.UNHEALTHY, start, "no TCP connection to " + target + " within " + millis
                    + " ms", OptionalInt.empty());
        }
        if (failure != null) {
            return result(HealthStatus.UNHEALTHY, start, "cannot connect to " + target + ": " + failure.getMessage(),
                    OptionalInt.empty());
        }
        return result(HealthStatus.NOT_RUNNING, start, "nothing listens on " + target + " (connection refused)",
                OptionalInt.empty());
    }

    /**
     * Sends a GET to the URL and reads the answer's status; the body is discarded.
     *
     * @param timeout how long to wait for the connection and the answer together
     * @return {@code HEALTHY} for status 200-399, {@code UNHEALTHY} for any other status, a timeout or a failed
     *         exchange, {@code NOT_RUNNING} if the connection was refused, {@code UNKNOWN} if the thread was
     *         interrupted (its interrupt flag is set again)
     * @throws NullPointerException     if the URL or timeout is null
     * @throws IllegalArgumentException if the URL is not an absolute http or https URL with a host, or the timeout is
     *                                  not positive
     */
    public static HealthResult http(URI url, Duration timeout) {
        Objects.requireNonNull(url, "url == null");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("health endpoint " + Checks.quote(url.toString()) + " is not an "
                    + "absolute http or https URL with a host; give one such as http://localhost:8080/health");
        }
        timeoutMillis(timeout);
        HttpRequest request = HttpRequest.newBuilder(url).GET().timeout(timeout)
                .header("User-Agent", "port-manager-health-check").build();
        HttpClient client = Client.HTTP; // made before the clock starts: its start-up is not the service's latency
        long start = System.nanoTime();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int code = response.statusCode();
            return result(code >= 200 && code < 400 ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY, start,
                    "HTTP " + code + " from " + url, OptionalInt.of(code));
        } catch (HttpConnectTimeoutException e) {
            return result(HealthStatus.UNHEALTHY, start, "no connection to " + url + " within " + timeout.toMillis()
                    + " ms", OptionalInt.empty());
        } catch (HttpTimeoutException e) {
            return result(HealthStatus.UNHEALTHY, start, "no answer from " + url + " within " + timeout.toMillis()
                    + " ms", OptionalInt.empty());
        } catch (ConnectException e) {
            return result(HealthStatus.NOT_RUNNING, start, "nothing listens at " + url + " (connection refused)",
                    OptionalInt.empty());
        } catch (IOException e) {
            return result(HealthStatus.UNHEALTHY, start, "GET " + url + " failed: " + e, OptionalInt.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result(HealthStatus.UNKNOWN, start, "interrupted before " + url + " answered", OptionalInt.empty());
        }
    }

    /**
     * Checks the service behind an allocation: a GET of its HTTP(S) health endpoint; a TCP connection to the
     * endpoint's host and port for a {@code tcp://} endpoint; else a TCP connection to the allocation's own host and
     * port.
     *
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public static HealthResult of(Allocation allocation, Duration timeout) {
        Objects.requireNonNull(allocation, "allocation == null");
        if (allocation.healthEndpoint().isPresent()) {
            URI endpoint = allocation.healthEndpoint().get();
            if ("tcp".equalsIgnoreCase(endpoint.getScheme())) {
                return tcp(endpoint.getHost(), endpoint.getPort() > 0 ? endpoint.getPort() : allocation.port(), timeout);
            }
            return http(endpoint, timeout);
        }
        if (allocation.protocol() == Protocol.UDP) {
            return new HealthResult(HealthStatus.UNKNOWN, Duration.ZERO, "UDP port " + allocation.port()
                    + " has no health endpoint, and UDP has no connection to try", OptionalInt.empty());
        }
        return tcp(allocation.host(), allocation.port(), timeout);
    }

    private static int timeoutMillis(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout == null");
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() == 0) {
            throw new IllegalArgumentException("timeout " + timeout + " is not positive; give at least a millisecond, "
                    + "such as Duration.ofSeconds(2)");
        }
        if (timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeout " + timeout + " is longer than " + Integer.MAX_VALUE
                    + " ms; give a shorter one");
        }
        return (int) timeout.toMillis();
    }

    private static HealthResult result(HealthStatus status, long startNanos, String detail, OptionalInt code) {
        return new HealthResult(status, Duration.ofNanos(System.nanoTime() - startNanos), detail, code);
    }

    /** The shared client, made on first use: a health check that only uses TCP never starts its threads. */
    private static final class Client {
        static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY).build();
    }
}
