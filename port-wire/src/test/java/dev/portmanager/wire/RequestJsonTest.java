package dev.portmanager.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.PlannedBinding;
import dev.portmanager.PortRange;
import dev.portmanager.Protocol;
import dev.portmanager.SearchOrder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests read from JSON: every field, and bad input refused with the field named. */
class RequestJsonTest {
    private static final ObjectMapper M = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return M.readTree(text);
    }

    private static String refusal(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void allocationRequest_readsEveryField() throws Exception {
        AllocationRequest r = RequestJson.allocationRequest(json("{\"project\": \"consilio\", \"service\": \"api\", "
                + "\"range\": \"api\", \"protocol\": \"both\", \"port\": 3005, \"description\": \"API\", "
                + "\"metadata\": {\"tunnel\": \"api.example\"}, \"health_endpoint\": \"http://localhost:3005/health\", "
                + "\"search_order\": \"spread\", \"ttl\": \"10m\", \"environment\": \"prod\", \"host\": \"build-7\", "
                + "\"already_listening\": true}"));

        assertEquals("consilio", r.project());
        assertEquals("api", r.service());
        assertEquals("api", r.range().orElseThrow());
        assertEquals(Protocol.BOTH, r.protocol());
        assertEquals(3005, r.port().getAsInt());
        assertTrue(r.exact());
        assertEquals("API", r.description());
        assertEquals(Map.of("tunnel", "api.example"), r.metadata());
        assertEquals(URI.create("http://localhost:3005/health"), r.healthEndpoint().orElseThrow());
        assertEquals(SearchOrder.SPREAD, r.searchOrder().orElseThrow());
        assertEquals(Duration.ofMinutes(10), r.ttl().orElseThrow());
        assertEquals("prod", r.environment().orElseThrow());
        assertEquals("build-7", r.host().orElseThrow());
        assertTrue(r.alreadyListening());
        assertFalse(RequestJson.allocationRequest(json("{\"project\": \"a\", \"service\": \"b\", "
                + "\"preferred_port\": 8080}")).exact());
        assertEquals("\"already_listening\" registers a port a service listens on already; name it with \"port\"",
                refusal(() -> RequestJson.allocationRequest(json("{\"project\": \"a\", \"service\": \"b\", "
                        + "\"already_listening\": true}"))));
    }

    @Test
    void duration_readsSecondsUnitsAndIso_andRefusesTheRest() throws Exception {
        assertEquals(Duration.ofSeconds(600), RequestJson.duration(json("600"), "ttl"));
        assertEquals(Duration.ofMillis(500), RequestJson.duration(json("\"500ms\""), "ttl"));
        assertEquals(Duration.ofHours(2), RequestJson.duration(json("\"2h\""), "ttl"));
        assertEquals(Duration.ofDays(1), RequestJson.duration(json("\"1d\""), "ttl"));
        assertEquals(Duration.ofMinutes(10), RequestJson.duration(json("\"PT10M\""), "ttl"));
        assertEquals("\"ttl\": \"soon\" is not a positive duration; write seconds (600) or \"30s\", \"10m\", \"2h\", "
                + "\"1d\", \"PT10M\"", refusal(() -> RequestJson.duration(json("\"soon\""), "ttl")));
        assertEquals("\"ttl\": 0 is not a positive duration; write seconds (600) or \"30s\", \"10m\", \"2h\", "
                + "\"1d\", \"PT10M\"", refusal(() -> RequestJson.duration(json("0"), "ttl")));
    }

    @Test
    void badRequests_areRefusedNamingTheField() {
        assertEquals("\"port\": 1 and \"preferred_port\": 2 both name a port; give one", refusal(
                () -> RequestJson.allocationRequest(json("{\"project\": \"a\", \"service\": \"b\", \"port\": 1, "
                        + "\"preferred_port\": 2}"))));
        assertEquals("\"metadata\": \"k\" must be a string, got 1", refusal(() -> RequestJson.allocationRequest(
                json("{\"project\": \"a\", \"service\": \"b\", \"metadata\": {\"k\": 1}}"))));
        assertEquals("\"already_listening\" must be true or false, got \"yes\"", refusal(
                () -> RequestJson.allocationRequest(json("{\"project\": \"a\", \"service\": \"b\", "
                        + "\"already_listening\": \"yes\"}"))));
        assertEquals("expected an allocation request as a JSON object, got array", refusal(
                () -> RequestJson.allocationRequest(json("[1]"))));
    }

    @Test
    void reservationAndRenewal_takeTheirTtlApart() throws Exception {
        RequestJson.Reservation r = RequestJson.reservation(json("{\"project\": \"ci\", \"service\": \"preview\", "
                + "\"ttl\": 90}"));
        RequestJson.Renewal n = RequestJson.renewal(json("{\"project\": \"ci\", \"service\": \"preview\", "
                + "\"ttl\": \"1h\"}"));

        assertTrue(r.request().ttl().isEmpty());
        assertEquals(Duration.ofSeconds(90), r.ttl());
        assertEquals(new RequestJson.Renewal("ci", "preview", Duration.ofHours(1)), n);
    }

    @Test
    void update_setsAndRemovesMetadata_andRemovesTheHealthEndpointWithNull() throws Exception {
        Allocation a = RegistryJsonTest.full();
        AllocationUpdate u = RequestJson.update(json("{\"description\": \"d\", \"metadata\": {\"new\": \"y\", "
                + "\"tunnel\": null}, \"health_endpoint\": null}"));

        Allocation changed = u.applyTo(a);

        assertEquals("d", changed.description());
        assertEquals(Map.of("new", "y"), changed.metadata());
        assertTrue(changed.healthEndpoint().isEmpty());
    }

    @Test
    void bulkPlanPortsAndRange_areRead() throws Exception {
        List<AllocationRequest> bulk = RequestJson.allocationRequests(json("{\"requests\": [{\"project\": \"s\", "
                + "\"service\": \"web\"}, {\"project\": \"s\", \"service\": \"db\"}]}"));
        List<PlannedBinding> plan = RequestJson.plannedBindings(json("{\"bindings\": [{\"project\": \"s\", "
                + "\"service\": \"dns\", \"port\": 5353, \"protocol\": \"udp\", \"address\": \"127.0.0.1\"}]}"));

        assertEquals("db", bulk.get(1).service());
        assertEquals(new PlannedBinding("s", "dns", 5353, Protocol.UDP, "127.0.0.1"), plan.get(0));
        assertEquals(List.of(80, 443), RequestJson.ports(json("{\"ports\": [80, 443]}")));
        assertEquals(new PortRange("grpc", 9100, 9199, "", false), RequestJson.range(json("{\"name\": \"grpc\", "
                + "\"start\": 9100, \"end\": 9199, \"auto_allocate\": false}")));
        assertEquals("\"ports\"[0]: \"x\" is not a port number; give numbers such as 8080", refusal(
                () -> RequestJson.ports(json("{\"ports\": [\"x\"]}"))));
    }
}
