package dev.portmanager.probe.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What an application would otherwise do to learn who listens where: spawn {@code ss} or {@code lsof} and parse what
 * it prints. Parsed into {@code PROTO address:port pid} strings, which costs about what any caller's parsing would.
 */
final class Baselines {
    private Baselines() {
    }

    /** Runs a command and returns its standard output. */
    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** {@code ss -tulnp} (or other ss flags) spawned and parsed. */
    static List<String> ss(String flags) throws IOException, InterruptedException {
        List<String> sockets = new ArrayList<>();
        String[] lines = run("ss", "-H", flags).split("\n");
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5) {
                continue;
            }
            int at = line.indexOf("pid=");
            String pid = at < 0 ? "?" : line.substring(at + 4, line.indexOf(',', at));
            sockets.add(f[0] + " " + f[4] + " " + pid);
        }
        return sockets;
    }

    /** {@code lsof -i -P -n} spawned and parsed, keeping listening TCP and all UDP sockets. */
    static List<String> lsof() throws IOException, InterruptedException {
        List<String> sockets = new ArrayList<>();
        String[] lines = run("lsof", "-i", "-P", "-n").split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            if (f.length < 9) {
                continue;
            }
            boolean listening = lines[i].endsWith("(LISTEN)");
            if (listening || f[7].equals("UDP")) {
                sockets.add(f[7] + " " + f[8] + " " + f[1]);
            }
        }
        return sockets;
    }
}
