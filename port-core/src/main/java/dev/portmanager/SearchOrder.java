package dev.portmanager;


/**
 * Where the search for a free port starts inside a range. The search always wraps around the whole range, so the
 * order changes which free port is found first and how clients contend, never whether one is found.
 * Thread-safe.
 */
public enum SearchOrder {
    /**
     * From the lowest port upward: predictable (the seeds' "next available port"), but every concurrent client
     * races for the same gap.
     */
    LOWEST_FIRST,
    /** From a random point: concurrent clients rarely collide. */
    SPREAD,
    /**
     * From a point given by a stable hash of project and service: a fresh registry on another machine tends to give
     * a service the same port, and clients spread out as with {@link #SPREAD}.
     */
    STICKY;

    /**
     * Parses {@code lowest-first}, {@code spread} or {@code sticky}, in any case.
     *
     * @throws IllegalArgumentException if the text names none of them
     * @throws NullPointerException     if the text is null
     */
    public static SearchOrder parse(String text) {
        return Checks.parseEnum(SearchOrder.class, "search order", text);
    }
}
