package dev.portmanager.maven;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationQuery;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.PortManager;
import dev.portmanager.PortRange;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin in real Maven builds of the sample projects ({@code src/test/samples}): the properties reach a plugin's
 * configuration and a forked test, four builds at once and a {@code -T 4} build get distinct ports, a build killed
 * with {@code kill -9} gives its ports back, and bad configuration fails the build with a message in POM terms. Each
 * test has a claim registry of its own ({@code -Dportmanager.claims}) and, where it names one, a range on a span of
 * ports that are free right now.
 */
class ReserveGoalIT {
    /** The folder tests of this class share. */
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    /**
     * One build before the others, so that the private local repository holds every plugin the samples use before
     * builds run at once (Maven 3.8 does not lock a local repository across processes).
     */
    @BeforeAll
    static void fillTheLocalRepository() throws Exception {
        Files.createFile(shared.resolve("go"));
        Path project = SampleBuild.copy("single", shared.resolve("single"), Map.of());
        try (SampleBuild build = SampleBuild.start(project, shared.resolve("claims.json"),
                "-Dbarrier=" + shared.resolve("go"))) {
            build.assertSucceeds();
        }
    }

    @Test
    @Timeout(300)
    void reserve_setsPropertiesForPluginConfigurationAndForkedTests_andReleaseFreesThemBeforeTheBuildEnds()
            throws Exception {
        Path claims = dir.resolve("claims.json");
        Path project = SampleBuild.copy("forked", dir.resolve("forked"), Map.of());
        try (SampleBuild build = SampleBuild.start(project, claims, "-Dports.dir=" + dir,
                "-Dbarrier=" + dir.resolve("go"))) {
            awaitFiles(List.of(build), dir.resolve("released"));
            List<Integer> inMaven = ports(dir.resolve("build.txt"));
            String[] fork = Files.readString(dir.resolve("fork.txt")).split(" ");
            assertEquals(inMaven, List.of(Integer.parseInt(fork[0]), Integer.parseInt(fork[1])),
                    "the forked test got the ports antrun's configuration got");
            assertEquals(build.pid(), Long.parseLong(fork[2]), "the Maven JVM owned the claims during the test");
            assertTrue(Arrays.asList(fork[3].split(",")).contains(String.valueOf(build.pid())),
                    "the Maven JVM started the fork: " + fork[3]);

            assertTrue(build.isAlive());
            assertEquals(Map.of(), liveOwners(claims), "released while the build still runs");
            assertHistory(claims, inMaven, HistoryAction.ALLOCATED, HistoryAction.RELEASED);
            Files.createFile(dir.resolve("go"));
            build.assertSucceeds();
            assertTrue(build.output().contains("released http.port = " + inMaven.get(0) + ", db.port = "
                    + inMaven.get(1)), build.output());
        }
    }

    @Test
    @Timeout(400)
    void reserve_inFourBuildsAtOnceAndAParallelBuild_givesEveryModuleDistinctPorts() throws Exception {
        Path claims = dir.resolve("claims.json");
        // 16 ports are claimed; 4 to spare, in case another process binds one of them meanwhile.
        int first = defineRange(claims, "it", 20);
        Path reports = Files.createDirectory(dir.resolve("ports"));
        String[] common = {"-Dportmanager.range=it", "-Dports.dir=" + reports, "-Dbarrier=" + dir.resolve("go")};

        Map<String, SampleBuild> builds = new LinkedHashMap<>();
        try {
            for (int i = 1; i <= 4; i++) {
                Path project = SampleBuild.copy("single", dir.resolve("single-" + i), Map.of());
                builds.put("single-" + i,
                        SampleBuild.start(project, claims, concat(common, "-Dports.name=single-" + i)));
            }
            Path parallel = SampleBuild.copy("parallel", dir.resolve("parallel"), Map.of());
            builds.put("parallel", SampleBuild.start(parallel, claims, concat(common, "-T", "4")));
            List<String> reporters = List.of("single-1", "single-2", "single-3", "single-4", "a", "b", "c", "d");
            awaitFiles(builds.values(), reporters.stream().map(r -> reports.resolve(r + ".txt")).toArray(Path[]::new));

            Map<Integer, Long> expected = new TreeMap<>();
            for (String r : reporters) {
                long pid = builds.getOrDefault(r, builds.get("parallel")).pid();
                for (int port : ports(reports.resolve(r + ".txt"))) {
                    Long before = expected.put(port, pid);
                    assertEquals(null, before, "port " + port + " was handed out twice, again to " + r);
                }
            }
            assertTrue(expected.keySet().stream().allMatch(p -> p >= first && p < first + 20), "in the range: "
                    + expected.keySet());
            assertEquals(expected, new TreeMap<>(liveOwners(claims)), "each port claimed by the Maven JVM that got it");

            Files.createFile(dir.resolve("go"));
            for (SampleBuild b : builds.values()) {
                b.assertSucceeds();
            }
            assertTrue(builds.get("parallel").output().contains("Using the MultiThreadedBuilder implementation with a "
                    + "thread count of 4"), builds.get("parallel").output());
        } finally {
            builds.values().forEach(SampleBuild::close);
        }
    }

