package dev.portmanager.spring.boot;

import java.io.IOException;
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

    /** The command that runs {@code main} of the test classpath with {@code args}. */
    static List<String> java(Class<?> main, String... args) {
        return command(List.of(), main, args);
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
            return Files.readString(log);
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
