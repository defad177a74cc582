package dev.portmanager.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code portman docs}: the registry as a Markdown page, from the real jar, a real registry and a real process. */
class PortmanDocsIT {
    @TempDir
    Path dir;
    private Process python;
    private Map<String, Integer> first;

    @BeforeEach
    void ownRanges() throws IOException {
        first = PortmanJar.ownRanges(dir, 10, "web", "api");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (python != null) {
            python.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private PortmanJar.Result portman(String... args) throws Exception {
        return PortmanJar.run(dir, Map.of(), PortmanJar.onStoreIn(dir, args));
    }

    @Test
    void docs_isTheGoldenPage_stableAcrossRuns_withAForeignProcessAsAConflict() throws Exception {
        int web = first.get("web");
        int api = first.get("api");
        assertEquals(0, portman("get", "shop", "web", "-r", "web", "-d", "storefront | v2").exit());
        assertEquals(0, portman("allocate", "shop", "api", "-r", "api", "--meta", "process_name=nginx").exit());
        python = PythonListener.start("127.0.0.1", api);
        JsonNode conflict = portman("conflicts", "--json").json().get(0);
        String found = conflict.get("found").get("command").asText() + " (pid " + python.pid() + ")";
        String by = portman("list", "--json").json().get(0).get("allocated_by").asText();

        PortmanJar.Result docs = portman("docs");
        assertEquals(0, docs.exit(), docs.toString());
        String golden = """
                # Port registry

                2 live allocations, 2 ranges. This page is generated from the registry by `portman docs`: change the \
                registry, not the page.

                ## Ranges

                Utilization on localhost.

                | Range | Ports | Allocated | Available | Utilization | Auto | Description |
                | --- | --- | ---: | ---: | ---: | --- | --- |
                | web | {W}-{W9} | 1 | 9 | 10.0% | yes |  |
                | api | {A}-{A9} | 1 | 9 | 10.0% | yes |  |

                ## Services

                | Project | Service | Port | Protocol | Host | Environment | Range | Status | Listening | Health \
                | Owner | Description |
                | --- | --- | ---: | --- | --- | --- | --- | --- | --- | --- | --- | --- |
                | shop | api | {A} | TCP | localhost | default | api | active | yes | unknown | nginx |  |
                | shop | web | {W} | TCP | localhost | default | web | active | no | unknown |  | storefront \\| v2 |

                ## Owners

                | Allocated by | Allocations | Projects |
                | --- | ---: | --- |
                | {BY} | 2 | shop |

                ## Health

                Audit of localhost: 2 allocated, 1 in use, 1 not running, 0 reserved; health 50%.

                - not running: shop/web on port {W}/TCP

                ## Conflicts

                | Port | Expected | Found | What to do |
                | ---: | --- | --- | --- |
                | {A}/TCP | shop/api | {FOUND} | move shop/api to a free port (portman reassign shop api), or stop \
                {FOUND} (portman kill {A}) |

                ## Unregistered listeners

                None.
                """.replace("{W9}", String.valueOf(web + 9)).replace("{A9}", String.valueOf(api + 9))
                .replace("{W}", String.valueOf(web)).replace("{A}", String.valueOf(api))
                .replace("{BY}", RegistryCell.of(by)).replace("{FOUND}", found);
        assertEquals(golden, docs.out());
        assertEquals(docs.out(), portman("docs").out(), "a second run gives the same page");

        Path file = dir.resolve("PORTS.md");
        PortmanJar.Result written = portman("docs", "--output", file.toString(), "--json");
        assertEquals(0, written.exit(), written.toString());
        assertEquals(file.toString(), written.json().get("file").asText());
        assertEquals(golden, Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Files.writeString(file, "an older page\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(0, portman("docs", "-o", file.toString()).exit());
        assertEquals(golden, Files.readString(file), "the older page is replaced");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var left = Files.list(dir)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }

        PortmanJar.Result json = portman("docs", "--json", "--timestamp");
        String page = json.json().get("markdown").asText();
        assertTrue(page.startsWith("# Port registry\n\nGenerated at 20"), page);
    }

    @Test
    void docs_refusesToWriteThroughAPlantedLink() throws Exception {
        Path target = dir.resolve("victim.txt");
        Files.writeString(target, "not yours to overwrite\n");
        Path link = Files.createSymbolicLink(dir.resolve("PORTS.md"), target);
        PortmanJar.Result r = portman("docs", "--no-audit", "-o", link.toString());
        assertEquals(2, r.exit(), r.toString());
        assertEquals("portman docs: --output " + link + " is a symbolic link; portman docs never writes through one: "
                + "remove it, or name the file itself\n", r.err());
        assertEquals("not yours to overwrite\n", Files.readString(target));
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.exists(link, LinkOption.NOFOLLOW_LINKS));

        PortmanJar.Result noAudit = portman("docs", "--no-audit");
        assertTrue(noAudit.out().contains("## Conflicts\n\nNot audited.\n"), noAudit.out());
    }

    /** Escapes as the page does, for the values the test reads back. */
    private static final class RegistryCell {
        static String of(String text) {
            return text.replace("\\", "\\\\").replace("_", "\\_").replace("*", "\\*").replace("|", "\\|")
                    .replace("[", "\\[").replace("]", "\\]").replace("#", "\\#").replace("!", "\\!")
                    .replace("`", "\\`");
        }
    }
}
