package dev.portmanager;


/** Whether an allocation is in use or held for later. Immutable and thread-safe. */
public enum AllocationStatus {
    /** The port belongs to a service. */
    ACTIVE,
    /** The port is held for future use, usually until its {@code expiresAt}. */
    RESERVED;

    /**
     * Parses {@code active} or {@code reserved}, in any case.
     *
     * @throws IllegalArgumentException if the text names neither
     * @throws NullPointerException     if the text is null
     */
    public static AllocationStatus parse(String text) {
        return Checks.parseEnum(AllocationStatus.class, "status", text);
    }
}
