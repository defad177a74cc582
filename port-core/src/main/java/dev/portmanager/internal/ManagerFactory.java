package dev.portmanager.internal;

import dev.portmanager.PortEventListener;
import dev.portmanager.PortManager;
import dev.portmanager.RangePolicy;
import dev.portmanager.spi.PortProbe;
import dev.portmanager.spi.PortStore;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The one door from the API into this package: {@link dev.portmanager.PortManagerBuilder} opens stores and makes the
 * manager through it. <b>Not API:</b> it may change in any release; build a manager with
 * {@link PortManager#builder()}. Thread-safe.
 */
public final class ManagerFactory {
    private ManagerFactory() {
    }

    /**
     * Everything a manager is built from, checked by the builder.
     *
     * @param name               the manager's name, the prefix of its log lines
     * @param store              the store
     * @param ownsStore          whether closing the manager closes the store (it opened it from a URI)
     * @param policy             the range policy
     * @param probe              the probe
     * @param clock              the clock
     * @param listeners          the event listeners
     * @param host               the default host
     * @param environment        the default environment
     * @param allocatedBy        who the manager allocates as
     * @param utilizationWarning the utilization, in percent, above which an audit flags a range
     */
    public record Settings(String name, PortStore store, boolean ownsStore, RangePolicy policy, PortProbe probe,
                           Clock clock, List<PortEventListener> listeners, String host, String environment,
                           String allocatedBy, double utilizationWarning) {
        /**
         * Copies the listener list.
         *
         * @throws NullPointerException if the list or a listener is null
         */
        public Settings {
            listeners = List.copyOf(listeners);
        }
    }

    /**
     * A manager over the settings. It holds no allocation state of its own; every method is thread-safe.
     *
     * @throws NullPointerException if the settings are null
     */
    public static PortManager newManager(Settings settings) {
        return new DefaultPortManager(settings);
    }

    /**
     * The default store URI: {@code PORTMANAGER_STORE} if set; else {@code json:} and the first
     * {@code design/worktrees/ports.json} found from the working directory upward; else
     * {@code json:<home>/.portmanager/ports.json}.
     */
    public static String defaultStoreUri() {
        return StoreProviders.defaultUri(System.getenv(), Path.of(System.getProperty("user.dir")),
                Path.of(System.getProperty("user.home")));
    }

    /** Whether some store provider on the class path opens the URI. */
    public static boolean opensStore(String uri) {
        return StoreProviders.supported(uri);
    }

    /**
     * Opens the store the URI names, through the one provider that supports it.
     *
     * @throws IllegalArgumentException if no provider supports the URI; the message lists the known forms
     * @throws IllegalStateException    if several providers support it
     * @throws dev.portmanager.PortManagerException if the store cannot be opened
     */
    public static PortStore openStore(String uri) {
        return StoreProviders.open(uri);
    }
}
