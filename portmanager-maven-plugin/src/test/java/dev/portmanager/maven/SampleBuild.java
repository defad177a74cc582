package dev.portmanager.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real {@code mvn} build of a sample project of {@code src/test/samples}, run as a user runs it, in a copy of the
 * sample in a test's folder. The build finds this plugin and its module dependencies in {@code target/it-repo} (put
 * there by the invoker plugin's {@code install} goal, never in {@code ~/.m2}, which other builds share) as its local
 * repository, and everything else in {@code ~/.m2}, read as a file repository. Its output goes to {@code build.log}
 * beside the copy.
 */
final class SampleBuild implements AutoCloseable {
    private static final Pattern TOKEN = Pattern.compile("@(it\\.[a-z.]+)@");
    private static final Duration EXIT_TIMEOUT = Duration.ofMinutes(4);

    private final Process process;
    private final Path log;

    private SampleBuild(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Copies the sample into {@code folder}, its {@code @it.*@} tokens replaced by the system properties of that name
     * (the plugin's and the other plugins' versions) and then each {@code edits} key by its value.
     */
    static Path copy(String sample, Path folder, Map<String, String> edits) throws IOException {
        Path from = Path.of(System.getProperty("it.samples"), sample);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = folder.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                    continue;
                }
                String text = Files.readString(f);
                Matcher m = TOKEN.matcher(text);
                text = m.replaceAll(r -> Matcher.quoteReplacement(
                        System.getProperty(r.group(1), "missing system property " + r.group(1))));
                for (Map.Entry<String, String> e : edits.entrySet()) {
                    text = text.replace(e.getKey(), e.getValue());
                }
                Files.writeString(to, text);
            }
        }
        return folder;
    }

    /** Starts {@code mvn -B <args>} in the project folder, on the claim registry {@code claims}. */
    static SampleBuild start(Path project, Path claims, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(),
                "-B", "--no-transfer-progress", "-Dstyle.color=never", "-s", settings().toString(),
                "-Dmaven.repo.local=" + System.getProperty("it.repository"),
                "-Dportmanager.claims=json:" + claims));
        cmd.addAll(Arrays.asList(args));
        cmd.add("verify");
        Path log = project.resolveSibling(project.getFileName() + "-build.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Short builds: compiling less pays more than compiling well.
        pb.environment().put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        pb.environment().remove("MAVEN_ARGS");
        Process p = pb.start();
        p.getOutputStream().close();
        return new SampleBuild(p, log);
    }

    /** The Maven JVM's pid: {@code mvn} execs java, so the process started is the JVM itself. */
    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the build to end; its exit code. @throws AssertionError if it runs on for minutes */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the build in " + log + " still runs after " + EXIT_TIMEOUT + ":\n" + output());
        }
        return process.exitValue();
    }

    /** Waits for the build to end and checks that it succeeded. @throws AssertionError with its output otherwise */
    void assertSucceeds() throws InterruptedException {
        int exit = awaitExit();
        if (exit != 0) {
            throw new AssertionError("the build exited " + exit + ":\n" + output());
        }
    }

    /** Everything the build printed so far. */
    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the build and whatever it started, if still running. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * The settings of every sample build: {@code ~/.m2/repository} as a file repository for releases (so the private
     * local repository copies what it needs from there instead of downloading it), Maven Central after it.
     */
    private static synchronized Path settings() throws IOException {
        Path file = Path.of(System.getProperty("it.repository")).resolveSibling("it-settings.xml");
        if (Files.exists(file)) {
            return file;
        }
        String m2 = Path.of(System.getProperty("user.home"), ".m2", "repository").toUri().toString();
        String repository = "<id>m2</id><url>" + m2 + "</url><releases><checksumPolicy>ignore</checksumPolicy>"
                + "</releases><snapshots><enabled>false</enabled></snapshots>";
        Files.writeString(file, "<settings><profiles><profile><id>m2</id>"
                + "<repositories><repository>" + repository + "</repository></repositories>"
                + "<pluginRepositories><pluginRepository>" + repository + "</pluginRepository></pluginRepositories>"
                + "</profile></profiles><activeProfiles><activeProfile>m2</activeProfile></activeProfiles>"
                + "</settings>\n");
        return file;
    }
}
