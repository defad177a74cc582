package dev.portmanager.store.json;

import dev.portmanager.AllocationRequest;
import dev.portmanager.PortManager;
import dev.portmanager.PortRange;
import dev.portmanager.RangeConflictException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JSON store defines several ranges in one write of its file, and none of them when one conflicts; a program that
 * declares ranges already stored writes nothing at its start.
 */
class DefineRangesTest {
    @TempDir
    Path dir;

    @Test
    void aNewRegistrysStandardRanges_costOneWrite() {
        try (JsonFileStore store = JsonFileStore.open(dir.resolve("ports.json"));
             PortManager pm = PortManager.builder().store(store).build()) {
            assertEquals(6, pm.ranges().size());
            assertEquals(1, store.commits(), "the six standard ranges in one write");
        }
    }

    @Test
    void aRestartDeclaringStoredRanges_takesNoExclusiveLock() throws Exception {
        Path registry = dir.resolve("ports.json");
        try (PortManager pm = PortManager.builder().store("json:" + registry).range("svc", 20420, 20429).build()) {
            assertEquals(20420, pm.getOrAllocate(AllocationRequest.builder("p", "s").range("svc").build()).port());
        }
        Path lock = dir.resolve("ports.json.lock");
        Files.write(lock, new byte[0]); // the stamp an exclusive lock writes: who took it last
        try (PortManager pm = PortManager.builder().store("json:" + registry).range("svc", 20420, 20429).build()) {
            assertEquals(20420, pm.getOrAllocate(AllocationRequest.builder("p", "s").range("svc").build()).port());
        }
        assertEquals(0, Files.size(lock), "no exclusive lock taken: the range is stored, the allocation live");
        try (PortManager pm = PortManager.builder().store("json:" + registry).range("svc", 20420, 20429)
                .range("more", 20430, 20439).build()) {
            assertEquals(List.of("more", "svc"), pm.ranges().stream().map(PortRange::name).sorted().toList());
        }
        assertTrue(Files.size(lock) > 0, "a range not stored yet is written, under the exclusive lock");
    }

    @Test
    void aConflictingRange_leavesTheFileAsItWas() {
        try (JsonFileStore store = JsonFileStore.open(dir.resolve("ports.json"))) {
            store.defineRange(PortRange.of("taken", 20400, 20409));
            int commits = store.commits();
            assertThrows(RangeConflictException.class, () -> store.defineRanges(List.of(
                    PortRange.of("fresh", 20410, 20419), PortRange.of("taken", 20400, 20405))));
            assertEquals(List.of("taken"), store.ranges().stream().map(PortRange::name).toList(),
                    "nothing of the refused change is stored");
            assertEquals(commits, store.commits());
        }
    }
}
