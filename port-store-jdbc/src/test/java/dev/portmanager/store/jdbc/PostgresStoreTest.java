package dev.portmanager.store.jdbc;

import dev.portmanager.spi.PortStore;
import dev.portmanager.spi.PortStoreContract;

/** The contract on a real PostgreSQL server: a new schema per test, reopened through a second pool. */
class PostgresStoreTest extends PortStoreContract {
    private String url;

    @Override
    protected PortStore openStore() throws Exception {
        url = TestPostgres.get().newSchemaUrl();
        return JdbcStore.open(url, JdbcStoreConfig.defaults());
    }

    @Override
    protected PortStore reopen(PortStore store) {
        return JdbcStore.open(url, JdbcStoreConfig.defaults());
    }
}
