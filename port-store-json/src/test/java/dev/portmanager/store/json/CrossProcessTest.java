package dev.portmanager.store.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several real JVMs on one file: distinct ports, a valid file, nothing lost when a writer is killed. */
class CrossProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The ports a writer reported as allocated, read until it exits or is killed. */
    private static List<Integer> reported(BufferedReader out) throws IOException {
        List<Integer> ports = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("ok ")) {
                ports.add(Integer.parseInt(line.substring(3)));
            }
        }
        return ports;
    }

    @Test
    @Timeout(600)
    void fourJvms_allocatingIntoOneFileAtOnce_getThousandDistinctPorts() throws Exception {
        Path file = dir.resolve("ports.json");
        List<Process> writers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            writers.add(Jvm.start(AllocateMain.class, file.toString(), "jvm" + i, "250"));
        }
        ExecutorService readers = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Integer>>> outputs = new ArrayList<>();
            for (Process p : writers) {
                outputs.add(readers.submit(() -> reported(Jvm.out(p))));
            }
            Set<Integer> all = new HashSet<>();
            int count = 0;
            for (int i = 0; i < 4; i++) {
                List<Integer> ports = outputs.get(i).get(600, TimeUnit.SECONDS);
                assertEquals(0, writers.get(i).waitFor(), "writer " + i + " exit status");
                assertEquals(250, ports.size());
                all.addAll(ports);
                count += ports.size();
            }
            assertEquals(1000, count);
            assertEquals(1000, all.size(), "no port handed out twice");
        } finally {
            readers.shutdownNow();
            writers.forEach(Process::destroyForcibly);
        }
        JsonNode root = JSON.readTree(file.toFile());
        assertEquals(1000, root.get("allocations").size());
        assertEquals(1000, root.get("metadata").get("total_allocations").asInt());
        try (JsonFileStore s = JsonFileStore.open(file)) {
            List<Allocation> stored = s.list(AllocationQuery.all());
            assertEquals(1000, stored.stream().map(Allocation::port).distinct().count());
        }
        assertEquals(1000, Files.readAllLines(dir.resolve("ports.history.jsonl")).size());
    }

    private static Set<Integer> allocatedInHistory(Path file) {
        try (JsonFileStore s = JsonFileStore.open(file)) {
            return s.history(HistoryQuery.builder().action(HistoryAction.ALLOCATED).limit(Integer.MAX_VALUE).build())
                    .stream().map(HistoryEntry::port).collect(Collectors.toSet());
        }
    }

    @Test
    @Timeout(600)
    void twoJvms_throughTwoLinksToOneFile_shareOneRegistry_andTheLinksSurvive() throws Exception {
        Path shared = Files.writeString(Files.createDirectories(dir.resolve("shared")).resolve("ports.json"), "{}");
        List<Path> links = new ArrayList<>();
        List<Process> writers = new ArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Integer>>> outputs = new ArrayList<>();
            for (String worktree : List.of("wt-a", "wt-b")) {
                Path folder = Files.createDirectories(dir.resolve(worktree + "/design/worktrees"));
                Path link = Files.createSymbolicLink(folder.resolve("ports.json"), shared);
                links.add(link);
                Process p = Jvm.start(AllocateMain.class, link.toString(), worktree, "150");
                writers.add(p);
                outputs.add(readers.submit(() -> reported(Jvm.out(p))));
            }
            Set<Integer> all = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                List<Integer> ports = outputs.get(i).get(600, TimeUnit.SECONDS);
                assertEquals(0, writers.get(i).waitFor(), "writer " + i + " exit status");
                assertEquals(150, ports.size());
                all.addAll(ports);
            }
            assertEquals(300, all.size(), "no port handed out twice");
        } finally {
            readers.shutdownNow();
            writers.forEach(Process::destroyForcibly);
        }
        for (Path link : links) {
            assertTrue(Files.isSymbolicLink(link), link + " is still a link");
            try (Stream<Path> beside = Files.list(link.getParent())) {
                assertEquals(List.of(link), beside.collect(Collectors.toList()), "nothing was made beside the link");
            }
        }
        assertEquals(300, JSON.readTree(shared.toFile()).get("allocations").size());
        assertEquals(300, allocatedInHistory(shared).size());
        assertTrue(Files.isRegularFile(dir.resolve("shared/ports.json.lock"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    @Timeout(600)
    void writerKilledTwentyTimesAtRandomMoments_neverTearsTheFile_norLosesAReportedAllocation() throws Exception {
        Path file = dir.resolve("ports.json");
        Set<Integer> reported = new HashSet<>();
        for (int round = 0; round < 20; round++) {
            Process writer = Jvm.start(AllocateMain.class, file.toString(), "round" + round, "100000");
            BufferedReader out = Jvm.out(writer);
            assertEquals("ready", out.readLine());
            ExecutorService reader = Executors.newSingleThreadExecutor();
            try {
                Future<List<Integer>> ports = reader.submit(() -> reported(out));
                Thread.sleep(ThreadLocalRandom.current().nextInt(20, 400));
                new ProcessBuilder("kill", "-9", String.valueOf(writer.pid())).start().waitFor();
                assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
                reported.addAll(ports.get(30, TimeUnit.SECONDS));
            } finally {
                reader.shutdownNow();
            }
            JsonNode root = JSON.readTree(file.toFile());
            Set<Integer> onDisk = new HashSet<>();
            root.get("allocations").forEach(a -> onDisk.add(a.get("port").asInt()));
            Set<Integer> lost = reported.stream().filter(p -> !onDisk.contains(p)).collect(Collectors.toSet());
            assertEquals(Set.of(), lost, "round " + round + ": allocations reported done but not on disk");
            assertEquals(onDisk, allocatedInHistory(file), "round " + round + ": each allocation on disk has its "
                    + "history line and each history line its allocation");
        }
        assertTrue(reported.size() > 20, "the writers got work done between kills: " + reported.size());
        try (JsonFileStore s = JsonFileStore.open(file)) {
            assertTrue(s.list(AllocationQuery.all()).size() >= reported.size());
        }
    }
}
