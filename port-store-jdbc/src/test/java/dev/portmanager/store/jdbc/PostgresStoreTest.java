package dev.portmanager.store.jdbc;

import dev.portmanager.spi.PortStore;
import dev.portmanager.spi.PortStoreContract;

/** The contract on a real PostgreSQL server: a new schema per test, reopened through a second pool. */
class PostgresStoreTest extends PortStoreContract {
    /** The contract moves the manager's clock by hand: leases here follow it, not the database's. */
    private static final JdbcStoreConfig MANAGER_CLOCK = JdbcStoreConfig.builder().databaseClock(false).build();
    private String url;

    @Override
    protected PortStore openStore() throws Exception {
        url = TestPostgres.get().newSchemaUrl();
        return JdbcStore.open(url, MANAGER_CLOCK);
    }

    @Override
    protected PortStore reopen(PortStore store) {
        return JdbcStore.open(url, MANAGER_CLOCK);
    }
}
