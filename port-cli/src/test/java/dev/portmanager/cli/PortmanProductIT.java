package dev.portmanager.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI as a product (issue 14): errors in the CLI's words, one line on stderr and a JSON document with --json,
 * exit codes as the README's table says, the preferred port's range, and output a terminal shows as it should.
 */
class PortmanProductIT {
    @TempDir
    Path dir;
    /** The first ports of this test's own ranges api and web (20 ports each, free when the test began). */
    private int api;
    private int web;
    private String store;

    @BeforeEach
    void ownRanges() throws IOException {
        Map<String, Integer> ranges = PortmanJar.ownRanges(dir, 20, "api", "web");
        api = ranges.get("api");
        web = ranges.get("web");
        store = "json:" + dir.resolve("ports.json");
    }

    private PortmanJar.Result portman(String... args) throws Exception {
        return PortmanJar.run(dir, Map.of(), PortmanJar.onStoreIn(dir, args));
    }

    /** Runs portman and checks its exit code, its empty stdout and its one line on stderr. */
    private void fails(int exit, String stderr, String... args) throws Exception {
        PortmanJar.Result r = portman(args);
        assertEquals(exit, r.exit(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertEquals(stderr + "\n", r.err());
    }

    private String ranges() {
        return "(ranges: api " + api + "-" + (api + 19) + ", web " + web + "-" + (web + 19) + ")";
    }

    @Test
    void errors_nameTheFlagOrCommandToUse_neverAJavaMethod() throws Exception {
        fails(2, "portman: --protocol: protocol 'sctp' is not one of: tcp, udp, both (see: portman get --help)",
                "get", "p", "s", "-p", "sctp");
        fails(2, "portman: PORT: 'abc' is not a whole number (see: portman check --help)", "check", "abc");
        fails(2, "portman: unexpected argument 'c' (see: portman get --help)", "get", "a", "b", "c");
        fails(2, "portman: --ttl: '0s' is no time at all; give a positive duration such as 30s, 10m, 2h or 1d "
                + "(see: portman allocate --help)", "allocate", "p", "s", "--ttl", "0s");
        fails(2, "portman get: no range named 'nope' in " + store + " " + ranges() + "; define it with: portman "
                + "define-range nope START END, or name another", "get", "p", "s", "-r", "nope");
        fails(2, "portman get: port 80 asked for by p/s is a system port (below 1024) and no range includes it; "
                + "define a range that includes it first: portman define-range NAME START END",
                "get", "p", "s", "--port", "80");
        fails(2, "portman get: preferred port " + web + " of p/s is outside range 'api' " + api + "-" + (api + 19)
                + "; name the range that holds it with -r RANGE, or ask for it exactly with --port " + web,
                "get", "p", "s", "-r", "api", "--preferred", String.valueOf(web));
        fails(2, "portman audit: --host elsewhere.invalid: no live allocation names elsewhere.invalid in " + store
                + ", and portman contacts only hosts the registry names; it names none", "--host", "elsewhere.invalid",
                "audit");
        PortmanJar.Result unknownStore = PortmanJar.run(dir, Map.of(), "--store", "redis://localhost", "list");
        assertEquals(2, unknownStore.exit(), unknownStore.toString());
        assertTrue(unknownStore.err().startsWith("portman list: no store provider opens 'redis://localhost' (known "
                + "forms: memory: or memory:<name> (port-core), json:<path> (port-store-json), "), unknownStore.err());
        assertTrue(unknownStore.err().endsWith("); give --store (or $PORTMANAGER_STORE) in one of these forms\n"),
                unknownStore.err());
    }

    @Test
    void defineRange_whollyInTheEphemeralRange_saysWhereToMoveIt() throws Exception {
        Path linux = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        Assumptions.assumeTrue(Files.isReadable(linux), "no " + linux + " here: the OS ephemeral range is a guess");
        String[] span = Files.readAllLines(linux).get(0).trim().split("\\s+");
        int first = Integer.parseInt(span[0]);
        fails(2, "portman define-range: range 'x' " + (first + 1) + "-" + (first + 10) + " lies wholly in the OS "
                + "ephemeral range " + first + "-" + span[1] + ", which is avoided, so none of its ports could be "
                + "allocated; move the range below " + first,
                "define-range", "x", String.valueOf(first + 1), String.valueOf(first + 10));
    }

    @Test
    void errors_withJson_areAlsoADocumentOnStdout() throws Exception {
        PortmanJar.Result refused = portman("get", "p", "s", "-r", "nope", "--json");
        assertEquals(2, refused.exit());
        String message = "no range named 'nope' in " + store + " " + ranges() + "; define it with: portman "
                + "define-range nope START END, or name another";
        assertEquals("portman get: " + message + "\n", refused.err());
        assertEquals("invalid_argument", refused.json().get("error").asText());
        assertEquals(message, refused.json().get("message").asText());
        PortmanJar.Result usage = portman("get", "p", "--json");
        assertEquals(2, usage.exit());
        assertEquals("{\"error\":\"usage\",\"message\":\"Missing required parameter: 'SERVICE' (see: portman get "
                + "--help)\"}", usage.json().toString());
        PortmanJar.Result missing = portman("show", "p", "nothing", "--json");
        assertEquals(1, missing.exit());
        assertEquals("allocation_not_found", missing.json().get("error").asText());
        assertEquals("portman show: " + missing.json().get("message").asText() + "\n", missing.err());
    }

    @Test
    void brokenComposeFile_isOneLineOnStderr() throws Exception {
        Path broken = Files.writeString(dir.resolve("docker-compose.yml"), "services:\n  web: [\n  ports: x\n");
        fails(2, "portman validate-compose: compose file " + broken + " is not YAML: line 4, column 1: expected ',' "
                + "or ']', but got <stream end> (while parsing a flow sequence)",
                "validate-compose", broken.toString());
    }

    @Test
    void registryInAReadOnlyFolder_failsInOneLine_andWarnsOnlyWhenTheCommandSucceeds() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            Process lock = new ProcessBuilder("chattr", "+i", dir.toString()).redirectErrorStream(true).start();
            Assumptions.assumeTrue(lock.waitFor() == 0, "chattr +i is not available here, and root ignores chmod");
        } else {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        try {
            Path lock = dir.resolve("ports.json.lock");
            PortmanJar.Result write = portman("get", "p", "s", "-r", "api");
            assertEquals(1, write.exit(), write.toString());
            assertEquals("", write.out());
            assertEquals(1, write.err().lines().count(), "one line, no warning before it: " + write.err());
            assertTrue(write.err().startsWith("portman get: cannot write " + dir.resolve("ports.json")), write.err());
            PortmanJar.Result json = portman("get", "p", "s", "-r", "api", "--json");
            assertEquals("store_unavailable", json.json().get("error").asText());
            PortmanJar.Result read = portman("list");
            assertEquals(0, read.exit(), read.toString());
            assertEquals("no allocations\n", read.out());
            assertTrue(read.err().startsWith("portman: warning: cannot create " + lock + " ("), read.err());
            assertTrue(read.err().endsWith("); reading " + dir.resolve("ports.json") + " without the shared lock, "
                    + "writes will fail\n"), read.err());
        } finally {
            if (root) {
                new ProcessBuilder("chattr", "-i", dir.toString()).start().waitFor();
            } else {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        }
    }

    @Test
    void exitCodesAndMessages_agreeWithTheReadme() throws Exception {
        assertEquals(0, portman("get", "p", "s", "-r", "api").exit());
        PortmanJar.Result same = portman("reassign", "p", "s", String.valueOf(api));
        assertEquals(0, same.exit(), "nothing to do is not a usage error: " + same);
        assertEquals("nothing moved: p/s " + api + "/TCP on localhost (range api)\n", same.out());

        fails(2, "portman list: no range named 'nope' in " + store + " " + ranges() + "; define it with: portman "
                + "define-range nope START END, or name another", "list", "-r", "nope");

        fails(1, "portman env: project 'nosuch' holds no ports on localhost (environment default) in " + store
                + "; portman list shows what is allocated", "env", "nosuch");

        assertEquals(0, portman("get", "dns", "resolver", "-p", "udp", "--port", String.valueOf(web)).exit());
        PortmanJar.Result release = portman("release", String.valueOf(web), "-p", "tcp");
        assertEquals(0, release.exit());
        assertEquals("nothing released: port " + web + "/TCP is not allocated on localhost (environment default); it "
                + "is allocated for UDP to dns/resolver: release it with -p udp, or without -p\n", release.out());
    }

    @Test
    void preferredPort_withNoRangeNamed_staysInTheRangeThatHoldsIt() throws Exception {
        JsonNode free = portman("get", "p", "a", "--preferred", String.valueOf(web + 5), "--json").json();
        assertEquals(web + 5, free.get("port").asInt());
        assertEquals("web", free.get("range").asText(), "not null: the range holding the preferred port");
        JsonNode taken = portman("get", "p", "b", "--preferred", String.valueOf(web + 5), "--json").json();
        assertEquals(web, taken.get("port").asInt(), "the rest of that range, not the first free port from 1024");
        assertEquals("web", taken.get("range").asText());
    }

    @Test
    void alternatives_skipAPortASocketHolds_andAlternativesOnlyNeverTakesAnotherPort() throws Exception {
        try (ServerSocket held = new ServerSocket(web + 5, 50, InetAddress.getByName("0.0.0.0"));
             ServerSocket alsoHeld = new ServerSocket(web + 7, 50, InetAddress.getByName("0.0.0.0"))) {
            JsonNode alt = portman("get", "p", "a", "--preferred", String.valueOf(web + 5), "--alternatives",
                    (web + 7) + "," + (web + 9), "--json").json();
            assertEquals(web + 9, alt.get("port").asInt(), "the preferred port and the first alternative are held");
            PortmanJar.Result none = portman("get", "p", "b", "--preferred", String.valueOf(web + 5),
                    "--alternatives", (web + 7) + "," + (web + 9), "--alternatives-only");
            assertEquals(1, none.exit(), none.toString());
            assertTrue(none.err().startsWith("portman get: no free TCP port for p/b on localhost among its ports ["
                    + (web + 5) + ", " + (web + 7) + ", " + (web + 9) + "] (alternatives only)"), none.err());
            JsonNode rest = portman("get", "p", "b", "--preferred", String.valueOf(web + 5), "--alternatives",
                    (web + 7) + "," + (web + 9), "--json").json();
            assertEquals(web, rest.get("port").asInt(), "without --alternatives-only: the rest of the range");
        }
        fails(2, "portman get: --alternatives 8001,x: 'x' is not a port; give port numbers separated by commas, "
                + "such as --alternatives 8001,8002", "get", "p", "c", "--alternatives", "8001,x");
        fails(2, "portman get: --alternatives 8001,70000: 70000 is outside 1-65535; ports are numbered 1 to 65535",
                "get", "p", "c", "--alternatives", "8001,70000");
        fails(2, "portman get: --port 8000 asks for exactly that port, so --alternatives 8001 would never be tried; "
                + "use --preferred 8000 instead", "get", "p", "c", "--port", "8000", "--alternatives", "8001");
        fails(2, "portman allocate: --alternatives-only limits the request to its alternatives, but none were given; "
                + "name them with --alternatives 8001,8002", "allocate", "p", "c", "--alternatives-only");
    }

    @Test
    void env_refusesTwoServicesThatGiveOneVariable_namingBoth() throws Exception {
        assertEquals(0, portman("get", "a/b", "c/d", "-r", "api").exit());
        assertEquals(0, portman("get", "a_b", "c_d", "-r", "api").exit());
        fails(1, "portman env: project 'a/b' service 'c/d' and project 'a_b' service 'c_d' both give the variable "
                + "A_B_C_D_PORT; rename one of them (release it and allocate it under another name), or export their "
                + "projects one at a time", "env");
        assertEquals("A_B_C_D_PORT=" + api + "\nA_B_C_D_URL=http://localhost:" + api + "\n",
                portman("env", "a/b", "-f", "dotenv").out());
    }

    @Test
    void tables_escapeControlCharacters_soNoValueForgesARow_whileJsonKeepsThem() throws Exception {
        String forged = "line1\n" + (api + 9) + "  tcp    localhost  forged\rX";
        assertEquals(0, portman("get", "p", "s", "-r", "api", "-d", forged, "--meta", "note=a\rb").exit());
        String escaped = "line1\\n" + (api + 9) + "  tcp    localhost  forged\\rX";
        PortmanJar.Result list = portman("list");
        assertEquals(List.of("PORT   PROTO  HOST       PROJECT  SERVICE  ENV      RANGE  STATUS  EXPIRES  DESCRIPTION",
                api + "  tcp    localhost  p        s        default  api    active  -        " + escaped),
                list.out().lines().toList());
        List<String> show = portman("show", "p", "s").out().lines().toList();
        assertTrue(show.contains("description        " + escaped), show.toString());
        assertTrue(show.contains("metadata           {\"note\":\"a\\rb\"}"), show.toString());
        assertEquals(forged, portman("show", "p", "s", "--json").json().get("description").asText());

        Files.writeString(dir.resolve("ports.history.jsonl"), "{\"at\":\"2026-01-01T00:00:00Z\",\"action\":"
                + "\"updated\",\"port\":" + api + ",\"protocol\":\"tcp\",\"host\":\"localhost\",\"project\":\"p\","
                + "\"service\":\"s\",\"environment\":\"default\",\"by\":\"ana@laptop\",\"reason\":\"ok\\n2026-01-02"
                + "T00:00:00Z  released  forged\"}\n", StandardOpenOption.APPEND);
        // A line added by hand counts once ports.json no longer records the history's committed length (as after an
        // edit by a tool that keeps none); else the store reads it as an uncommitted leftover and skips it.
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode registry = (ObjectNode) mapper.readTree(dir.resolve("ports.json").toFile());
        ((ObjectNode) registry.get("metadata")).remove("history");
        mapper.writeValue(dir.resolve("ports.json").toFile(), registry);
        List<String> history = portman("history", "--action", "updated").out().lines().toList();
        assertEquals(2, history.size(), history.toString());
        assertTrue(history.get(1).endsWith("  ok\\n2026-01-02T00:00:00Z  released  forged"), history.toString());
    }

    @Test
    void tables_lineUpWideAndCombiningCharacters() throws Exception {
        assertEquals(0, portman("get", "日本", "サービス", "-r", "api").exit());
        assertEquals(0, portman("get", "cafe\u0301", "api", "-r", "api").exit());
        assertEquals(List.of(
                "PORT   PROTO  HOST       PROJECT  SERVICE   ENV      RANGE  STATUS  EXPIRES  DESCRIPTION",
                api + "  tcp    localhost  日本     サービス  default  api    active  -",
                (api + 1) + "  tcp    localhost  cafe\u0301     api       default  api    active  -"),
                portman("list").out().lines().toList());
    }

    @Test
    void version_isTheProjectsVersion() throws Exception {
        PortmanJar.Result v = portman("--version");
        assertEquals(0, v.exit());
        assertEquals("portman " + System.getProperty("portman.version") + "\n", v.out());
    }
}
