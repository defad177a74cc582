package dev.portmanager.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the platform commands that expose the socket table where no {@code /proc} does ({@code lsof} on macOS,
 * {@code netstat} and {@code tasklist} on Windows) and returns what they print. A command that is missing, hangs past
 * the time limit or fails says so in a {@link ProbeUnavailableException} naming the command and the fix. Tests
 * override {@link #run} to replay recorded output. Thread-safe.
 */
class Commands {
    private final long timeoutMillis;

    /** Commands that may run for 10 seconds. */
    Commands() {
        this(10_000);
    }

    /** Commands that may run for {@code timeoutMillis}. */
    Commands(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Runs a command and returns its standard output; standard error is discarded (lsof warns there about file
     * systems it cannot stat).
     *
     * @param okExits the exit codes that mean success ({@code lsof} exits 1 when nothing matched)
     * @param hint    what to do when the command cannot be run, such as {@code install lsof}
     * @throws ProbeUnavailableException if the command cannot be started, outlives the time limit or exits otherwise
     */
    String run(List<String> command, Charset charset, List<Integer> okExits, String hint) {
        String name = command.get(0);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice())).start();
        } catch (IOException e) {
            throw new ProbeUnavailableException("cannot run " + name + " to read the socket table (" + e.getMessage()
                    + "); " + hint, e);
        }
        Watchdog watchdog = new Watchdog(process, timeoutMillis);
        Thread thread = new Thread(watchdog, "port-probe " + name + " watchdog");
        thread.setDaemon(true);
        thread.start();
        try (InputStream out = process.getInputStream()) {
            byte[] bytes = out.readAllBytes();
            int exit = process.waitFor();
            if (watchdog.fired) {
                throw new ProbeUnavailableException(name + " did not finish within " + timeoutMillis
                        + " ms and was killed; " + hint);
            }
            if (!okExits.contains(exit)) {
                throw new ProbeUnavailableException(String.join(" ", command) + " exited with code " + exit + "; "
                        + hint);
            }
            return new String(bytes, charset);
        } catch (IOException e) {
            throw new ProbeUnavailableException("cannot read the output of " + name + " (" + e.getMessage() + "); "
                    + hint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new ProbeUnavailableException("interrupted while waiting for " + name, e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /** Kills a command that outlives the time limit, which ends the read of its output. */
    private static final class Watchdog implements Runnable {
        private final Process process;
        private final long timeoutMillis;
        volatile boolean fired;

        Watchdog(Process process, long timeoutMillis) {
            this.process = process;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void run() {
            try {
                if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                    fired = true;
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                fired = true;
                process.destroyForcibly();
            }
        }
    }
}
