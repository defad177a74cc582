package dev.portmanager.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What tells a process's machine and PID namespace apart, kept in a lease owner's {@code machine} text so that the
 * stores need no new field: the host name, then on Linux {@code ;machine=<machine id>;boot=<boot id>;pidns=<inode>}
 * ({@code build-7;machine=3d12...;boot=ff15...;pidns=4026531836}). Two JVMs with the same host name may still be on
 * two machines (containers, cloned VMs) or in two PID namespaces (a container sharing the host's network and
 * {@code /tmp}), where a pid means another process; only an owner in this boot and this PID namespace can be looked
 * up. An owner written by an older version holds the host name alone and is judged by pid, as it was. Not API.
 * Immutable and thread-safe.
 *
 * @param host         the host name, lower-cased
 * @param machineId    {@code /etc/machine-id}, which stays across reboots; null when unknown
 * @param bootId       {@code /proc/sys/kernel/random/boot_id}, new at every boot; null when unknown
 * @param pidNamespace the inode of {@code /proc/self/ns/pid}; null when unknown
 */
public record MachineIdentity(String host, String machineId, String bootId, String pidNamespace) {
    /** The inode of the first PID namespace, the one the machine's init runs in (the kernel's PROC_PID_INIT_INO). */
    public static final String INIT_PID_NAMESPACE = "4026531836";

    /** How this process stands to a lease owner. */
    public enum Sight {
        /** Same machine, boot and PID namespace (or an owner of an older version on this host): judge its pid. */
        VISIBLE,
        /** An earlier boot of this machine: every process of it ended when it did. */
        ENDED_BOOT,
        /** Another machine, boot or PID namespace, or not enough known to tell: it cannot be judged from here. */
        CANNOT_JUDGE
    }

    /** @throws NullPointerException if host is null */
    public MachineIdentity {
        Objects.requireNonNull(host, "host == null");
    }

    /** Reads an identity written by {@link #toString()}; a host name alone (an older version's) has no other part. */
    public static MachineIdentity parse(String machine) {
        String[] parts = machine.split(";");
        String machineId = null;
        String boot = null;
        String pidns = null;
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            String key = eq < 0 ? parts[i] : parts[i].substring(0, eq);
            String value = eq < 0 ? null : parts[i].substring(eq + 1);
            switch (key) {
                case "machine" -> machineId = value;
                case "boot" -> boot = value;
                case "pidns" -> pidns = value;
                default -> {
                    // A part a later version added: not needed to judge.
                }
            }
        }
        return new MachineIdentity(parts[0].toLowerCase(Locale.ROOT), machineId, boot, pidns);
    }

    /**
     * This process's identity, read from the files named above; each part this system does not have (or this user
     * cannot read) is left out.
     */
    static MachineIdentity read(String host, Path etc, Path proc) {
        String machineId = token(etc.resolve("machine-id"));
        return new MachineIdentity(host, machineId, token(proc.resolve("sys/kernel/random/boot_id")),
                namespace(proc.resolve("self/ns/pid")));
    }

    /**
     * How this process (this identity, in a boot that began at {@code bootTime}) stands to an owner of
     * {@code theirs} that started at {@code ownerStarted}.
     *
     * @param bootTime when this boot began; null when unknown
     */
    public Sight sight(MachineIdentity theirs, Instant ownerStarted, Instant bootTime) {
        if (!host.equalsIgnoreCase(theirs.host)) {
            return Sight.CANNOT_JUDGE;
        }
        if (theirs.machineId == null && theirs.bootId == null && theirs.pidNamespace == null) {
            return Sight.VISIBLE;
        }
        if (machineId != null && theirs.machineId != null && !machineId.equals(theirs.machineId)) {
            return Sight.CANNOT_JUDGE;
        }
        if (bootId == null || theirs.bootId == null) {
            return Sight.CANNOT_JUDGE;
        }
        if (!bootId.equals(theirs.bootId)) {
            // Another boot with this machine's id, of a process that started before this boot began, can only be an
            // earlier boot (only one boot of a machine runs at a time). Without both ids it may be another machine.
            boolean sameMachine = machineId != null && machineId.equals(theirs.machineId);
            return sameMachine && bootTime != null && ownerStarted.isBefore(bootTime) ? Sight.ENDED_BOOT
                    : Sight.CANNOT_JUDGE;
        }
        return pidNamespace != null && pidNamespace.equals(theirs.pidNamespace) ? Sight.VISIBLE : Sight.CANNOT_JUDGE;
    }

    /** Whether this is a PID namespace other than the machine's first one (a container's, {@code unshare -p}'s). */
    public boolean inOwnPidNamespace() {
        return pidNamespace != null && !pidNamespace.equals(INIT_PID_NAMESPACE);
    }

    /** {@code build-7;machine=3d12...;boot=ff15...;pidns=4026531836}, or the host name alone. */
    @Override
    public String toString() {
        return host + (machineId == null ? "" : ";machine=" + machineId) + (bootId == null ? "" : ";boot=" + bootId)
                + (pidNamespace == null ? "" : ";pidns=" + pidNamespace);
    }

    private static String token(Path file) {
        try {
            String text = LocalMachine.readSmallFile(file).strip();
            return isToken(text) ? text : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String namespace(Path link) {
        try {
            return namespaceInode(Files.readSymbolicLink(link).toString());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    // Checked by hand, not with regular expressions: the first one a JVM compiles costs milliseconds, and the identity
    // is read at a program's first write (start-up, issue 20).

    /** Whether the text is 1 to 64 of {@code [0-9A-Za-z-]}: a machine or boot id as the kernel writes it. */
    static boolean isToken(String text) {
        if (text.isEmpty() || text.length() > 64) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** The inode of a PID namespace link's target, {@code pid:[4026531836]}; null for any other text. */
    static String namespaceInode(String target) {
        if (!target.startsWith("pid:[") || !target.endsWith("]") || target.length() < 7) {
            return null;
        }
        String inode = target.substring(5, target.length() - 1);
        for (int i = 0; i < inode.length(); i++) {
            char c = inode.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return inode;
    }

    /** When this boot began: {@code btime} of {@code /proc/stat}; empty where there is none. */
    static Optional<Instant> bootTime(Path proc) {
        try {
            for (String line : Files.readAllLines(proc.resolve("stat"))) {
                if (line.startsWith("btime ")) {
                    return Optional.of(Instant.ofEpochSecond(Long.parseLong(line.substring(6).strip())));
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
