package dev.portmanager.testing;

import dev.portmanager.ProcessOwner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real child JVM that sleeps until it is killed: a lease owner tests can kill. Portable: it runs this JVM's own
 * {@code java} with {@link Sleeper}.
 */
public final class ChildProcess implements AutoCloseable {
    private final Process process;
    private final ProcessOwner owner;

    private ChildProcess(Process process) {
        this.process = process;
        this.owner = ProcessOwner.of(process.toHandle());
    }

    /** Starts a child that sleeps for a minute at most. */
    public static ChildProcess start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Sleeper.class.getName()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return new ChildProcess(p);
    }

    /** The child as a lease owner. */
    public ProcessOwner owner() {
        return owner;
    }

    /** Kills the child with SIGKILL and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("child " + process.pid() + " did not die");
        }
    }

    @Override
    public void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The child's main: sleep. */
    public static final class Sleeper {
        private Sleeper() {
        }

        /** Sleeps for a minute. */
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(60_000);
        }
    }
}
