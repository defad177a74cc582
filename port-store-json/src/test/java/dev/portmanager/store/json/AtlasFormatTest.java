package dev.portmanager.store.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AllocationStatus;
import dev.portmanager.HealthStatus;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryQuery;
import dev.portmanager.PortManager;
import dev.portmanager.PortRange;
import dev.portmanager.ProcessOwner;
import dev.portmanager.Protocol;
import dev.portmanager.StoreCorruptedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Atlas ports.json format of seed 004: what loads, what is written, what is kept. */
class AtlasFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private Path seed(String resource) throws IOException {
        Path file = dir.resolve("ports.json");
        try (InputStream in = getClass().getResourceAsStream("/atlas/" + resource)) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    private JsonFileStore store(Path file) {
        JsonFileStore s = JsonFileStore.open(file);
        open.add(s);
        return s;
    }

    private PortManager manager(Path file) {
        PortManager pm = PortManager.builder().store(store(file)).probe((p, q) -> true).build();
        open.add(pm);
        return pm;
    }

    @Test
    void seedInitialisedFile_loadsItsSixRanges() throws IOException {
        JsonFileStore s = store(seed("initialised.json"));
        assertEquals(List.of(PortRange.of("api", 3000, 3099, "API servers"),
                PortRange.of("cache", 6379, 6389, "Cache services"),
                PortRange.of("database", 5432, 5439, "Database services"),
                PortRange.of("debug", 5555, 5564, "Debuggers"),
                PortRange.of("testing", 9000, 9099, "Test servers"),
                PortRange.of("web", 8080, 8099, "HTTP web servers")), s.ranges());
        assertEquals(List.of(), s.list(AllocationQuery.all()));
    }

    @Test
    void seedExample_loadsWithTheSeedsMeaning() throws IOException {
        PortManager pm = manager(seed("two-allocations.json"));
        List<Allocation> all = pm.list(AllocationQuery.all());
        assertEquals(2, all.size());
        Allocation web = pm.find(8080).orElseThrow();
        assertEquals("review-GH-42", web.project());
        assertEquals("web", web.service());
        assertEquals("web", web.range().orElseThrow());
        assertEquals(Instant.parse("2025-12-31T10:00:00Z"), web.allocatedAt());
        assertEquals("user@hostname", web.allocatedBy());
        assertEquals("Frontend development server for PR #42", web.description());
        assertEquals(OptionalLong.empty(), web.processId());
        assertEquals(HealthStatus.UNKNOWN, web.healthStatus());
        assertEquals(Protocol.TCP, web.protocol());
        assertEquals("localhost", web.host());
        assertEquals("default", web.environment());
        assertEquals(AllocationStatus.ACTIVE, web.status());
        assertTrue(web.owner().isEmpty(), "process_id is informational, never a lease owner");
        Allocation db = pm.find(5432).orElseThrow();
        assertEquals(OptionalLong.of(12345), db.processId());
        assertEquals(HealthStatus.HEALTHY, db.healthStatus());
        assertEquals("database", db.range().orElseThrow());

        assertEquals(web, pm.getOrAllocate(AllocationRequest.of("review-GH-42", "web")),
                "the worktree's web service keeps its port");
        assertEquals(8081, pm.getOrAllocate("review-GH-43", "web"));
        assertEquals(web, pm.find(8080).orElseThrow(), "a rewrite keeps the hand-written entries as they were");
    }

