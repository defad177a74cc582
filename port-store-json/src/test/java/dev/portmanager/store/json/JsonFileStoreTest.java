package dev.portmanager.store.json;

import dev.portmanager.spi.PortStore;
import dev.portmanager.spi.PortStoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The JSON file store against the store contract; a reopened store is a second store object on the same file. */
class JsonFileStoreTest extends PortStoreContract {
    @TempDir
    Path dir;

    @Override
    protected PortStore openStore() {
        return JsonFileStore.open(dir.resolve("ports.json"));
    }

    @Override
    protected PortStore reopen(PortStore store) {
        return JsonFileStore.open(((JsonFileStore) store).path());
    }
}
