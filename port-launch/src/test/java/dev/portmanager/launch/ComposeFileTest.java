package dev.portmanager.launch;

import dev.portmanager.AllocationRequest;
import dev.portmanager.CheckReport;
import dev.portmanager.PortManager;
import dev.portmanager.Protocol;
import dev.portmanager.probe.SystemProbe;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker-compose ports read in both syntaxes and checked against each other, the registry and real listeners. */
class ComposeFileTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private Path compose(String folder, String yaml) throws IOException {
        Path project = Files.createDirectories(dir.resolve(folder));
        return Files.writeString(project.resolve("docker-compose.yml"), yaml);
    }

    private static List<String> described(ComposeFile f) {
        return f.mappings().stream().map(m -> m.service() + " " + m.hostIp() + " " + m.hostFirst() + "-" + m.hostLast()
                + " -> " + m.containerFirst() + "-" + m.containerLast() + " " + m.protocol() + (m.oneOf() ? " one-of" : ""))
                .collect(Collectors.toList());
    }

    @Test
    void read_understandsTheShortAndLongSyntax() throws IOException {
        ComposeFile f = ComposeFile.read(compose("My App!", String.join("\n",
                "services:",
                "  web:",
                "    ports:",
                "      - \"3000\"",
                "      - 8080:80",
                "      - \"127.0.0.1:8001:8001\"",
                "      - \"[::1]:6001:6001\"",
                "      - \"9090-9091:8080-8081\"",
                "      - \"8180-8185:80\"",
                "      - \"6060:6060/udp\"",
                "      - \"127.0.0.1::5000\"",
                "  api:",
                "    ports:",
                "      - target: 80",
                "        published: \"8280\"",
                "        host_ip: 127.0.0.1",
                "        protocol: tcp",
                "        mode: host",
                "      - target: 81",
                "  worker:",
                "    image: busybox",
                "")));
        assertEquals("myapp", f.project(), "the folder's name, as docker compose names projects");
        assertEquals(List.of(
                "web 0.0.0.0 8080-8080 -> 80-80 TCP",
                "web 127.0.0.1 8001-8001 -> 8001-8001 TCP",
                "web ::1 6001-6001 -> 6001-6001 TCP",
                "web 0.0.0.0 9090-9091 -> 8080-8081 TCP",
                "web 0.0.0.0 8180-8185 -> 80-80 TCP one-of",
                "web 0.0.0.0 6060-6060 -> 6060-6060 UDP",
                "api 127.0.0.1 8280-8280 -> 80-80 TCP"), described(f));
    }

    @Test
    void read_refusesMalformedEntriesNamingThem() throws IOException {
        Path bad = compose("bad", "services:\n  web:\n    ports:\n      - \"8080-8082:80-81\"\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComposeFile.read(bad));
        assertEquals("compose file " + bad + ", service 'web': ports entry 8080-8082:80-81 maps 3 host ports to 2 "
                + "container ports; give as many of each, or one container port for a range of host ports", e.getMessage());
        Path proto = compose("proto", "services:\n  web:\n    ports:\n      - \"8080:80/sctp\"\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ComposeFile.read(proto)).getMessage()
                .endsWith("names the protocol 'sctp'; compose ports are tcp or udp"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ComposeFile.read(dir.resolve("none.yml")))
                .getMessage().endsWith("does not exist"));
    }

    @Test
    void read_ofBrokenYaml_saysWhatAndWhereInOneLine() throws IOException {
        Path broken = compose("broken", "services:\n  web: [\n  ports: x\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComposeFile.read(broken));
        assertEquals("compose file " + broken + " is not YAML: line 4, column 1: expected ',' or ']', but got "
                + "<stream end> (while parsing a flow sequence)", e.getMessage());
    }

    @Test
    void check_ofARealProjectLayout_findsEveryKindOfClash() throws IOException {
        int p = FreeSpan.find(8);
        try (PortManager pm = PortManager.builder().store("memory:").probe(SystemProbe.create()).build()) {
            pm.allocate(AllocationRequest.builder("billing", "api").port(p + 1).build());
            pm.allocate(AllocationRequest.builder("shop", "db").port(p + 2).build());
            ServerSocket stranger = new ServerSocket(p + 3, 50, InetAddress.getByName("0.0.0.0"));
            open.add(stranger);
            Path file = compose("shop", String.join("\n",
                    "services:",
                    "  web:",
                    "    image: nginx",
                    "    ports: [\"" + p + ":80\"]",
                    "  api:",
                    "    build: ./api",
                    "    ports: [\"127.0.0.1:" + (p + 1) + ":3000\"]",
                    "  db:",
                    "    image: postgres:16",
                    "    ports:",
                    "      - target: 5432",
                    "        published: " + (p + 2),
                    "  cache:",
                    "    image: redis:7",
                    "    ports: [\"" + (p + 3) + ":6379\"]",
                    "  admin:",
                    "    image: adminer",
                    "    ports: [\"" + p + ":8080\"]",
                    "  dns:",
                    "    image: coredns/coredns",
                    "    ports: [\"" + (p + 4) + ":53/udp\"]",
                    "  worker:",
                    "    build: ./worker",
                    ""));
            CheckReport report = ComposeFile.read(file).check(pm);
            assertEquals(List.of(
                    "shop/web 0.0.0.0:" + p + "/TCP: CLASH_IN_PLAN",
                    "shop/api 127.0.0.1:" + (p + 1) + "/TCP: ALLOCATED_TO_OTHER",
                    "shop/db 0.0.0.0:" + (p + 2) + "/TCP: OK",
                    "shop/cache 0.0.0.0:" + (p + 3) + "/TCP: IN_USE",
                    "shop/admin 0.0.0.0:" + p + "/TCP: CLASH_IN_PLAN",
                    "shop/dns 0.0.0.0:" + (p + 4) + "/UDP: OK"),
                    report.results().stream().map(r -> r.binding() + ": " + r.verdict()).collect(Collectors.toList()));
            assertEquals("allocated to billing/api (TCP)", report.results().get(1).detail());
            assertTrue(report.results().get(3).detail().endsWith("(pid " + ProcessHandle.current().pid() + ")"),
                    report.results().get(3).detail());
            assertFalse(report.ok());
        }
    }

    @Test
    void check_ofAOneOfRange_takesTheFirstPortThatIsFree() throws IOException {
        int p = FreeSpan.find(4);
        try (PortManager pm = PortManager.builder().store("memory:").probe(SystemProbe.create()).build();
             ServerSocket taken = new ServerSocket(p, 50, InetAddress.getByName("0.0.0.0"))) {
            pm.allocate(AllocationRequest.builder("other", "x").port(p + 1).build());
            ComposeFile f = ComposeFile.read(compose("range", "services:\n  web:\n    ports: [\"" + p + "-" + (p + 3)
                    + ":80\"]\n"));
            CheckReport report = f.check(pm);
            assertTrue(report.ok(), report.toString());
            assertEquals(p + 2, report.results().get(0).binding().port());
            assertEquals(Protocol.TCP, report.results().get(0).binding().protocol());
        }
    }

    @Test
    void projectName_isNormalisedAsDockerComposeNormalisesAFolderName() {
        assertEquals(Optional.of("review_gh-42v2"), ComposeFile.projectName("Review_GH-42.v2"));
        assertEquals(Optional.of("shop"), ComposeFile.projectName("-_Shop"));
        assertEquals(Optional.empty(), ComposeFile.projectName("__ÅÄ.."));
    }
}
