package dev.portmanager;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationTest {

    @Test
    void copy_bringsRangesAndLiveAllocationsAcross_skipsWhatIsThere_andRefusesWhatIsTaken() {
        try (PortManager from = PortManager.builder().store("memory:").range("r", 21000, 21099).build();
             PortManager to = PortManager.builder().store("memory:").range("r", 21000, 21099).build()) {
            Allocation api = from.allocate(AllocationRequest.builder("consilio", "api").range("r").description("API")
                    .metadata("team", "core").healthEndpoint("http://localhost:21000/health").build());
            Allocation held = from.reserve(AllocationRequest.builder("consilio", "preview").range("r").build(),
                    Duration.ofMinutes(10));
            Allocation owned = from.allocate(AllocationRequest.builder("tests", "server").range("r")
                    .ownedByCurrentProcess().ttl(Duration.ofHours(1)).build());
            Allocation clash = from.allocate(AllocationRequest.builder("blog", "web").range("r").build());
            to.allocate(AllocationRequest.builder("other", "thing").port(clash.port()).build());

            Migration.Report report = Migration.copy(from, to);
            assertEquals(1, report.ranges());
            assertEquals(3, report.copied());
            assertEquals(0, report.skipped());
            assertEquals(1, report.failures().size());
            assertTrue(report.failures().get(0).startsWith("blog/web " + clash.port() + "/TCP on localhost: port "),
                    report.failures().get(0));

            Allocation copied = to.find("consilio", "api").orElseThrow();
            assertEquals(api.port(), copied.port());
            assertEquals("API", copied.description());
            assertEquals(api.metadata(), copied.metadata());
            assertEquals(api.healthEndpoint(), copied.healthEndpoint());
            Allocation reservation = to.find("consilio", "preview").orElseThrow();
            assertEquals(AllocationStatus.RESERVED, reservation.status());
            assertEquals(held.port(), reservation.port());
            assertTrue(reservation.expiresAt().isPresent());
            assertEquals(owned.owner(), to.find("tests", "server").orElseThrow().owner());

            Migration.Report again = Migration.copy(from, to);
            assertEquals(0, again.copied());
            assertEquals(3, again.skipped(), "a second copy finds everything there");
            assertEquals("1 ranges, 0 allocations copied, 3 already there, 1 failed", again.toString());
            assertEquals(List.of("r"), to.ranges().stream().map(PortRange::name).toList());
        }
    }

    @Test
    void copy_keepsEachAllocationAsItIs_idTimesAllocatorHealthAndExactExpiry() {
        try (PortManager from = PortManager.builder().store("memory:").range("r", 21000, 21099)
                .allocatedBy("ana@laptop").build();
             PortManager to = PortManager.builder().store("memory:").allocatedBy("bob@server").build()) {
            from.allocate(AllocationRequest.builder("consilio", "api").range("r").build());
            Instant checked = Instant.parse("2025-12-31T10:00:00.123Z");
            Allocation api = from.update("consilio", "api", AllocationUpdate.builder()
                    .health(HealthStatus.UNHEALTHY, checked).processId(4242L).build());
            Allocation held = from.reserve(AllocationRequest.builder("consilio", "preview").range("r").build(),
                    Duration.ofMillis(600_123));

            assertEquals(2, Migration.copy(from, to).copied());
            for (Allocation original : List.of(api, held)) {
                Allocation copy = to.find(original.project(), original.service()).orElseThrow();
                assertEquals(original, copy, "every field, id and times included");
            }
            Allocation copy = to.find("consilio", "api").orElseThrow();
            assertEquals("ana@laptop", copy.allocatedBy());
            assertEquals(HealthStatus.UNHEALTHY, copy.healthStatus());
            assertEquals(Optional.of(checked), copy.lastHealthCheck());
            assertEquals(held.expiresAt(), to.find("consilio", "preview").orElseThrow().expiresAt());
            HistoryEntry logged = to.history(HistoryQuery.builder().service("api").build()).get(0);
            assertEquals(HistoryAction.ALLOCATED, logged.action());
            assertEquals("bob@server", logged.by(), "the copy is the target's own act");
        }
    }
}
