package dev.portmanager.spi;

import dev.portmanager.PortManagerException;

/**
 * Opens a {@link PortStore} from a store URI such as {@code json:/srv/ports.json} or
 * {@code jdbc:postgresql://db/ports}. Providers are found with {@link java.util.ServiceLoader}: a module registers its
 * provider in {@code META-INF/services/dev.portmanager.spi.StoreProvider}. Implementations must be thread-safe and
 * have a public no-argument constructor.
 */
public interface StoreProvider {
    /**
     * Whether this provider opens the URI, judged by its scheme alone.
     *
     * @throws NullPointerException if the URI is null
     */
    boolean supports(String uri);

    /**
     * Opens the store the URI names.
     *
     * @throws IllegalArgumentException if the URI is malformed; the message shows the expected form
     * @throws PortManagerException     if the store cannot be opened
     */
    PortStore open(String uri);

    /** The URI forms this provider opens, for messages, such as {@code json:<path>}. */
    String uriForms();
}
