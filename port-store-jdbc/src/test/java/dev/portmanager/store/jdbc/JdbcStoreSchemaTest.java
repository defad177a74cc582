package dev.portmanager.store.jdbc;

import dev.portmanager.StoreCorruptedException;
import dev.portmanager.StoreUnavailableException;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The versioned schema: installed when missing, refused when missing and not to be installed, or newer. */
class JdbcStoreSchemaTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final JdbcStoreConfig NO_INSTALL = JdbcStoreConfig.builder().initializeSchema(false).build();

    @Test
    void open_h2WithoutSchemaAndInitializeSchemaFalse_throwsStoreUnavailableSayingWhatToRun() {
        assertRefusedWithoutSchema(h2Url(), "schema-h2.sql");
    }

    @Test
    void open_h2WithANewerSchema_throwsStoreCorruptedAndLeavesItAlone() throws Exception {
        assertRefusedWhenNewer(h2Url(), 3);
    }

    @Test
    void open_postgresWithoutSchemaAndInitializeSchemaFalse_throwsStoreUnavailable() throws Exception {
        assertRefusedWithoutSchema(TestPostgres.get().newSchemaUrl(), "schema-postgresql.sql");
    }

    @Test
    void open_postgresWithANewerSchema_throwsStoreCorrupted() throws Exception {
        assertRefusedWhenNewer(TestPostgres.get().newSchemaUrl(), 7);
    }

    private static void assertRefusedWithoutSchema(String url, String script) {
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> JdbcStore.open(url, NO_INSTALL));
        assertEquals(url + " has no Port Manager schema; open it with JdbcStoreConfig.builder()"
                + ".initializeSchema(true), or run " + script + " from the port-store-jdbc jar "
                + "(psql -v ON_ERROR_STOP=1 -f " + script + ")", e.getMessage());
    }

    private static void assertRefusedWhenNewer(String url, int version) throws Exception {
        JdbcStore.open(url, JdbcStoreConfig.defaults()).close();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("INSERT INTO port_schema_version (version, description) VALUES (" + version
                    + ", 'from the future')");
        }
        StoreCorruptedException e = assertThrows(StoreCorruptedException.class,
                () -> JdbcStore.open(url, JdbcStoreConfig.defaults()));
        assertEquals(url + " has Port Manager schema version " + version + ", newer than this library's "
                + Schema.VERSION + "; upgrade port-store-jdbc to a release that reads schema " + version
                + " (the database was left untouched)",
                e.getMessage());
    }

    @Test
    void open_twiceOnTheSameDatabase_installsOnce() {
        String url = h2Url();
        JdbcStore.open(url, JdbcStoreConfig.defaults()).close();
        try (JdbcStore again = JdbcStore.open(url, NO_INSTALL)) {
            assertEquals(List.of(), again.ranges());
        }
    }

    @Test
    void statements_splitAtSemicolonsOutsideFunctionBodies() {
        assertEquals(List.of("CREATE TABLE t (a INT)", "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\n"
                        + "BEGIN\n    RETURN 1;\nEND $$", "SELECT 1"),
                Schema.statements("-- a comment\nCREATE TABLE t (a INT);\n\nCREATE FUNCTION f() RETURNS int "
                        + "LANGUAGE plpgsql AS $$\nBEGIN\n    RETURN 1;\nEND $$;\nSELECT 1;\n"));
    }

    private static String h2Url() {
        return "jdbc:h2:mem:schema-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }
}
