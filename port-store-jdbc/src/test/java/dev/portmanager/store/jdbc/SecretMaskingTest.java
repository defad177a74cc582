package dev.portmanager.store.jdbc;

import dev.portmanager.PortManager;
import dev.portmanager.StoreUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A password in a store URL reaches no message and no stack trace: not the top message, and not a cause's message
 * (a driver echoing the URL, a host lookup naming user:password@host), as {@code portman --verbose} prints them.
 */
class SecretMaskingTest {
    private static final String SECRET = "s3cr3t-Tr0ub4dor";

    static String trace(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static StoreUnavailableException failedOpen(String url) {
        return assertThrows(StoreUnavailableException.class, () -> PortManager.builder().store(url).build());
    }

    @Test
    void open_withAUrlTheDriverCannotParse_keepsThePasswordOutOfTheStackTrace() {
        String url = "jdbc:postgresql://127.0.0.1:notaport/db?user=u&password=" + SECRET;
        StoreUnavailableException e = failedOpen(url);
        String masked = "jdbc:postgresql://127.0.0.1:notaport/db?user=u&password=***";
        assertEquals(masked + ": opening the store failed (Unable to parse URL " + masked + ", SQLSTATE 99999); "
                + "nothing was written; check the database and retry", e.getMessage());
        String trace = trace(e);
        assertFalse(trace.contains(SECRET), trace);
        assertTrue(trace.contains("\nCaused by: org.postgresql.util.PSQLException: Unable to parse URL " + masked + "\n"
                + "\tat org.postgresql."), trace);
    }

    @Test
    void open_whenTheConnectionFails_keepsThePasswordOutOfTheStackTrace() throws Exception {
        int port = closedPort();
        String userInfo = "jdbc:postgresql://u:" + SECRET + "@127.0.0.1:" + port + "/db";
        StoreUnavailableException e = failedOpen(userInfo);
        assertEquals("jdbc:postgresql://u:***@127.0.0.1:" + port + "/db: cannot connect to the database (The "
                + "connection attempt failed., SQLSTATE 08001); check that it is up and that the URL and credentials "
                + "are right", e.getMessage());
        String trace = trace(e);
        assertFalse(trace.contains(SECRET), trace);
        assertTrue(trace.contains("\nCaused by: java.net.UnknownHostException: u:***@127.0.0.1\n"), trace);

        for (String url : List.of("jdbc:postgresql://127.0.0.1:" + port + "/db?user=u&password=" + SECRET,
                "jdbc:h2:tcp://127.0.0.1:" + port + "/x;USER=sa;PASSWORD=" + SECRET)) {
            StoreUnavailableException refused = failedOpen(url);
            assertTrue(refused.getMessage().contains(": cannot connect to the database ("), refused.getMessage());
            assertFalse(trace(refused).contains(SECRET), trace(refused));
        }
    }

    @Test
    @Timeout(120)
    void open_withNoDriverOnTheClassPath_keepsThePasswordOutOfTheStackTrace() throws Exception {
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!Path.of(entry).getFileName().toString().startsWith("postgresql-")) {
                classPath.add(entry);
            }
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/db?user=u&password=" + SECRET;
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", String.join(File.pathSeparator, classPath),
                OpenMain.class.getName(), url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.startsWith("dev.portmanager.StoreUnavailableException: " + url.replace(SECRET, "***")
                + ": no JDBC driver for this URL on the class path; add org.postgresql:postgresql"), out);
        assertTrue(out.contains("\nCaused by: java.sql.SQLException: No suitable driver found for "
                + url.replace(SECRET, "***") + "\n"), out);
        assertFalse(out.contains(SECRET), out);
    }

    /** Opens the store of a URL in a JVM of its own and prints the failure's stack trace. */
    public static final class OpenMain {
        private OpenMain() {
        }

        /** {@code OpenMain URL}. */
        public static void main(String[] args) {
            try {
                PortManager.builder().store(args[0]).build().close();
                System.out.println("opened");
            } catch (RuntimeException e) {
                e.printStackTrace(System.out);
            }
        }
    }
}
