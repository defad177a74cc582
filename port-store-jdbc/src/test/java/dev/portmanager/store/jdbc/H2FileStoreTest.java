package dev.portmanager.store.jdbc;

import dev.portmanager.spi.PortStore;
import dev.portmanager.spi.PortStoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The contract on an H2 database file: a new file per test, reopened through a second pool. */
class H2FileStoreTest extends PortStoreContract {
    /** The contract moves the manager's clock by hand: leases here follow it, not the database's. */
    private static final JdbcStoreConfig MANAGER_CLOCK = JdbcStoreConfig.builder().databaseClock(false).build();

    @TempDir
    Path dir;
    private String url;

    @Override
    protected PortStore openStore() {
        url = "jdbc:h2:file:" + dir.resolve("ports");
        return JdbcStore.open(url, MANAGER_CLOCK);
    }

    @Override
    protected PortStore reopen(PortStore store) {
        return JdbcStore.open(url, MANAGER_CLOCK);
    }
}
