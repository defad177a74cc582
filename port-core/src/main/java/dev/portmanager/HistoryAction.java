package dev.portmanager;


/** What a {@link HistoryEntry} records. Thread-safe. */
public enum HistoryAction {
    /** A port was allocated. */
    ALLOCATED,
    /** A port was reserved. */
    RESERVED,
    /** An allocation was released by request. */
    RELEASED,
    /** A lapsed allocation (expired, or its owner process gone) was reclaimed. */
    EXPIRED,
    /** A service moved to another port; the entry is written for the port it left. */
    REASSIGNED,
    /** A claimed port turned out to be held by a process the registry does not know; the claim was undone. */
    CONFLICT_DETECTED,
    /** Description, metadata, health or lease of an allocation changed. */
    UPDATED;

    /**
     * Parses an action name, in any case, with '-' for '_'.
     *
     * @throws IllegalArgumentException if the text names no action
     * @throws NullPointerException     if the text is null
     */
    public static HistoryAction parse(String text) {
        return Checks.parseEnum(HistoryAction.class, "history action", text);
    }
}
