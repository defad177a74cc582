package dev.portmanager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 * <p>Who holds a claim and since when goes to a record of its own, {@code <registry file>.claims/<port>}, written by
 * the holder of the lock after taking it and deleted before giving it back; a record whose byte nobody holds is stale
 * (its JVM died) and is overwritten by the next claimant or deleted by {@link #list(String)}.
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
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final boolean POSIX = Path.of("").getFileSystem().supportedFileAttributeViews().contains("posix");
    /** A port a thread of this JVM is taking or checking, before or without a lock of its own. */
    private static final Object PENDING = new Object();

    private final Path lockFile;
    private final Path records;
    private final FileChannel channel;
    /** The ports this JVM holds (their {@link FileLock}) or is taking or checking ({@link #PENDING}). */
    private final ConcurrentMap<Integer, Object> mine = new ConcurrentHashMap<>();

    private ClaimLocks(Path lockFile, Path records, FileChannel channel) {
        this.lockFile = lockFile;
        this.records = records;
        this.channel = channel;
    }

    /**
     * The claim locks of a registry file, {@code <file>.locks} and {@code <file>.claims/} beside it; one instance per
     * JVM for each, opened on first use and never closed. The registry's folder is made if missing.
     *
     * @throws StoreUnavailableException if the lock file or record folder is a symbolic link or cannot be opened; the
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
                file -> open(file, file.resolveSibling(name + ".claims")));
    }

    private static ClaimLocks open(Path lockFile, Path records) {
        refuseLink(lockFile);
        refuseLink(records);
        try {
            makeFolder(records);
            Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            FileChannel channel = POSIX ? FileChannel.open(lockFile, options, PosixFilePermissions.asFileAttribute(FILE))
                    : FileChannel.open(lockFile, options);
            if (POSIX && !Files.getPosixFilePermissions(lockFile, LinkOption.NOFOLLOW_LINKS).equals(FILE)) {
                Files.setPosixFilePermissions(lockFile, FILE);
            }
            LOG.debug("claim locks in {}, records in {}", lockFile, records);
            return new ClaimLocks(lockFile, records, channel);
        } catch (FileSystemException e) {
            refuseLink(lockFile);
            refuseLink(records);
            throw unavailable(lockFile, e);
        } catch (IOException e) {
            throw unavailable(lockFile, e);
        }
    }

    private static void makeFolder(Path folder) throws IOException {
        try {
            if (POSIX) {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(FOLDER));
                Files.setPosixFilePermissions(folder, FOLDER);
            } else {
                Files.createDirectory(folder);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.readAttributes(folder, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isDirectory()) {
                throw new StoreUnavailableException("the claim record folder " + folder + " is not a folder; remove it "
                        + "(rm " + folder + ") and claim again");
            }
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

    private static StoreUnavailableException unavailable(Path lockFile, IOException e) {
        return new StoreUnavailableException("cannot open the claim lock file " + lockFile + ": " + e + "; check that "
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
            Files.deleteIfExists(records.resolve(Integer.toString(port)));
        } catch (IOException e) {
            LOG.debug("could not delete the claim record of port {}: {}", port, e.toString());
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
     * Writes the record of a claim whose port this JVM holds: a small file of its own, so no other claimant waits.
     *
     * @throws StoreUnavailableException if it cannot be written (a full disk, say)
     */
    void record(Allocation a) {
        StringBuilder text = new StringBuilder(256);
        line(text, "id", a.id());
        line(text, "service", a.service());
        a.range().ifPresent(r -> line(text, "range", r));
        line(text, "allocatedAt", a.allocatedAt().toString());
        line(text, "allocatedBy", a.allocatedBy());
        line(text, "description", a.description());
        a.owner().ifPresent(o -> {
            line(text, "pid", Long.toString(o.pid()));
            line(text, "startedAt", o.startedAt().toString());
            line(text, "machine", o.machine());
        });
        Path file = records.resolve(Integer.toString(a.port()));
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        FileAttribute<?>[] attributes = POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
                : new FileAttribute<?>[0];
        try (SeekableByteChannel out = Files.newByteChannel(file, options, attributes)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot write the claim record " + file + ": " + e + "; check the "
                    + "free space of its disk", e);
        }
    }

    private static void line(StringBuilder text, String key, String value) {
        text.append(key).append('=').append(value.replace("\\", "\\\\").replace("\n", " ").replace("\r", " "))
                .append('\n');
    }

    /**
     * The claims held now by any process, by port: each record whose byte is locked. Records whose byte nobody holds
     * are deleted (their JVM is gone); a claim whose record is not written yet is not listed.
     *
     * @param project the project claims are recorded under
     * @throws StoreUnavailableException if the record folder cannot be read
     */
    List<Allocation> list(String project) {
        List<Allocation> held = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(records)) {
            for (Path file : files) {
                int port = portOf(file);
                if (port > 0 && isHeld(port, file)) {
                    read(file, port, project).ifPresent(held::add);
                }
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot list the claim records in " + records + ": " + e, e);
        }
        held.sort(Comparator.comparingInt(Allocation::port));
        return held;
    }

    private static int portOf(Path file) {
        try {
            int port = Integer.parseInt(file.getFileName().toString());
            return port >= 1 && port <= 65535 ? port : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Whether a process holds the port; a record nobody holds is deleted while the check's lock keeps claimants out. */
    private boolean isHeld(int port, Path record) throws IOException {
        if (mine.putIfAbsent(port, PENDING) != null) {
            return mine.get(port) instanceof FileLock;
        }
        try {
            FileLock check = channel.tryLock(port, 1, true);
            if (check == null) {
                return true;
            }
            try {
                Files.deleteIfExists(record);
            } finally {
                check.release();
            }
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } finally {
            mine.remove(port, PENDING);
        }
    }

    private static Optional<Allocation> read(Path file, int port, String project) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
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
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            // Being written right now, or damaged: the claim holds either way, only its details are unknown.
            LOG.debug("claim record {} unreadable: {}", file, e.toString());
            return Optional.empty();
        }
    }
}
