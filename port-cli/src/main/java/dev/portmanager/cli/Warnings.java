package dev.portmanager.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The library's warnings (slf4j-simple writes them to {@code System.err}) during a command: held while it runs,
 * printed when it ends well, dropped when it fails, since its one error line on stderr says what failed (a registry
 * in a read-only folder warns that writes will fail, then the write fails). Commands that run until interrupted, and
 * {@code --verbose}, print them as they come. Without {@code --verbose} a warning reads
 * {@code portman: warning: ...}. Thread-safe.
 */
final class Warnings {
    private final PrintStream terminal;
    private final boolean verbose;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean live;

    /**
     * Takes over {@code System.err} from now on.
     *
     * @param terminal where warnings go in the end: the real stderr
     * @param verbose  print everything as it comes, as logged
     */
    Warnings(PrintStream terminal, boolean verbose) {
        this.terminal = terminal;
        this.verbose = verbose;
        this.live = verbose;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                take(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
    }

    private synchronized void take(byte[] b, int off, int len) {
        pending.write(b, off, len);
        if (live) {
            printLines(false);
        }
    }

    /** Prints what was held and every later warning as it comes: for commands that run until interrupted. */
    synchronized void printFromNowOn() {
        live = true;
        printLines(false);
    }

    /** Ends the hold: prints the warnings when the command ended well, drops them when it failed. */
    synchronized void end(boolean failed) {
        if (!failed) {
            printLines(true);
        }
        pending.reset();
        live = true;
        System.setErr(terminal);
    }

    /** Prints the complete lines held (all of them when {@code all}), each warning in portman's words. */
    private void printLines(boolean all) {
        String text = pending.toString(StandardCharsets.UTF_8);
        int end = all ? text.length() : text.lastIndexOf('\n') + 1;
        if (end == 0) {
            return;
        }
        String lines = text.substring(0, end);
        byte[] out = (verbose ? lines : lines.replaceAll("(?m)^WARN ", "portman: warning: "))
                .getBytes(StandardCharsets.UTF_8);
        terminal.write(out, 0, out.length);
        terminal.flush();
        pending.reset();
        byte[] rest = text.substring(end).getBytes(StandardCharsets.UTF_8);
        pending.write(rest, 0, rest.length);
    }
}
