package dev.portmanager;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueTypesTest {

    @Test
    void protocol_collisions() {
        assertTrue(Protocol.TCP.collidesWith(Protocol.TCP));
        assertFalse(Protocol.TCP.collidesWith(Protocol.UDP));
        assertTrue(Protocol.BOTH.collidesWith(Protocol.UDP));
        assertTrue(Protocol.UDP.collidesWith(Protocol.BOTH));
        assertTrue(Protocol.BOTH.covers(Protocol.TCP));
        assertFalse(Protocol.TCP.covers(Protocol.BOTH));
    }

    @Test
    void enums_parseCaseInsensitively_andListTheChoicesWhenNot() {
        assertEquals(Protocol.UDP, Protocol.parse("udp"));
        assertEquals(HealthStatus.NOT_RUNNING, HealthStatus.parse("not_running"));
        assertEquals(SearchOrder.LOWEST_FIRST, SearchOrder.parse("lowest-first"));
        assertEquals("search order 'lowest' is not one of: lowest-first, spread, sticky",
                assertThrows(IllegalArgumentException.class, () -> SearchOrder.parse("lowest")).getMessage());
        assertEquals(SearchOrder.LOWEST_FIRST, SearchOrder.parse("lowest_first"));
        assertEquals("protocol 'sctp' is not one of: tcp, udp, both",
                assertThrows(IllegalArgumentException.class, () -> Protocol.parse("sctp")).getMessage());
    }

    @Test
    void portRange_sizesAndOverlaps() {
        PortRange web = PortRange.of("web", 8080, 8099);
        assertEquals(20, web.size());
        assertTrue(web.contains(8099));
        assertFalse(web.contains(8100));
        assertTrue(web.overlaps(PortRange.of("x", 8099, 8200)));
        assertFalse(web.overlaps(PortRange.of("x", 8100, 8200)));
        assertEquals("'web' 8080-8099", web.toString());
        assertEquals(6, PortRange.standardRanges().size());
    }

    @Test
    void allocationRequest_refusesAValueGivenTwice() {
        assertEquals("port was already set to 8080 (exact)", assertThrows(IllegalStateException.class,
                () -> AllocationRequest.builder("p", "s").port(8080).preferredPort(8081)).getMessage());
        assertEquals("range was already set to 'web'", assertThrows(IllegalStateException.class,
                () -> AllocationRequest.builder("p", "s").range("web").range("api")).getMessage());
        assertEquals("metadata 'k' was already set to 'v'", assertThrows(IllegalStateException.class,
                () -> AllocationRequest.builder("p", "s").metadata("k", "v").metadata("k", "w")).getMessage());
    }

    @Test
    void allocationRequest_checksEndpointsAndLeases() {
        assertEquals("health endpoint 'ftp://x/health' is not an absolute http, https or tcp URI with a host; write it "
                        + "like http://localhost:3100/health or tcp://localhost:5432",
                assertThrows(IllegalArgumentException.class,
                        () -> AllocationRequest.builder("p", "s").healthEndpoint("ftp://x/health")).getMessage());
        assertEquals("health endpoint 'http://bad host/' is not a URI: Illegal character in authority at index 7: "
                        + "http://bad host/",
                assertThrows(IllegalArgumentException.class,
                        () -> AllocationRequest.builder("p", "s").healthEndpoint("http://bad host/")).getMessage());
        assertEquals("ttl PT0S is not positive; give a lease such as Duration.ofMinutes(10)",
                assertThrows(IllegalArgumentException.class,
                        () -> AllocationRequest.builder("p", "s").ttl(Duration.ZERO)).getMessage());
        AllocationRequest r = AllocationRequest.builder("p", "s").healthEndpoint("tcp://localhost:5432")
                .ttl(Duration.ofMinutes(1)).ownedByCurrentProcess().build();
        assertEquals(URI.create("tcp://localhost:5432"), r.healthEndpoint().orElseThrow());
        assertEquals(ProcessHandle.current().pid(), r.owner().orElseThrow().pid());
    }

    @Test
    void names_acceptUnicodeButNotLoneSurrogatesOrLineSeparators() {
        assertEquals("東京 \uD83D\uDE80", AllocationRequest.of("東京 \uD83D\uDE80", "api").project());
        assertEquals("project 'a\\uD83D' contains an unpaired surrogate U+D83D at index 1; it cannot be stored as UTF-8",
                assertThrows(IllegalArgumentException.class, () -> AllocationRequest.of("a\uD83D", "s")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> AllocationRequest.of("a\u2028b", "s"));
    }

    @Test
    void processOwner_ofThisJvm_isAlive_andNamesThisMachine() {
        ProcessOwner me = ProcessOwner.current();
        assertEquals(ProcessHandle.current().pid(), me.pid());
        assertTrue(me.startedAt().isAfter(Instant.EPOCH));
        assertEquals("owner pid 0 is not a process id; pids are positive", assertThrows(IllegalArgumentException.class,
                () -> new ProcessOwner(0, Instant.EPOCH, "m")).getMessage());
    }

    @Test
    void allocationUpdate_appliesOnlyWhatItNames() {
        Allocation a = Allocation.builder().id("1").port(8080).project("p").service("s").allocatedAt(Instant.EPOCH)
                .allocatedBy("me@here").metadata(Map.of("a", "1")).description("old").build();
        Allocation b = AllocationUpdate.builder().putMetadata("b", "2").health(HealthStatus.HEALTHY, Instant.EPOCH)
                .build().applyTo(a);
        assertEquals("old", b.description());
        assertEquals(Map.of("a", "1", "b", "2"), b.metadata());
        assertEquals(HealthStatus.HEALTHY, b.healthStatus());
        assertEquals(Instant.EPOCH, b.lastHealthCheck().orElseThrow());
        assertTrue(AllocationUpdate.builder().build().isEmpty());
        assertEquals("metadata, health status HEALTHY",
                AllocationUpdate.builder().metadata(Map.of()).health(HealthStatus.HEALTHY, Instant.EPOCH).build().describe());
    }

    @Test
    void aRangeConflictNamesWhatDiffers() {
        PortRange stored = new PortRange("grpc", 9100, 9199, "", false);
        assertEquals("range 'grpc' is 9100-9199 without auto-allocation in json:/x, not 9100-9199 with auto-allocation "
                + "as declared; declare it as stored, or give the new range another name",
                new RangeConflictException(stored, PortRange.of("grpc", 9100, 9199), "json:/x").getMessage());
        assertEquals("range 'grpc' is 9100-9199 in json:/x, not 9100-9150 as declared; declare it as stored, or give "
                + "the new range another name",
                new RangeConflictException(stored, new PortRange("grpc", 9100, 9150, "", false), "json:/x").getMessage());
    }

    @Test
    void describe_writesADurationAsAPersonReadsIt() {
        assertEquals("40 ms", Checks.describe(Duration.ofMillis(40)));
        assertEquals("10 s", Checks.describe(Duration.ofSeconds(10)));
        assertEquals("1.5 s", Checks.describe(Duration.ofMillis(1_540)));
        assertEquals("5 min", Checks.describe(Duration.ofMinutes(5)));
        assertEquals("5 min 30 s", Checks.describe(Duration.ofSeconds(330)));
        assertEquals("2 h 5 min", Checks.describe(Duration.ofMinutes(125)));
        assertEquals("3 d 4 h", Checks.describe(Duration.ofHours(76)));
        assertEquals("-2 s", Checks.describe(Duration.ofSeconds(-2)));
    }

    @Test
    void maskSecrets_hidesPasswordsInParametersAndUserInfo_andLeavesTheRest() {
        assertEquals("jdbc:postgresql://db/ports?user=app&password=***&ssl=true",
                Checks.maskSecrets("jdbc:postgresql://db/ports?user=app&password=s3cret&ssl=true"));
        assertEquals("jdbc:postgresql://app:***@db/ports", Checks.maskSecrets("jdbc:postgresql://app:s3cret@db/ports"));
        assertEquals("No suitable driver found for jdbc:h2:file:/x;USER=a;PASSWORD=***",
                Checks.maskSecrets("No suitable driver found for jdbc:h2:file:/x;USER=a;PASSWORD=hunter2"));
        assertEquals("json:/home/ana/.portmanager/ports.json", Checks.maskSecrets("json:/home/ana/.portmanager/ports.json"));
    }
}
