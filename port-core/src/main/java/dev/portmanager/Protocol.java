package dev.portmanager;


/**
 * The transport a port is allocated for. {@link #BOTH} holds the port for TCP and UDP at once.
 * Immutable and thread-safe.
 */
public enum Protocol {
    /** TCP only. */
    TCP,
    /** UDP only. */
    UDP,
    /** TCP and UDP: collides with either. */
    BOTH;

    /**
     * Whether two allocations of the same port on the same host would collide: equal protocols collide, and
     * {@code BOTH} collides with everything.
     *
     * @throws NullPointerException if {@code other} is null
     */
    public boolean collidesWith(Protocol other) {
        java.util.Objects.requireNonNull(other, "other == null");
        return this == BOTH || other == BOTH || this == other;
    }

    /**
     * Whether an allocation for this protocol serves {@code wanted}: {@code BOTH} serves all three, {@code TCP}
     * and {@code UDP} serve only themselves.
     *
     * @throws NullPointerException if {@code wanted} is null
     */
    public boolean covers(Protocol wanted) {
        java.util.Objects.requireNonNull(wanted, "wanted == null");
        return this == BOTH || this == wanted;
    }

    /**
     * Parses {@code tcp}, {@code udp} or {@code both}, in any case.
     *
     * @throws IllegalArgumentException if the text names none of them
     * @throws NullPointerException     if the text is null
     */
    public static Protocol parse(String text) {
        return Checks.parseEnum(Protocol.class, "protocol", text);
    }
}
