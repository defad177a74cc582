package dev.portmanager.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distribution a user installs without the source tree: port-cli/target/portman-VERSION.tar.gz and .zip, unpacked
 * in a folder of their own, run through bin/portman (a POSIX sh script) on a registry of the test's own.
 */
class PortmanDistributionIT {
    @TempDir
    Path dir;

    private static final String VERSION = System.getProperty("portman.version");
    /**
     * The user's cache of the installed script's runs ($XDG_CACHE_HOME): a folder of the tests' own, never the real
     * ~/.cache. Not a JUnit temporary folder, since the script's archive build runs on in the background after a test.
     */
    private static final Path CACHE = cacheFolder();

    private static Path cacheFolder() {
        try {
            return Files.createTempDirectory("portman-it-cache");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void removeCache() throws IOException {
        try (Stream<Path> all = Files.walk(CACHE)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Path archive(String extension) {
        return Path.of(System.getProperty("portman.distribution") + extension);
    }

    /** Runs a command, stdin closed, and returns its exit code, stdout and stderr. */
    private static PortmanJar.Result run(Path workingDir, Map<String, String> env, List<String> command)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile());
        pb.environment().remove("PORTMANAGER_STORE");
        pb.environment().put("XDG_CACHE_HOME", CACHE.toString());
        pb.environment().putAll(env);
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        return new PortmanJar.Result(p.exitValue(), out, err.get());
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean onPath(String program) {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(folder, program))) {
                return true;
            }
        }
        return false;
    }

    /** bin/portman --version and a get on a registry of the test's own, as an installed portman. */
    private void runsFrom(Path unpacked) throws Exception {
        Path bin = unpacked.resolve("portman-" + VERSION).resolve("bin").resolve("portman");
        assertTrue(Files.isExecutable(bin), bin + " is executable");
        assertTrue(Files.isRegularFile(unpacked.resolve("portman-" + VERSION).resolve("lib").resolve("portman.jar")));
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");

        PortmanJar.Result version = run(dir, Map.of("JAVA_HOME", System.getProperty("java.home")),
                List.of(bin.toString(), "--version"));
        assertEquals(new PortmanJar.Result(0, "portman " + VERSION + "\n", ""), version);

        Path registry = Files.createDirectories(dir.resolve("registry-" + unpacked.getFileName()));
        int api = PortmanJar.ownRanges(registry, 10, "api").get("api");
        // From a link in another folder, with no JAVA_HOME: the script finds its jar through the link, java on PATH.
        Path link = Files.createDirectories(dir.resolve("links-" + unpacked.getFileName())).resolve("portman");
        Files.createSymbolicLink(link, bin);
        String path = javaBin.getParent() + File.pathSeparator + "/usr/bin:/bin";
        List<String> get = new ArrayList<>(List.of(link.toString(), "--store", "json:" + registry.resolve("ports.json"),
                "get", "consilio", "api"));
        PortmanJar.Result got = run(dir, Map.of("PATH", path), withoutJavaHome(get));
        assertEquals(new PortmanJar.Result(0, api + "\n", ""), got);
    }

    /** The command run through env -u JAVA_HOME, so the script looks for java on the PATH. */
    private static List<String> withoutJavaHome(List<String> command) {
        List<String> all = new ArrayList<>(List.of("env", "-u", "JAVA_HOME"));
        all.addAll(command);
        return all;
    }

    /** The archive unpacked by {@code tool} in a folder of its own; the test is skipped without the tool. */
    private Path unpack(String folder, String tool, String... arguments) throws Exception {
        Assumptions.assumeTrue(onPath(tool), "no " + tool + " here");
        Path unpacked = Files.createDirectories(dir.resolve(folder));
        List<String> command = new ArrayList<>(List.of(tool));
        command.addAll(List.of(arguments));
        PortmanJar.Result r = run(unpacked, Map.of(), command);
        assertEquals(0, r.exit(), r.toString());
        return unpacked;
    }

    @Test
    void tarGz_unpacked_runsVersionAndGet() throws Exception {
        runsFrom(unpack("tgz", "tar", "xzf", archive(".tar.gz").toString()));
    }

    @Test
    void zip_unpacked_runsVersionAndGet() throws Exception {
        runsFrom(unpack("zip", "unzip", "-q", archive(".zip").toString()));
    }

    /**
     * The installed script makes its class-data-sharing archive in the background on first use, owner-only, and runs
     * with it from then on (portman's classes come from the archive, not the jar); an archive replaced by a link is
     * never handed to the JVM.
     */
    @Test
    void script_makesItsArchiveOnFirstUse_usesIt_andNeverThroughALink() throws Exception {
        Path bin = unpack("tgz", "tar", "xzf", archive(".tar.gz").toString()).resolve("portman-" + VERSION)
                .resolve("bin").resolve("portman");
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"), "XDG_CACHE_HOME",
                cache.toString());
        assertEquals(0, run(dir, env, List.of(bin.toString(), "--version")).exit());
        Path folder = cache.resolve("portman");
        Path made = null;
        for (int i = 0; i < 180 && made == null; i++) {
            try (Stream<Path> files = Files.list(folder)) {
                made = files.filter(f -> f.getFileName().toString().matches("portman-\\d+\\.jsa")).findFirst()
                        .orElse(null);
            }
            Thread.sleep(made == null ? 1000 : 0);
        }
        assertTrue(made != null, "an archive in " + folder + " within 3 minutes");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));

        Path registry = Files.createDirectories(dir.resolve("registry-cds"));
        PortmanJar.ownRanges(registry, 10, "api");
        Path log = dir.resolve("classes.log");
        Map<String, String> logged = new java.util.HashMap<>(env);
        logged.put("PORTMAN_JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
        List<String> get = List.of(bin.toString(), "--store", "json:" + registry.resolve("ports.json"), "get", "a",
                "api");
        assertEquals(0, run(dir, logged, get).exit());
        assertTrue(Files.readString(log).contains("dev.portmanager.cli.Portman source: shared objects file"),
                "portman's classes come from the archive");

        Path elsewhere = Files.copy(made, dir.resolve("elsewhere.jsa"));
        Files.delete(made);
        Files.createSymbolicLink(made, elsewhere);
        assertEquals(0, run(dir, logged, get).exit());
        assertTrue(Files.readString(log).contains("dev.portmanager.cli.Portman source: file:"),
                "an archive that is a link is not used: " + Files.readString(log).lines()
                        .filter(l -> l.contains("cli.Portman ")).findFirst().orElse("(no line)"));
        assertTrue(Files.isSymbolicLink(made), "the link is left as it is, not written through");
    }

    @Test
    void script_withABadJavaHome_saysWhatToDo() throws Exception {
        Path bin = unpack("tgz", "tar", "xzf", archive(".tar.gz").toString()).resolve("portman-" + VERSION)
                .resolve("bin").resolve("portman");
        Path nowhere = dir.resolve("no-java");
        assertEquals(new PortmanJar.Result(1, "", "portman: JAVA_HOME is " + nowhere + ", but " + nowhere
                + "/bin/java is not there; point JAVA_HOME at a Java 17+ installation, or unset it to use the java on "
                + "the PATH\n"), run(dir, Map.of("JAVA_HOME", nowhere.toString()),
                List.of(bin.toString(), "--version")));
    }
}
