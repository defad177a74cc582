package dev.portmanager.internal;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.PortManager;
import dev.portmanager.spi.PortStore;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The store's clock rules leases when the store has one ({@link PortStore#clock}); else the manager's. */
class StoreClockTest {
    private static final Instant MANAGER = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant REGISTRY = Instant.parse("2026-01-01T01:00:00Z");

    @Test
    void reserve_onAStoreWithItsOwnClock_timesTheLeaseByTheStoresClock() {
        PortStore store = withClock(new MemoryStore("memory:clock"), Clock.fixed(REGISTRY, ZoneOffset.UTC));
        try (PortManager pm = PortManager.builder().store(store).clock(Clock.fixed(MANAGER, ZoneOffset.UTC))
                .probe((p, proto) -> true).range("r", 20000, 20009).build()) {
            Allocation held = pm.reserve(AllocationRequest.builder("p", "s").range("r").build(), Duration.ofMinutes(1));
            assertEquals(REGISTRY, held.allocatedAt());
            assertEquals(REGISTRY.plus(Duration.ofMinutes(1)), held.expiresAt().orElseThrow());
        }
    }

    @Test
    void reserve_onAStoreWithoutAClock_timesTheLeaseByTheManagersClock() {
        try (PortManager pm = PortManager.builder().store(new MemoryStore("memory:clock"))
                .clock(Clock.fixed(MANAGER, ZoneOffset.UTC)).probe((p, proto) -> true).range("r", 20000, 20009)
                .build()) {
            Allocation held = pm.reserve(AllocationRequest.builder("p", "s").range("r").build(), Duration.ofMinutes(1));
            assertEquals(MANAGER.plus(Duration.ofMinutes(1)), held.expiresAt().orElseThrow());
        }
    }

    /** The store, answering {@code clock} for {@link PortStore#clock}; every other call goes to the store. */
    private static PortStore withClock(PortStore store, Clock clock) {
        return (PortStore) Proxy.newProxyInstance(PortStore.class.getClassLoader(), new Class<?>[] {PortStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("clock")) {
                        return clock;
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
