package dev.portmanager.internal;

import dev.portmanager.PortManager;
import dev.portmanager.spi.PortStore;

import java.nio.file.Path;
import java.util.Map;

/**
 * The one door from the API into this package: {@link dev.portmanager.PortManagerBuilder} opens stores and makes the
 * manager through it. <b>Not API:</b> it may change in any release; build a manager with
 * {@link PortManager#builder()}. Thread-safe.
 */
public final class ManagerFactory {
    private ManagerFactory() {
    }

    /**
     * A manager over the settings. It holds no allocation state of its own; every method is thread-safe.
     *
     * @throws NullPointerException if the settings are null
     */
    public static PortManager newManager(ManagerSettings settings) {
        return new DefaultPortManager(settings);
    }

    /** The default store URI for this process's environment, working directory and home. */
    public static String defaultStoreUri() {
        return defaultStoreUri(System.getenv(), Path.of(System.getProperty("user.dir")),
                Path.of(System.getProperty("user.home")));
    }

    /** The default store URI for the given environment, working directory and home: see {@link PortManager}. */
    public static String defaultStoreUri(Map<String, String> env, Path workingDir, Path home) {
        return StoreProviders.defaultUri(env, workingDir, home);
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
