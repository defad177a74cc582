package dev.portmanager.store.json;

import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationRequest;
import dev.portmanager.PortManager;
import dev.portmanager.StoreUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the file store does when the file system gets in the way, and how it avoids parsing an unchanged file. */
class JsonStoreSafetyTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private JsonFileStore store(Path file, JsonStoreConfig config) {
        JsonFileStore s = JsonFileStore.open(file, config);
        open.add(s);
        return s;
    }

    private PortManager manager(JsonFileStore s) {
        PortManager pm = PortManager.builder().store(s).probe((p, q) -> true).range("r", 20000, 20099).build();
        open.add(pm);
        return pm;
    }

    @Test
    void open_onAFolder_failsNamingThePath() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("ports.json"));
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> JsonFileStore.open(folder));
        assertEquals(folder + " is not a regular file (a folder); point the store at a file such as "
                + folder.resolve("ports.json"), e.getMessage());
    }

    @Test
    void write_intoAFolderThatCannotBeWritten_failsNamingThePath_andLeavesNothingBehind() throws Exception {
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Path file = locked.resolve("ports.json");
        boolean root = "root".equals(System.getProperty("user.name"));
        Process lock = root ? new ProcessBuilder("chattr", "+i", locked.toString()).start() : null;
        if (root) {
            Assumptions.assumeTrue(lock.waitFor() == 0, "chattr +i is not available here, and root ignores chmod");
        } else {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        try {
            JsonFileStore s = store(file, JsonStoreConfig.defaults());
            StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> manager(s));
            assertTrue(e.getMessage().startsWith("cannot write " + file + ": its folder does not let this process "
                    + "create ports.json.lock ("), e.getMessage());
            assertTrue(e.getMessage().endsWith(" on " + file + ".lock); make " + locked + " writable, or use another "
                    + "path"), e.getMessage());
            assertEquals(List.of(), s.list(AllocationQuery.all()), "reads still work, without the lock");
            try (Stream<Path> left = Files.list(locked)) {
                assertEquals(List.of(), left.collect(Collectors.toList()));
            }
        } finally {
            if (root) {
                new ProcessBuilder("chattr", "-i", locked.toString()).start().waitFor();
            } else {
                Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    @Test
    @Timeout(60)
    void lock_heldByAnotherProcess_failsAfterTheTimeoutNamingTheHolder() throws Exception {
        Path file = dir.resolve("ports.json");
        Process holder = Jvm.start(LockHolder.class, file + ".lock");
        open.add(() -> holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS));
        BufferedReader out = Jvm.out(holder);
        assertEquals("locked", out.readLine());
        JsonFileStore s = store(file, JsonStoreConfig.builder().lockTimeout(Duration.ofMillis(300)).build());
        long start = System.nanoTime();
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> s.list(AllocationQuery.all()));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300));
        assertEquals("could not lock " + file + ".lock within the lock timeout: another process holds it (last taken "
                + "by pid " + holder.pid() + "@holder); if that process is stuck, stop it (the registry stays valid)",
                e.getMessage());
        holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertEquals(List.of(), s.list(AllocationQuery.all()), "the lock dies with its process");
    }

    @Test
    void unchangedFile_isNotParsedAgain_butAnyChangeIsSeen() throws Exception {
        Path file = dir.resolve("ports.json");
        JsonFileStore s = store(file, JsonStoreConfig.defaults());
        PortManager pm = manager(s);
        pm.allocate(AllocationRequest.builder("p", "a").range("r").build());
        for (int i = 0; i < 50; i++) {
            assertEquals(1, pm.list(AllocationQuery.all()).size());
        }
        assertEquals(0, s.parses(), "this JVM wrote the file: it knows what is in it");

        String edited = Files.readString(file).replace("\"worktree\": \"p\"", "\"worktree\": \"q\"");
        FileTime before = Files.getLastModifiedTime(file);
        Files.writeString(file, edited);
        Files.setLastModifiedTime(file, before);
        assertEquals("q", pm.list(AllocationQuery.all()).get(0).project(),
                "same size, same inode, same modification time: the content tells");
        assertEquals(1, s.parses());
        for (int i = 0; i < 50; i++) {
            pm.list(AllocationQuery.all());
        }
        assertEquals(1, s.parses());
    }

    @Test
    void aFileChangedByAnotherWriter_isReadAgainParsingOnlyTheEntriesThatChanged() throws Exception {
        Path file = dir.resolve("ports.json");
        JsonFileStore s = store(file, JsonStoreConfig.defaults());
        PortManager pm = manager(s);
        for (int i = 0; i < 50; i++) {
            pm.allocate(AllocationRequest.builder("p", "s" + i).range("r").build());
        }
        assertEquals(0, s.entriesParsed(), "written by this JVM: nothing to parse");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int first = lines.indexOf("  \"allocations\": [") + 1;
        lines.set(first, lines.get(first).replace("\"description\": \"\"", "\"description\": \"edited\""));
        lines.add(first, "    {\"port\": 20099, \"worktree\": \"other\", \"service\": \"r\", \"allocated_at\": "
                + "\"2026-01-01T00:00:00Z\"},");
        Files.write(file, lines);
        assertEquals(51, pm.list(AllocationQuery.all()).size());
        assertEquals(2, s.entriesParsed(), "the added entry and the edited one; the other 49 are reused");
        assertEquals("edited", pm.list(AllocationQuery.all()).get(0).description());
    }

    @Test
    void staleTemporaryFiles_ofAKilledWriter_areRemovedAtTheNextWrite() throws IOException {
        Path file = dir.resolve("ports.json");
        Path stale = Files.writeString(dir.resolve("ports.json.tmp-1234abcd"), "{\"half\": ");
        PortManager pm = manager(store(file, JsonStoreConfig.defaults()));
        pm.allocate(AllocationRequest.builder("p", "a").range("r").build());
        assertTrue(Files.notExists(stale));
    }

    @Test
    void config_refusesBadValues() {
        assertEquals("lock timeout PT-1S is negative; give zero or more", assertThrows(IllegalArgumentException.class,
                () -> JsonStoreConfig.builder().lockTimeout(Duration.ofSeconds(-1))).getMessage());
        assertThrows(IllegalStateException.class, () -> JsonStoreConfig.builder().lockTimeout(Duration.ZERO)
                .lockTimeout(Duration.ZERO));
    }

    @Test
    void uri_json_opensTheFile_withTildeForHome() {
        assertEquals(Path.of(System.getProperty("user.home"), ".portmanager", "ports.json"),
                JsonStoreProvider.path("json:~/.portmanager/ports.json"));
        assertEquals("store URI 'json:' names no file; write json:<path>, such as json:~/.portmanager/ports.json",
                assertThrows(IllegalArgumentException.class, () -> JsonStoreProvider.path("json:")).getMessage());
        Path file = dir.resolve("by-uri.json");
        try (PortManager pm = PortManager.builder().store("json:" + file).probe((p, q) -> true).build()) {
            assertEquals("json:" + file, pm.storeName());
            assertEquals(3000, pm.getOrAllocate("consilio", "api"));
        }
        try (PortManager again = PortManager.builder().store("json:" + file).build()) {
            assertEquals(3000, again.find("consilio", "api").orElseThrow().port());
        }
    }
}
