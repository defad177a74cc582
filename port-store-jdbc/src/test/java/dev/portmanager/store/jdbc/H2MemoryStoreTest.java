package dev.portmanager.store.jdbc;

import dev.portmanager.spi.PortStore;
import dev.portmanager.spi.PortStoreContract;

import java.util.concurrent.atomic.AtomicInteger;

/** The contract on H2 in memory: a new database per test, reopened through a second pool. */
class H2MemoryStoreTest extends PortStoreContract {
    /** The contract moves the manager's clock by hand: leases here follow it, not the database's. */
    private static final JdbcStoreConfig MANAGER_CLOCK = JdbcStoreConfig.builder().databaseClock(false).build();
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private String url;

    @Override
    protected PortStore openStore() {
        url = "jdbc:h2:mem:contract-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
        return JdbcStore.open(url, MANAGER_CLOCK);
    }

    @Override
    protected PortStore reopen(PortStore store) {
        return JdbcStore.open(url, MANAGER_CLOCK);
    }
}