    @Test
    void writtenFile_carriesEveryFieldTheSeedRequires() throws IOException {
        PortManager pm = manager(dir.resolve("ports.json"));
        pm.getOrAllocate("review-GH-42", "web");
        pm.reserve(AllocationRequest.of("review-GH-42", "database"), java.time.Duration.ofHours(1));
        JsonNode root = JSON.readTree(dir.resolve("ports.json").toFile());
        for (JsonNode range : root.get("ranges")) {
            assertTrue(range.get("start").isInt() && range.get("end").isInt() && range.get("description").isTextual());
        }
        assertEquals(2, root.get("allocations").size());
        for (JsonNode a : root.get("allocations")) {
            for (String field : List.of("port", "worktree", "service", "allocated_at", "allocated_by", "description",
                    "process_id", "health_status")) {
                assertTrue(a.has(field), "allocation lacks " + field + ": " + a);
            }
            assertEquals("review-GH-42", a.get("worktree").asText());
            assertEquals("unknown", a.get("health_status").asText());
            assertTrue(root.get("ranges").has(a.get("service").asText()), "service names a range, as in the seed");
        }
        JsonNode meta = root.get("metadata");
        assertEquals("1.0.0", meta.get("version").asText());
        assertEquals(2, meta.get("total_allocations").asInt());
        assertEquals(1, meta.get("schema_version").asInt());
        Instant.parse(meta.get("last_updated").asText());
    }

    @Test
    void writtenFile_putsEachRangeAndAllocationOnOneLine() throws IOException {
        PortManager pm = manager(dir.resolve("ports.json"));
        int port = pm.getOrAllocate("review-GH-42", "web");
        List<String> lines = Files.readAllLines(dir.resolve("ports.json"));
        List<String> withPort = lines.stream().filter(l -> l.contains("\"port\": " + port)).collect(Collectors.toList());
        assertEquals(1, withPort.size());
        assertTrue(withPort.get(0).startsWith("    {\"port\": " + port + ", \"worktree\": \"review-GH-42\", \"service\": "
                + "\"web\", \"allocated_at\": "), withPort.get(0));
        assertTrue(lines.contains("    \"web\": {\"start\": 8080, \"end\": 8099, \"description\": \"HTTP web servers and "
                + "frontend development servers\", \"auto_allocate\": true}"), String.join("\n", lines));
    }

    @Test
    void unknownFields_surviveEveryRewrite() throws IOException {
        Path file = seed("two-allocations.json");
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        root.put("x_team", "infra");
        ((ObjectNode) root.get("metadata")).put("x_owner", "ops");
        ((ObjectNode) root.get("ranges").get("web")).put("x_color", "blue");
        ((ObjectNode) root.get("allocations").get(0)).putObject("x_ticket").put("id", "GH-42");
        Files.writeString(file, root.toPrettyString());

        PortManager pm = manager(file);
        pm.getOrAllocate("review-GH-43", "web");
        pm.release("review-GH-43", "web");
        JsonNode after = JSON.readTree(file.toFile());
        assertEquals("infra", after.get("x_team").asText());
        assertEquals("ops", after.get("metadata").get("x_owner").asText());
        assertEquals("blue", after.get("ranges").get("web").get("x_color").asText());
        JsonNode web = null;
        for (JsonNode a : after.get("allocations")) {
            if (a.get("port").asInt() == 8080) {
                web = a;
            }
        }
        assertEquals("GH-42", web.get("x_ticket").get("id").asText());
    }

