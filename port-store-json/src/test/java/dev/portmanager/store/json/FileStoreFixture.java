package dev.portmanager.store.json;

import dev.portmanager.PortManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A test's own folder, and stores and managers on files in it (range {@code r}: 20000-20999), closed after it. */
abstract class FileStoreFixture {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** Closes this after the test, before anything opened earlier. */
    <T extends AutoCloseable> T closeLater(T closeable) {
        open.add(closeable);
        return closeable;
    }

    JsonFileStore store(Path file) {
        return closeLater(JsonFileStore.open(file));
    }

    /** A manager on the file with range {@code r} and a probe that finds every port free. */
    PortManager manager(Path file) {
        return closeLater(PortManager.builder().store(JsonFileStore.open(file)).probe((p, q) -> true)
                .range("r", 20000, 20999).build());
    }
}
