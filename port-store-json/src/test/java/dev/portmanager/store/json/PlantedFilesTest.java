package dev.portmanager.store.json;

import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationRequest;
import dev.portmanager.HistoryQuery;
import dev.portmanager.PortManager;
import dev.portmanager.StoreUnavailableException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files someone else prepared: a cloned repository's symbolic links and folders beside the registry, a registry shared
 * through links, and the permissions of what the store creates. Everything here is real: links, folders, a FIFO.
 */
class PlantedFilesTest extends FileStoreFixture {
    private static final String BASHRC = "export PATH=$HOME/bin:$PATH\nalias ll='ls -l'\n";

    /** A registry folder as a clone ships it: a valid ports.json and nothing else. */
    private Path clonedRegistry() throws IOException {
        Path made = dir.resolve("made/ports.json");
        try (PortManager pm = PortManager.builder().store(JsonFileStore.open(made)).probe((p, q) -> true)
                .range("r", 20000, 20999).build()) {
            pm.allocate(AllocationRequest.builder("p", "a").range("r").build());
        }
        Path worktrees = Files.createDirectories(dir.resolve("clone/design/worktrees"));
        return Files.copy(made, worktrees.resolve("ports.json"));
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @ParameterizedTest
    @CsvSource({"ports.json.lock, lock file", "ports.history.jsonl, history", "ports.json.bak, backup"})
    void sidecar_whenALinkToAnotherFile_isRefusedNamingIt_andTheTargetIsUntouched(String name, String role)
            throws Exception {
        Path file = clonedRegistry();
        byte[] registry = Files.readAllBytes(file);
        Path bashrc = Files.writeString(Files.createDirectories(dir.resolve("home")).resolve(".bashrc"), BASHRC);
        Path link = Files.createSymbolicLink(file.resolveSibling(name), bashrc);
        String expected = link + " is a symbolic link to " + bashrc + ", where the registry's " + role + " belongs; "
                + "Port Manager never writes through a link there, since it could point at any of your files: remove "
                + "the link (rm " + link + ") and try again";

        JsonFileStore s = store(file);
        StoreUnavailableException get = assertThrows(StoreUnavailableException.class, () -> PortManager.builder()
                .store(s).probe((p, q) -> true).range("r", 20000, 20999).build().getOrAllocate("p", "b"));
        assertEquals(expected, get.getMessage());
        assertEquals(expected, assertThrows(StoreUnavailableException.class, () -> s.list(AllocationQuery.all()))
                .getMessage());
        assertEquals(expected, assertThrows(StoreUnavailableException.class, () -> s.history(HistoryQuery.all()))
                .getMessage());

        assertEquals(BASHRC, Files.readString(bashrc));
        assertTrue(Files.isSymbolicLink(link));
        assertArrayEquals(registry, Files.readAllBytes(file));
    }

    @Test
    void lockFile_whenAFolder_isRefusedAsAFolder_notAsAnUnwritableFolder() throws Exception {
        Path file = clonedRegistry();
        Path lock = Files.createDirectory(file.resolveSibling("ports.json.lock"));
        String expected = lock + " is a folder, where the registry's lock file belongs; move it away and try again";
        JsonFileStore s = store(file);
        assertEquals(expected, assertThrows(StoreUnavailableException.class, () -> s.list(AllocationQuery.all()))
                .getMessage());
        assertEquals(expected, assertThrows(StoreUnavailableException.class, () -> PortManager.builder().store(s)
                .probe((p, q) -> true).range("r", 20000, 20999).build()).getMessage());
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void history_whenAFifo_isRefused_insteadOfBlockingTheAllocation() throws Exception {
        Path file = clonedRegistry();
        Path history = file.resolveSibling("ports.history.jsonl");
        Process mkfifo = new ProcessBuilder("mkfifo", history.toString()).start();
        Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available here");
        byte[] registry = Files.readAllBytes(file);
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> manager(file)
                .getOrAllocate("p", "b"));
        assertEquals(history + " is a special file, where the registry's history belongs; move it away and try again",
                e.getMessage());
        assertArrayEquals(registry, Files.readAllBytes(file));
    }

    @Test
    void open_whenTheRegistryIsALinkToNothing_failsNamingTheLinkAndItsTarget() throws IOException {
        Path target = dir.resolve("elsewhere/ports.json");
        Path link = Files.createSymbolicLink(dir.resolve("ports.json"), target);
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> JsonFileStore.open(link));
        assertEquals(link + " is a symbolic link to " + target + ", which does not exist; Port Manager does not "
                + "create a registry through a link: create it there (echo '{}' > " + target + ") or remove the link, "
                + "and open the store again", e.getMessage());
        assertTrue(Files.notExists(target.getParent()));
    }