    @Test
    void newerSchemaVersion_isRefused_andTheFileIsNeverRewritten() throws IOException {
        Path file = seed("two-allocations.json");
        String text = Files.readString(file).replace("\"schema_version\": 1", "\"schema_version\": 2");
        Files.writeString(file, text);
        PortManager pm = PortManager.builder().store("memory:").build();
        open.add(pm);
        JsonFileStore s = store(file);
        StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> s.list(AllocationQuery.all()));
        assertEquals(file + " has schema_version 2, newer than this version of Port Manager understands (1); it was "
                + "left as it is: upgrade Port Manager, or point this program at another file", e.getMessage());
        assertThrows(StoreCorruptedException.class, () -> PortManager.builder().store(s).build());
        assertEquals(text, Files.readString(file));
    }

    @Test
    void truncatedFile_failsNamingLineAndColumn_staysUntouched_andTheBackupRestores() throws IOException {
        Path file = dir.resolve("ports.json");
        PortManager pm = manager(file);
        pm.getOrAllocate("p", "web");
        pm.getOrAllocate("p", "api");
        byte[] good = Files.readAllBytes(file);
        byte[] truncated = Arrays.copyOf(good, good.length / 2);
        Files.write(file, truncated);

        StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> pm.getOrAllocate("p", "cache"));
        assertTrue(e.getMessage().matches("\\Q" + file + "\\E is not a valid registry: line \\d+, column \\d+: .+\\. "
                + "The file was left as it is; fix it by hand, or restore the last good copy: cp \\Q" + file + ".bak "
                + file + "\\E"), e.getMessage());
        assertArrayEquals(truncated, Files.readAllBytes(file));

        Files.copy(file.resolveSibling("ports.json.bak"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(3000, manager(file).getOrAllocate("p", "api"), "the backup is the version before the last write");
    }

    @Test
    void garbageAndEmptyFiles_failClearly_andStayUntouched() throws IOException {
        Path file = dir.resolve("ports.json");
        Files.writeString(file, "this is not json\n");
        JsonFileStore s = store(file);
        StoreCorruptedException garbage = assertThrows(StoreCorruptedException.class, () -> s.ranges());
        assertTrue(garbage.getMessage().startsWith(file + " is not a valid registry: line 1, column 1: Unrecognized "
                + "token 'this'"), garbage.getMessage());
        assertEquals("this is not json\n", Files.readString(file));

        Files.writeString(file, "");
        StoreCorruptedException empty = assertThrows(StoreCorruptedException.class, () -> s.ranges());
        assertTrue(empty.getMessage().startsWith(file + " is not a valid registry: the file is empty."), empty.getMessage());
        assertEquals("", Files.readString(file));
    }

    @Test
    void entriesThatBreakTheModel_failNamingTheEntryAndField() throws IOException {
        Path file = dir.resolve("ports.json");
        Files.writeString(file, "{\"allocations\": [{\"port\": 8080, \"service\": \"web\", "
                + "\"allocated_at\": \"2025-12-31T10:00:00Z\"}]}");
        StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> store(file).ranges());
        assertTrue(e.getMessage().startsWith(file + " is not a valid registry: allocations[0] (port 8080) has no worktree."),
                e.getMessage());
        Files.writeString(file, "{\"allocations\": [{\"port\": 70000, \"worktree\": \"w\", \"service\": \"web\", "
                + "\"allocated_at\": \"2025-12-31T10:00:00Z\"}]}");
        StoreCorruptedException port = assertThrows(StoreCorruptedException.class, () -> store(file).ranges());
        assertTrue(port.getMessage().startsWith(file + " is not a valid registry: allocations[0] (port 70000): port "
                + "70000 is outside 1-65535"), port.getMessage());
        Files.writeString(file, "{\"allocations\": [{\"port\": 8080, \"worktree\": \"w\", \"service\": \"web\", "
                + "\"allocated_at\": \"yesterday\"}]}");
        StoreCorruptedException time = assertThrows(StoreCorruptedException.class, () -> store(file).ranges());
        assertTrue(time.getMessage().startsWith(file + " is not a valid registry: allocations[0] (port 8080) "
                + "allocated_at 'yesterday' is not an ISO 8601 time such as 2025-12-31T10:00:00Z."), time.getMessage());
    }

    /** A hand-written registry with these allocation entries, as Atlas writes them. */
    private Path handWritten(String... entries) throws IOException {
        Path file = dir.resolve("ports.json");
        Files.writeString(file, "{\"ranges\": {\"web\": {\"start\": 8080, \"end\": 8099}},\n\"allocations\": [\n"
                + String.join(",\n", entries) + "\n]}\n");
        return file;
    }

    private static String entry(int port, String worktree, String service, String more) {
        return "{\"port\": " + port + ", \"worktree\": \"" + worktree + "\", \"service\": \"" + service + "\", "
                + "\"allocated_at\": \"2025-12-31T10:00:00Z\"" + more + "}";
    }

    /** Every operation refuses the file with this message, and the file stays as it was. */
    private void assertRefused(Path file, String message) throws IOException {
        byte[] before = Files.readAllBytes(file);
        JsonFileStore s = store(file);
        assertEquals(message, assertThrows(StoreCorruptedException.class, () -> s.list(AllocationQuery.all()))
                .getMessage());
        assertEquals(message, assertThrows(StoreCorruptedException.class, () -> manager(file)).getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void handEditedFile_withTwoLiveAllocationsOnOnePort_isRefusedNamingBoth_andStaysUntouched() throws IOException {
        Path file = handWritten(entry(8080, "review-GH-42", "web", ""), entry(8081, "review-GH-42", "api", ""),
                entry(8080, "review-GH-43", "web", ""));
        assertRefused(file, file + " is not a valid registry: allocations[0] (worktree review-GH-42, service web, tcp) "
                + "and allocations[2] (worktree review-GH-43, service web, tcp) both hold port 8080 on localhost, and "
                + "neither has expired; a port belongs to one service: remove one of the two entries, or give it a "
                + "free port. The file was left as it is; fix it by hand");
    }

    @Test
    void handEditedFile_whereBothCollidesWithUdp_isRefused_butTcpBesideUdpOrAnotherHostIsNot() throws IOException {
        Path file = handWritten(entry(8080, "a", "web", ", \"protocol\": \"udp\""),
                entry(8080, "b", "web", ", \"protocol\": \"both\""));
        assertRefused(file, file + " is not a valid registry: allocations[0] (worktree a, service web, udp) and "
                + "allocations[1] (worktree b, service web, both) both hold port 8080 on localhost, and neither has "
                + "expired; a port belongs to one service: remove one of the two entries, or give it a free port. "
                + "The file was left as it is; fix it by hand");

        handWritten(entry(8080, "a", "web", ", \"protocol\": \"udp\""), entry(8080, "b", "web", ""),
                entry(8080, "c", "web", ", \"host\": \"build-2\", \"protocol\": \"both\""));
        assertEquals(3, store(file).list(AllocationQuery.all()).size());
    }

    @Test
    void handEditedFile_withOneServiceHoldingTwoPorts_isRefusedNamingBoth() throws IOException {
        Path file = handWritten(entry(8080, "review-GH-42", "web", ""), entry(8081, "review-GH-42", "web",
                ", \"description\": \"storybook\""));
        assertRefused(file, file + " is not a valid registry: allocations[0] (port 8080) and allocations[1] "
                + "(port 8081) are both service web of worktree review-GH-42 on localhost in environment default, "
                + "and neither has expired; a service holds one port: remove one of the two entries, or give one its "
                + "own service_name. The file was left as it is; fix it by hand");
    }

    @Test
    void handEditedFile_whoseDuplicateHasExpiredOrIsHeldByAProcess_isAccepted_andLeftToTheManager()
            throws IOException {
        Path file = handWritten(entry(8080, "a", "web", ""),
                entry(8080, "b", "web", ", \"status\": \"reserved\", \"expires_at\": \"2020-01-01T00:00:00Z\""),
                entry(8080, "c", "web", ", \"owner\": {\"pid\": 999999999, \"started_at\": "
                        + "\"2020-01-01T00:00:00Z\", \"machine\": \"" + ProcessOwner.current().machine() + "\"}"));
        JsonFileStore s = store(file);
        assertEquals(3, s.list(AllocationQuery.all()).size());
        PortManager pm = manager(file);
        assertEquals(List.of("a"), pm.list(AllocationQuery.all()).stream().map(Allocation::project)
                .collect(Collectors.toList()), "the expired lease and the dead owner's allocation are not live");
        assertEquals(8081, pm.getOrAllocate("b", "web"), "8080 is a's; b's expired reservation is reclaimed");
        assertEquals(List.of("a", "b"), pm.list(AllocationQuery.all()).stream().map(Allocation::project)
                .sorted().collect(Collectors.toList()));
    }

    @Test
    void fileHoldingTwoJsonDocuments_isRefused_notReadAsTheFirst() throws IOException {
        Path file = dir.resolve("ports.json");
        Files.writeString(file, "{\"ranges\": {}, \"allocations\": []}\n{\"allocations\": ["
                + entry(8080, "a", "web", "") + "]}\n");
        assertRefused(file, file + " is not a valid registry: line 2, column 1: another object follows the registry's "
                + "closing brace; a registry file holds one object: merge what follows into it, or remove it. The file "
                + "was left as it is; fix it by hand");
    }

    @Test
    void fileWhoseTopLevelIsNotAnObject_saysWhatItFound() throws IOException {
        Path file = dir.resolve("ports.json");
        Files.writeString(file, "[{\"port\": 8080}]");
        assertRefused(file, file + " is not a valid registry: the top level is an array, not an object with ranges, "
                + "allocations and metadata. The file was left as it is; fix it by hand");
        Files.writeString(file, "\"ports\"");
        assertRefused(file, file + " is not a valid registry: the top level is the string \"ports\", not an object "
                + "with ranges, allocations and metadata. The file was left as it is; fix it by hand");
        Files.writeString(file, "42");
        assertRefused(file, file + " is not a valid registry: the top level is the number 42, not an object with "
                + "ranges, allocations and metadata. The file was left as it is; fix it by hand");
    }

    @Test
    void brokenFile_offersTheBackupOnlyWhenThereIsOne() throws IOException {
        Path file = dir.resolve("ports.json");
        manager(file).getOrAllocate("p", "web");
        manager(file).getOrAllocate("p", "api");
        Files.writeString(file, "{\"ranges\": 5}");
        String broken = file + " is not a valid registry: 'ranges' is not an object of named ranges. The file was left "
                + "as it is; fix it by hand";
        assertRefused(file, broken + ", or restore the last good copy: cp " + file + ".bak " + file);
        Files.delete(dir.resolve("ports.json.bak"));
        assertRefused(file, broken);
    }

    @Test
    void history_isAppendedToTheJsonLinesFileBeside() throws IOException {
        Path file = dir.resolve("ports.json");
        PortManager pm = manager(file);
        pm.getOrAllocate("p", "web");
        pm.release("p", "web");
        Path history = dir.resolve("ports.history.jsonl");
        List<String> lines = Files.readAllLines(history, StandardCharsets.UTF_8);
        assertEquals(2, lines.size());
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals("allocated", first.get("action").asText());
        assertEquals(8080, first.get("port").asInt());
        assertEquals("p", first.get("project").asText());
        assertEquals("released", JSON.readTree(lines.get(1)).get("action").asText());
        assertEquals(List.of(HistoryAction.ALLOCATED, HistoryAction.RELEASED), pm.history(HistoryQuery.all()).stream()
                .map(h -> h.action()).collect(Collectors.toList()));
    }

    @Test
    void tornLastHistoryLine_isSkipped() throws IOException {
        Path file = dir.resolve("ports.json");
        PortManager pm = manager(file);
        pm.getOrAllocate("p", "web");
        Files.writeString(dir.resolve("ports.history.jsonl"), "{\"at\": \"2026-", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(1, pm.history(HistoryQuery.all()).size());
    }

    @Test
    void missingFile_readsEmpty_andIsCreatedWithItsFoldersAtTheFirstChange() throws IOException {
        Path file = dir.resolve("design/worktrees/ports.json");
        JsonFileStore s = store(file);
        assertEquals(List.of(), s.ranges());
        assertTrue(Files.notExists(file));
        PortManager pm = PortManager.builder().store(s).probe((p, q) -> true).build();
        open.add(pm);
        assertTrue(Files.isRegularFile(file), "the Atlas ranges were stored");
        assertEquals(6, JSON.readTree(file.toFile()).get("ranges").size());
    }
}
