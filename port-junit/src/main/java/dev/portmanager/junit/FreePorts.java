package dev.portmanager.junit;

import dev.portmanager.Allocation;
import dev.portmanager.ClaimRegistry;
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
 * <p>The registry is {@code claims.json} in a folder of the user's alone: {@code $XDG_RUNTIME_DIR/portmanager} where
 * {@code XDG_RUNTIME_DIR} names a folder of the user's alone (systemd sessions), else
 * {@code <java.io.tmpdir>/portmanager-<user>}. The folder is made {@code 0700}; one that another user made first, a
 * link, or one others can write in is refused. The system property {@value #STORE_PROPERTY} names another store URI.
 * Ports come from outside the OS ephemeral range, searched from a random point. A claim is a kernel lock the JVM holds
 * on byte N of {@code claims.json.locks} for port N, after a bind check: no shared file is rewritten, so a claim costs
 * about a few binds, however many JVMs claim at once (see {@link ClaimRegistry}). Thread-safe.
 */
public final class FreePorts {
    /** The system property that names the claim registry's store URI, such as {@code json:/tmp/claims.json}. */
    public static final String STORE_PROPERTY = ClaimRegistry.STORE_PROPERTY;

    private static ClaimRegistry claims;

    private FreePorts() {
    }

    /** The claim registry, opened on first use: the folder is checked once, not on every claim. */
    private static synchronized ClaimRegistry open() {
        if (claims == null) {
            claims = ClaimRegistry.open(storeUri());
        }
        return claims;
    }

    /**
     * Claims one free TCP port.
     *
     * @throws dev.portmanager.NoFreePortException       if no port is free
     * @throws dev.portmanager.StoreUnavailableException if the claim registry cannot be written
     */
    public static PortClaim claim() {
        return open().claim();
    }

    /**
     * Claims {@code count} distinct free TCP ports at once, all or none.
     *
     * @throws IllegalArgumentException            if count is not positive
     * @throws dev.portmanager.NoFreePortException if fewer ports are free
     */
    public static List<PortClaim> claim(int count) {
        return open().claim(count);
    }

    /**
     * Claims one free TCP port of a range of the claim registry (it starts with the six Atlas ranges: web, database,
     * testing, debug, api, cache).
     *
     * @throws IllegalArgumentException            if the registry has no such range
     * @throws dev.portmanager.NoFreePortException if the range is full
     */
    public static PortClaim claim(String range) {
        return open().claim(range);
    }

    /**
     * The claim registry's manager, built on first use (which also clears the store's claims of JVMs that are gone):
     * its ranges, and on a store other than a JSON file its claims. Shared by the whole JVM; never close it. The claims
     * of a JSON registry are kernel locks, listed by {@link #claims()}.
     *
     * @throws dev.portmanager.StoreUnavailableException if the claim folder is not the user's alone (another user's,
     *                                                   a link, or writable by others) or cannot be made
     */
    public static PortManager registry() {
        return open().manager();
    }

    /**
     * The claims every JVM holds now on the claim registry, by port.
     *
     * @throws dev.portmanager.StoreUnavailableException if the claims cannot be read
     */
    public static List<Allocation> claims() {
        return open().claims();
    }

    /**
     * The claim registry's store URI: {@value #STORE_PROPERTY} if set, else {@link #defaultFile()}, whose folder is
     * made (or checked) here. The same as {@link ClaimRegistry#storeUri()}, which the Maven plugin uses too.
     *
     * @throws dev.portmanager.StoreUnavailableException if the default folder is not the user's alone or cannot be
     *                                                   made
     */
    public static String storeUri() {
        return ClaimRegistry.storeUri();
    }

    /**
     * The default claim registry file, {@code claims.json} in {@code $XDG_RUNTIME_DIR/portmanager} when
     * {@code XDG_RUNTIME_DIR} is a folder of the user's alone, else in {@code <java.io.tmpdir>/portmanager-<user>}.
     * Nothing is created or checked.
     */
    public static Path defaultFile() {
        return ClaimRegistry.defaultFile();
    }
}
