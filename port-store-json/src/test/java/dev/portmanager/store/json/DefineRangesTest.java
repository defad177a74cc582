package dev.portmanager.store.json;

import dev.portmanager.PortManager;
import dev.portmanager.PortRange;
import dev.portmanager.RangeConflictException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The JSON store defines several ranges in one write of its file, and none of them when one conflicts. */
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
