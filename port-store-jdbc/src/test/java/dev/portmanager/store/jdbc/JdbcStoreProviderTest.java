package dev.portmanager.store.jdbc;

import dev.portmanager.PortManager;
import dev.portmanager.StoreUnavailableException;
import dev.portmanager.spi.PortStore;
import dev.portmanager.spi.StoreProvider;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Store URIs: found with ServiceLoader, opened with their own pool, named with the password masked. */
class JdbcStoreProviderTest {

    @Test
    void serviceLoader_findsTheJdbcProvider() {
        assertTrue(ServiceLoader.load(StoreProvider.class).stream().map(p -> p.type().getName())
                .collect(Collectors.toList()).contains(JdbcStoreProvider.class.getName()));
    }

    @Test
    void supports_jdbcH2AndPostgresqlUris_only() {
        JdbcStoreProvider provider = new JdbcStoreProvider();
        assertTrue(provider.supports("jdbc:h2:mem:x"));
        assertTrue(provider.supports("jdbc:postgresql://db/ports"));
        assertFalse(provider.supports("jdbc:mysql://db/ports"));
        assertFalse(provider.supports("json:/tmp/ports.json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.open("jdbc:mysql://db/ports?password=secret"));
        assertEquals("'jdbc:mysql://db/ports?password=***' is not a JDBC store URI; write jdbc:postgresql://<host>"
                + "[:<port>]/<database>[?user=..&password=..] or jdbc:h2:<path> (port-store-jdbc)", e.getMessage());
    }

    @Test
    void storeUri_h2_opensAStoreSharedByTwoManagers() {
        String uri = "jdbc:h2:mem:provider-shared;DB_CLOSE_DELAY=-1";
        try (PortManager a = PortManager.builder().store(uri).probe((p, proto) -> true).build();
             PortManager b = PortManager.builder().store(uri).probe((p, proto) -> true).build()) {
            int port = a.getOrAllocate("consilio", "api");
            assertEquals(3000, port);
            assertEquals(port, b.getOrAllocate("consilio", "api"));
        }
    }

    @Test
    void name_masksThePassword() throws Exception {
        try (PortStore h2 = new JdbcStoreProvider().open("jdbc:h2:mem:masked;USER=sa;PASSWORD=s3cret")) {
            assertEquals("jdbc:h2:mem:masked;USER=sa;PASSWORD=***", h2.name());
        }
        String url = TestPostgres.get().newSchemaUrl() + "&password=s3cret";
        try (PortStore pg = new JdbcStoreProvider().open(url)) {
            assertEquals(url.replace("s3cret", "***"), pg.name());
            assertFalse(pg.toString().contains("s3cret"));
        }
    }

    @Test
    void open_anUnreachableServer_throwsStoreUnavailableWithoutThePassword() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/ports?user=pm&password=s3cret&connectTimeout=2";
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> new JdbcStoreProvider().open(url));
        assertTrue(e.getMessage().startsWith("jdbc:postgresql://127.0.0.1:" + closedPort
                + "/ports?user=pm&password=***&connectTimeout=2: cannot connect to the database ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("); check that it is up and that the URL and credentials are right"),
                e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    void mask_hidesPasswordParametersAndUserInfo() {
        Map<String, String> cases = Map.of(
                "jdbc:postgresql://db/ports?user=pm&password=p%40ss&ssl=true",
                "jdbc:postgresql://db/ports?user=pm&password=***&ssl=true",
                "jdbc:postgresql://pm:secret@db/ports", "jdbc:postgresql://pm:***@db/ports",
                "jdbc:h2:./ports;PASSWORD=x;AUTO_SERVER=TRUE", "jdbc:h2:./ports;PASSWORD=***;AUTO_SERVER=TRUE",
                "jdbc:h2:mem:plain", "jdbc:h2:mem:plain");
        cases.forEach((url, masked) -> assertEquals(masked, JdbcStore.mask(url)));
    }

    @Test
    void config_optionSetTwice_isRefused() {
        JdbcStoreConfig.Builder b = JdbcStoreConfig.builder().initializeSchema(false);
        assertEquals("initializeSchema was already set to false",
                assertThrows(IllegalStateException.class, () -> b.initializeSchema(true)).getMessage());
        assertEquals("pool size 0 is not between 1 and 1000",
                assertThrows(IllegalArgumentException.class, () -> b.poolSize(0)).getMessage());
        assertEquals("JdbcStoreConfig{initializeSchema=false, poolSize=8}", b.build().toString());
    }
}
