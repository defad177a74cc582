package dev.portmanager.probe;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs processes as another user ({@code nobody}, uid 65534) with {@code setpriv}, for the cases "a process of
 * another user" and "a socket this user cannot see". Needs root; tests that need it are skipped otherwise.
 */
final class OtherUser {
    static final String UID = "65534";

    private OtherUser() {
    }

    /** Skips the calling test unless this JVM runs as root on Linux with setpriv installed. */
    static void assumeAvailable() {
        Assumptions.assumeTrue(new File("/proc/self/status").canRead() && "root".equals(
                new LinuxProcesses("/proc", "/etc/passwd").currentUser()),
                "running a process as another user needs root; this JVM runs as " + System.getProperty("user.name"));
        Assumptions.assumeTrue(new File("/usr/bin/setpriv").canExecute(), "setpriv (util-linux) is not installed");
    }

    /** The name uid 65534 has here, usually {@code nobody}. */
    static String name() {
        return new Users("/etc/passwd").name(65534);
    }

    /** {@code setpriv} arguments that run the rest of a command line as uid 65534. */
    static List<String> prefix() {
        return List.of("/usr/bin/setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups");
    }

    /** A Python that user can run: the system one, since the PATH's may live under root's home. */
    static String python() {
        Path system = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(PythonChild.worldExecutable(system),
                "/usr/bin/python3 is needed to run a Python child as another user");
        return system.toString();
    }

    /** Starts {@code listen.py} as the other user and waits until it holds its sockets. */
    static PythonChild listen(String... args) throws IOException {
        Path script = Files.createTempFile("listen", ".py");
        Files.copy(PythonChild.script(), script, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        script.toFile().deleteOnExit();
        List<String> command = new ArrayList<>(prefix());
        command.addAll(List.of(python(), "-u", script.toString()));
        command.addAll(List.of(args));
        return PythonChild.start(command);
    }

    /**
     * Runs {@link AsUserMain} as the other user in a JVM of its own (with copies of the classes it needs, readable
     * by that user) and returns what it printed.
     */
    static String runJava(String... args) throws IOException, InterruptedException {
        Path classes = Files.createTempDirectory("as-user");
        try {
            Path dir = Files.createDirectories(classes.resolve("classes"));
            List<String> classPath = new ArrayList<>(List.of(dir.toString()));
            for (Class<?> type : List.of(SystemProbe.class, dev.portmanager.ListeningSocket.class)) {
                Path source = Path.of(codeSource(type));
                if (Files.isDirectory(source)) {
                    copy(source, dir);
                } else {
                    Path jar = classes.resolve(source.getFileName().toString());
                    Files.copy(source, jar);
                    classPath.add(jar.toString());
                }
            }
            Path main = Path.of(codeSource(AsUserMain.class)).resolve("dev/portmanager/probe/AsUserMain.class");
            Files.createDirectories(dir.resolve("dev/portmanager/probe"));
            Files.copy(main, dir.resolve("dev/portmanager/probe/AsUserMain.class"));
            openUp(classes);
            List<String> command = new ArrayList<>(prefix());
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:-UsePerfData", "-Xshare:auto", "-cp", String.join(File.pathSeparator, classPath),
                    AsUserMain.class.getName()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("AsUserMain " + List.of(args) + " failed: " + out);
            }
            return out;
        } finally {
            try (Stream<Path> walk = Files.walk(classes)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static String codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (f.toString().endsWith(".class")) {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void openUp(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(Files.isDirectory(f) ? "rwxr-xr-x"
                        : "rw-r--r--"));
            }
        }
    }
}
