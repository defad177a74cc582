package dev.portmanager.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What {@code ss -H -tulnp} lists, for comparing with the probe.
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

    /**
     * The sockets by {@code PROTO address:port}, each with the pids ss names as its users (all of them: a socket a
     * forking server shares has several; none when ss cannot see the owner).
     */
    static Map<String, Set<Long>> read() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ss(), "-H", "-tulnp").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("ss failed: " + out);
        }
        Map<String, Set<Long>> rows = new TreeMap<>();
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
            Set<Long> pids = rows.computeIfAbsent(f[0].toUpperCase() + " " + host + ":" + local.substring(colon + 1),
                    k -> new TreeSet<>());
            int at = line.indexOf("pid=");
            while (at >= 0) {
                int end = at + 4;
                while (end < line.length() && Character.isDigit(line.charAt(end))) {
                    end++;
                }
                pids.add(Long.parseLong(line.substring(at + 4, end)));
                at = line.indexOf("pid=", end);
            }
        }
        return rows;
    }
}
