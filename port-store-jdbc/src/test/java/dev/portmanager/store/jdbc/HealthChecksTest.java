package dev.portmanager.store.jdbc;

import com.sun.net.httpserver.HttpServer;
import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.HealthStatus;
import dev.portmanager.PortManager;
import dev.portmanager.PortMonitor;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Monitoring on the JDBC store keeps every check in port_health_checks, on H2 and on PostgreSQL. */
class HealthChecksTest {

    private static List<String> monitorThreeRounds(String url) throws Exception {
        int port = FreeSpan.find(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        server.createContext("/health", x -> {
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        server.start();
        try (JdbcStore store = JdbcStore.open(url, JdbcStoreConfig.defaults());
             PortManager pm = PortManager.builder().store(store).build()) {
            Allocation web = pm.allocate(AllocationRequest.builder("shop", "web").port(port).alreadyListening()
                    .healthEndpoint("http://127.0.0.1:" + port + "/health").build());
            pm.allocate(AllocationRequest.builder("shop", "db").port(port).protocol(dev.portmanager.Protocol.UDP)
                    .build());
            try (PortMonitor monitor = pm.monitor(Duration.ofDays(1))) {
                monitor.runOnce();
                monitor.runOnce();
                monitor.runOnce();
            }
            assertEquals(HealthStatus.HEALTHY, pm.find("shop", "web").orElseThrow().healthStatus());
            List<String> rows = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT check_type, status FROM port_health_checks "
                         + "WHERE port_allocation_id = '" + web.id() + "' ORDER BY id")) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
            return rows;
        } finally {
            server.stop(0);
        }
    }

    /** Three rounds run by hand, and the monitor's own first one if it started before the monitor closed. */
    private static void assertEveryRoundKept(List<String> rows) {
        assertTrue(rows.size() == 3 || rows.size() == 4, "one row per round: " + rows);
        assertEquals(List.of("http healthy"), rows.stream().distinct().toList());
    }

    @Test
    void h2_keepsEveryCheck() throws Exception {
        assertEveryRoundKept(monitorThreeRounds("jdbc:h2:mem:health-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1"));
    }

    @Test
    void postgres_keepsEveryCheck() throws Exception {
        assertEveryRoundKept(monitorThreeRounds(TestPostgres.get().newSchemaUrl()));
    }
}
