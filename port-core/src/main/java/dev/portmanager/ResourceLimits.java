package dev.portmanager;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The use above which an audit flags a running service and the monitor warns (seed 003's resource threshold
 * alerting): resident memory, and CPU load averaged since the process started. Set on the builder
 * ({@link PortManagerBuilder#resourceLimits}); {@link #none()} flags nothing. Immutable and thread-safe.
 *
 * <pre>{@code
 * PortManager.builder().resourceLimits(ResourceLimits.none().residentMemory(512L << 20).cpuPercent(80))
 * }</pre>
 *
 * @param residentBytes the resident memory above which a service is flagged, or empty for no limit
 * @param cpuPercent    the CPU load (percent of one core, averaged since the process started) above which a service
 *                      is flagged, or empty for no limit
 */
public record ResourceLimits(OptionalLong residentBytes, OptionalDouble cpuPercent) {
    private static final ResourceLimits NONE = new ResourceLimits(OptionalLong.empty(), OptionalDouble.empty());

    /** Checks the limits. @throws IllegalArgumentException if one is not positive; NullPointerException if null */
    public ResourceLimits {
        if (residentBytes.isPresent() && residentBytes.getAsLong() <= 0) {
            throw new IllegalArgumentException("resident memory limit " + residentBytes.getAsLong() + " bytes is not "
                    + "positive; give one such as 536870912 (512 MB)");
        }
        if (cpuPercent.isPresent() && !(cpuPercent.getAsDouble() > 0)) {
            throw new IllegalArgumentException("CPU limit " + cpuPercent.getAsDouble() + "% is not positive; give one "
                    + "such as 80 (percent of one core)");
        }
    }

    /** No limit. */
    public static ResourceLimits none() {
        return NONE;
    }

    /**
     * These limits with a resident memory limit.
     *
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public ResourceLimits residentMemory(long bytes) {
        return new ResourceLimits(OptionalLong.of(bytes), cpuPercent);
    }

    /**
     * These limits with a CPU limit, in percent of one core (over 100 on several cores).
     *
     * @throws IllegalArgumentException if {@code percent} is not positive
     */
    public ResourceLimits cpuPercent(double percent) {
        return new ResourceLimits(residentBytes, OptionalDouble.of(percent));
    }

    /** Whether no limit is set. */
    public boolean isNone() {
        return residentBytes.isEmpty() && cpuPercent.isEmpty();
    }

    /**
     * What the use exceeds, in words, one entry per limit: {@code resident memory 52.4 MB above the limit 40.0 MB};
     * empty when within the limits (or the values are unknown).
     *
     * @throws NullPointerException if the use is null
     */
    public List<String> exceededBy(ResourceUsage use) {
        List<String> over = new ArrayList<>();
        if (residentBytes.isPresent() && use.residentBytes().isPresent()
                && use.residentBytes().getAsLong() > residentBytes.getAsLong()) {
            over.add("resident memory " + use.memoryText() + " above the limit "
                    + ResourceUsage.bytes(residentBytes.getAsLong()));
        }
        if (cpuPercent.isPresent() && use.cpuPercent().isPresent()
                && use.cpuPercent().getAsDouble() > cpuPercent.getAsDouble()) {
            over.add(String.format(Locale.ROOT, "CPU %.1f%% since start above the limit %.1f%%",
                    use.cpuPercent().getAsDouble(), cpuPercent.getAsDouble()));
        }
        return over;
    }

    @Override
    public String toString() {
        if (isNone()) {
            return "no resource limits";
        }
        return (residentBytes.isPresent() ? "resident memory " + ResourceUsage.bytes(residentBytes.getAsLong()) : "")
                + (residentBytes.isPresent() && cpuPercent.isPresent() ? ", " : "")
                + (cpuPercent.isPresent() ? String.format(Locale.ROOT, "CPU %.1f%%", cpuPercent.getAsDouble()) : "");
    }
}