    @Test
    @Timeout(120)
    void registry_reachedThroughTwoLinks_staysOneRegistry_andTheLinksSurvive() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared")).resolve("ports.json");
        Files.writeString(shared, "{}");
        Path a = Files.createSymbolicLink(Files.createDirectories(dir.resolve("wt-a/design/worktrees"))
                .resolve("ports.json"), shared);
        Path b = Files.createSymbolicLink(Files.createDirectories(dir.resolve("wt-b/design/worktrees"))
                .resolve("ports.json"), shared);
        PortManager pa = manager(a);
        PortManager pb = manager(b);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> ports = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                PortManager pm = i % 2 == 0 ? pa : pb;
                String service = "s" + i;
                ports.add(pool.submit(() -> pm.allocate(AllocationRequest.builder("p", service).range("r").build())
                        .port()));
            }
            Set<Integer> distinct = new HashSet<>();
            for (Future<Integer> f : ports) {
                distinct.add(f.get(60, TimeUnit.SECONDS));
            }
            assertEquals(100, distinct.size(), "no port handed out twice");
        } finally {
            pool.shutdownNow();
        }
        assertTrue(Files.isSymbolicLink(a) && Files.isSymbolicLink(b), "both links are still links");
        assertEquals(100, pa.list(AllocationQuery.all()).size());
        assertEquals(100, store(shared).list(AllocationQuery.all()).size());
        assertEquals(shared, store(a).realPath());
        assertEquals(List.of("ports.history.jsonl", "ports.json", "ports.json.bak", "ports.json.lock"),
                names(shared.getParent()));
        assertEquals(List.of("ports.json"), names(a.getParent()), "nothing beside the link");
        assertEquals(List.of("ports.json"), names(b.getParent()));
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void newRegistry_isCreatedOwnerOnly_foldersAndEveryFile() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX modes");
        Path file = dir.resolve("a/b/ports.json");
        PortManager pm = manager(file);
        pm.allocate(AllocationRequest.builder("p", "a").range("r").metadata(Map.of("PGPASSWORD", "s3cret")).build());
        pm.allocate(AllocationRequest.builder("p", "b").range("r").build());
        assertEquals("rwx------", mode(dir.resolve("a")));
        assertEquals("rwx------", mode(dir.resolve("a/b")));
        for (String name : List.of("ports.json", "ports.json.bak", "ports.json.lock", "ports.history.jsonl")) {
            assertEquals("rw-------", mode(file.resolveSibling(name)), name);
        }
    }

    @Test
    void rewrite_keepsTheModeOfTheExistingFile() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX modes");
        Path file = dir.resolve("ports.json");
        PortManager pm = manager(file);
        pm.allocate(AllocationRequest.builder("p", "a").range("r").build());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Object before = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        pm.allocate(AllocationRequest.builder("p", "b").range("r").build());
        assertNotEquals(before, Files.readAttributes(file, BasicFileAttributes.class).fileKey(), "a new file");
        assertEquals("rw-r-----", mode(file));
    }

    @Test
    void defaultRegistry_inTheHomeFolder_isCreatedOwnerOnly() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX modes");
        Path home = Files.createDirectory(dir.resolve("home"));
        String uri = PortManager.defaultStoreUri(Map.of(), Files.createDirectory(dir.resolve("work")), home);
        assertEquals("json:" + home.resolve(".portmanager/ports.json"), uri);
        try (PortManager pm = PortManager.builder().store(uri).probe((p, q) -> true).build()) {
            pm.getOrAllocate("p", "api");
        }
        assertEquals("rwx------", mode(home.resolve(".portmanager")));
        assertEquals("rw-------", mode(home.resolve(".portmanager/ports.json")));
        assertEquals("rw-------", mode(home.resolve(".portmanager/ports.history.jsonl")));
    }
}
