package dev.portmanager.store.jdbc;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Allocation ids: version 7 UUIDs, so new rows sit together in the primary key. */
class AllocationIdTest {

    @Test
    void timeOrderedId_isAVersion7UuidStartingWithTheTime() {
        long before = System.currentTimeMillis();
        UUID id = UUID.fromString(JdbcAllocator.timeOrderedId());
        long after = System.currentTimeMillis();
        assertEquals(7, id.version());
        assertEquals(2, id.variant());
        long millis = id.getMostSignificantBits() >>> 16;
        assertTrue(millis >= before && millis <= after, millis + " not in " + before + ".." + after);
    }
}
