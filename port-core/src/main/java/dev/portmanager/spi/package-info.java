/**
 * What store and probe modules implement: {@link dev.portmanager.spi.PortStore} with its
 * {@link dev.portmanager.spi.Allocator}, {@link dev.portmanager.spi.StoreProvider} (found with
 * {@link java.util.ServiceLoader}, so {@code PortManager.builder().store("json:ports.json")} works), and
 * {@link dev.portmanager.spi.PortProbe}.
 *
 * <p>{@link dev.portmanager.spi.Registry} is the in-memory registry engine for stores that hold the whole registry in
 * memory (the memory store, the JSON file store); every store must pass {@code PortStoreContract} from port-core's
 * test-jar.
 */
package dev.portmanager.spi;
