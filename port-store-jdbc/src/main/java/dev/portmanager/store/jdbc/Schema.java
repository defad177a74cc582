package dev.portmanager.store.jdbc;

import dev.portmanager.StoreCorruptedException;
import dev.portmanager.StoreUnavailableException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Installs and checks the versioned schema: the tables, indexes, trigger and functions of the scripts. */
final class Schema {
    /** The schema version this library writes and reads. */
    static final int VERSION = 2;
    /** PostgreSQL advisory lock key that serialises concurrent installs ('pmsc'). */
    private static final long INSTALL_LOCK = 0x706d7363L;

    private Schema() {
    }

    /**
     * Makes sure the database holds this library's schema, installing it if allowed.
     *
     * @return the schema version found or installed
     * @throws StoreUnavailableException if the schema is missing (or older) and {@code initialize} is false
     * @throws StoreCorruptedException   if the schema is newer than this library
     * @throws SQLException              if the script fails
     */
    static int prepare(Handle handle, Dialect dialect, boolean initialize, String store) throws SQLException {
        Integer version = version(handle);
        if (version == null || version < VERSION) {
            if (!initialize) {
                throw new StoreUnavailableException(store + " has " + (version == null ? "no Port Manager schema"
                        : "Port Manager schema version " + version + ", older than this library's " + VERSION)
                        + "; open it with JdbcStoreConfig.builder().initializeSchema(true), or run " + dialect.script()
                        + " from the port-store-jdbc jar (psql -v ON_ERROR_STOP=1 -f " + dialect.script() + ")");
            }
            install(handle, dialect);
            version = version(handle);
            if (version == null) {
                throw new StoreUnavailableException(store + ": the schema script ran but port_schema_version is empty; "
                        + "check that the user may create tables in the first schema of its search path");
            }
        }
        if (version > VERSION) {
            throw new StoreCorruptedException(store + " has Port Manager schema version " + version
                    + ", newer than this library's " + VERSION + "; upgrade port-store-jdbc to a release that reads "
                    + "schema " + version + " (the database was left untouched)");
        }
        return version;
    }

    /** The installed version, or null if there is no schema. */
    static Integer version(Handle handle) {
        try {
            return handle.inTransaction(h -> h.createQuery("SELECT MAX(version) FROM port_schema_version")
                    .mapTo(Integer.class).one());
        } catch (JdbiException e) {
            if (SqlErrors.isMissingSchema(e)) {
                return null;
            }
            throw e;
        }
    }

    private static void install(Handle handle, Dialect dialect) throws SQLException {
        List<String> statements = statements(read(dialect.script()));
        handle.useTransaction(h -> {
            if (dialect == Dialect.POSTGRESQL) {
                h.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(" + INSTALL_LOCK + ")) AS locked")
                        .mapTo(Integer.class).one();
            }
            // Plain JDBC: the scripts are SQL as psql runs it, with no named parameters to parse.
            try (java.sql.Statement st = h.getConnection().createStatement()) {
                for (String sql : statements) {
                    st.execute(sql);
                }
            }
        });
    }

    /** The script's text. */
    static String read(String resource) {
        try (InputStream in = Schema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the schema script " + resource + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema script " + resource, e);
        }
    }

    /**
     * The statements of a script: split at each {@code ;} that ends a line outside a {@code $$} body, comment lines
     * dropped.
     */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inBody = false;
        for (String line : script.split("\n", -1)) {
            String trimmed = line.strip();
            if (!inBody && (trimmed.isEmpty() || trimmed.startsWith("--"))) {
                continue;
            }
            current.append(line).append('\n');
            int at = line.indexOf("$$");
            while (at >= 0) {
                inBody = !inBody;
                at = line.indexOf("$$", at + 2);
            }
            if (!inBody && trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }
}
