package dev.portmanager;


import java.util.Objects;

/**
 * A binding a deployment intends to make, for {@link PortManager#check(java.util.List)}: which service will bind
 * which port, for which protocol, on which local address. Immutable and thread-safe.
 *
 * @param project  the project (a compose file's project name), for matching the registry's allocations
 * @param service  the service that will bind
 * @param port     the host port, 1-65535
 * @param protocol TCP or UDP (BOTH for both)
 * @param address  the local address, such as {@code 127.0.0.1}; {@code 0.0.0.0} for every address
 */
public record PlannedBinding(String project, String service, int port, Protocol protocol, String address) {

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if a name or the port is invalid
     * @throws NullPointerException     if a component is null
     */
    public PlannedBinding {
        Checks.name("project", project);
        Checks.name("service", service);
        Checks.port("port", port);
        Objects.requireNonNull(protocol, "protocol == null");
        Checks.name("address", address);
    }

    /** A TCP binding on every address. */
    public static PlannedBinding of(String project, String service, int port) {
        return new PlannedBinding(project, service, port, Protocol.TCP, "0.0.0.0");
    }

    /** Whether this binding and {@code other} would fight over the same socket. */
    public boolean clashesWith(PlannedBinding other) {
        return port == other.port && protocol.collidesWith(other.protocol)
                && (Checks.isWildcard(address) || Checks.isWildcard(other.address) || address.equals(other.address));
    }

    /** {@code shop/web 0.0.0.0:8080/TCP}; an IPv6 address in brackets: {@code shop/dns [::1]:5353/UDP}. */
    @Override
    public String toString() {
        return project + "/" + service + " " + (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":"
                + port + "/" + protocol;
    }
}
