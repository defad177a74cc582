package dev.portmanager.store.jdbc;

import dev.portmanager.spi.PortStore;
import dev.portmanager.spi.StoreProvider;

import java.util.Objects;

/**
 * Opens the store URIs {@code jdbc:postgresql://<host>[:<port>]/<database>[?user=..&password=..]} and
 * {@code jdbc:h2:<path>} (or {@code jdbc:h2:mem:<name>}): the JDBC URL itself is the store URI. The store gets a
 * small connection pool of its own and installs its schema when the database has none. Registered for
 * {@link java.util.ServiceLoader}. Thread-safe and stateless.
 */
public final class JdbcStoreProvider implements StoreProvider {
    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public JdbcStoreProvider() {
        // Stateless.
    }

    /**
     * Whether the URI starts with {@code jdbc:postgresql:} or {@code jdbc:h2:}.
     *
     * @throws NullPointerException if the URI is null
     */
    @Override
    public boolean supports(String uri) {
        Objects.requireNonNull(uri, "uri == null");
        return uri.startsWith("jdbc:postgresql:") || uri.startsWith("jdbc:h2:");
    }

    /**
     * Opens the store with {@link JdbcStore#open(String, JdbcStoreConfig)} and the default configuration.
     *
     * @throws IllegalArgumentException                 if the URI is not one of the forms above
     * @throws dev.portmanager.StoreUnavailableException if the database cannot be reached or its driver is missing
     * @throws dev.portmanager.StoreCorruptedException  if the database's schema is newer than this library
     */
    @Override
    public PortStore open(String uri) {
        if (!supports(uri)) {
            throw new IllegalArgumentException("'" + JdbcStore.mask(uri) + "' is not a JDBC store URI; write "
                    + uriForms());
        }
        return JdbcStore.open(uri, JdbcStoreConfig.defaults());
    }

    @Override
    public String uriForms() {
        return "jdbc:postgresql://<host>[:<port>]/<database>[?user=..&password=..] or jdbc:h2:<path> (port-store-jdbc)";
    }
}
