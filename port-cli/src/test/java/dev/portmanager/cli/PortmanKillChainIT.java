package dev.portmanager.cli;

import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** portman kill run by the very listener it is asked to end, through a shell: the listener is its ancestor. */
class PortmanKillChainIT {
    /** Listens on argv[1], runs argv[2] under bash -c, prints its output and {@code exit N}, then stays a moment. */
    private static final String LISTENER = String.join("\n",
            "import socket, subprocess, sys, time",
            "s = socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(4)",
            "done = subprocess.run(['bash', '-c', sys.argv[2]], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)",
            "print(done.stdout.decode().rstrip('\\n')); print('exit %d' % done.returncode, flush=True)",
            "time.sleep(2)");

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void kill_runByTheListenerThroughBash_refusesTheListener_andItLivesOn() throws Exception {
        int port = FreeSpan.find(1);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String portman = java + " -XX:TieredStopAtLevel=1 -jar " + PortmanJar.jar() + " --store json:"
                + dir.resolve("ports.json") + " kill " + port + "; exit $?";
        Process listener;
        try {
            listener = new ProcessBuilder("python3", "-c", LISTENER, String.valueOf(port), portman)
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("python3 is not on the PATH: " + e.getMessage());
            return;
        }
        try {
            String out = new String(listener.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(listener.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, listener.exitValue(), "the listener ended by itself, not by a signal: " + out);
            assertTrue(out.endsWith("\nexit 1\n"), out);
            assertTrue(out.startsWith("portman kill: python"), out);
            assertTrue(out.contains(" (pid " + listener.pid() + ") started this JVM (pid "), out);
            assertTrue(out.contains(") through bash (pid "), out);
        } finally {
            listener.destroyForcibly();
        }
    }
}
