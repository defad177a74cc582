/**
 * What store and probe modules implement: {@link dev.portmanager.spi.PortStore} with its
 * {@link dev.portmanager.spi.Allocator}, {@link dev.portmanager.spi.StoreProvider} (found with
 * {@link java.util.ServiceLoader}, so {@code PortManager.builder().store("json:ports.json")} works), and
 * {@link dev.portmanager.spi.PortProbe}.
 *
 * <p>{@code dev.portmanager.spi.support} holds the shared allocation decision and the in-memory registry engine;
 * every store must pass {@code PortStoreContract} from port-core's test-jar.
 */
package dev.portmanager.spi;
