package dev.portmanager.store.json;

import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.PortRange;
import dev.portmanager.StoreUnavailableException;
import dev.portmanager.spi.support.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * One registry file as this JVM sees it: shared by every {@link JsonFileStore} opened on the same path, because an OS
 * file lock belongs to the whole JVM. Holds the in-JVM lock, the OS lock on the sidecar {@code .lock} file (shared for
 * reads, exclusive for writes), and the parsed registry, which is parsed again only when the file changed.
 *
 * <p>The path is the file's real path (links resolved by {@link PrivateFiles#realPath}): every path reaching one file
 * shares one instance, one lock file and one rename target. The lock, history, backup and temporary files sit beside
 * the real file and are never opened through a link; a lock, history or backup that is a link or not a regular file
 * fails every operation naming it.
 *
 * <p>A change and its history commit together: the history lines are appended and synced first, then the registry,
 * recording the history's new length, is written to a temporary file, synced and renamed over the old one. If any step
 * fails the lines are taken back and the call fails with the registry unchanged; if the process dies before the rename,
 * the registry still records the old length, so readers ignore the lines and the next change cuts them off.
 *
 * <p>Change detection: the file's identity (inode), size and modification time; when the modification time is too
 * close to when the cached copy was read for a same-tick rewrite to be ruled out, the content's CRC32C decides (the
 * "racily clean" rule git uses). Every write replaces the file by an atomic rename, so readers never see it torn.
 */
final class RegistryFile {
    private static final Logger LOG = LoggerFactory.getLogger(JsonFileStore.class);
    /** Coarser than any modification-time granularity in use (FAT's is 2 s). */
    private static final long RACY_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final Map<Path, RegistryFile> OPEN = new HashMap<>();
    private static final int WAITING = 0;
    private static final int GRANTED = 1;
    private static final int TIMED_OUT = 2;

    private final Path file;
    private final Path lockFile;
    private final Path backup;
    private final HistoryLog history;
    private final AtlasCodec codec = new AtlasCodec();
    private final ReentrantLock jvmLock = new ReentrantLock();
    private int users;
    private FileChannel lockChannel;
    private String lockUnavailable;
    private boolean tempsSwept;
    private Loaded loaded;
    private int parses;
    private int commits;

    /** The registry as last read or written, with what identifies that version of the file. */
    private static final class Loaded {
        final AtlasCodec.Document document;
        final Registry registry;
        final Object fileKey;
        final long size;
        final long modifiedNanos;
        final long crc;
        final long readAtNanos;

        /** @param readAtNanos wall-clock time of the read, in nanoseconds since the epoch, as file times are */
        Loaded(AtlasCodec.Document document, Registry registry, Object fileKey, long size, long modifiedNanos, long crc,
               long readAtNanos) {
            this.document = document;
            this.registry = registry;
            this.fileKey = fileKey;
            this.size = size;
            this.modifiedNanos = modifiedNanos;
            this.crc = crc;
            this.readAtNanos = readAtNanos;
        }

        /**
         * Whether this copy was read long enough after the file's last modification that any later rewrite must
         * carry a later modification time, so an unchanged size, identity and time prove the file unchanged.
         */
        boolean settled() {
            return readAtNanos - modifiedNanos > RACY_NANOS;
        }
    }

    /** What a write operation returns: its value, whether the registry changed, and the history to append. */
    record Outcome<T>(T value, boolean changed, List<HistoryEntry> history) {
    }

    /** A read on the registry, under the shared lock. */
    @FunctionalInterface
    interface Read<T> {
        T apply(Registry registry) throws IOException;
    }

    /** A read of the loaded registry with what identifies it. */
    @FunctionalInterface
    private interface LoadedRead<T> {
        T apply(Loaded loaded) throws IOException;
    }

    /** A change to the registry, under the exclusive lock; it must leave the registry as it was when it throws. */
    @FunctionalInterface
    interface Write<T> {
        Outcome<T> apply(Registry registry);
    }

    // Named classes here, not lambdas: each lambda spins a class at its first use, and these run on the path of every
    // program's first getOrAllocate (start-up, issue 20).

