package dev.portmanager.internal;

import dev.portmanager.PortEventListener;
import dev.portmanager.RangePolicy;
import dev.portmanager.ResourceLimits;
import dev.portmanager.spi.PortProbe;
import dev.portmanager.spi.PortStore;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything a manager is built from, checked and sealed by the builder: the argument of
 * {@link ManagerFactory#newManager}. Not API. Immutable; thread-safe as far as its parts are.
 *
 * @param name        the manager's name, the prefix of its log lines
 * @param store       the store
 * @param ownsStore   whether closing the manager closes the store (it opened it from a URI)
 * @param policy      the range policy
 * @param probe       the probe
 * @param clock       the clock
 * @param listeners   the event listeners
 * @param host        the default host
 * @param environment the default environment
 * @param allocatedBy who the manager allocates as
 * @param utilizationWarning the utilization, in percent, above which an audit flags a range
 * @param resourceLimits     the use above which an audit flags a running service
 * @param remoteTimeouts     how long each other host may take to answer a connection of its audit, by host name;
 *                           the entry {@code "*"} for hosts not named
 */
public record ManagerSettings(String name, PortStore store, boolean ownsStore, RangePolicy policy, PortProbe probe,
                              Clock clock, List<PortEventListener> listeners, String host, String environment,
                              String allocatedBy, double utilizationWarning,
                              ResourceLimits resourceLimits, Map<String, Duration> remoteTimeouts) {
    /**
     * Copies the listener list.
     *
     * @throws NullPointerException if the list or a listener is null
     */
    public ManagerSettings {
        listeners = List.copyOf(listeners);
        remoteTimeouts = Map.copyOf(remoteTimeouts);
    }

    /** How long the host may take to answer one connection of its audit. */
    public Duration remoteTimeout(String host) {
        return remoteTimeouts.getOrDefault(host, remoteTimeouts.get("*"));
    }
}
