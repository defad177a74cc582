package dev.portmanager.store.json;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.PortRange;
import dev.portmanager.StoreUnavailableException;
import dev.portmanager.spi.AllocationPlan;
import dev.portmanager.spi.Allocator;
import dev.portmanager.spi.LeaseJudge;
import dev.portmanager.spi.PortStore;
import dev.portmanager.spi.StoreChange;
import dev.portmanager.spi.support.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The registry in one JSON file, in the Atlas {@code ports.json} format, shared by every thread and process of a
 * machine. History goes to {@code ports.history.jsonl} beside it.
 *
 * <pre>{@code
 * PortManager pm = PortManager.builder().store(JsonFileStore.open(Path.of("design/worktrees/ports.json"))).build();
 * }</pre>
 *
 * <p>Thread-safe and process-safe: every operation takes this JVM's lock on the file and the OS lock on the sidecar
 * {@code ports.json.lock} (shared to read, exclusive to change). Crash-safe: a change's history lines are appended and
 * synced, then the registry (recording the history's new length) is written to a temporary file in the same folder,
 * synced, atomically renamed over the registry, and the folder synced, so a {@code kill -9}, power loss or full disk at
 * any moment leaves the old file or the new one, never a torn one; an allocation the API returned is on disk with its
 * history, and a call that failed changed neither. The file it replaces is kept as {@code ports.json.bak}. An unchanged
 * file is not parsed again.
 *
 * <p>A path through symbolic links (two worktrees linking one shared {@code ports.json}) is resolved once, when the
 * store is opened: the real file is locked and replaced, so every link reaches one registry and stays a link. The
 * lock, history, backup and temporary files sit beside the real file and are never opened through a link; one that is
 * a link or not a regular file fails every operation with {@link StoreUnavailableException} naming it. Files the store
 * creates are {@code 0600} and folders {@code 0700}; a rewritten registry keeps its mode (on file systems without POSIX
 * permissions, the file system's defaults apply).
 *
 * <p>The file is created at the first change; a missing file reads as an empty registry. A file that does not parse,
 * or in which two live allocations hold one port or one service holds two ports, fails every operation with
 * {@link dev.portmanager.StoreCorruptedException} (naming the line and column, or the entries) and is never
 * overwritten.
 */
public final class JsonFileStore implements PortStore {
    static final String NAME_PREFIX = "json:";
    private static final Logger LOG = LoggerFactory.getLogger(JsonFileStore.class);

    private final Path path;
    private final RegistryFile file;
    private final JsonStoreConfig config;
    private final String name;
    private final Clock clock = Clock.systemUTC();
    private final AtomicBoolean closed = new AtomicBoolean();

    private JsonFileStore(Path path, RegistryFile file, JsonStoreConfig config) {
        this.path = path;
        this.file = file;
        this.config = config;
        this.name = NAME_PREFIX + path;
    }

    /**
     * Opens the registry file with the default settings (a 10-second lock timeout). Nothing is read or written yet.
     *
     * @param path the registry file, such as {@code ~/.portmanager/ports.json}; it need not exist
     * @throws NullPointerException       if the path is null
     * @throws StoreUnavailableException  if the path exists and is not a regular file, or is a link to nothing
     */
    public static JsonFileStore open(Path path) {
        return open(path, JsonStoreConfig.defaults());
    }

    /**
     * Opens the registry file, resolving the symbolic links in its path once (see the class comment).
     *
     * @throws NullPointerException      if an argument is null
     * @throws StoreUnavailableException if the path exists and is not a regular file, or is a link to nothing
     */
    public static JsonFileStore open(Path path, JsonStoreConfig config) {
        Objects.requireNonNull(path, "path == null");
        Objects.requireNonNull(config, "config == null");
        Path given = path.toAbsolutePath().normalize();
        Path real = PrivateFiles.realPath(given);
        BasicFileAttributes attrs = null;
        try {
            attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            // Created at the first change.
        } catch (IOException e) {
            throw new StoreUnavailableException("could not open " + real + ": " + RegistryFile.describe(e), e);
        }
        if (attrs != null && !attrs.isRegularFile()) {
            throw RegistryFile.notARegularFile(real, attrs);
        }
        JsonFileStore store = new JsonFileStore(given, RegistryFile.acquire(real), config);
        LOG.debug("opened {} (real file {}, history in {})", store.name, real, store.file.history().file());
        return store;
    }

    /** The registry file as it was opened (absolute), which may be a symbolic link. Thread-safe. */
    public Path path() {
        return path;
    }

    /**
     * The file the registry really is: {@link #path()} with its symbolic links resolved when the store was opened.
     * The lock, history and backup files sit beside it. Thread-safe.
     */
    public Path realPath() {
        return file.file();
    }

    /** The history file, beside the real file. Thread-safe. */
    public Path historyPath() {
        return file.history().file();
    }

    /** How many times this JVM parsed the file; for tests. */
    int parses() {
        return file.parses();
    }

    /** How many changes this JVM committed to the file; for tests. */
    int commits() {
        return file.commits();
    }

    /** How many allocation entries this JVM parsed rather than reused; for tests. */
    long entriesParsed() {
        return file.entriesParsed();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<PortRange> ranges() {
        ensureOpen();
        return file.read(new ReadRanges(), config.lockTimeout());
    }

    @Override
    public PortRange defineRange(PortRange range) {
        ensureOpen();
        Objects.requireNonNull(range, "range == null");
        return file.write(new DefineRanges(List.of(range)), config.lockTimeout(), clock).get(0);
    }

    /**
     * {@inheritDoc} One write of the file for all of them, and none when a range conflicts: a new registry's standard
     * ranges cost one write and its fsyncs, not six.
     */
    @Override
    public List<PortRange> defineRanges(List<PortRange> ranges) {
        ensureOpen();
        List<PortRange> all = List.copyOf(ranges);
        if (all.isEmpty()) {
            return all;
        }
        return file.write(new DefineRanges(all), config.lockTimeout(), clock);
    }

    @Override
    public PortRange defineBlock(String blockName, int first, int last, int size, String description) {
        ensureOpen();
        return file.write(r -> {
            boolean existed = r.range(blockName).isPresent();
            return new RegistryFile.Outcome<>(r.defineBlock(blockName, first, last, size, description), !existed,
                    List.of());
        }, config.lockTimeout(), clock);
    }

    @Override
    public Allocator allocator() {
        return new FileAllocator();
    }

    @Override
    public List<Allocation> list(AllocationQuery query) {
        ensureOpen();
        Objects.requireNonNull(query, "query == null");
        return file.read(new ReadList(query), config.lockTimeout());
    }

    @Override
    public StoreChange release(String id, HistoryAction action, String reason, String by, Instant at) {
        ensureOpen();
        return change(r -> r.release(id, action, reason, by, at));
    }

    @Override
    public StoreChange update(String id, AllocationUpdate update, String by, Instant at) {
        ensureOpen();
        return change(r -> r.update(id, update, by, at));
    }

    @Override
    public List<HistoryEntry> history(HistoryQuery query) {
        ensureOpen();
        Objects.requireNonNull(query, "query == null");
        return file.history(query, config.lockTimeout());
    }

    /** Gives back this store's use of the file; the last store of the JVM on the file closes its lock file. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            file.release();
        }
    }

    @Override
    public String toString() {
        return "JsonFileStore{" + name + "}";
    }

    private StoreChange change(Function<Registry, StoreChange> op) {
        return file.write(new Change(op), config.lockTimeout(), clock);
    }

    // The operations on the path of a program's first getOrAllocate (reading the ranges, finding the service, defining
    // the standard ranges, allocating) are named classes, not lambdas: each lambda spins a class at its first use
    // (start-up, issue 20). The others stay lambdas.

    /** Reads the ranges. */
    private static final class ReadRanges implements RegistryFile.Read<List<PortRange>> {
        @Override
        public List<PortRange> apply(Registry registry) {
            return registry.ranges();
        }
    }

    /** Lists the allocations matching a query. */
    private static final class ReadList implements RegistryFile.Read<List<Allocation>> {
        private final AllocationQuery query;

        ReadList(AllocationQuery query) {
            this.query = query;
        }

        @Override
        public List<Allocation> apply(Registry registry) {
            return registry.list(query);
        }
    }

    /** Stores each range unless one of its name is stored; gives the stored ones, in order. */
    private static final class DefineRanges implements RegistryFile.Write<List<PortRange>> {
        private final List<PortRange> ranges;

        DefineRanges(List<PortRange> ranges) {
            this.ranges = ranges;
        }

        @Override
        public RegistryFile.Outcome<List<PortRange>> apply(Registry registry) {
            boolean added = false;
            List<PortRange> stored = new ArrayList<>(ranges.size());
            for (PortRange range : ranges) {
                added |= registry.defineRange(range);
                stored.add(registry.range(range.name()).orElseThrow());
            }
            return new RegistryFile.Outcome<>(List.copyOf(stored), added, List.of());
        }
    }

    /** A change to the registry, committed with its history when it changed anything. */
    private static final class Change implements RegistryFile.Write<StoreChange> {
        private final Function<Registry, StoreChange> op;

        Change(Function<Registry, StoreChange> op) {
            this.op = op;
        }

        @Override
        public RegistryFile.Outcome<StoreChange> apply(Registry registry) {
            StoreChange c = op.apply(registry);
            return new RegistryFile.Outcome<>(c, !c.isEmpty(), c.history());
        }
    }

    /** The atomic claim of the plans, as {@link Registry#allocate} makes it. */
    private static final class Allocate implements Function<Registry, StoreChange> {
        private final List<AllocationPlan> plans;
        private final LeaseJudge judge;

        Allocate(List<AllocationPlan> plans, LeaseJudge judge) {
            this.plans = plans;
            this.judge = judge;
        }

        @Override
        public StoreChange apply(Registry registry) {
            return registry.allocate(plans, judge);
        }
    }

    /** This store's allocator: each call one change of the file. */
    private final class FileAllocator implements Allocator {
        @Override
        public StoreChange allocate(List<AllocationPlan> plans, LeaseJudge judge) {
            ensureOpen();
            return change(new Allocate(plans, judge));
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("store " + name + " is closed; open it again");
        }
    }
}
