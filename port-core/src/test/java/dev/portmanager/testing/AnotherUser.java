package dev.portmanager.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Shell commands run as another real user ({@code nobody}, uid 65534) through {@code setpriv}; needs root. */
public final class AnotherUser {
    private AnotherUser() {
    }

    /** Skips the calling test unless this JVM runs as root on Linux with setpriv installed. */
    public static void assumeAvailable() throws IOException {
        Path status = Path.of("/proc/self/status");
        boolean root = Files.isReadable(status) && Files.readAllLines(status).stream()
                .anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
        Assumptions.assumeTrue(root, "acting as another user needs root; this JVM runs as "
                + System.getProperty("user.name"));
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "setpriv (util-linux) is not installed");
    }

    /** Runs {@code sh -c script} as uid and gid 65534 with no other groups. @throws AssertionError if it fails */
    public static void sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "/bin/sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("as uid 65534: " + script + " failed: " + out);
        }
    }
}