    /**
     * Ends lock waits that outlast their timeout; one daemon thread for the whole JVM, made when a lock is first waited
     * for (a program that never waits never starts it).
     */
    private static final class Watchdog implements ThreadFactory {
        static final ScheduledExecutorService EXECUTOR = Executors.newSingleThreadScheduledExecutor(new Watchdog());

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "portmanager-json-lock-watchdog");
            t.setDaemon(true);
            return t;
        }
    }

    /** Closes the lock channel, abandoning a blocked {@code lock()}, unless the lock was granted first. */
    private static final class Timeout implements Runnable {
        private final AtomicInteger state;
        private final FileChannel channel;

        Timeout(AtomicInteger state, FileChannel channel) {
            this.state = state;
            this.channel = channel;
        }

        @Override
        public void run() {
            if (state.compareAndSet(WAITING, TIMED_OUT)) {
                closeQuietly(channel);
            }
        }
    }

    /** A {@link Read} of the loaded registry. */
    private static final class RegistryRead<T> implements LoadedRead<T> {
        private final Read<T> read;

        RegistryRead(Read<T> read) {
            this.read = read;
        }

        @Override
        public T apply(Loaded loaded) throws IOException {
            return read.apply(loaded.registry);
        }
    }

    /** The committed history: up to the length the loaded registry records. */
    private final class HistoryRead implements LoadedRead<List<HistoryEntry>> {
        private final HistoryQuery query;

        HistoryRead(HistoryQuery query) {
            this.query = query;
        }

        @Override
        public List<HistoryEntry> apply(Loaded loaded) throws IOException {
            return history.read(query, loaded.document == null ? -1 : loaded.document.committedHistory);
        }
    }

    /** The temporary files of this registry, by their names. */
    private static final class TempFiles implements DirectoryStream.Filter<Path> {
        private final String prefix;

        TempFiles(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public boolean accept(Path p) {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.contains(".tmp-");
        }
    }

    private RegistryFile(Path file) {
        this.file = file;
        this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
        this.backup = backupOf(file);
        this.history = new HistoryLog(HistoryLog.beside(file));
    }

    /** Where the registry's previous version is kept: {@code ports.json.bak}. */
    static Path backupOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".bak");
    }

    /** The shared view of {@code file} (its real path), counted so the last user closes the lock file. */
    static RegistryFile acquire(Path file) {
        synchronized (OPEN) {
            RegistryFile rf = OPEN.get(file);
            if (rf == null) {
                rf = new RegistryFile(file);
                OPEN.put(file, rf);
            }
            rf.users++;
            return rf;
        }
    }

    /** Gives back one use; the last closes the lock file. */
    void release() {
        synchronized (OPEN) {
            if (--users == 0) {
                OPEN.remove(file);
                jvmLock.lock();
                try {
                    closeQuietly(lockChannel);
                    lockChannel = null;
                } finally {
                    jvmLock.unlock();
                }
            }
        }
    }

    Path file() {
        return file;
    }

    /** How many times this JVM parsed the file: for tests of change detection. */
    int parses() {
        return parses;
    }

    /** How many changes this JVM committed (each a write of the file): for tests. */
    int commits() {
        return commits;
    }

    /** How many allocation entries this JVM parsed rather than reused: for tests. */
    long entriesParsed() {
        return codec.entriesParsed();
    }

    HistoryLog history() {
        return history;
    }

    /** Runs a read against the current registry, under the in-JVM lock and the shared OS lock. */
    <T> T read(Read<T> read, Duration timeout) {
        return readLoaded(new RegistryRead<>(read), timeout);
    }

    /** The committed history: up to the length the current registry records. */
    List<HistoryEntry> history(HistoryQuery query, Duration timeout) {
        return readLoaded(new HistoryRead(query), timeout);
    }

    private <T> T readLoaded(LoadedRead<T> read, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lockJvm(deadline);
        try {
            FileLock os = lockOs(true, deadline);
            try {
                return read.apply(current());
            } finally {
                releaseQuietly(os);
            }
        } catch (IOException e) {
            throw unavailable("could not read " + file + ": " + describe(e), e);
        } finally {
            jvmLock.unlock();
        }
    }

    /**
     * Runs a change against the current registry under the exclusive locks and, when it changed, commits it with its
     * history (see the class comment). If the change is refused or the commit fails, nothing is kept in memory either:
     * the next operation reads the file again.
     */
    <T> T write(Write<T> change, Duration timeout, Clock clock) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lockJvm(deadline);
        try {
            FileLock os = lockOs(false, deadline);
            if (os == null) {
                throw unavailable("cannot write " + file + ": its folder does not let this process create "
                        + lockFile.getFileName() + " (" + lockUnavailable + "); make " + file.getParent()
                        + " writable, or use another path", null);
            }
            try {
                checkSidecars();
                Loaded current;
                try {
                    current = current();
                } catch (IOException e) {
                    throw unavailable("could not read " + file + ": " + describe(e), e);
                }
                Outcome<T> outcome;
                try {
                    outcome = change.apply(current.registry);
                } catch (RuntimeException e) {
                    // A change refused part way (a range conflict after others were added) may have touched the
                    // registry in memory: forget it, so the next operation reads the file, which was not changed.
                    forgetRegistry();
                    throw e;
                }
                if (outcome.changed()) {
                    try {
                        commit(current, outcome.history(), clock.instant());
                    } catch (IOException | RuntimeException e) {
                        forgetRegistry();
                        throw e instanceof StoreUnavailableException ? (StoreUnavailableException) e
                                : unavailable("could not write " + file + ": " + describe(e)
                                + "; the registry on disk was not changed", e);
                    }
                }
                return outcome.value();
            } finally {
                releaseQuietly(os);
            }
        } finally {
            jvmLock.unlock();
        }
    }

    /** The change and its history, both durable, or neither (see the class comment). */
    private void commit(Loaded current, List<HistoryEntry> entries, Instant now) throws IOException {
        commits++;
        PrivateFiles.createFolders(file.getParent());
        HistoryLog.Appended appended;
        try {
            appended = history.append(entries, current.document == null ? -1 : current.document.committedHistory);
        } catch (IOException e) {
            throw unavailable("could not append to " + history.file() + " (" + describe(e) + "); the registry on disk "
                    + "was not changed", e);
        }
        try {
            persist(current, now, appended.end());
        } catch (IOException | RuntimeException e) {
            history.takeBack(appended);
            throw e;
        }
    }

    /** Refuses a lock, history or backup file that is a link or not a regular file. */
    private void checkSidecars() {
        PrivateFiles.requireRegularOrAbsent(lockFile, "lock file");
        history.check();
        PrivateFiles.requireRegularOrAbsent(backup, "backup");
    }

    /**
     * Drops the registry kept in memory but keeps the parsed entries for reuse: the next operation reads the file
     * again, parsing only entries it has not seen. Called with the in-JVM lock held.
     */
    private void forgetRegistry() {
        Loaded l = loaded;
        loaded = l == null || l.document == null ? null
                : new Loaded(l.document, new Registry(JsonFileStore.NAME_PREFIX + file), null, -2, 0, 0, 0);
    }

    // ---- reading with change detection ----

    private Loaded current() throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            if (loaded == null || loaded.size != -1) {
                loaded = new Loaded(null, new Registry(JsonFileStore.NAME_PREFIX + file), null, -1, 0, 0, wallNanos());
            }
            return loaded;
        }
        if (!attrs.isRegularFile()) {
            throw notARegularFile(file, attrs);
        }
        long modified = attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        Loaded l = loaded;
        boolean sameStat = l != null && Objects.equals(l.fileKey, attrs.fileKey()) && l.size == attrs.size()
                && l.modifiedNanos == modified;
        if (sameStat && l.settled()) {
            return l;
        }
        byte[] bytes = Files.readAllBytes(file);
        long crc = crc(bytes);
        if (sameStat && l.crc == crc && l.size == bytes.length) {
            // Verified unchanged now: the copy is as good as one read now, so it settles three seconds after the
            // file's last change instead of never.
            loaded = new Loaded(l.document, l.registry, l.fileKey, l.size, l.modifiedNanos, l.crc, wallNanos());
            return loaded;
        }
        AtlasCodec.Document doc = codec.read(bytes, file, l == null ? null : l.document);
        RegistryCheck.requireConsistent(doc.allocations, file, Instant.now());
        parses++;
        Registry registry = new Registry(JsonFileStore.NAME_PREFIX + file);
        for (PortRange range : doc.ranges) {
            registry.putRange(range);
        }
        for (dev.portmanager.Allocation a : doc.allocations) {
            registry.put(a);
        }
        loaded = new Loaded(doc.extras(), registry, attrs.fileKey(), bytes.length, modified, crc, wallNanos());
        LOG.debug("read {}: {} ranges, {} allocations", file, doc.ranges.size(), doc.allocations.size());
        return loaded;
    }

    // ---- writing ----

    /**
     * Writes the registry to a new {@code 0600} temporary file (given the mode of the file it replaces, if any), syncs
     * it, keeps the current file as the backup, renames the new one over it and syncs the folder.
     */
    private void persist(Loaded current, Instant now, long historyBytes) throws IOException {
        Registry registry = current.registry;
        List<PortRange> ranges = registry.ranges();
        List<dev.portmanager.Allocation> allocations = new java.util.ArrayList<>(registry.allocations());
        allocations.sort(Registry.ORDER);
        AtlasCodec.Written written = codec.write(ranges, allocations, current.document, now, historyBytes);
        byte[] bytes = written.bytes();
        Path dir = file.getParent();
        sweepTemps(dir);
        Path temp = dir.resolve(file.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel ch = PrivateFiles.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                Set<PosixFilePermission> mode = PrivateFiles.permissions(file);
                if (mode != null && !mode.equals(PrivateFiles.FILE)) {
                    Files.setPosixFilePermissions(temp, mode);
                }
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            keepBackup(dir);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncFolder(dir);
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        loaded = new Loaded(written.document(), registry, attrs.fileKey(), bytes.length,
                attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS), crc(bytes), wallNanos());
    }

    /** The current file, which parsed, becomes {@code .bak}: a hard link where the file system has them. */
    private void keepBackup(Path dir) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        Path temp = dir.resolve(backup.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try {
                Files.createLink(temp, file);
            } catch (UnsupportedOperationException | FileSystemException e) {
                Files.copy(file, temp, StandardCopyOption.COPY_ATTRIBUTES);
            }
            Files.move(temp, backup, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Temporary files left by a writer that was killed: under the exclusive lock no writer is running. */
    private void sweepTemps(Path dir) {
        if (tempsSwept) {
            return;
        }
        tempsSwept = true;
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, new TempFiles(file.getFileName() + "."))) {
            for (Path t : temps) {
                Files.deleteIfExists(t);
                LOG.info("removed {}, left by a writer that stopped mid-write", t);
            }
        } catch (IOException e) {
            LOG.debug("could not sweep temporary files in {}: {}", dir, describe(e));
        }
    }

    private static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("cannot sync folder {} on this platform: {}", dir, describe(e));
        }
    }

    // ---- locking ----

    private void lockJvm(long deadline) {
        try {
            if (!jvmLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw unavailable("could not lock " + file + " within the lock timeout: other threads of this JVM "
                        + "held it all along; raise JsonStoreConfig.lockTimeout or find the stuck thread", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while waiting for the lock on " + file, e);
        }
    }

    /**
     * The OS lock, or null when the lock file cannot exist here (read-only folder: reads stay safe by rename).
     *
     * <p>Waits in the kernel ({@link FileChannel#lock}), which wakes waiters when the holder lets go: polling with
     * {@code tryLock} lets a process that releases and re-locks at once starve the others. The timeout is a watchdog
     * that closes the channel (the only way to abandon a blocked {@code lock()}); a compare-and-set decides between
     * the watchdog and a lock granted at the same moment, so a granted lock is never lost unnoticed. A free lock is
     * taken with {@link FileChannel#tryLock} first, which grants it as {@code lock()} would, without a watchdog.
     */
    private FileLock lockOs(boolean shared, long deadline) {
        FileChannel ch = lockChannel();
        if (ch == null) {
            return null;
        }
        long wait = deadline - System.nanoTime();
        AtomicInteger state = new AtomicInteger(WAITING);
        ScheduledFuture<?> watchdog = null;
        try {
            FileLock lock = ch.tryLock(0, Long.MAX_VALUE, shared);
            if (lock == null) {
                watchdog = Watchdog.EXECUTOR.schedule(new Timeout(state, ch), Math.max(0, wait), TimeUnit.NANOSECONDS);
                lock = ch.lock(0, Long.MAX_VALUE, shared);
            }
            if (state.compareAndSet(WAITING, GRANTED)) {
                if (watchdog != null) {
                    watchdog.cancel(false);
                }
                if (!shared) {
                    stampHolder(ch);
                }
                return lock;
            }
            throw timedOut(null);
        } catch (AsynchronousCloseException e) {
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw unavailable("interrupted while waiting for the lock on " + lockFile, e);
            }
            throw timedOut(e);
        } catch (IOException | OverlappingFileLockException e) {
            throw unavailable("could not lock " + lockFile + ": " + describe(e), e);
        } finally {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            if (state.get() == TIMED_OUT || !ch.isOpen()) {
                lockChannel = null;
            }
        }
    }

    private StoreUnavailableException timedOut(Throwable cause) {
        return unavailable("could not lock " + lockFile + " within the lock timeout: another process holds it"
                + holder() + "; if that process is stuck, stop it (the registry stays valid)", cause);
    }

    private FileChannel lockChannel() {
        if (lockChannel != null || lockUnavailable != null) {
            return lockChannel;
        }
        checkSidecars();
        try {
            PrivateFiles.createFolders(lockFile.getParent());
            lockChannel = PrivateFiles.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (FileSystemException e) {
            lockUnavailable = describe(e);
            LOG.warn("cannot create {} ({}); reading {} without the shared lock, writes will fail", lockFile,
                    lockUnavailable, file);
        } catch (IOException e) {
            throw unavailable("could not open the lock file " + lockFile + ": " + describe(e), e);
        }
        return lockChannel;
    }

    /** Writes "pid@machine" into the lock file, so a process kept waiting can say who holds it. */
    private static void stampHolder(FileChannel ch) {
        try {
            byte[] me = (ProcessHandle.current().pid() + "@" + dev.portmanager.ProcessOwner.current().machine() + "\n")
                    .getBytes(StandardCharsets.US_ASCII);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(me), 0);
        } catch (IOException e) {
            LOG.trace("could not stamp the lock holder: {}", e.toString());
        }
    }

    /** Who took the lock last, from the stamp in the lock file. */
    private String holder() {
        try (FileChannel ch = PrivateFiles.open(lockFile, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(128);
            int n = ch.read(buf, 0);
            String who = n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.US_ASCII).trim();
            return who.isEmpty() ? "" : " (last taken by pid " + who + ")";
        } catch (IOException e) {
            return "";
        }
    }

    // ---- helpers ----

    private static long wallNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static long crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue();
    }

    private static void releaseQuietly(FileLock lock) {
        if (lock != null) {
            try {
                lock.release();
            } catch (IOException e) {
                LOG.debug("could not release a file lock: {}", e.toString());
            }
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                LOG.debug("could not close a lock file: {}", e.toString());
            }
        }
    }

    /** The failure for a registry path that is a folder or a special file (or became a link since it was opened). */
    static StoreUnavailableException notARegularFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isSymbolicLink()) {
            return unavailable(file + " became a symbolic link after the store was opened; open the store again to "
                    + "use what it points to", null);
        }
        return unavailable(file + " is not a regular file (" + (attrs.isDirectory() ? "a folder" : "a special file")
                + "); point the store at a file such as " + file.resolve("ports.json"), null);
    }

    static String describe(Throwable e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied on " + ((AccessDeniedException) e).getFile();
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder " + ((NoSuchFileException) e).getFile();
        }
        if (e instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) e;
            return (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName()) + " on " + f.getFile();
        }
        return String.valueOf(e.getMessage());
    }

    private static StoreUnavailableException unavailable(String message, Throwable cause) {
        return new StoreUnavailableException(message, cause);
    }
}
