package dev.portmanager;

import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry as a Markdown page: golden-compared on a real registry and real sockets, stable across runs. */
class RegistryDocumentTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void markdown_ofARegistryWithARunningServiceAZombieAndAReservation_isTheGoldenPage() throws IOException {
        int first = FreeSpan.find(10);
        PortManager pm = PortManager.builder().store("memory:").allocatedBy("ana@build-7")
                .range("web", first, first + 4, "HTTP | servers").range("api", first + 5, first + 9)
                .utilizationWarning(50).build();
        open.add(pm);
        Allocation api = pm.allocate(AllocationRequest.builder("shop", "api").range("api")
                .description("orders\nand <b>carts</b>").metadata("process_name", "java").build());
        Allocation web = pm.allocate(AllocationRequest.builder("shop", "web").range("web").build());
        pm.reserve(AllocationRequest.builder("blog", "web").range("web").environment("prod").build(),
                Duration.ofHours(1));
        open.add(new ServerSocket(web.port(), 50, InetAddress.getByName("0.0.0.0")));

        String page = RegistryDocument.markdown(pm, Optional.of(pm.audit()), Optional.empty());

        int w = first;
        int a = first + 5;
        assertEquals(web.port(), w, "the lowest port first");
        assertEquals(api.port(), a);
        String golden = """
                # Port registry

                3 live allocations, 2 ranges. This page is generated from the registry by `portman docs`: change the \
                registry, not the page.

                ## Ranges

                Utilization on localhost.

                | Range | Ports | Allocated | Available | Utilization | Auto | Description |
                | --- | --- | ---: | ---: | ---: | --- | --- |
                | web | {W}-{W4} | 2 | 3 | 40.0% | yes | HTTP \\| servers |
                | api | {A}-{A4} | 1 | 4 | 20.0% | yes |  |

                ## Services

                | Project | Service | Port | Protocol | Host | Environment | Range | Status | Listening | Health \
                | Owner | Description |
                | --- | --- | ---: | --- | --- | --- | --- | --- | --- | --- | --- | --- |
                | blog | web | {W1} | TCP | localhost | prod | web | reserved |  | unknown |  |  |
                | shop | api | {A} | TCP | localhost | default | api | active | no | unknown | java | orders and \
                &lt;b&gt;carts&lt;/b&gt; |
                | shop | web | {W} | TCP | localhost | default | web | active | yes | unknown |  |  |

                ## Owners

                | Allocated by | Allocations | Projects |
                | --- | ---: | --- |
                | ana@build-7 | 3 | blog, shop |

                ## Health

                Audit of localhost: 2 allocated, 1 in use, 1 not running, 1 reserved; health 50%.

                - not running: shop/api on port {A}/TCP

                ## Conflicts

                Not checked: the audit saw no socket table, so it cannot tell who holds a port.

                ## Unregistered listeners

                None.
                """.replace("{W4}", String.valueOf(w + 4)).replace("{W1}", String.valueOf(w + 1))
                .replace("{A4}", String.valueOf(a + 4)).replace("{W}", String.valueOf(w))
                .replace("{A}", String.valueOf(a));
        assertEquals(golden, page);
        assertEquals(page, RegistryDocument.markdown(pm, Optional.of(pm.audit()), Optional.empty()),
                "the same registry gives the same page");
    }

    @Test
    void markdown_withoutAudit_saysSo_andTheTimeOnlyWhenGiven() {
        PortManager pm = PortManager.builder().store("memory:").range("r", 20_000, 20_001).build();
        open.add(pm);
        Instant at = Instant.parse("2026-01-02T03:04:05Z");
        String page = RegistryDocument.markdown(pm, Optional.empty(), Optional.of(at));
        assertTrue(page.startsWith("# Port registry\n\nGenerated at 2026-01-02T03:04:05Z.\n\n0 live allocations, "
                + "1 ranges."), page);
        assertTrue(page.contains("## Services\n\nNo live allocations.\n\n## Owners\n\nNobody holds a port.\n\n"
                + "## Health\n\nNot audited.\n\n## Conflicts\n\nNot audited.\n\n## Unregistered listeners\n\n"
                + "Not audited.\n"), page);
        assertTrue(!RegistryDocument.markdown(pm, Optional.empty(), Optional.empty()).contains("Generated"));
        assertThrows(NullPointerException.class, () -> RegistryDocument.markdown(pm, null, Optional.empty()));
    }

    @Test
    void cell_escapesMarkupAndLineBreaks() {
        assertEquals("a\\|b c \\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) &lt;i&gt; \\\\ &amp;",
                RegistryDocument.cell("a|b\nc *x* _y_ `z` [l](u) <i> \\ &"));
    }
}
