package dev.portmanager.launch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portmanager.Protocol;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** Parses one {@code ports:} entry of a compose service, short or long syntax. */
final class ComposePorts {
    private ComposePorts() {
    }

    /** The entry's host mapping; empty when it publishes no fixed host port. */
    static Optional<ComposeFile.Mapping> parse(String service, JsonNode entry, Path file) {
        if (entry.isObject()) {
            return parseLong(service, entry, file);
        }
        if (entry.isTextual() || entry.isIntegralNumber()) {
            return parseShort(service, entry.asText(), file);
        }
        throw bad(file, service, entry.toString(), "is neither a string nor a mapping");
    }

    private static Optional<ComposeFile.Mapping> parseShort(String service, String text, Path file) {
        String rest = text.strip();
        Protocol protocol = Protocol.TCP;
        int slash = rest.lastIndexOf('/');
        if (slash >= 0) {
            protocol = protocol(rest.substring(slash + 1), service, text, file);
            rest = rest.substring(0, slash);
        }
        String ip = "0.0.0.0";
        if (rest.startsWith("[")) {
            int close = rest.indexOf("]:");
            if (close < 0) {
                throw bad(file, service, text, "opens an IPv6 address with [ but has no ]: after it");
            }
            ip = rest.substring(1, close);
            rest = rest.substring(close + 2);
        }
        String[] parts = rest.split(":", -1);
        String host;
        String container;
        if (parts.length == 1) {
            return Optional.empty();
        } else if (parts.length == 2) {
            host = parts[0];
            container = parts[1];
        } else if (parts.length == 3 && ip.equals("0.0.0.0")) {
            ip = parts[0];
            host = parts[1];
            container = parts[2];
        } else {
            throw bad(file, service, text, "has too many ':'; write an IPv6 host address in brackets, like "
                    + "\"[::1]:8080:80\"");
        }
        if (host.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(mapping(service, ip, host, container, protocol, text, file));
    }

    private static Optional<ComposeFile.Mapping> parseLong(String service, JsonNode entry, Path file) {
        if (!entry.hasNonNull("published")) {
            return Optional.empty();
        }
        if (!entry.hasNonNull("target")) {
            throw bad(file, service, entry.toString(), "has no target (the container port)");
        }
        Protocol protocol = entry.hasNonNull("protocol")
                ? protocol(entry.get("protocol").asText(), service, entry.toString(), file) : Protocol.TCP;
        String ip = entry.hasNonNull("host_ip") ? entry.get("host_ip").asText() : "0.0.0.0";
        return Optional.of(mapping(service, ip, entry.get("published").asText(), entry.get("target").asText(), protocol,
                entry.toString(), file));
    }

    private static ComposeFile.Mapping mapping(String service, String ip, String host, String container,
                                               Protocol protocol, String text, Path file) {
        int[] h = span(host, service, text, file);
        int[] c = span(container, service, text, file);
        int hosts = h[1] - h[0] + 1;
        int containers = c[1] - c[0] + 1;
        if (hosts != containers && containers != 1) {
            throw bad(file, service, text, "maps " + hosts + " host ports to " + containers + " container ports; give "
                    + "as many of each, or one container port for a range of host ports");
        }
        return new ComposeFile.Mapping(service, ip, h[0], h[1], c[0], c[1], protocol, text);
    }

    private static int[] span(String text, String service, String entry, Path file) {
        try {
            int dash = text.indexOf('-');
            int first = Integer.parseInt(dash < 0 ? text.strip() : text.substring(0, dash).strip());
            int last = dash < 0 ? first : Integer.parseInt(text.substring(dash + 1).strip());
            if (first < 1 || last > 65535 || first > last) {
                throw bad(file, service, entry, "has the port span " + text + ", which is not within 1-65535 in order");
            }
            return new int[] {first, last};
        } catch (NumberFormatException e) {
            throw bad(file, service, entry, "has '" + text + "' where a port or a range like 8080-8085 belongs");
        }
    }

    private static Protocol protocol(String text, String service, String entry, Path file) {
        switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "tcp":
                return Protocol.TCP;
            case "udp":
                return Protocol.UDP;
            default:
                throw bad(file, service, entry, "names the protocol '" + text + "'; compose ports are tcp or udp");
        }
    }

    private static IllegalArgumentException bad(Path file, String service, String entry, String why) {
        return new IllegalArgumentException("compose file " + file + ", service '" + service + "': ports entry "
                + entry + " " + why);
    }
}
