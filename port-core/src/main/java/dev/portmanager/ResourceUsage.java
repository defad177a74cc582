package dev.portmanager;

import dev.portmanager.internal.ProcessResources;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What a running process uses, as seed 003's performance monitoring: its CPU time (user and system, since it
 * started), its CPU load averaged since it started (CPU time over the time it has run, in percent of one core), and its
 * resident memory. On Linux from {@code /proc/<pid>/stat} and the {@code VmRSS} line of {@code /proc/<pid>/status};
 * elsewhere, and for a process this user cannot read, each value is unknown (empty). Immutable and thread-safe.
 *
 * @param pid           the process
 * @param cpuTime       user plus system CPU time, or empty when unknown
 * @param cpuPercent    {@code cpuTime} over the time since the process started, in percent of one core (a process
 *                      busy on two cores shows 200), or empty when unknown
 * @param residentBytes resident memory (RSS) in bytes, or empty when unknown
 */
public record ResourceUsage(long pid, Optional<Duration> cpuTime, OptionalDouble cpuPercent,
                            OptionalLong residentBytes) {

    /** Checks the components. @throws NullPointerException if one is null */
    public ResourceUsage {
        Objects.requireNonNull(cpuTime, "cpuTime == null");
        Objects.requireNonNull(cpuPercent, "cpuPercent == null");
        Objects.requireNonNull(residentBytes, "residentBytes == null");
    }

    /**
     * Reads what the process uses now.
     *
     * @return its use; empty when no such process runs (or it has ended and not been reaped); every value unknown on
     *         a system without {@code /proc}
     * @throws IllegalArgumentException if {@code pid} is not positive
     */
    public static Optional<ResourceUsage> of(long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid " + pid + " is not a process id; give a positive one");
        }
        return ProcessResources.read(pid);
    }

    /** A process whose use is not known. */
    public static ResourceUsage unknown(long pid) {
        return new ResourceUsage(pid, Optional.empty(), OptionalDouble.empty(), OptionalLong.empty());
    }

    /** Whether anything is known. */
    public boolean known() {
        return cpuTime.isPresent() || residentBytes.isPresent();
    }

    /** The CPU time as people read it: {@code 1.25 s}, or {@code unknown}. */
    public String cpuText() {
        return cpuTime.map(d -> String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9)).orElse("unknown");
    }

    /** The resident memory as people read it: {@code 52.4 MB} (of 2^20 bytes), or {@code unknown}. */
    public String memoryText() {
        return residentBytes.isPresent() ? bytes(residentBytes.getAsLong()) : "unknown";
    }

    /** {@code 52.4 MB} (MB of 2^20 bytes, KB of 2^10, one decimal). */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.1f GB", bytes / (1024.0 * 1024 * 1024));
    }

    /** {@code pid 4242: cpu 1.25 s (12.5% since start), rss 52.4 MB}, or {@code pid 4242: cpu unknown, rss unknown}. */
    @Override
    public String toString() {
        return "pid " + pid + ": cpu " + cpuText()
                + (cpuPercent.isPresent() ? String.format(Locale.ROOT, " (%.1f%% since start)",
                cpuPercent.getAsDouble()) : "") + ", rss " + memoryText();
    }
}
