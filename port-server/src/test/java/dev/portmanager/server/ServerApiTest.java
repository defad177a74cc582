package dev.portmanager.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationStatus;
import dev.portmanager.PortRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every route of the JSON API through the JDK's HttpClient: its answer, and its error statuses. */
class ServerApiTest {
    @TempDir
    Path dir;

    private TestServer t;

    @BeforeEach
    void start() {
        t = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private String request(String project, String service) {
        return "{\"project\": \"" + project + "\", \"service\": \"" + service + "\", \"range\": \"srv\"}";
    }

    @Test
    void getOrAllocate_whenCalledTwice_answersTheSamePortBothTimes() {
        TestServer.Response first = t.post("/get-or-allocate", request("shop", "web"));
        TestServer.Response again = t.post("/get-or-allocate", request("shop", "web"));

        assertEquals(200, first.status(), first.body());
        JsonNode a = first.json();
        assertEquals(t.first, a.get("port").asInt());
        assertEquals("shop", a.get("project").asText());
        assertEquals("web", a.get("service").asText());
        assertEquals("srv", a.get("range").asText());
        assertEquals("active", a.get("status").asText());
        assertEquals(a, again.json());
        assertEquals(t.first, t.pm.find("shop", "web").orElseThrow().port());
    }

    @Test
    void allocate_whenTheServiceHoldsAPort_answers409SayingWhichAndWhatToDoInRoutes() {
        TestServer.Response created = t.post("/allocate", request("shop", "api"));
        TestServer.Response again = t.post("/allocate", request("shop", "api"));

        assertEquals(201, created.status(), created.body());
        assertEquals(409, again.status());
        assertEquals("allocation_exists: shop/api already holds " + created.json().get("port").asInt() + "/TCP on "
                + "localhost (environment default); POST /get-or-allocate returns it, DELETE "
                + "/services/{project}/{service} frees it", again.error());
    }

    @Test
    void allocate_fromARangeThatDoesNotExist_answers400NamingTheRouteThatDefinesIt() {
        TestServer.Response r = t.post("/allocate", "{\"project\": \"shop\", \"service\": \"api\", \"range\": "
                + "\"nope\"}");

        assertEquals(400, r.status());
        assertTrue(r.error().startsWith("invalid_argument: no range named 'nope' in "), r.error());
        assertTrue(r.error().endsWith("; define it with POST /ranges {\"name\": \"nope\", \"start\": ..., \"end\": "
                + "...}, or name another (GET /ranges lists them)"), r.error());
    }

    @Test
    void allocate_whenTheRangeIsFull_answers409NoFreePort() {
        t.pm.defineRange(PortRange.of("tiny", t.last, t.last));
        assertEquals(201, t.post("/allocate", "{\"project\": \"a\", \"service\": \"one\", \"range\": \"tiny\"}")
                .status());

        TestServer.Response full = t.post("/allocate", "{\"project\": \"a\", \"service\": \"two\", \"range\": "
                + "\"tiny\"}");

        assertEquals(409, full.status());
        assertEquals("no_free_port", full.json().get("error").asText());
        assertTrue(full.json().get("message").asText().startsWith("no free TCP port in range 'tiny' " + t.last + "-"
                + t.last), full.body());
    }

    @Test
    void allocate_withAlternatives_takesTheFirstFreeOne_andAlternativesOnlyNeverAnother() throws Exception {
        String held = "{\"project\": \"shop\", \"service\": \"held\", \"range\": \"srv\", \"port\": "
                + (t.first + 1) + "}";
        assertEquals(201, t.post("/allocate", held).status());
        try (java.net.ServerSocket busy = new java.net.ServerSocket(t.first + 2, 50,
                java.net.InetAddress.getLoopbackAddress())) {
            // preferred is held in the registry, the first alternative is bound by another socket: the second one.
            TestServer.Response r = t.post("/allocate", "{\"project\": \"shop\", \"service\": \"api\", \"range\": "
                    + "\"srv\", \"preferred_port\": " + (t.first + 1) + ", \"alternatives\": [" + (t.first + 2) + ", "
                    + (t.first + 5) + "], \"alternatives_only\": true}");
            assertEquals(201, r.status(), r.body());
            assertEquals(t.first + 5, r.json().get("port").asInt());
            TestServer.Response none = t.post("/allocate", "{\"project\": \"shop\", \"service\": \"web\", "
                    + "\"range\": \"srv\", \"preferred_port\": " + (t.first + 1) + ", \"alternatives\": ["
                    + (t.first + 2) + "], \"alternatives_only\": true}");
            assertEquals(409, none.status(), none.body());
        }
        assertEquals("invalid_argument: \"alternatives\": \"8001\" is not a port number; give numbers such as 8001",
                t.post("/allocate", "{\"project\": \"a\", \"service\": \"b\", \"alternatives\": [\"8001\"]}")
                        .error());
        assertEquals("invalid_argument: \"alternatives\" names 8001 twice; name each port once",
                t.post("/allocate", "{\"project\": \"a\", \"service\": \"b\", \"alternatives\": [8001, 8001]}")
                        .error());
        assertEquals("invalid_argument: \"port\": 8000 asks for exactly that port, so \"alternatives\" would never "
                + "be tried; give it as \"preferred_port\" instead", t.post("/allocate", "{\"project\": \"a\", "
                + "\"service\": \"b\", \"port\": 8000, \"alternatives\": [8001]}").error());
        assertEquals("invalid_argument: \"alternatives_only\" limits the request to its alternatives, but none were "
                + "given; name them with \"alternatives\": [8001, 8002]", t.post("/allocate", "{\"project\": \"a\", "
                + "\"service\": \"b\", \"alternatives_only\": true}").error());
    }

    @Test
    void allocate_whenTheBodyIsBad_answers400NamingTheField() {
        assertEquals("invalid_argument: unknown field \"prot\" in an allocation request; known fields: "
                        + "already_listening, alternatives, alternatives_only, description, environment, "
                        + "health_endpoint, host, metadata, port, preferred_port, project, protocol, range, "
                        + "search_order, service, ttl",
                t.post("/allocate", "{\"project\": \"a\", \"service\": \"b\", \"prot\": \"tcp\"}").error());
        assertEquals("invalid_argument: \"port\" must be a whole number, got \"80a\"",
                t.post("/allocate", "{\"project\": \"a\", \"service\": \"b\", \"port\": \"80a\"}").error());
        assertEquals("invalid_argument: \"service\" is missing; give it as a string",
                t.post("/allocate", "{\"project\": \"a\"}").error());
        assertEquals("invalid_argument: the body is not JSON: Unexpected character ('x' (code 120)): was expecting "
                + "double-quote to start field name at line 1, column 2", t.post("/allocate", "{x}").error());
        assertEquals(400, t.post("/allocate", "[]").status());
        assertEquals(0, t.pm.list(AllocationQuery.all()).size());
    }

    @Test
    void reserve_withATtl_answers201ReservedWithItsExpiry_andWithoutOne400() {
        TestServer.Response held = t.post("/reserve", "{\"project\": \"p\", \"service\": \"preview\", \"range\": "
                + "\"srv\", \"ttl\": \"10m\"}");
        TestServer.Response noTtl = t.post("/reserve", request("p", "other"));

        assertEquals(201, held.status(), held.body());
        assertEquals("reserved", held.json().get("status").asText());
        assertFalse(held.json().get("expires_at").isNull());
        assertEquals("invalid_argument: \"ttl\" is missing; a reservation ends by itself after it, such as \"10m\"",
                noTtl.error());
    }

    @Test
    void renew_whenTheServiceHoldsALease_extendsIt_andWhenNot404() {
        JsonNode held = t.post("/reserve", "{\"project\": \"p\", \"service\": \"s\", \"range\": \"srv\", "
                + "\"ttl\": 60}").json();

        TestServer.Response renewed = t.post("/renew", "{\"project\": \"p\", \"service\": \"s\", \"ttl\": \"2h\"}");
        TestServer.Response missing = t.post("/renew", "{\"project\": \"p\", \"service\": \"none\", \"ttl\": "
                + "\"2h\"}");

        assertEquals(200, renewed.status(), renewed.body());
        assertTrue(renewed.json().get("expires_at").asText().compareTo(held.get("expires_at").asText()) > 0);
        assertEquals(404, missing.status());
        assertEquals("allocation_not_found", missing.json().get("error").asText());
    }

    @Test
    void bulkAllocate_whenOneRequestCannotBeServed_allocatesNothing() throws Exception {
        TestServer.Response ok = t.post("/bulk-allocate", "{\"requests\": [" + request("stack", "web") + ", "
                + request("stack", "db") + "]}");
        assertEquals(201, ok.status(), ok.body());
        assertEquals(2, ok.json().size());

        int held = ok.json().get(0).get("port").asInt();
        TestServer.Response refused = t.post("/bulk-allocate", "{\"requests\": [" + request("stack2", "web") + ", "
                + "{\"project\": \"stack2\", \"service\": \"db\", \"port\": " + held + "}]}");

        assertEquals(409, refused.status(), refused.body());
        assertEquals("port_conflict", refused.json().get("error").asText());
        assertTrue(t.pm.find("stack2", "web").isEmpty());
        assertEquals("invalid_argument: \"requests\"[1]: \"project\" is missing; give it as a string",
                t.post("/bulk-allocate", "{\"requests\": [" + request("x", "y") + ", {}]}").error());
    }

    @Test
    void listAndShow_answerTheRegistrysAllocations_andAnUnallocatedPort404() {
        int web = t.post("/get-or-allocate", request("shop", "web")).json().get("port").asInt();
        t.post("/get-or-allocate", request("blog", "web"));

        JsonNode shop = t.get("/ports?project=shop").json();
        JsonNode all = t.get("/ports").json();
        TestServer.Response byPort = t.get("/ports/" + web);
        TestServer.Response byService = t.get("/services/shop/web");
        TestServer.Response free = t.get("/ports/" + t.last);
        TestServer.Response notAPort = t.get("/ports/80a");
        TestServer.Response outside = t.get("/ports/70000");

        assertEquals(1, shop.size());
        assertEquals(2, all.size());
        assertEquals(web, byPort.json().get("port").asInt());
        assertEquals(byPort.json(), byService.json());
        assertEquals("allocation_not_found: port " + t.last + " is not allocated on localhost in json:" + t.registry,
                free.error());
        assertEquals(404, free.status());
        assertEquals("invalid_argument: port '80a' is not a whole number", notAPort.error());
        assertEquals(400, notAPort.status());
        assertEquals(400, outside.status());
        assertEquals("invalid_argument: " + assertThrows(IllegalArgumentException.class,
                () -> AllocationStatus.parse("gone")).getMessage(), t.get("/ports?status=gone").error());
        assertEquals("allocation_not_found: shop/none holds no port on localhost (environment default) in json:"
                + t.registry, t.get("/services/shop/none").error());
    }

    @Test
    void update_changesDescriptionAndMetadata_andAnEmptyUpdateIs400() {
        int port = t.post("/get-or-allocate", request("shop", "web")).json().get("port").asInt();

        TestServer.Response updated = t.write("PUT", "/services/shop/web", "{\"description\": \"front\", "
                + "\"metadata\": {\"tunnel\": \"shop.example\"}}");
        TestServer.Response byPort = t.write("PUT", "/ports/" + port, "{\"metadata\": {\"tunnel\": null}}");
        TestServer.Response empty = t.write("PUT", "/services/shop/web", "{}");

        assertEquals(200, updated.status(), updated.body());
        assertEquals("front", updated.json().get("description").asText());
        assertEquals("shop.example", updated.json().get("metadata").get("tunnel").asText());
        assertEquals(0, byPort.json().get("metadata").size());
        assertEquals("invalid_argument: nothing to update: give \"description\", \"metadata\" or "
                + "\"health_endpoint\"", empty.error());
    }

    @Test
    void release_byPortAndByService_saysWhetherSomethingWasReleased() {
        int port = t.post("/get-or-allocate", request("shop", "web")).json().get("port").asInt();
        t.post("/get-or-allocate", request("shop", "api"));

        JsonNode first = t.write("DELETE", "/ports/" + port, null).json();
        JsonNode again = t.write("DELETE", "/ports/" + port, null).json();
        JsonNode service = t.write("DELETE", "/services/shop/api", null).json();

        assertEquals("{\"target\":\"port " + port + "\",\"released\":true}", first.toString());
        assertEquals("{\"target\":\"port " + port + "\",\"released\":false}", again.toString());
        assertEquals("{\"target\":\"shop/api\",\"released\":true}", service.toString());
        assertEquals(0, t.pm.list(AllocationQuery.all()).size());
    }

    @Test
    void cancelReservation_releasesAReservation_andRefusesAnActiveAllocation() {
        int held = t.post("/reserve", "{\"project\": \"p\", \"service\": \"r\", \"range\": \"srv\", \"ttl\": \"1h\"}")
                .json().get("port").asInt();
        int active = t.post("/allocate", request("p", "a")).json().get("port").asInt();

        assertEquals("{\"target\":\"port " + held + "\",\"released\":true}",
                t.write("DELETE", "/reserve/" + held, null).json().toString());
        TestServer.Response refused = t.write("DELETE", "/reserve/" + active, null);
        assertEquals(409, refused.status());
        assertEquals("invalid_state: port " + active + " is allocated to p/a, not reserved; DELETE /ports/" + active
                + " releases it", refused.error());
    }

    @Test
    void register_takesExactlyAPortSomethingAlreadyListensOn() throws Exception {
        try (ServerSocket listening = new ServerSocket(t.last - 1, 50, InetAddress.getLoopbackAddress())) {
            TestServer.Response registered = t.post("/ports/register", "{\"project\": \"uDOS\", \"service\": "
                    + "\"wizard\", \"port\": " + listening.getLocalPort() + "}");
            TestServer.Response noPort = t.post("/ports/register", request("uDOS", "goblin"));

            assertEquals(201, registered.status(), registered.body());
            assertEquals(listening.getLocalPort(), registered.json().get("port").asInt());
            assertEquals("srv", registered.json().get("range").asText());
            assertEquals("invalid_argument: \"port\" is missing; registering names the port the service uses",
                    noPort.error());
        }
    }

    @Test
    void available_listsFreePortsOfARangeOrFromAPort_withoutAllocating() {
        t.post("/get-or-allocate", request("shop", "web"));

        JsonNode inRange = t.get("/ports/available/srv?count=3").json();
        JsonNode from = t.get("/ports/available?from=" + t.first + "&count=2").json();

        assertEquals(3, inRange.size());
        assertEquals(t.first + 1, inRange.get(0).get("port").asInt());
        assertEquals("free", inRange.get(0).get("status").asText());
        assertEquals("srv", inRange.get(0).get("range").asText());
        assertEquals(t.first + 1, from.get(0).get("port").asInt());
        assertEquals(1, t.pm.list(AllocationQuery.all()).size());
        assertEquals(400, t.get("/ports/available/srv?count=x").status());
    }

    @Test
    void ranges_areListedDefinedAndSummarised_andAContradictionIs409() {
        TestServer.Response defined = t.post("/ranges", "{\"name\": \"grpc\", \"start\": " + t.last + ", \"end\": "
                + t.last + ", \"description\": \"one\"}");
        TestServer.Response contradicting = t.post("/ranges", "{\"name\": \"grpc\", \"start\": " + t.first
                + ", \"end\": " + t.last + "}");
        t.post("/get-or-allocate", request("shop", "web"));

        assertEquals(201, defined.status(), defined.body());
        assertEquals("[\"grpc\",\"srv\"]", names(t.get("/ranges").json()));
        assertEquals(409, contradicting.status());
        assertEquals("range_conflict", contradicting.json().get("error").asText());
        JsonNode srv = t.get("/summary/srv").json();
        assertEquals(20, srv.get("total").asInt());
        assertEquals(1, srv.get("allocated").asInt());
        assertEquals(2, t.get("/summary").json().size());
        assertEquals(400, t.get("/summary/none").status());
    }

    private static String names(JsonNode ranges) {
        List<String> names = new ArrayList<>();
        ranges.forEach(r -> names.add("\"" + r.get("name").asText() + "\""));
        return names.toString().replace(" ", "");
    }

    @Test
    void history_answersTheEntriesOfAProject() {
        int port = t.post("/get-or-allocate", request("shop", "web")).json().get("port").asInt();
        t.write("DELETE", "/ports/" + port, null);
        t.post("/get-or-allocate", request("blog", "web"));

        JsonNode shop = t.get("/history?project=shop").json();

        assertEquals(2, shop.size());
        assertEquals("allocated", shop.get(0).get("action").asText());
        assertEquals("released", shop.get(1).get("action").asText());
        assertEquals(port, shop.get(1).get("port").asInt());
        assertEquals(1, t.get("/history?limit=1").json().size());
        assertEquals("invalid_argument: since 'yesterday' is not an instant; write one such as 2026-01-17T12:00:00Z",
                t.get("/history?since=yesterday").error());
    }

    @Test
    void checkAndScan_sayWhoHoldsAPort_andTheServerItselfIsListed() {
        int web = t.post("/get-or-allocate", request("shop", "web")).json().get("port").asInt();

        JsonNode holders = t.post("/check", "{\"ports\": [" + web + ", " + t.server.port() + "]}").json();
        JsonNode plan = t.post("/check/plan", "{\"bindings\": [{\"project\": \"other\", \"service\": \"x\", "
                + "\"port\": " + web + "}, {\"project\": \"other\", \"service\": \"y\", \"port\": " + t.last + "}]}")
                .json();
        JsonNode scan = t.get("/scan").json();

        assertEquals("shop", holders.get(0).get("allocation").get("project").asText());
        assertTrue(holders.get(0).get("listener").isNull());
        assertEquals(ProcessHandle.current().pid(), holders.get(1).get("listener").get("pid").asLong());
        assertEquals("allocated_to_other", plan.get(0).get("verdict").asText());
        assertEquals("ok", plan.get(1).get("verdict").asText());
        boolean self = false;
        for (JsonNode s : scan) {
            self |= s.get("port").asInt() == t.server.port() && s.get("pid").asLong() == ProcessHandle.current().pid();
        }
        assertTrue(self, scan.toString());
        assertEquals("invalid_argument: \"ports\" must be a non-empty array of port numbers, got []",
                t.post("/check", "{\"ports\": []}").error());
    }

    @Test
    void audit_findsAZombie_andEachPartHasItsRoute() {
        int web = t.post("/get-or-allocate", request("shop", "web")).json().get("port").asInt();

        JsonNode audit = t.get("/audit").json();

        assertEquals(1, audit.get("summary").get("allocated").asInt());
        assertEquals(web, audit.get("zombies").get(0).get("port").asInt());
        assertEquals(audit.get("zombies"), t.get("/zombies").json());
        assertEquals("[]", t.get("/conflicts").json().toString());
        assertTrue(t.get("/orphans").json().isArray());
        assertEquals(1, t.get("/health-report").json().get("summary").get("not_running").asInt());
    }

    @Test
    void validateCompose_checksTheFilesPorts_andWantsYaml() {
        int web = t.post("/get-or-allocate", request("shop", "web")).json().get("port").asInt();
        String yaml = "name: other\nservices:\n  web:\n    ports:\n      - \"" + web + ":80\"\n  api:\n    ports:\n"
                + "      - \"" + t.last + ":3000\"\n";

        TestServer.Response checked = t.send(HttpRequest.newBuilder(t.uri("/validate/compose"))
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(yaml)));
        TestServer.Response asJson = t.send(HttpRequest.newBuilder(t.uri("/validate/compose"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(yaml)));
        TestServer.Response notYaml = t.send(HttpRequest.newBuilder(t.uri("/validate/compose"))
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString("a: [")));

        assertEquals(200, checked.status(), checked.body());
        JsonNode verdicts = checked.json();
        assertEquals(2, verdicts.size());
        assertEquals("web allocated_to_other, api ok", verdicts.get(0).get("service").asText() + " "
                + verdicts.get(0).get("verdict").asText() + ", " + verdicts.get(1).get("service").asText() + " "
                + verdicts.get(1).get("verdict").asText());
        assertEquals(415, asJson.status());
        assertEquals("unsupported_media_type: this route reads a docker-compose file: send it with Content-Type: "
                + "application/yaml (got application/json)", asJson.error());
        assertEquals(400, notYaml.status());
        assertTrue(notYaml.json().get("message").asText().startsWith("the compose file in the body is not YAML"),
                notYaml.body());
    }

