/**
 * A {@link dev.portmanager.spi.PortStore} on a relational database through Jdbi: H2 for one machine (embedded, in a
 * file or in memory) and PostgreSQL for a registry shared by many hosts.
 *
 * <p>{@link dev.portmanager.store.jdbc.JdbcStore} is the store, created from a {@link javax.sql.DataSource} or a
 * {@link org.jdbi.v3.core.Jdbi}; {@link dev.portmanager.store.jdbc.JdbcStoreConfig} holds its few options;
 * {@link dev.portmanager.store.jdbc.JdbcStoreProvider} opens the store URIs {@code jdbc:h2:...} and
 * {@code jdbc:postgresql://...}. The database itself enforces the registry's invariants (unique indexes on the ports
 * and services that allocations hold), so Java clients, {@code psql} and programs in other languages can allocate
 * side by side. Everything else in this package is an implementation detail.
 */
package dev.portmanager.store.jdbc;
