package dev.portmanager;

/**
 * How full a range is, as in seed 001's {@code port-summary}. Immutable and thread-safe.
 *
 * @param range              the range's name
 * @param start              its first port
 * @param end                its last port
 * @param total              its number of ports
 * @param allocated          live allocations in it
 * @param excluded           ports the policy never hands out (exclusions, system ports, the OS ephemeral range)
 *                           that are not allocated
 * @param available          ports that can still be allocated: {@code total - allocated - excluded}
 * @param utilizationPercent {@code allocated} as a percentage of {@code total}, one decimal
 */
public record RangeSummary(String range, int start, int end, int total, int allocated, int excluded, int available,
                           double utilizationPercent) {

    /** {@code web 8080-8099: 17 of 20 allocated (85.0%), 3 available}. */
    @Override
    public String toString() {
        return range + " " + start + "-" + end + ": " + allocated + " of " + total + " allocated ("
                + utilizationPercent + "%), " + available + " available" + (excluded == 0 ? "" : ", " + excluded + " excluded");
    }
}
