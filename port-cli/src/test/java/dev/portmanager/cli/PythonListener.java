package dev.portmanager.cli;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A real foreign process holding a port: python3 listening on a TCP address until destroyed (2 minutes at most). */
final class PythonListener {
    private PythonListener() {
    }

    /** Starts python3 listening on {@code address:port}, once it listens; skips the test where python3 is missing. */
    static Process start(String address, int port) throws IOException {
        boolean python3;
        try {
            python3 = new ProcessBuilder("python3", "--version").start().waitFor() == 0;
        } catch (IOException notInstalled) {
            python3 = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Assumptions.assumeTrue(python3, "no python3 here");
        Process python = new ProcessBuilder("python3", "-u", "-c", "import socket,time\ns=socket.socket()\n"
                + "s.bind(('" + address + "'," + port + "))\ns.listen()\nprint('ready')\ntime.sleep(120)\n").start();
        String ready = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        assertEquals("ready", ready);
        return python;
    }
}
