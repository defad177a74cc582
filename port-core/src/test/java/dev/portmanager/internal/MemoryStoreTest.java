package dev.portmanager.internal;

import dev.portmanager.AllocationQuery;
import dev.portmanager.PortManager;
import dev.portmanager.spi.PortStore;
import dev.portmanager.spi.PortStoreContract;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The memory store against the contract, and its URIs. */
class MemoryStoreTest extends PortStoreContract {

    @Override
    protected PortStore openStore() {
        return new MemoryStore("memory:contract");
    }

    @Test
    void uri_memoryColon_opensANewStoreEachTime() {
        MemoryStoreProvider provider = new MemoryStoreProvider();
        assertNotSame(provider.open("memory:"), provider.open("memory:"));
    }

    @Test
    void uri_memoryWithAName_opensOneStorePerNameInTheJvm() {
        MemoryStoreProvider provider = new MemoryStoreProvider();
        assertSame(provider.open("memory:shared-test"), provider.open("memory:shared-test"));
        try (PortManager a = PortManager.builder().store("memory:shared-by-uri").probe(ALL_FREE).build();
             PortManager b = PortManager.builder().store("memory:shared-by-uri").probe(ALL_FREE).build()) {
            int port = a.getOrAllocate("consilio", "api");
            assertEquals(port, b.getOrAllocate("consilio", "api"));
            assertEquals(1, b.list(AllocationQuery.all()).size());
        }
    }
}
