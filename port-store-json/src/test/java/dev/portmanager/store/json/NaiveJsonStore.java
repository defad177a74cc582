package dev.portmanager.store.json;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.PortRange;
import dev.portmanager.spi.Allocator;
import dev.portmanager.spi.PortStore;
import dev.portmanager.spi.StoreChange;
import dev.portmanager.spi.support.Registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The benchmark's baseline: the read-everything/write-everything store a first version would be. Same format, same
 * parser, same durable write; but every operation takes the exclusive lock and parses the whole file, and every
 * change rewrites it. Not for use outside the benchmark.
 */
final class NaiveJsonStore implements PortStore {
    private static final Object JVM_LOCK = new Object();
    private final Path file;
    private final AtlasCodec codec = new AtlasCodec();

    NaiveJsonStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    private <T> T withRegistry(Function<Registry, T> op, boolean write) {
        synchronized (JVM_LOCK) {
            try (FileChannel lockFile = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = lockFile.lock()) {
                Registry registry = new Registry("naive:" + file);
                AtlasCodec.Document doc = null;
                try {
                    doc = codec.read(Files.readAllBytes(file), file);
                    doc.ranges.forEach(registry::putRange);
                    doc.allocations.forEach(registry::put);
                } catch (NoSuchFileException e) {
                    // An empty registry.
                }
                T result = op.apply(registry);
                if (write) {
                    List<Allocation> all = new ArrayList<>(registry.allocations());
                    all.sort(Registry.ORDER);
                    byte[] bytes = codec.write(registry.ranges(), all, null, Instant.now(), -1).bytes();
                    Path temp = file.resolveSibling(file.getFileName() + ".naive-tmp");
                    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)) {
                        ch.write(java.nio.ByteBuffer.wrap(bytes));
                        ch.force(true);
                    }
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                return result;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public String name() {
        return "naive:" + file;
    }

    @Override
    public List<PortRange> ranges() {
        return withRegistry(Registry::ranges, false);
    }

    @Override
    public PortRange defineRange(PortRange range) {
        return withRegistry(r -> {
            r.defineRange(range);
            return r.range(range.name()).orElseThrow();
        }, true);
    }

    @Override
    public PortRange defineBlock(String name, int first, int last, int size, String description) {
        return withRegistry(r -> r.defineBlock(name, first, last, size, description), true);
    }

    @Override
    public Allocator allocator() {
        return (plans, judge) -> withRegistry(r -> r.allocate(plans, judge), true);
    }

    @Override
    public List<Allocation> list(AllocationQuery query) {
        return withRegistry(r -> r.list(query), false);
    }

    @Override
    public StoreChange release(String id, HistoryAction action, String reason, String by, Instant at) {
        return withRegistry(r -> r.release(id, action, reason, by, at), true);
    }

    @Override
    public StoreChange update(String id, AllocationUpdate update, String by, Instant at) {
        return withRegistry(r -> r.update(id, update, by, at), true);
    }

    @Override
    public List<HistoryEntry> history(HistoryQuery query) {
        return List.of();
    }

    @Override
    public void close() {
        // Holds nothing between operations.
    }
}
