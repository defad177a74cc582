package dev.portmanager.store.jdbc;

import dev.portmanager.Checks;

import java.util.Objects;
import java.util.Optional;

/**
 * The options of a {@link JdbcStore}: whether it installs its schema, its name in messages and logs, and the size of
 * the connection pool it makes for a store URI. Immutable and thread-safe; build with {@link #builder()}.
 *
 * <pre>{@code
 * JdbcStore store = JdbcStore.create(dataSource, JdbcStoreConfig.builder()
 *         .initializeSchema(false)      // the DBA installs schema-postgresql.sql
 *         .name("ports@db-1")
 *         .build());
 * }</pre>
 */
public final class JdbcStoreConfig {
    /** Connections a store opened from a URI keeps at most, unless told otherwise. */
    public static final int DEFAULT_POOL_SIZE = 8;
    private static final JdbcStoreConfig DEFAULTS = builder().build();

    private final boolean initializeSchema;
    private final String name;
    private final int poolSize;
    private final boolean databaseClock;

    private JdbcStoreConfig(Builder b) {
        this.initializeSchema = b.initializeSchema == null || b.initializeSchema;
        this.name = b.name;
        this.poolSize = b.poolSize == 0 ? DEFAULT_POOL_SIZE : b.poolSize;
        this.databaseClock = b.databaseClock == null || b.databaseClock;
    }

    /** The defaults: install the schema when missing, a name taken from the database URL, a pool of 8. */
    public static JdbcStoreConfig defaults() {
        return DEFAULTS;
    }

    /** A builder holding the defaults. Not thread-safe; reusable. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the store creates its tables, indexes and functions when the database has none (the default). */
    public boolean initializeSchema() {
        return initializeSchema;
    }

    /** The store's name for messages and logs; empty to take it from the database URL, password masked. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** The most connections a store opened from a URI keeps; unused for a caller's DataSource or Jdbi. */
    public int poolSize() {
        return poolSize;
    }

    /**
     * Whether leases follow the database's clock (the default) rather than the manager's: see
     * {@link Builder#databaseClock(boolean)}.
     */
    public boolean databaseClock() {
        return databaseClock;
    }

    @Override
    public String toString() {
        return "JdbcStoreConfig{initializeSchema=" + initializeSchema + (name == null ? "" : ", name=" + name)
                + ", poolSize=" + poolSize + (databaseClock ? "" : ", databaseClock=false") + "}";
    }

    /**
     * Builds a {@link JdbcStoreConfig}. Each option is checked as it is given and may be given once. Not thread-safe;
     * reusable.
     */
    public static final class Builder {
        private Boolean initializeSchema;
        private String name;
        private int poolSize;
        private Boolean databaseClock;

        private Builder() {
        }

        /**
         * Whether to create the schema when the database has none (default true). With false, a database without
         * the schema is refused with a message saying which script to run.
         *
         * @throws IllegalStateException if the option was already set
         */
        public Builder initializeSchema(boolean initialize) {
            if (initializeSchema != null) {
                throw new IllegalStateException("initializeSchema was already set to " + initializeSchema);
            }
            this.initializeSchema = initialize;
            return this;
        }

        /**
         * The store's name in messages and logs, such as {@code ports@db-1}.
         *
         * @throws NullPointerException     if the name is null
         * @throws IllegalArgumentException if the name is blank, too long or has control characters
         * @throws IllegalStateException    if the option was already set
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name == null");
            if (this.name != null) {
                throw new IllegalStateException("name was already set to '" + this.name + "'");
            }
            this.name = Checks.name("store name", name);
            return this;
        }

        /**
         * The most connections a store opened from a URI keeps open (default 8).
         *
         * @throws IllegalArgumentException if the size is not between 1 and 1000
         * @throws IllegalStateException    if the option was already set
         */
        public Builder poolSize(int poolSize) {
            if (poolSize < 1 || poolSize > 1000) {
                throw new IllegalArgumentException("pool size " + poolSize + " is not between 1 and 1000");
            }
            if (this.poolSize != 0) {
                throw new IllegalStateException("poolSize was already set to " + this.poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        /**
         * Whether leases follow the database's clock (default true): every manager on the store judges expiry, and
         * computes a lease's end, by the database's time, as the SQL functions do, so hosts whose clocks are apart
         * agree. With false the manager's own clock rules, as with the other stores: for tests that move a clock by
         * hand, never for a database several hosts share.
         *
         * @throws IllegalStateException if the option was already set
         */
        public Builder databaseClock(boolean follow) {
            if (databaseClock != null) {
                throw new IllegalStateException("databaseClock was already set to " + databaseClock);
            }
            this.databaseClock = follow;
            return this;
        }

        /** Builds the configuration. */
        public JdbcStoreConfig build() {
            return new JdbcStoreConfig(this);
        }
    }
}
