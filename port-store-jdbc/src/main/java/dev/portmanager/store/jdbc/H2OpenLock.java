package dev.portmanager.store.jdbc;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets one process of this machine at a time open a connection to an H2 database file: H2's own lock-file protocol
 * makes processes that open the same file together invalidate each other's attempt ("Locked by another process",
 * "Lock file recently modified") for many seconds, while one at a time each finds the file free (and becomes the
 * mixed mode's server) or finds the server to connect to. Held only while a connection is being opened: an OS lock on
 * {@code <database>.portmanager.lock} beside the database (created owner-only, never through a symbolic link), and a
 * lock per file within the JVM (an OS file lock belongs to the whole JVM). Thread-safe.
 */
final class H2OpenLock {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();
    private static final FileAttribute<?> OWNER_ONLY = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------"));

    private final Path file;

    private H2OpenLock(Path file) {
        this.file = file;
    }

    /** The lock of the H2 database file of the URL; null if the URL is not one of an H2 database in a file. */
    static H2OpenLock of(String url) {
        if (!UriPool.isH2File(url)) {
            return null;
        }
        String path = url.substring("jdbc:h2:".length()).split(";", 2)[0];
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return new H2OpenLock(Path.of(path + ".portmanager.lock").toAbsolutePath().normalize());
    }

    /** What opening does under the lock. */
    interface Opening<T> {
        T open() throws SQLException;
    }

    /**
     * Runs the opening while no other thread or process of this machine opens the same database. Where the lock file
     * cannot be made (a read-only folder), the opening runs with the lock of this JVM only, as H2 would run it.
     */
    <T> T run(Opening<T> opening) throws SQLException {
        ReentrantLock local = IN_JVM.computeIfAbsent(file, f -> new ReentrantLock());
        local.lock();
        try {
            FileChannel channel;
            try {
                channel = FileChannel.open(file, Set.<OpenOption>of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS), OWNER_ONLY);
                channel.lock();
            } catch (IOException | UnsupportedOperationException e) {
                return opening.open();
            }
            try {
                return opening.open();
            } finally {
                try {
                    channel.close();
                } catch (IOException e) {
                    // Closing releases the lock; nothing else to do.
                }
            }
        } finally {
            local.unlock();
        }
    }
}
