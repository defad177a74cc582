package dev.portmanager.cli;

import dev.portmanager.AllocationRequest;
import dev.portmanager.Protocol;
import dev.portmanager.SearchOrder;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.LinkedHashMap;
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
