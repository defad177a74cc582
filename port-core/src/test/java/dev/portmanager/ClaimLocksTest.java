package dev.portmanager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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
        assertEquals("rwx------", mode(tmp.resolve("claims.json.claims")));
        assertTrue(locks.take(31001));
        locks.record(claimOf(31001));
        assertEquals("rw-------", mode(tmp.resolve("claims.json.claims/31001")));
        locks.give(31001);
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
    void list_showsHeldRecords_andDropsThoseNobodyHolds() throws IOException {
        ClaimLocks locks = ClaimLocks.beside(tmp.resolve("claims.json"));
        assertTrue(locks.take(31003));
        locks.record(claimOf(31003));
        Path stale = Files.writeString(tmp.resolve("claims.json.claims/31004"), "id=jvm-9-1\nservice=jvm-9-1\n"
                + "allocatedAt=2026-12-01T00:00:00Z\nallocatedBy=ana@box\npid=9\nstartedAt=2026-12-01T00:00:00Z\n"
                + "machine=box\n");
        List<Allocation> held = locks.list("claims");
        assertEquals(List.of(claimOf(31003)), held);
        assertFalse(Files.exists(stale), "a record whose JVM is gone is deleted");
        locks.give(31003);
        assertEquals(List.of(), locks.list("claims"));
        assertFalse(Files.exists(tmp.resolve("claims.json.claims/31003")), "a claim given back leaves no record");
    }

    @Test
    void beside_aLinkPlantedAsTheLockFile_isRefused_andItsTargetUntouched() throws IOException {
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "precious\n");
        Path sub = Files.createDirectory(tmp.resolve("planted"));
        Files.createSymbolicLink(sub.resolve("claims.json.locks"), victim);
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> ClaimLocks.beside(sub.resolve("claims.json")));
        assertEquals("the claim file " + sub.resolve("claims.json.locks") + " is a symbolic link to " + victim
                + "; claims are never made through a link. Remove it after checking who planted it (rm "
                + sub.resolve("claims.json.locks") + ") and claim again", e.getMessage());
        assertEquals("precious\n", Files.readString(victim));
    }

    @Test
    void beside_aLinkPlantedAsTheRecordFolder_isRefused() throws IOException {
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Path sub = Files.createDirectory(tmp.resolve("planted"));
        Files.createSymbolicLink(sub.resolve("claims.json.claims"), elsewhere);
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> ClaimLocks.beside(sub.resolve("claims.json")));
        assertTrue(e.getMessage().startsWith("the claim file " + sub.resolve("claims.json.claims")
                + " is a symbolic link to " + elsewhere), e.getMessage());
        try (var files = Files.list(elsewhere)) {
            assertEquals(0, files.count(), "nothing written through the link");
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
