package dev.portmanager.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What {@code ss -H -tulnp} lists, as {@code TCP 127.0.0.1:8080 pids=[12345]} lines, for comparing with the probe.
 * ss writes a dual-stack IPv6 wildcard as {@code *} and an interface-bound address as {@code addr%iface}; both are
 * normalised to what {@code /proc} holds ({@code ::}, the address alone).
 */
final class SsListing {
    private SsListing() {
    }

    static String ss() {
        for (String candidate : List.of("/usr/bin/ss", "/usr/sbin/ss", "/bin/ss", "/sbin/ss")) {
            if (new java.io.File(candidate).canExecute()) {
                return candidate;
            }
        }
        return "";
    }

    /** One line per socket: {@code PROTO address:port pids}, sorted. */
    static Set<String> read() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ss(), "-H", "-tulnp").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("ss failed: " + out);
        }
        Set<String> rows = new TreeSet<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5) {
                continue;
            }
            String local = f[4];
            int colon = local.lastIndexOf(':');
            String host = local.substring(0, colon);
            int percent = host.indexOf('%');
            if (percent >= 0) {
                host = host.substring(0, percent);
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.equals("*")) {
                host = "::";
            }
            List<String> pids = new ArrayList<>();
            int at = line.indexOf("pid=");
            while (at >= 0) {
                int end = at + 4;
                while (end < line.length() && Character.isDigit(line.charAt(end))) {
                    end++;
                }
                pids.add(line.substring(at + 4, end));
                at = line.indexOf("pid=", end);
            }
            rows.add(f[0].toUpperCase() + " " + host + ":" + local.substring(colon + 1) + " pids=" + pids);
        }
        return rows;
    }
}