    @Test
    void env_answersEachFormat() {
        int web = t.post("/get-or-allocate", request("shop", "web")).json().get("port").asInt();

        TestServer.Response shell = t.get("/env?project=shop&format=shell");

        assertEquals(t.pm.environment("shop").shell(), shell.body());
        assertEquals("text/plain;charset=utf-8", shell.headers().firstValue("Content-Type").orElse("")
                .replace(" ", ""));
        assertEquals(t.pm.environment("shop").dotenv(), t.get("/env?project=shop&format=dotenv").body());
        assertEquals(String.valueOf(web), t.get("/env?project=shop").json().get("SHOP_WEB_PORT").asText());
        assertEquals("invalid_argument: format 'xml' is not one of json, shell, dotenv",
                t.get("/env?format=xml").error());
    }

    @Test
    void statusHealthAndServiceStatus_answer() {
        t.post("/get-or-allocate", request("shop", "web"));

        JsonNode status = t.get("/status").json();

        assertEquals("{\"status\":\"ok\",\"store\":\"json:" + t.registry + "\"}", t.get("/health").json().toString());
        assertEquals(1, status.get("active").asInt());
        assertEquals(0, status.get("reserved").asInt());
        assertEquals("srv", status.get("ranges").get(0).get("range").asText());
        assertEquals("[]", t.get("/projects/shop/status").json().toString());
    }

