package dev.portmanager.cli;

import dev.portmanager.AllocationRequest;
import dev.portmanager.Protocol;
import dev.portmanager.SearchOrder;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The service and options of the commands that ask for a port: get, allocate, reserve. */
final class RequestOptions {
    @Parameters(index = "0", paramLabel = "PROJECT")
    String project;

    @Parameters(index = "1", paramLabel = "SERVICE")
    String service;

    @Option(names = {"-r", "--range"}, paramLabel = "RANGE", description = "take the port from this range")
    String range;

    @Option(names = {"-p", "--protocol"}, paramLabel = "PROTOCOL", description = "tcp (default), udp or both",
            converter = ProtocolConverter.class)
    Protocol protocol;

    @Option(names = "--port", paramLabel = "PORT", description = "exactly this port, or fail")
    Integer port;

    @Option(names = "--preferred", paramLabel = "PORT", description = "this port if free, else the next of the range")
    Integer preferred;

    @Option(names = "--alternatives", paramLabel = "PORTS",
            description = "ports to try in this order after --preferred and before the rest of the range, such as "
                    + "8001,8002")
    String alternatives;

    @Option(names = "--alternatives-only", description = "only --preferred or one of --alternatives, never another port")
    boolean alternativesOnly;

    @Option(names = {"-d", "--description"}, paramLabel = "TEXT", description = "what the port is for")
    String description;

    @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "a metadata pair (repeatable)")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Option(names = "--health", paramLabel = "URL", description = "health endpoint, such as http://localhost:3100/health")
    String health;

    @Option(names = "--order", paramLabel = "ORDER", description = "lowest-first, spread or sticky",
            converter = OrderConverter.class)
    SearchOrder order;

    /** The request, with a lease of {@code ttl} when not null. */
    AllocationRequest request(Duration ttl) {
        AllocationRequest.Builder b = AllocationRequest.builder(project, service);
        if (range != null) {
            b.range(range);
        }
        if (protocol != null) {
            b.protocol(protocol);
        }
        if (port != null && preferred != null) {
            throw new IllegalArgumentException("--port " + port + " and --preferred " + preferred + " both name a "
                    + "port; give one");
        }
        if (port != null) {
            b.port(port);
        }
        if (preferred != null) {
            b.preferredPort(preferred);
        }
        alternatives(b);
        if (description != null) {
            b.description(description);
        }
        b.metadata(metadata);
        if (health != null) {
            b.healthEndpoint(health);
        }
        if (order != null) {
            b.searchOrder(order);
        }
        if (ttl != null) {
            b.ttl(ttl);
        }
        return b.build();
    }

    /** Checks --alternatives and --alternatives-only in the CLI's words, then sets them. */
    private void alternatives(AllocationRequest.Builder b) {
        if (alternatives == null) {
            if (alternativesOnly) {
                throw new IllegalArgumentException("--alternatives-only limits the request to its alternatives, but "
                        + "none were given; name them with --alternatives 8001,8002");
            }
            return;
        }
        if (port != null) {
            throw new IllegalArgumentException("--port " + port + " asks for exactly that port, so --alternatives "
                    + alternatives + " would never be tried; use --preferred " + port + " instead");
        }
        b.alternatives(alternativePorts(alternatives, preferred));
        if (alternativesOnly) {
            b.alternativesOnly();
        }
    }

    /**
     * The ports of {@code --alternatives}, checked in the CLI's words.
     *
     * @param preferred the --preferred port, which the list may not name; null for none
     */
    static int[] alternativePorts(String alternatives, Integer preferred) {
        List<Integer> ports = new ArrayList<>();
        for (String word : alternatives.split(",", -1)) {
            int p;
            try {
                p = Integer.parseInt(word.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--alternatives " + alternatives + ": '" + word + "' is not a port; "
                        + "give port numbers separated by commas, such as --alternatives 8001,8002");
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("--alternatives " + alternatives + ": " + p + " is outside "
                        + "1-65535; ports are numbered 1 to 65535");
            }
            if (ports.contains(p)) {
                throw new IllegalArgumentException("--alternatives " + alternatives + " names " + p + " twice; name "
                        + "each port once");
            }
            if (preferred != null && p == preferred) {
                throw new IllegalArgumentException("--alternatives " + alternatives + " names " + p + ", the "
                        + "--preferred port; leave it out of the alternatives");
            }
            ports.add(p);
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Reads tcp, udp, both. */
    static final class ProtocolConverter implements picocli.CommandLine.ITypeConverter<Protocol> {
        @Override
        public Protocol convert(String text) {
            return Protocol.parse(text);
        }
    }

    /** Reads lowest-first, spread, sticky. */
    static final class OrderConverter implements picocli.CommandLine.ITypeConverter<SearchOrder> {
        @Override
        public SearchOrder convert(String text) {
            return SearchOrder.parse(text);
        }
    }
}
