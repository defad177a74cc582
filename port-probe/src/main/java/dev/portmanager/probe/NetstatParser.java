package dev.portmanager.probe;

import dev.portmanager.Protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses Windows {@code netstat -ano}: rows {@code Proto Local Foreign [State] PID}, such as
 * {@code TCP [::]:135 [::]:0 LISTENING 1000} and {@code UDP 0.0.0.0:5353 *:* 2260}. The state column is translated
 * on non-English Windows, so a TCP row counts as listening by its foreign address ({@code 0.0.0.0:0} or
 * {@code [::]:0}), which every language prints the same, unless its state is {@code BOUND}; a UDP row is bound when
 * its foreign address is {@code *:*}. Stateless and thread-safe.
 */
final class NetstatParser {
    private NetstatParser() {
    }

    /** Adds the sockets on ports {@code first..last} for the protocol ({@code BOTH}: either) to {@code out}. */
    static void parse(String output, int first, int last, Protocol protocol, List<NetEntry> out) {
        List<String> fields = new ArrayList<>(5);
        for (String line : output.split("\n")) {
            split(line, fields);
            NetEntry e = row(fields);
            if (e != null && e.port >= first && e.port <= last
                    && (protocol == Protocol.BOTH || protocol == e.protocol)) {
                out.add(e);
            }
        }
    }

    private static NetEntry row(List<String> f) {
        if (f.size() < 4) {
            return null;
        }
        Protocol protocol;
        String foreign = f.get(2);
        if (f.get(0).equals("TCP") && f.size() == 5 && (foreign.equals("0.0.0.0:0") || foreign.equals("[::]:0"))
                && !f.get(3).equals("BOUND")) {
            protocol = Protocol.TCP;
        } else if (f.get(0).equals("UDP") && f.size() == 4 && foreign.equals("*:*")) {
            protocol = Protocol.UDP;
        } else {
            return null;
        }
        String local = f.get(1);
        int colon = local.lastIndexOf(':');
        long port = colon < 0 ? -1 : Digits.decimal(local, colon + 1, local.length());
        String pidText = f.get(f.size() - 1);
        long pid = Digits.decimal(pidText, 0, pidText.length());
        if (port < 1 || port > 65535 || pid < 0) {
            return null;
        }
        String host = local.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new NetEntry(protocol, host, (int) port, protocol == Protocol.TCP ? "LISTEN" : "UNCONN", 0, pid);
    }

    /** Splits a line at runs of white space (a trailing carriage return included) into {@code out}. */
    static void split(String s, List<String> out) {
        out.clear();
        int to = s.length();
        int i = 0;
        while (i < to) {
            while (i < to && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < to && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
    }
}
