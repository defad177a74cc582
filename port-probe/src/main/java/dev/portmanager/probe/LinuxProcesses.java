package dev.portmanager.probe;

import dev.portmanager.ProcessInfo;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Describes processes from {@code /proc/<pid>/stat}, {@code cmdline} and {@code status}, read directly: the name and
 * start time from {@code stat}, the full command line from {@code cmdline}, the effective user from {@code status}.
 * {@code ProcessHandle.info()} would give the same answers but costs 20-40 ms on first use. The start time is computed
 * as the JDK computes it (boot time from {@code /proc/stat} plus the start tick over the clock rate from the aux
 * vector), so it equals {@code ProcessHandle.info().startInstant()}. Thread-safe: every call reads afresh.
 */
final class LinuxProcesses implements ProcessReader {
    private static final long AT_CLKTCK = 17;

    private final String proc;
    private final String passwd;
    private volatile long bootMillis = -1;
    private volatile long ticksPerSecond = -1;

    /** @param proc the proc file system's mount point; @param passwd the passwd file */
    LinuxProcesses(String proc, String passwd) {
        this.proc = proc;
        this.passwd = passwd;
    }

    @Override
    public Optional<ProcessInfo> describe(long pid) {
        return Optional.ofNullable(describe(pid, new ProcFile(1024), new Users(passwd)));
    }

    /** The process, or null when it is gone, a zombie, or unreadable; reuses the caller's buffer and user table. */
    ProcessInfo describe(long pid, ProcFile file, Users users) {
        String base = proc + "/" + pid;
        if (!file.read(base + "/stat")) {
            return null;
        }
        byte[] b = file.bytes();
        int length = file.length();
        int open = nameStart(b, length);
        int close = nameEnd(b, length, open);
        if (close < 0) {
            return null;
        }
        String name = new String(b, open + 1, close - open - 1, StandardCharsets.UTF_8);
        long startTicks = field(b, close + 2, length, 22 - 3);
        Optional<Instant> started = startTicks < 0 || bootMillis() < 0 ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(bootMillis() + startTicks * 1000 / ticksPerSecond()));
        String commandLine = file.read(base + "/cmdline") ? commandLine(file.bytes(), file.length()) : "";
        long uid = file.read(base + "/status") ? effectiveUid(file.bytes(), file.length()) : -1;
        return new ProcessInfo(pid, name, commandLine, uid < 0 ? "" : users.name(uid), started);
    }

    @Override
    public String currentUser() {
        ProcFile file = new ProcFile(2048);
        long uid = file.read(proc + "/self/status") ? effectiveUid(file.bytes(), file.length()) : -1;
        return uid < 0 ? System.getProperty("user.name", "") : new Users(passwd).name(uid);
    }

    @Override
    public boolean isRunning(long pid) {
        ProcFile file = new ProcFile(1024);
        if (!file.read(proc + "/" + pid + "/stat")) {
            return false;
        }
        byte[] b = file.bytes();
        return nameEnd(b, file.length(), nameStart(b, file.length())) >= 0;
    }

    /** Where the command name of a {@code /proc/PID/stat} line opens: its '('. */
    private static int nameStart(byte[] b, int length) {
        int open = 0;
        while (open < length && b[open] != '(') {
            open++;
        }
        return open;
    }

    /**
     * Where the command name closes (the last ')', as a name may hold parentheses itself), or -1 when the line is not
     * a live process's: malformed, or the state after the name is Z (a zombie).
     */
    private static int nameEnd(byte[] b, int length, int open) {
        int close = length - 1;
        while (close > open && b[close] != ')') {
            close--;
        }
        return close <= open || close + 2 >= length || b[close + 2] == 'Z' ? -1 : close;
    }

    /** The arguments, NUL-separated in the file, joined with spaces. */
    static String commandLine(byte[] b, int length) {
        int end = length;
        while (end > 0 && b[end - 1] == 0) {
            end--;
        }
        byte[] copy = new byte[end];
        for (int i = 0; i < end; i++) {
            copy[i] = b[i] == 0 ? (byte) ' ' : b[i];
        }
        return new String(copy, StandardCharsets.UTF_8);
    }

    /** The second number of the {@code Uid:} line (real, effective, saved, file system), or -1. */
    static long effectiveUid(byte[] b, int length) {
        for (int i = 0; i + 4 < length; i++) {
            if ((i == 0 || b[i - 1] == '\n') && b[i] == 'U' && b[i + 1] == 'i' && b[i + 2] == 'd' && b[i + 3] == ':') {
                return field(b, i + 4, length, 1);
            }
        }
        return -1;
    }

    /** The {@code index}-th (0-based) whitespace-separated decimal field from {@code from}, or -1. */
    private static long field(byte[] b, int from, int length, int index) {
        int i = from;
        for (int f = 0; ; f++) {
            while (i < length && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            int start = i;
            while (i < length && b[i] != ' ' && b[i] != '\t' && b[i] != '\n') {
                i++;
            }
            if (f == index) {
                return Digits.decimal(b, start, i);
            }
            if (i >= length || b[i] == '\n') {
                return -1;
            }
        }
    }

    private long bootMillis() {
        long boot = bootMillis;
        if (boot == -1) {
            ProcFile file = new ProcFile(8192);
            boot = -2;
            if (file.read(proc + "/stat")) {
                byte[] b = file.bytes();
                for (int i = 0; i + 6 < file.length(); i++) {
                    if ((i == 0 || b[i - 1] == '\n') && b[i] == 'b' && b[i + 1] == 't' && b[i + 2] == 'i'
                            && b[i + 3] == 'm' && b[i + 4] == 'e' && b[i + 5] == ' ') {
                        long seconds = field(b, i + 6, file.length(), 0);
                        boot = seconds < 0 ? -2 : seconds * 1000;
                        break;
                    }
                }
            }
            bootMillis = boot;
        }
        return boot;
    }

    /** The kernel's clock rate for start times, from {@code AT_CLKTCK} in {@code /proc/self/auxv}; 100 otherwise. */
    private long ticksPerSecond() {
        long hz = ticksPerSecond;
        if (hz == -1) {
            hz = 100;
            ProcFile file = new ProcFile(512);
            if (file.read(proc + "/self/auxv")) {
                byte[] b = file.bytes();
                boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
                for (int i = 0; i + 16 <= file.length(); i += 16) {
                    long type = word(b, i, little);
                    if (type == AT_CLKTCK) {
                        long value = word(b, i + 8, little);
                        hz = value > 0 ? value : 100;
                        break;
                    }
                    if (type == 0) {
                        break;
                    }
                }
            }
            ticksPerSecond = hz;
        }
        return hz;
    }

    private static long word(byte[] b, int at, boolean little) {
        long value = 0;
        for (int k = 0; k < 8; k++) {
            value = value << 8 | (b[at + (little ? 7 - k : k)] & 0xff);
        }
        return value;
    }
}
