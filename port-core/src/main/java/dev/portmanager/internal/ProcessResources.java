package dev.portmanager.internal;

import dev.portmanager.ResourceUsage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Reads a process's CPU time and resident memory from {@code /proc} (Linux). CPU ticks are in {@code USER_HZ}, which
 * the kernel fixes at 100 for user space on every architecture this runs on (x86, ARM, RISC-V, POWER, s390).
 * Stateless and thread-safe: every call reads afresh.
 */
public final class ProcessResources {
    private static final Path PROC = Path.of("/proc");
    private static final long TICKS_PER_SECOND = 100;
    private static final boolean HAS_PROC = Files.isDirectory(PROC.resolve("self"));

    private ProcessResources() {
    }

    /** What the process uses; empty when it does not run; all unknown without {@code /proc}. */
    public static Optional<ResourceUsage> read(long pid) {
        if (!HAS_PROC) {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> ResourceUsage.unknown(pid));
        }
        return read(PROC.resolve(String.valueOf(pid)), pid, Instant.now());
    }

    /** Reads one process folder of a proc file system; empty when it is gone or a zombie. */
    static Optional<ResourceUsage> read(Path dir, long pid, Instant now) {
        String stat;
        try {
            stat = LocalMachine.readSmallFile(dir.resolve("stat"));
        } catch (IOException gone) {
            return Optional.empty();
        }
        // The name may hold spaces and parentheses: the fields start after its last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return Optional.empty();
        }
        String[] f = stat.substring(close + 1).trim().split("\\s+");
        if (f.length < 20 || f[0].equals("Z") || f[0].equals("X")) {
            return Optional.empty();
        }
        Optional<Duration> cpu = Optional.empty();
        OptionalDouble percent = OptionalDouble.empty();
        try {
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            Duration time = Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND);
            cpu = Optional.of(time);
            long startTicks = Long.parseLong(f[19]);
            Optional<Instant> boot = LocalMachine.bootTime();
            if (boot.isPresent()) {
                Instant started = boot.get().plusMillis(startTicks * 1000 / TICKS_PER_SECOND);
                long ranMillis = Duration.between(started, now).toMillis();
                if (ranMillis > 0) {
                    percent = OptionalDouble.of(Math.round(time.toMillis() * 1000.0 / ranMillis) / 10.0);
                }
            }
        } catch (NumberFormatException malformed) {
            // Leave the CPU unknown rather than guess.
        }
        return Optional.of(new ResourceUsage(pid, cpu, percent, resident(dir)));
    }

    /** The {@code VmRSS:} line of {@code status}, in bytes; empty for a kernel thread or an unreadable file. */
    private static OptionalLong resident(Path dir) {
        try {
            for (String line : LocalMachine.readSmallFile(dir.resolve("status")).split("\n")) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    long kb = Long.parseLong(parts[0]);
                    return OptionalLong.of(kb * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