    @Test
    void metrics_answerPrometheusTextWithTheRegistrysMeters() throws Exception {
        t.post("/get-or-allocate", request("shop", "web"));

        // Gauges read the registry at most once a second: the allocation shows within that second.
        TestServer.Response metrics = t.get("/metrics");
        for (int i = 0; i < 50 && !metrics.body().contains("portmanager_range_allocated{range=\"srv\"} 1.0"); i++) {
            Thread.sleep(100);
            metrics = t.get("/metrics");
        }

        assertEquals(200, metrics.status());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        List<String> lines = List.of(metrics.body().split("\n"));
        assertTrue(lines.contains("portmanager_range_capacity{range=\"srv\"} 20.0"), metrics.body());
        assertTrue(lines.contains("portmanager_range_allocated{range=\"srv\"} 1.0"), metrics.body());
        assertTrue(lines.contains("portmanager_allocations{status=\"active\"} 1.0"), metrics.body());
        assertTrue(lines.contains("portmanager_events_total{type=\"allocated\"} 1.0"), metrics.body());
        assertTrue(lines.contains("portmanager_allocation_seconds_count{exception=\"none\","
                + "operation=\"get_or_allocate\",outcome=\"success\"} 1"), metrics.body());
    }

    @Test
    void aCorruptedStore_answers503StoreCorrupted() throws Exception {
        t.post("/get-or-allocate", request("shop", "web"));
        Files.writeString(t.registry, "{ not a registry");

        TestServer.Response broken = t.get("/ports");

        assertEquals(503, broken.status());
        assertEquals("store_corrupted", broken.json().get("error").asText());
        assertFalse(broken.body().contains("at dev.portmanager"), broken.body());
    }

    @Test
    void unknownRoutes_answer404AsJson() {
        TestServer.Response none = t.get("/nothing-here");

        assertEquals(404, none.status());
        assertEquals("not_found: no route GET /nothing-here; /openapi.json lists every route", none.error());
        assertNotEquals(200, t.write("PATCH", "/ports/1", "{}").status());
    }
}
