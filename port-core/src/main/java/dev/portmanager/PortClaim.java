package dev.portmanager;

/**
 * A port claimed for this JVM: no other JVM using the same registry is handed it until the claim is closed or this JVM
 * dies (the claim's allocation is owned by this process, so even {@code kill -9} gives it back). Made by
 * {@link PortManager#claim()} and its siblings; in tests, by {@code dev.portmanager.junit.FreePorts} or the
 * {@code @FreePort} JUnit extension.
 *
 * <pre>{@code
 * try (PortClaim claim = pm.claim().hold()) {   // hold: the port stays bound, so nothing else can take it
 *     claim.handOff();                          // unbind just before the server under test binds
 *     server.start(claim.port());
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface PortClaim extends AutoCloseable {
    /** The claimed port. */
    int port();

    /** The registry's record of the claim. */
    Allocation allocation();

    /**
     * Binds the port and keeps it bound until {@link #handOff()} or {@link #close()}, so that no process outside the
     * registry can take it either. Does nothing if already held.
     *
     * @return this claim
     * @throws PortConflictException if the port cannot be bound: another process took it since it was claimed
     * @throws IllegalStateException if the claim is closed
     */
    PortClaim hold();

    /** Whether the port is bound by {@link #hold()} right now. */
    boolean isHeld();

    /**
     * Unbinds a held port, just before the code under test binds it; the claim itself stays until {@link #close()}.
     * Does nothing if the port is not held.
     */
    void handOff();

    /**
     * Unbinds the port if held and releases the claim, so other JVMs may be handed the port. Idempotent; never throws
     * for a claim whose registry is gone (the release is logged instead).
     */
    @Override
    void close();
}
