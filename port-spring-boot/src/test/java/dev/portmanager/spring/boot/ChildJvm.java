package dev.portmanager.spring.boot;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A main class of the test classpath run as a process of its own; closing it kills it and waits. */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java -cp <test classpath> main args}, its output going to {@code log}. */
    static ChildJvm start(Path log, Class<?> main, String... args) throws IOException {
        return start(log, List.of(), main, args);
    }

    /** Starts {@code java options -cp <test classpath> main args}, its output going to {@code log}. */
    static ChildJvm start(Path log, List<String> options, Class<?> main, String... args) throws IOException {
        Process p = new ProcessBuilder(command(options, main, args)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new ChildJvm(p, log);
    }

    private static List<String> command(List<String> options, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** Starts a main that prints {@code ready} once set up, and waits for its first line. */
    static ChildJvm startAndWait(Class<?> main, String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(List.of(), main, args)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"ready".equals(line)) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new IllegalStateException(main.getName() + " did not get ready: " + line);
        }
        return new ChildJvm(p, null);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** What the child printed so far, for failure messages. */
    String output() {
        try {
            return log == null ? "" : Files.readString(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
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
}
