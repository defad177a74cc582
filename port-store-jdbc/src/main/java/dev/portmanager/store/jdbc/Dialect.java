package dev.portmanager.store.jdbc;

import java.util.Locale;

/** The databases the store runs on, with what differs between them. */
enum Dialect {
    /** PostgreSQL 13 or later: the shared registry, with slots, ON CONFLICT and the SQL functions. */
    POSTGRESQL("PostgreSQL", "schema-postgresql.sql"),
    /** H2 2.x: embedded, in a file or in memory. */
    H2("H2", "schema-h2.sql");

    private final String productName;
    private final String script;

    Dialect(String productName, String script) {
        this.productName = productName;
        this.script = script;
    }

    /** The database product name JDBC reports. */
    String productName() {
        return productName;
    }

    /** The schema script's resource name, next to this class. */
    String script() {
        return script;
    }

    /**
     * The dialect of a database, from {@link java.sql.DatabaseMetaData#getDatabaseProductName()}.
     *
     * @throws IllegalArgumentException if the database is neither PostgreSQL nor H2
     */
    static Dialect of(String databaseProductName) {
        String name = databaseProductName == null ? "" : databaseProductName.toLowerCase(Locale.ROOT);
        if (name.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (name.equals("h2")) {
            return H2;
        }
        throw new IllegalArgumentException("the JDBC store runs on PostgreSQL and H2, not on " + databaseProductName
                + "; use a jdbc:postgresql:// or jdbc:h2: database");
    }
}
