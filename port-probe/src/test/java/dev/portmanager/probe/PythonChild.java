package dev.portmanager.probe;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Python process holding sockets ({@code listen.py}), for tests that need a process other than this JVM. Its
 * command line is known exactly, so tests can compare it with what the probe reports. Closing it kills it.
 */
public final class PythonChild implements AutoCloseable {
    private static String python;
    private static Path script;

    private final Process process;
    private final List<String> command;
    private final String readyLine;

    private PythonChild(Process process, List<String> command, String readyLine) {
        this.process = process;
        this.command = command;
        this.readyLine = readyLine;
    }

    /** The Python interpreter found as {@code python3} on the PATH; aborts the test (skipped) when there is none. */
    static synchronized String python() {
        if (python == null) {
            String found = "";
            try {
                Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)")
                        .redirectErrorStream(true).start();
                found = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    found = "";
                }
            } catch (IOException | InterruptedException e) {
                found = "";
            }
            python = found;
        }
        Assumptions.assumeFalse(python.isEmpty(), "python3 is not on the PATH; tests with a child process need it");
        return python;
    }

    /**
     * {@code listen.py} in the test resources; copied once to a temporary file when it is inside a jar (this class in
     * port-probe's test-jar, run by another module's tests), since Python cannot read a script from a jar.
     */
    static synchronized Path script() {
        if (script == null) {
            URL url = PythonChild.class.getResource("/listen.py");
            try {
                if ("file".equals(url.getProtocol())) {
                    script = Path.of(url.toURI());
                } else {
                    Path copy = Files.createTempFile("listen", ".py");
                    copy.toFile().deleteOnExit();
                    try (InputStream in = url.openStream()) {
                        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                    }
                    script = copy;
                }
            } catch (URISyntaxException | IOException e) {
                throw new IllegalStateException("cannot read listen.py from " + url, e);
            }
        }
        return script;
    }

    /** Starts {@code python3 -u listen.py args...} and waits until it holds its sockets. */
    public static PythonChild listen(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(python(), "-u", script().toString()));
        command.addAll(List.of(args));
        return start(command);
    }

    /** Starts a command that prints {@code ready} once set up, and waits for that line (at most 30 s). */
    public static PythonChild start(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        ReadyWait wait = new ReadyWait(out);
        Thread reader = new Thread(wait, "ready-wait");
        reader.setDaemon(true);
        reader.start();
        try {
            reader.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (wait.line == null || !wait.line.startsWith("ready")) {
            process.destroyForcibly();
            throw new IllegalStateException("child " + command + " did not get ready: " + wait.line);
        }
        return new PythonChild(process, List.copyOf(command), wait.line);
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** The command line as {@code /proc/<pid>/cmdline} holds it: the arguments joined with spaces. */
    public String commandLine() {
        return String.join(" ", command);
    }

    /** The name the kernel gives the process: the executable's file name, cut to 15 characters. */
    public String name() {
        String file = Path.of(command.get(0)).getFileName().toString();
        return file.length() > 15 ? file.substring(0, 15) : file;
    }

    /** What the child printed when ready, such as {@code ready} or {@code ready 4242}. */
    public String readyLine() {
        return readyLine;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a file can be run by every user (for children started as another user). */
    static boolean worldExecutable(Path file) {
        try {
            return Files.isExecutable(file) && Files.getPosixFilePermissions(file).contains(
                    java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static final class ReadyWait implements Runnable {
        private final BufferedReader out;
        volatile String line;

        ReadyWait(BufferedReader out) {
            this.out = out;
        }

        @Override
        public void run() {
            try {
                line = out.readLine();
            } catch (IOException e) {
                line = "read failed: " + e;
            }
        }
    }
}
