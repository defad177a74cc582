package dev.portmanager.internal;

import dev.portmanager.Checks;
import dev.portmanager.spi.PortStore;
import dev.portmanager.spi.StoreProvider;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens {@code memory:} (a new, private store) and {@code memory:<name>} (the one store of that name in this JVM,
 * shared by every manager that opens it). Thread-safe.
 */
public final class MemoryStoreProvider implements StoreProvider {
    private static final Map<String, MemoryStore> NAMED = new ConcurrentHashMap<>();

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public MemoryStoreProvider() {
        // Stateless apart from the JVM-wide map of named stores.
    }

    @Override
    public boolean supports(String uri) {
        return uri.startsWith("memory:");
    }

    @Override
    public PortStore open(String uri) {
        if (!supports(uri)) {
            throw new IllegalArgumentException("'" + uri + "' is not a memory store URI; write memory: or memory:<name>");
        }
        String name = uri.substring("memory:".length());
        if (name.isEmpty()) {
            return new MemoryStore("memory:");
        }
        Checks.name("memory store name", name);
        return NAMED.computeIfAbsent(name, n -> new MemoryStore("memory:" + n));
    }

    @Override
    public String uriForms() {
        return "memory: or memory:<name> (port-core)";
    }
}
