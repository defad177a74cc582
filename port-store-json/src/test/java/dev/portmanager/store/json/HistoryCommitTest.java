package dev.portmanager.store.json;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.AllocationRequest;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.PortManager;
import dev.portmanager.StoreUnavailableException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A change and its history are one step: both durable, or the call fails and the registry is unchanged. Proven on a
 * real full file system (a 64 KiB tmpfs), a real history that cannot be written (an immutable file), and the bytes a
 * killed writer leaves behind.
 */
class HistoryCommitTest extends FileStoreFixture {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    /** A manager on {@code dir/ports.json} that allocated service {@code a} of project {@code p}. */
    private PortManager managerWithA() {
        PortManager pm = manager(dir.resolve("ports.json"));
        pm.allocate(AllocationRequest.builder("p", "a").range("r").build());
        return pm;
    }

    /** Appends a copy of the history, which holds service a's allocation, naming another service; returns the copy. */
    private String appendHistoryLikeA(String service) throws IOException {
        Path history = dir.resolve("ports.history.jsonl");
        String lines = Files.readString(history);
        Files.writeString(history, lines.replace("\"service\":\"a\"", "\"service\":\"" + service + "\""),
                StandardOpenOption.APPEND);
        return lines;
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    /** What another JVM opening the file now sees: its allocated services and its history's services, in order. */
    private static List<String> services(Path file) {
        try (JsonFileStore s = JsonFileStore.open(file)) {
            return s.list(AllocationQuery.all()).stream().map(Allocation::service).sorted()
                    .collect(Collectors.toList());
        }
    }

    private static List<String> historyServices(Path file) {
        try (JsonFileStore s = JsonFileStore.open(file)) {
            return s.history(HistoryQuery.all()).stream().filter(h -> h.action() == HistoryAction.ALLOCATED)
                    .map(HistoryEntry::service).sorted().collect(Collectors.toList());
        }
    }

    /** Fills the file system but for {@code pages} pages of 4 KiB; returns the filler to delete. */
    private static Path fill(Path disk, int pages) throws IOException {
        Path filler = disk.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] block = new byte[4096];
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            // The file system is full.
        }
        try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.WRITE)) {
            ch.truncate(Math.max(0, ch.size() / 4096 * 4096 - pages * 4096L));
        }
        return filler;
    }

    @Test
    @Timeout(300)
    void allocate_onAFullFileSystem_eitherCommitsWithItsHistory_orFailsLeavingBothUnchanged() throws Exception {
        Assumptions.assumeTrue(ROOT, "mounting a tmpfs needs root");
        Path disk = Files.createDirectory(dir.resolve("disk"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", disk.toString()) == 0,
                "mount -t tmpfs is not permitted here");
        closeLater(() -> run("umount", "-l", disk.toString()));
        Path file = disk.resolve("ports.json");
        Path history = disk.resolve("ports.history.jsonl");
        PortManager pm = manager(file);
        int committed = 0;
        int refused = 0;
        for (int round = 0; round < 12; round++) {
            for (int pages = 0; pages <= 3; pages++) {
                String service = "s" + round + "-" + pages;
                byte[] registryBefore = Files.readAllBytes(file);
                List<String> historyBefore = historyServices(file);
                Path filler = fill(disk, pages);
                boolean ok;
                try {
                    pm.allocate(AllocationRequest.builder("p", service).range("r").build());
                    ok = true;
                } catch (StoreUnavailableException e) {
                    ok = false;
                    assertTrue(e.getMessage().matches("could not (write \\Q" + file + "\\E: No space left on device|"
                            + "append to \\Q" + history + "\\E \\(No space left on device\\)); the registry on "
                            + "disk was not changed"), e.getMessage());
                } finally {
                    Files.delete(filler);
                }
                String at = "round " + round + ", " + pages + " pages free, " + service;
                if (ok) {
                    committed++;
                    assertTrue(services(file).contains(service), at + ": acknowledged, so on disk");
                    assertTrue(historyServices(file).contains(service), at + ": acknowledged, so in the history");
                } else {
                    refused++;
                    assertArrayEquals(registryBefore, Files.readAllBytes(file), at + ": failed, so unchanged");
                    assertEquals(historyBefore, historyServices(file), at + ": failed, so no history");
                    assertTrue(pm.find("p", service).isEmpty(), at);
                }
            }
            // Grow the files a little, so each round meets the page boundaries at other places.
            pm.allocate(AllocationRequest.builder("p", "grow" + round).range("r").description("x".repeat(round * 97))
                    .build());
        }
        assertTrue(committed > 0 && refused > 0, "the sweep met both outcomes: " + committed + " committed, "
                + refused + " refused");
        assertEquals(services(file).stream().filter(s -> !s.startsWith("grow")).collect(Collectors.toList()),
                historyServices(file).stream().filter(s -> !s.startsWith("grow")).collect(Collectors.toList()),
                "every allocation on disk has its history line, and no history line lacks its allocation");
    }

    @Test
    void allocate_whenTheHistoryCannotBeWritten_fails_andTheRegistryIsUnchanged() throws Exception {
        PortManager pm = managerWithA();
        Path file = dir.resolve("ports.json");
        Path history = dir.resolve("ports.history.jsonl");
        Assumptions.assumeTrue(ROOT && run("chattr", "+i", history.toString()) == 0,
                "chattr +i (an immutable file, which even root cannot write) is not available here");
        closeLater(() -> run("chattr", "-i", history.toString()));
        byte[] before = Files.readAllBytes(file);

        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> pm.allocate(AllocationRequest.builder("p", "b").range("r").build()));

        assertEquals("could not append to " + history + " (Operation not permitted on " + history
                + "); the registry on disk was not changed", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertTrue(pm.find("p", "b").isEmpty());
        assertEquals(List.of("a"), services(file));
    }

    @Test
    void historyOfAChangeThatDidNotCommit_isNotRead_andIsCutOffByTheNextChange() throws Exception {
        PortManager pm = managerWithA();
        Path file = dir.resolve("ports.json");
        // What a writer killed between syncing its history and renaming its registry leaves behind.
        String committed = appendHistoryLikeA("never");

        assertEquals(List.of("a"), historyServices(file), "the registry does not commit those bytes");
        pm.allocate(AllocationRequest.builder("p", "b").range("r").build());

        assertEquals(List.of("a", "b"), historyServices(file));
        String after = Files.readString(dir.resolve("ports.history.jsonl"));
        assertTrue(after.startsWith(committed) && !after.contains("never"), after);
    }

    @Test
    void historyAppendedByAToolThatDoesNotRecordItsLength_stillCounts() throws Exception {
        PortManager pm = managerWithA();
        Path file = dir.resolve("ports.json");
        // An older Port Manager rewrites the registry (a new last_updated, the history length carried through
        // unchanged), then appends its history line.
        Files.writeString(file, Files.readString(file).replaceFirst("\"last_updated\": \"[^\"]+\"",
                "\"last_updated\": \"2030-01-01T00:00:00Z\""));
        appendHistoryLikeA("older");

        assertEquals(List.of("a", "older"), historyServices(file));
        pm.allocate(AllocationRequest.builder("p", "b").range("r").build());
        assertEquals(List.of("a", "b", "older"), historyServices(file));
    }
}
