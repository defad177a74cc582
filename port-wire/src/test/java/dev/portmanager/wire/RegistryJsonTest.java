package dev.portmanager.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portmanager.Allocation;
import dev.portmanager.AllocationStatus;
import dev.portmanager.EnvExport;
import dev.portmanager.HealthStatus;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.Migration;
import dev.portmanager.PortRange;
import dev.portmanager.ProcessOwner;
import dev.portmanager.Protocol;
import dev.portmanager.RangeSummary;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RegistryJsonTest {
    static final Instant AT = Instant.parse("2025-12-31T10:00:00Z");

    static Allocation full() {
        return Allocation.builder().id("3f0c").port(8080).protocol(Protocol.TCP).host("localhost")
                .project("consilio").service("web").range("web").environment("prod").status(AllocationStatus.RESERVED)
                .description("Frontend").allocatedAt(AT).allocatedBy("ana@laptop")
                .expiresAt(AT.plusSeconds(600)).owner(new ProcessOwner(412, AT.minusSeconds(5), "boot-1"))
                .processId(412L).healthEndpoint(URI.create("http://localhost:8080/health"))
                .healthStatus(HealthStatus.NOT_RUNNING).lastHealthCheck(AT.plusSeconds(60))
                .metadata(Map.of("tunnel", "web.example")).build();
    }

    static Allocation bare() {
        return Allocation.builder().id("a1").port(3000).protocol(Protocol.BOTH).host("build-7").project("p")
                .service("s").environment("default").status(AllocationStatus.ACTIVE).description("")
                .allocatedAt(AT).allocatedBy("ci@build-7").build();
    }

    @Test
    void allocation_withEveryField_isSnakeCaseInTheDocumentedOrder() {
        assertEquals("{\"port\":8080,\"protocol\":\"tcp\",\"host\":\"localhost\",\"project\":\"consilio\","
                + "\"service\":\"web\",\"range\":\"web\",\"environment\":\"prod\",\"status\":\"reserved\","
                + "\"description\":\"Frontend\",\"allocated_at\":\"2025-12-31T10:00:00Z\","
                + "\"allocated_by\":\"ana@laptop\",\"expires_at\":\"2025-12-31T10:10:00Z\","
                + "\"owner\":{\"pid\":412,\"started_at\":\"2025-12-31T09:59:55Z\",\"machine\":\"boot-1\"},"
                + "\"process_id\":412,\"health_endpoint\":\"http://localhost:8080/health\","
                + "\"health_status\":\"not_running\",\"last_health_check\":\"2025-12-31T10:01:00Z\","
                + "\"metadata\":{\"tunnel\":\"web.example\"},\"id\":\"3f0c\"}",
                RegistryJson.allocation(full()).toString());
    }

    @Test
    void allocation_withoutOptionalValues_hasThemNull() {
        assertEquals("{\"port\":3000,\"protocol\":\"both\",\"host\":\"build-7\",\"project\":\"p\",\"service\":\"s\","
                + "\"range\":null,\"environment\":\"default\",\"status\":\"active\",\"description\":\"\","
                + "\"allocated_at\":\"2025-12-31T10:00:00Z\",\"allocated_by\":\"ci@build-7\",\"expires_at\":null,"
                + "\"owner\":null,\"process_id\":null,\"health_endpoint\":null,\"health_status\":\"unknown\","
                + "\"last_health_check\":null,\"metadata\":{},\"id\":\"a1\"}",
                RegistryJson.allocation(bare()).toString());
    }

    @Test
    void allocations_keepTheOrder() {
        assertEquals(List.of(8080, 3000), List.of(RegistryJson.allocations(List.of(full(), bare())).get(0).get("port")
                .asInt(), RegistryJson.allocations(List.of(full(), bare())).get(1).get("port").asInt()));
    }

    @Test
    void rangeAndSummary() {
        assertEquals("[{\"name\":\"web\",\"start\":8080,\"end\":8099,\"size\":20,\"description\":\"HTTP\","
                + "\"auto_allocate\":false}]",
                RegistryJson.ranges(List.of(new PortRange("web", 8080, 8099, "HTTP", false))).toString());
        assertEquals("[{\"range\":\"web\",\"start\":8080,\"end\":8099,\"total\":20,\"allocated\":17,\"excluded\":0,"
                + "\"available\":3,\"utilization_percent\":85.0}]",
                RegistryJson.summaries(List.of(new RangeSummary("web", 8080, 8099, 20, 17, 0, 3, 85.0))).toString());
    }

    @Test
    void history() {
        HistoryEntry e = HistoryEntry.of(AT, HistoryAction.REASSIGNED, bare(), "ana@laptop", "moved");
        assertEquals("[{\"at\":\"2025-12-31T10:00:00Z\",\"action\":\"reassigned\",\"port\":3000,\"protocol\":\"both\","
                + "\"host\":\"build-7\",\"project\":\"p\",\"service\":\"s\",\"environment\":\"default\","
                + "\"by\":\"ana@laptop\",\"reason\":\"moved\"}]", RegistryJson.history(List.of(e)).toString());
    }

    @Test
    void freePorts_lookLikeAllocationsWithNobody() {
        assertEquals("[{\"port\":9001,\"protocol\":\"tcp\",\"host\":\"localhost\",\"project\":null,\"service\":null,"
                + "\"range\":\"testing\",\"status\":\"free\"}]",
                RegistryJson.freePorts(List.of(9001), "localhost", "testing").toString());
        assertEquals("null", RegistryJson.freePorts(List.of(1024), "localhost", null).get(0).get("range").toString());
    }

    @Test
    void releaseCopyAndExport() {
        assertEquals("{\"target\":\"port 8080\",\"released\":false}", RegistryJson.release("port 8080", false)
                .toString());
        assertEquals("{\"ranges\":6,\"copied\":2,\"skipped\":1,\"failures\":[]}",
                RegistryJson.copy(new Migration.Report(6, 2, 1, List.of())).toString());
        assertEquals("{\"ranges\":0,\"copied\":0,\"skipped\":0,\"failures\":[\"p/s: taken\"]}",
                RegistryJson.copy(new Migration.Report(0, 0, 0, List.of("p/s: taken"))).toString());
        assertEquals("{\"store\":\"json:/r/ports.json\",\"file\":\"/tmp/x.json\"}",
                RegistryJson.export("json:/r/ports.json", "/tmp/x.json").toString());
    }

    @Test
    void environment_isTheSameDocumentAsEnvExportJson() throws Exception {
        EnvExport env = EnvExport.of(List.of(full(), bare()));
        assertEquals(new ObjectMapper().readTree(env.json()), RegistryJson.environment(env));
        assertEquals("{\"CONSILIO_WEB_PORT\":\"8080\",\"CONSILIO_WEB_URL\":\"http://localhost:8080\","
                + "\"P_S_PORT\":\"3000\",\"P_S_URL\":\"http://build-7:3000\"}",
                RegistryJson.environment(env).toString());
    }
}
