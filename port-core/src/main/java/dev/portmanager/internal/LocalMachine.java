package dev.portmanager.internal;

import dev.portmanager.PortRange;
import dev.portmanager.ProcessOwner;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Facts about the machine this JVM runs on: its name, the current user, the OS ephemeral port range, whether a host
 * name means this machine, and whether a process is alive. Not API. Thread-safe.
 */
public final class LocalMachine {
    /**
     * How far two readings of one process's start time may differ and still name the same process. The JDK derives
     * the start instant from the boot time, which moves when the wall clock is stepped; calling a live owner dead would
     * hand its port to someone else, calling a dead one alive only keeps a port until the reused pid exits, so the
     * tolerance leans wide. A pid is reused within a minute of the original's start only after a full pid wrap.
     */
    static final Duration START_TOLERANCE = Duration.ofSeconds(60);
    /** The ephemeral range the IANA recommends, used where the OS does not say. */
    public static final PortRange IANA_EPHEMERAL = PortRange.of("ephemeral", 49152, 65535, "IANA dynamic ports");

    private static final Path LINUX_HOSTNAME = Path.of("/proc/sys/kernel/hostname");
    private static final Path LINUX_EPHEMERAL = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final String NAME = readName();
    private static final Map<String, Boolean> LOCAL_HOSTS = new ConcurrentHashMap<>();
    private static volatile ProcessOwner current;

    private LocalMachine() {
    }

    /**
     * The identity, read at its first use rather than with the machine's name: a program that neither writes nor
     * judges a lease owner never reads it (start-up, issue 20).
     */
    private static final class Identity {
        static final MachineIdentity IDENTITY = MachineIdentity.read(NAME, Path.of("/etc"), Path.of("/proc"));
    }

    /** When this machine booted, read at its first use: only judging a lease owner needs it. */
    private static final class Boot {
        static final Instant TIME = MachineIdentity.bootTime(Path.of("/proc")).orElse(null);
    }

    /** This machine's host name, lower-cased; {@code localhost} if it cannot be read. */
    public static String name() {
        return NAME;
    }

    /**
     * What a lease owner of this process records as its machine: the host name and, on Linux, the machine id, boot id
     * and PID namespace ({@link MachineIdentity}).
     */
    public static MachineIdentity identity() {
        return Identity.IDENTITY;
    }

    /** {@code user@machine}, the default "allocated by". */
    public static String userAtMachine() {
        String user = System.getProperty("user.name", "unknown");
        return (user.isBlank() ? "unknown" : user) + "@" + NAME;
    }

    /** {@code org.example.Main (pid 4242)}, cheaply: no process-info lookup. Never throws; thread-safe. */
    public static String jvmName() {
        String command = System.getProperty("sun.java.command", "").strip();
        int space = command.indexOf(' ');
        String main = space > 0 ? command.substring(0, space) : command;
        long pid = ProcessHandle.current().pid();
        return main.isEmpty() ? "pid " + pid : main + " (pid " + pid + ")";
    }

    /** The owner naming this JVM. */
    public static ProcessOwner currentOwner() {
        ProcessOwner owner = current;
        if (owner == null) {
            owner = ProcessOwner.of(ProcessHandle.current());
            current = owner;
        }
        return owner;
    }

    /**
     * The OS ephemeral port range: {@code /proc/sys/net/ipv4/ip_local_port_range} on Linux, 49152-65535 elsewhere
     * or when the file cannot be read.
     */
    public static PortRange ephemeralRange() {
        return readEphemeralRange(LINUX_EPHEMERAL).orElse(IANA_EPHEMERAL);
    }

    static Optional<PortRange> readEphemeralRange(Path file) {
        try {
            // Split by hand, not with split("\\s+"): no regular expression compiled at start-up (issue 20).
            String[] parts = words(readSmallFile(file).trim());
            if (parts.length == 2) {
                int first = Integer.parseInt(parts[0]);
                int last = Integer.parseInt(parts[1]);
                if (first >= 1 && first <= last && last <= 65535) {
                    return Optional.of(PortRange.of("ephemeral", first, last, "OS ephemeral ports (" + file + ")"));
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The words of {@code text}, split at white space as {@code split("\\s+")} splits a trimmed text; an empty text
     * has none.
     */
    static String[] words(String text) {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && isSpace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < text.length() && !isSpace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                words.add(text.substring(start, i));
            }
        }
        return words.toArray(new String[0]);
    }

    /** The white space of the regular expression {@code \s}: space, tab, line feed, vertical tab, form feed, return. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /**
     * Whether a host name (as normalised by {@link dev.portmanager.Checks#host}) means this machine: {@code localhost}, this
     * machine's name, or an address literal of one of its interfaces. No DNS lookup is made.
     */
    public static boolean isLocalHost(String host) {
        if (host.equals("localhost") || host.equals(NAME) || host.equals(shortName(NAME))) {
            return true;
        }
        return LOCAL_HOSTS.computeIfAbsent(host, LocalMachine::isLocalAddressLiteral);
    }

    /**
     * Whether a lease owner is still alive. An owner this process cannot see (another machine, boot or PID namespace,
     * see {@link MachineIdentity}) counts as alive, except one of an earlier boot of this machine; an owner it can see
     * is alive while a process with its pid runs and started when the owner did.
     */
    public static boolean isAlive(ProcessOwner owner) {
        MachineIdentity.Sight sight = sight(owner);
        if (sight != MachineIdentity.Sight.VISIBLE) {
            return sight == MachineIdentity.Sight.CANNOT_JUDGE;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(owner.pid());
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        if (owner.startedAt().equals(Instant.EPOCH)) {
            return true;
        }
        Optional<Instant> started = handle.get().info().startInstant();
        return started.isEmpty()
                || Duration.between(started.get(), owner.startedAt()).abs().compareTo(START_TOLERANCE) <= 0;
    }

    /** When this machine booted ({@code btime} of {@code /proc/stat}); empty where it is unknown. */
    public static Optional<Instant> bootTime() {
        return Optional.ofNullable(Boot.TIME);
    }

    /** Whether the owner's pid names a process of this machine, boot and PID namespace, which can be looked up. */
    public static boolean canSee(ProcessOwner owner) {
        return sight(owner) == MachineIdentity.Sight.VISIBLE;
    }

    private static MachineIdentity.Sight sight(ProcessOwner owner) {
        return Identity.IDENTITY.sight(MachineIdentity.parse(owner.machine()), owner.startedAt(), Boot.TIME);
    }

    /**
     * Reads a small file (its first 4096 bytes, as UTF-8) through a stream. {@code /proc} files report a size of
     * zero, and {@link Files#readString} trusts the size: on JDK 17 it returns the first byte only.
     *
     * @throws IOException if the file cannot be read
     */
    public static String readSmallFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        }
    }

    private static boolean isLocalAddressLiteral(String host) {
        if (!looksLikeAddress(host)) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(host);
            return address.isLoopbackAddress() || address.isAnyLocalAddress()
                    || NetworkInterface.getByInetAddress(address) != null;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }

    private static boolean looksLikeAddress(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private static String shortName(String name) {
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String readName() {
        String name = null;
        try {
            if (Files.isReadable(LINUX_HOSTNAME)) {
                name = readSmallFile(LINUX_HOSTNAME).trim();
            }
        } catch (IOException e) {
            name = null;
        }
        if (name == null || name.isEmpty()) {
            name = System.getenv("COMPUTERNAME");
        }
        if (name == null || name.isEmpty()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                name = "localhost";
            }
        }
        return name.toLowerCase(Locale.ROOT);
    }
}
