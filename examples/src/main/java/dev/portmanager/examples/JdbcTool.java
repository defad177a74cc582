package dev.portmanager.examples;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.PortManager;
import dev.portmanager.store.jdbc.JdbcStore;
import dev.portmanager.store.jdbc.JdbcStoreConfig;

import java.util.Set;
import java.util.TreeSet;

/**
 * A tool embedding the JDBC store: it registers a host's services in a registry on PostgreSQL that many hosts share,
 * and prints each service's port. Run it on every host (or with every host's name) against the same database: each
 * host gets its own ports, and every run on a host gets the same ones.
 *
 * <pre>
 * java -cp examples/target/examples.jar dev.portmanager.examples.JdbcTool \
 *     'jdbc:postgresql://db.internal/ports?user=ports&amp;password=...' build-7 consilio web api worker
 * </pre>
 */
public final class JdbcTool {
    private JdbcTool() {
    }

    /** {@code JdbcTool URL HOST PROJECT SERVICE...}. */
    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: JdbcTool JDBC_URL HOST PROJECT SERVICE...");
            System.exit(2);
        }
        try (JdbcStore store = JdbcStore.open(args[0], JdbcStoreConfig.defaults());
             PortManager pm = PortManager.builder().store(store).host(args[1]).build()) {
            for (int i = 3; i < args.length; i++) {
                System.out.println(pm.host() + " " + args[2] + "/" + args[i] + " " + pm.getOrAllocate(args[2], args[i]));
            }
            Set<String> hosts = new TreeSet<>();
            int count = 0;
            for (Allocation a : pm.list(AllocationQuery.all())) {
                hosts.add(a.host());
                count++;
            }
            System.out.println(store.name() + " holds " + count + " allocations of " + hosts.size() + " hosts: "
                    + String.join(", ", hosts));
        }
    }
}