    @Test
    @Timeout(300)
    void reserve_whenTheBuildIsKilled_givesItsPortsToTheNextBuild() throws Exception {
        Path claims = dir.resolve("claims.json");
        defineRange(claims, "kill", 2);
        Path project = SampleBuild.copy("single", dir.resolve("single"), Map.of());
        List<Integer> held;
        try (SampleBuild build = SampleBuild.start(project, claims, "-Dportmanager.range=kill", "-Dports.dir=" + dir,
                "-Dports.name=killed", "-Dbarrier=" + dir.resolve("never"))) {
            awaitFiles(List.of(build), dir.resolve("killed.txt"));
            held = ports(dir.resolve("killed.txt"));
            assertEquals(Map.of(held.get(0), build.pid(), held.get(1), build.pid()), liveOwners(claims));

            Process kill = new ProcessBuilder("kill", "-9", String.valueOf(build.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            assertEquals(137, build.awaitExit(), "ended by SIGKILL");
        }
        assertEquals(Map.of(), liveOwners(claims), "the claims lapsed with the JVM");

        Files.createFile(dir.resolve("go"));
        try (SampleBuild next = SampleBuild.start(project, claims, "-Dportmanager.range=kill", "-Dports.dir=" + dir,
                "-Dports.name=next", "-Dbarrier=" + dir.resolve("go"))) {
            next.assertSucceeds();
        }
        assertEquals(new TreeSet<>(held), new TreeSet<>(ports(dir.resolve("next.txt"))));
        assertHistory(claims, held, HistoryAction.ALLOCATED, HistoryAction.EXPIRED, HistoryAction.ALLOCATED,
                HistoryAction.RELEASED);
    }

    @Test
    @Timeout(300)
    void reserve_withBadConfiguration_failsTheBuildSayingWhatToChangeInThePom() throws Exception {
        Path claims = dir.resolve("claims.json");
        int port = defineRange(claims, "one", 1);
        Map<String, SampleBuild> builds = new HashMap<>();
        try {
            Path twice = SampleBuild.copy("single", dir.resolve("twice"),
                    Map.of("<port>db.port</port>", "<port>http.port</port>"));
            builds.put("twice", SampleBuild.start(twice, claims));
            Path single = SampleBuild.copy("single", dir.resolve("single"), Map.of());
            builds.put("nope", SampleBuild.start(single, claims, "-Dportmanager.range=nope"));
            Path full = SampleBuild.copy("single", dir.resolve("full"), Map.of());
            builds.put("full", SampleBuild.start(full, claims, "-Dportmanager.range=one"));

            String goal = "[ERROR] Failed to execute goal dev.portmanager:portmanager-maven-plugin:"
                    + System.getProperty("it.plugin.version") + ":reserve (default) on project single: ";
            assertFails(builds.get("twice"), goal + "<ports> lists the property 'http.port' twice; list each "
                    + "property once: every property gets a port of its own");
            assertFails(builds.get("nope"), goal + "<range>nope</range> names no range of the claim registry json:"
                    + claims + "; it has api 3000-3099, cache 6379-6389, database 5432-5439, debug 5555-5564, one "
                    + port + "-" + port + ", testing 9000-9099, web 8080-8099. Name one of them, or leave <range> "
                    + "out to claim any free port");
            assertFails(builds.get("full"), goal + "<range>one</range> has no free port left for http.port, "
                    + "db.port in the claim registry json:" + claims + ": no free TCP port in range 'one' " + port
                    + "-" + port + " on localhost: 1 allocated, 0 busy, 0 excluded; widen the range or release one. "
                    + "Name a wider <range>, or leave <range> out to claim any free port; ports held by other builds "
                    + "are free again when they end");
        } finally {
            builds.values().forEach(SampleBuild::close);
        }
        assertEquals(Map.of(), liveOwners(claims), "a failed reserve claims nothing");
    }

    private static void assertFails(SampleBuild build, String line) throws InterruptedException {
        assertEquals(1, build.awaitExit(), build.output());
        assertTrue(build.output().contains(line + " -> [Help 1]"), "expected\n" + line + "\nin\n" + build.output());
    }

    /** Waits until every file exists; fails with a build's output if it ends first. */
    private static void awaitFiles(Iterable<SampleBuild> builds, Path... files) throws InterruptedException {
        long deadline = System.nanoTime() + 240_000_000_000L;
        while (!Arrays.stream(files).allMatch(Files::exists)) {
            for (SampleBuild b : builds) {
                if (!b.isAlive()) {
                    throw new AssertionError("a build ended before writing " + Arrays.toString(files) + ":\n"
                            + b.output());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + Arrays.toString(files) + " after 240 s");
            }
            Thread.sleep(200);
        }
    }

    /** The ports a sample wrote: {@code <http.port> <db.port>}. */
    private static List<Integer> ports(Path file) throws IOException {
        List<Integer> ports = new ArrayList<>();
        for (String s : Files.readString(file).strip().split(" ")) {
            ports.add(Integer.parseInt(s));
        }
        return ports;
    }

    private static PortManager registry(Path claims) {
        return PortManager.builder().store("json:" + claims).build();
    }

    /** Defines a range of {@code size} ports that are free right now in the registry; its first port. */
    private static int defineRange(Path claims, String name, int size) {
        int first = FreeSpan.find(size);
        try (PortManager registry = registry(claims)) {
            registry.defineRange(PortRange.of(name, first, first + size - 1));
        }
        return first;
    }

    /** Checks each port's history in the registry, oldest first. */
    private static void assertHistory(Path claims, List<Integer> ports, HistoryAction... actions) {
        try (PortManager registry = registry(claims)) {
            for (int port : ports) {
                assertEquals(List.of(actions), registry.history(HistoryQuery.port(port)).stream()
                        .map(HistoryEntry::action).toList(), "history of port " + port);
            }
        }
    }

    /** Every live claim of the registry: port and the pid of the process owning it. */
    private static Map<Integer, Long> liveOwners(Path claims) {
        try (PortManager registry = registry(claims)) {
            return registry.list(AllocationQuery.all()).stream()
                    .collect(Collectors.toMap(Allocation::port, a -> a.owner().orElseThrow().pid()));
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
