package dev.portmanager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The claim locks of one JVM: a port taken once, whatever the threads; owner-only files; no planted link followed;
 * records listed while their byte is held and dropped once it is not. (port-junit's {@code CrossJvmClaimTest} runs
 * whole JVMs on them, kill -9 included.) The ports here are only locked, never bound.
 */
class ClaimLocksTest {
    @TempDir
    Path tmp;

    private static Allocation claimOf(int port) {
        return Allocation.builder().id("jvm-1-" + port).port(port).project("claims").service("jvm-1-" + port)
                .range("web").allocatedAt(Instant.parse("2026-12-02T10:00:00Z")).allocatedBy("ana@box")
                .owner(ProcessOwner.current()).description("claimed by a test").build();
    }

    @Test
    void beside_isOnePerFileAndJvm_withOwnerOnlyFiles() throws IOException {
        ClaimLocks locks = ClaimLocks.beside(tmp.resolve("claims.json"));
        assertSame(locks, ClaimLocks.beside(tmp.resolve("./claims.json")));
        assertEquals("rw-------", mode(tmp.resolve("claims.json.locks")));
        assertEquals("rw-------", mode(tmp.resolve("claims.json.records")));
    }

    @Test
    void take_ofAPortThisJvmHolds_isRefused_untilGivenBack() {
        ClaimLocks locks = ClaimLocks.beside(tmp.resolve("claims.json"));
        assertTrue(locks.take(31002));
        assertFalse(locks.take(31002));
        locks.give(31002);
        assertTrue(locks.take(31002));
        locks.give(31002);
    }

    @Test
    void take_fromManyThreadsAtOnce_handsEachPortToOneThread() throws Exception {
        ClaimLocks locks = ClaimLocks.beside(tmp.resolve("claims.json"));
        Set<Integer> taken = ConcurrentHashMap.newKeySet();
        AtomicInteger twice = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int port = 32000; port < 32200; port++) {
                    if (locks.take(port) && !taken.add(port)) {
                        twice.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(0, twice.get());
        assertEquals(200, taken.size(), "every port taken by exactly one thread");
        taken.forEach(locks::give);
    }

    @Test
    void list_showsTheRecordsOfHeldPorts_only() throws IOException {
        ClaimLocks locks = ClaimLocks.beside(tmp.resolve("claims.json"));
        assertTrue(locks.take(31003));
        locks.record(claimOf(31003));
        assertTrue(locks.take(31004));
        locks.record(claimOf(31004));
        locks.give(31004);
        assertEquals(List.of(claimOf(31003)), locks.list("claims"));
        locks.give(31003);
        assertEquals(List.of(), locks.list("claims"));
    }

    @Test
    void list_ignoresTheRecordOfAPortNobodyHolds() throws IOException {
        ClaimLocks locks = ClaimLocks.beside(tmp.resolve("claims.json"));
        assertTrue(locks.take(31005));
        locks.record(claimOf(31005));
        assertTrue(locks.take(31006));
        // A record left by a JVM killed before it cleared its slot: written, but nobody holds the port.
        try (FileChannel records = FileChannel.open(
                tmp.resolve("claims.json.records"), StandardOpenOption.WRITE)) {
            byte[] stale = "id=jvm-9-1\nservice=jvm-9-1\nallocatedAt=2026-12-01T00:00:00Z\nallocatedBy=ana@box\n"
                    .getBytes(StandardCharsets.UTF_8);
            records.write(ByteBuffer.wrap(stale), 31007L * ClaimLocks.SLOT);
        }
        assertEquals(List.of(claimOf(31005)), locks.list("claims"), "31006 has no record yet, 31007 no holder");
        locks.give(31005);
        locks.give(31006);
    }

    @Test
    void record_tooLongForItsSlot_dropsTheDescription() {
        ClaimLocks locks = ClaimLocks.beside(tmp.resolve("claims.json"));
        assertTrue(locks.take(31008));
        Allocation wordy = claimOf(31008).toBuilder().description("x".repeat(600)).build();
        locks.record(wordy);
        assertEquals(List.of(wordy.toBuilder().description("").build()), locks.list("claims"));
        locks.give(31008);
    }

    @ParameterizedTest
    @ValueSource(strings = {"claims.json.locks", "claims.json.records"})
    void beside_aLinkPlantedAsAClaimFile_isRefused_andItsTargetUntouched(String planted) throws IOException {
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "precious\n");
        Path sub = Files.createDirectory(tmp.resolve("planted"));
        Files.createSymbolicLink(sub.resolve(planted), victim);
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> ClaimLocks.beside(sub.resolve("claims.json")));
        assertEquals("the claim file " + sub.resolve(planted) + " is a symbolic link to " + victim
                + "; claims are never made through a link. Remove it after checking who planted it (rm "
                + sub.resolve(planted) + ") and claim again", e.getMessage());
        assertEquals("precious\n", Files.readString(victim));
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
