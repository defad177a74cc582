package dev.portmanager.junit;

import dev.portmanager.PortClaim;
import dev.portmanager.PortManager;

import java.nio.file.Path;
import java.util.List;

/**
 * Claims free ports on the machine's claim registry, which every JVM of the user shares: unlike
 * {@code new ServerSocket(0)} or Spring's {@code TestSocketUtils}, a claimed port is not handed to any other JVM (another
 * Surefire fork, another Gradle worker, another build) until the claim is closed or its JVM exits, even by
 * {@code kill -9}.
 *
 * <pre>{@code
 * try (PortClaim claim = FreePorts.claim()) {
 *     server.start(claim.port());
 * }
 * }</pre>
 *
 * <p>The registry is {@code <java.io.tmpdir>/portmanager-<user>/claims.json}; the system property
 * {@value #STORE_PROPERTY} names another store URI. Ports come from outside the OS ephemeral range, searched from a
 * random point. Thread-safe.
 */
public final class FreePorts {
    /** The system property that names the claim registry's store URI, such as {@code json:/tmp/claims.json}. */
    public static final String STORE_PROPERTY = "portmanager.claims";

    private static PortManager registry;

    private FreePorts() {
    }

    /**
     * Claims one free TCP port.
     *
     * @throws dev.portmanager.NoFreePortException       if no port is free
     * @throws dev.portmanager.StoreUnavailableException if the claim registry cannot be written
     */
    public static PortClaim claim() {
        return registry().claim();
    }

    /**
     * Claims {@code count} distinct free TCP ports at once, all or none.
     *
     * @throws IllegalArgumentException            if count is not positive
     * @throws dev.portmanager.NoFreePortException if fewer ports are free
     */
    public static List<PortClaim> claim(int count) {
        return registry().claim(count);
    }

    /**
     * Claims one free TCP port of a range of the claim registry (it starts with the six Atlas ranges: web, database,
     * testing, debug, api, cache).
     *
     * @throws IllegalArgumentException            if the registry has no such range
     * @throws dev.portmanager.NoFreePortException if the range is full
     */
    public static PortClaim claim(String range) {
        return registry().claim(range);
    }

    /**
     * The claim registry's manager, built on first use (which also clears the claims of JVMs that are gone). Shared
     * by the whole JVM; never close it.
     */
    public static synchronized PortManager registry() {
        if (registry == null) {
            registry = PortManager.builder().name("free-ports").store(storeUri()).build();
            registry.reclaimLapsed();
        }
        return registry;
    }

    /** The claim registry's store URI: {@value #STORE_PROPERTY} if set, else the file under the temp folder. */
    public static String storeUri() {
        String uri = System.getProperty(STORE_PROPERTY);
        return uri != null && !uri.isBlank() ? uri.strip() : "json:" + defaultFile();
    }

    /** {@code <java.io.tmpdir>/portmanager-<user>/claims.json}. */
    public static Path defaultFile() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "portmanager-" + user, "claims.json");
    }
}
