package dev.portmanager.store.json;

import dev.portmanager.spi.PortStore;
import dev.portmanager.spi.StoreProvider;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Opens {@code json:<path>}: {@code json:ports.json} (relative to the working directory),
 * {@code json:/srv/ports.json}, {@code json:~/.portmanager/ports.json}. Thread-safe.
 */
public final class JsonStoreProvider implements StoreProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public JsonStoreProvider() {
        // Stateless.
    }

    @Override
    public boolean supports(String uri) {
        return uri.startsWith(JsonFileStore.NAME_PREFIX);
    }

    @Override
    public PortStore open(String uri) {
        return JsonFileStore.open(path(uri));
    }

    /**
     * The path of a {@code json:} URI, with a leading {@code ~} meaning the user's home folder.
     *
     * @throws IllegalArgumentException if the URI has no path or the path is not valid here
     */
    static Path path(String uri) {
        if (!uri.startsWith(JsonFileStore.NAME_PREFIX)) {
            throw new IllegalArgumentException("'" + uri + "' is not a json: store URI; write json:<path>");
        }
        String path = uri.substring(JsonFileStore.NAME_PREFIX.length()).strip();
        if (path.isEmpty()) {
            throw new IllegalArgumentException("store URI '" + uri + "' names no file; write json:<path>, such as "
                    + "json:~/.portmanager/ports.json");
        }
        if (path.equals("~") || path.startsWith("~/")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("store URI '" + uri + "' names no valid path: " + e.getMessage(), e);
        }
    }

    @Override
    public String uriForms() {
        return "json:<path> (port-store-json)";
    }
}
