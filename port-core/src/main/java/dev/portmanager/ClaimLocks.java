package dev.portmanager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The claims of one claim registry as kernel locks: port N is claimed while a process holds a write lock on byte N of
 * {@code <registry file>.locks}. The kernel gives the lock back when its process ends, however it ends ({@code kill -9}
 * included), and it does so across PID namespaces, since the lock belongs to the open file, not to a pid anyone has to
 * judge. Taking or giving a claim is one {@code fcntl} call: no shared lock, no file rewritten.
 *
 * <p>Who holds a claim and since when goes to the port's slot of {@code <registry file>.records} ({@value #SLOT} bytes
 * at {@code port * }{@value #SLOT}), written in place by the holder of the lock after taking it and cleared before giving
 * it back: one positional write, no file made, no claimant waiting for another, since only the holder of a port's lock
 * writes its slot. A slot whose byte nobody holds is stale (its JVM died) and is ignored by {@link #list(String)} and
 * overwritten by the next claimant.
 *
 * <p>POSIX record locks belong to the process, and closing any descriptor of the file drops every lock the process
 * holds on it, so there is one instance per lock file per JVM ({@link #beside}), whose channel stays open for the life
 * of the JVM and is the only one this library opens on that file; the threads of the JVM are kept apart by
 * {@link #mine}, the ports this JVM holds or is taking. Files are the user's alone ({@code 0600}, folder {@code 0700})
 * and never reached through a symbolic link. Thread-safe.
 */
final class ClaimLocks {
    private static final Logger LOG = LoggerFactory.getLogger(ClaimLocks.class);
    private static final ConcurrentMap<Path, ClaimLocks> OPEN = new ConcurrentHashMap<>();
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX = Path.of("").getFileSystem().supportedFileAttributeViews().contains("posix");
    /** A port a thread of this JVM is taking or checking, before or without a lock of its own. */
    private static final Object PENDING = new Object();
    /** The bytes of one port's record slot. */
    static final int SLOT = 512;
    /** How many slots {@link #list(String)} reads at once. */
    private static final int SLOTS_READ = 256;

    private final Path lockFile;
    private final Path recordFile;
    private final FileChannel channel;
    private final FileChannel records;
    /** The ports this JVM holds (their {@link FileLock}) or is taking or checking ({@link #PENDING}). */
    private final ConcurrentMap<Integer, Object> mine = new ConcurrentHashMap<>();

    private ClaimLocks(Path lockFile, Path recordFile, FileChannel channel, FileChannel records) {
        this.lockFile = lockFile;
        this.recordFile = recordFile;
        this.channel = channel;
        this.records = records;
    }

    /**
     * The claim locks of a registry file, {@code <file>.locks} and {@code <file>.records} beside it; one instance per
     * JVM for each, opened on first use and never closed. The registry's folder is made if missing.
     *
     * @throws StoreUnavailableException if the lock file or record file is a symbolic link or cannot be opened; the
     *                                   message names it and what to do
     */
    static ClaimLocks beside(Path registryFile) {
        Path folder = registryFile.toAbsolutePath().normalize().getParent();
        String name = registryFile.getFileName().toString();
        try {
            Files.createDirectories(folder);
            folder = folder.toRealPath();
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot open the claim folder " + folder + ": " + e, e);
        }
        return OPEN.computeIfAbsent(folder.resolve(name + ".locks"),
                file -> open(file, file.resolveSibling(name + ".records")));
    }

    private static ClaimLocks open(Path lockFile, Path recordFile) {
        FileChannel locks = openPrivate(lockFile);
        try {
            FileChannel slots = openPrivate(recordFile);
            LOG.debug("claim locks in {}, records in {}", lockFile, recordFile);
            return new ClaimLocks(lockFile, recordFile, locks, slots);
        } catch (RuntimeException e) {
            try {
                // No lock is taken yet, so closing the only channel of this JVM on the file loses nothing.
                locks.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * A file of the user's alone ({@code 0600}), opened for good and never through a symbolic link.
     *
     * @throws StoreUnavailableException if it is a link or cannot be opened
     */
    private static FileChannel openPrivate(Path file) {
        refuseLink(file);
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        FileChannel channel;
        try {
            channel = POSIX ? FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(FILE))
                    : FileChannel.open(file, options);
        } catch (IOException e) {
            refuseLink(file);
            throw unavailable(file, e);
        }
        try {
            if (POSIX && !Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).equals(FILE)) {
                Files.setPosixFilePermissions(file, FILE);
            }
            return channel;
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw unavailable(file, e);
        }
    }

    /** Refuses a symbolic link where a claim file belongs: whoever planted it would choose what is written. */
    private static void refuseLink(Path path) {
        if (Files.isSymbolicLink(path)) {
            String target;
            try {
                target = String.valueOf(Files.readSymbolicLink(path));
            } catch (IOException e) {
                target = "an unreadable target";
            }
            throw new StoreUnavailableException("the claim file " + path + " is a symbolic link to " + target
                    + "; claims are never made through a link. Remove it after checking who planted it (rm " + path
                    + ") and claim again");
        }
    }

    private static StoreUnavailableException unavailable(Path file, IOException e) {
        return new StoreUnavailableException("cannot open the claim file " + file + ": " + e + "; check that "
                + "its folder is yours and writable, or name another claim registry with -D"
                + ClaimRegistry.STORE_PROPERTY + "=json:<path>", e);
    }

    /** The lock file, {@code <registry file>.locks}. */
    Path lockFile() {
        return lockFile;
    }

    /**
     * Takes the port if no process holds it, this JVM included.
     *
     * @return whether this JVM holds the port now
     * @throws StoreUnavailableException if the lock cannot be asked for
     */
    boolean take(int port) {
        if (mine.putIfAbsent(port, PENDING) != null) {
            return false;
        }
        FileLock lock = null;
        try {
            lock = channel.tryLock(port, 1, false);
        } catch (OverlappingFileLockException e) {
            // Another channel of this JVM on the file (not ours): someone else's lock.
            LOG.debug("port {} is locked through another channel of this JVM", port);
        } catch (IOException e) {
            mine.remove(port);
            throw new StoreUnavailableException("cannot lock port " + port + " in " + lockFile + ": " + e, e);
        }
        if (lock == null) {
            mine.remove(port);
            return false;
        }
        mine.put(port, lock);
        return true;
    }

    /** Gives back a port this JVM holds: its record is deleted, then its lock released. Never throws. */
    void give(int port) {
        Object held = mine.get(port);
        if (!(held instanceof FileLock)) {
            return;
        }
        try {
            records.write(ByteBuffer.allocate(1), (long) port * SLOT);
        } catch (IOException e) {
            LOG.debug("could not clear the claim record of port {}: {}", port, e.toString());
        }
        try {
            ((FileLock) held).release();
        } catch (IOException e) {
            LOG.warn("could not unlock port {} in {} ({}); it is free again when this JVM exits", port, lockFile,
                    e.toString());
        }
        mine.remove(port);
    }

    /**
     * Writes the record of a claim whose port this JVM holds into the port's slot: one positional write, so no other
     * claimant waits. A record too long for its slot loses its description, then its tail.
     *
     * @throws StoreUnavailableException if it cannot be written (a full disk, say)
     */
    void record(Allocation a) {
        byte[] text = text(a, true);
        if (text.length >= SLOT) {
            text = text(a, false);
        }
        ByteBuffer slot = ByteBuffer.allocate(SLOT);
        slot.put(text, 0, Math.min(text.length, SLOT - 1));
        slot.flip();
        slot.limit(SLOT);
        try {
            long at = (long) a.port() * SLOT;
            while (slot.hasRemaining()) {
                at += records.write(slot, at);
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot write the claim record of port " + a.port() + " in "
                    + recordFile + ": " + e + "; check the free space of its disk", e);
        }
    }

    private static byte[] text(Allocation a, boolean described) {
        StringBuilder text = new StringBuilder(SLOT);
        line(text, "id", a.id());
        line(text, "service", a.service());
        a.range().ifPresent(r -> line(text, "range", r));
        line(text, "allocatedAt", a.allocatedAt().toString());
        line(text, "allocatedBy", a.allocatedBy());
        a.owner().ifPresent(o -> {
            line(text, "pid", Long.toString(o.pid()));
            line(text, "startedAt", o.startedAt().toString());
            line(text, "machine", o.machine());
        });
        if (described) {
            line(text, "description", a.description());
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder text, String key, String value) {
        text.append(key).append('=').append(value.replace("\\", "\\\\").replace("\n", " ").replace("\r", " "))
                .append('\n');
    }

    /**
     * The claims held now by any process, by port: each written slot whose byte is locked. A claim whose record is not
     * written yet is not listed.
     *
     * @param project the project claims are recorded under
     * @throws StoreUnavailableException if the record file cannot be read
     */
    List<Allocation> list(String project) {
        List<Allocation> held = new ArrayList<>();
        ByteBuffer chunk = ByteBuffer.allocate(SLOTS_READ * SLOT);
        try {
            long size = Math.min(records.size(), 65536L * SLOT);
            for (long start = 0; start < size; start += chunk.capacity()) {
                chunk.clear();
                while (chunk.hasRemaining() && records.read(chunk, start + chunk.position()) > 0) {
                    // the whole chunk, or up to the end of the file
                }
                for (int i = 0; i < SLOTS_READ; i++) {
                    int port = (int) (start / SLOT) + i;
                    if (port >= 1 && port <= 65535 && chunk.get(i * SLOT) != 0 && isHeld(port)) {
                        read(chunk, i * SLOT, port, project).ifPresent(held::add);
                    }
                }
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read the claim records in " + recordFile + ": " + e, e);
        }
        return held;
    }

    /** Whether a process holds the port: this JVM, or another whose lock keeps a check's shared lock out. */
    private boolean isHeld(int port) throws IOException {
        if (mine.putIfAbsent(port, PENDING) != null) {
            return mine.get(port) instanceof FileLock;
        }
        try {
            FileLock check = channel.tryLock(port, 1, true);
            if (check == null) {
                return true;
            }
            check.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } finally {
            mine.remove(port, PENDING);
        }
    }

    private static Optional<Allocation> read(ByteBuffer chunk, int from, int port, String project) {
        int end = from;
        while (end < from + SLOT && chunk.get(end) != 0) {
            end++;
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(chunk.array(), from, end - from, StandardCharsets.UTF_8)));
            Allocation.Builder b = Allocation.builder().id(p.getProperty("id")).port(port).project(project)
                    .service(p.getProperty("service")).range(p.getProperty("range"))
                    .description(p.getProperty("description", ""))
                    .allocatedAt(Instant.parse(p.getProperty("allocatedAt")))
                    .allocatedBy(p.getProperty("allocatedBy"));
            if (p.getProperty("pid") != null) {
                b.owner(new ProcessOwner(Long.parseLong(p.getProperty("pid")),
                        Instant.parse(p.getProperty("startedAt")), p.getProperty("machine")));
            }
            return Optional.of(b.build());
        } catch (IOException | RuntimeException e) {
            // Being written right now, or damaged: the claim holds either way, only its details are unknown.
            LOG.debug("claim record of port {} unreadable: {}", port, e.toString());
            return Optional.empty();
        }
    }
}
