package dev.portmanager.store.json;

import dev.portmanager.Allocation;
import dev.portmanager.StoreCorruptedException;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model's invariants over a file as read: among live allocations, a (host, port) is held once per protocol
 * ({@code both} colliding with either), and a service (host, project, service, environment) holds one port. Port
 * Manager never writes a file that breaks them; a hand edit or another tool can, and such a file is refused rather
 * than used and rewritten with the breach kept.
 *
 * <p>Only allocations that are certainly live count, since the file is judged without the manager's view of
 * processes: an allocation whose lease has expired (by this machine's clock) is free for the next allocation, which
 * reclaims it, and one held by an owner process is left to the manager, which sees whether that process is alive.
 * Stateless and thread-safe.
 */
final class RegistryCheck {
    private RegistryCheck() {
    }

    /**
     * @param allocations the allocations in file order (their index is their place in {@code allocations})
     * @throws StoreCorruptedException naming the file and both entries of the first breach, and how to mend it
     */
    static void requireConsistent(List<Allocation> allocations, Path file, Instant now) {
        // Lists as keys, not records: a record's equals and hashCode are bootstrapped through invokedynamic at first
        // use, tens of milliseconds of a program's first getOrAllocate.
        Map<List<Object>, List<Integer>> byPort = new HashMap<>();
        Map<List<Object>, Integer> byService = new HashMap<>();
        for (int i = 0; i < allocations.size(); i++) {
            Allocation a = allocations.get(i);
            if (!certainlyLive(a, now)) {
                continue;
            }
            // get and put, not computeIfAbsent with a lambda: this runs at every program's first read (issue 20).
            List<Object> portKey = List.of(a.host(), a.port());
            List<Integer> atPort = byPort.get(portKey);
            if (atPort == null) {
                atPort = new ArrayList<>(1);
                byPort.put(portKey, atPort);
            }
            for (int j : atPort) {
                Allocation b = allocations.get(j);
                if (b.protocol().collidesWith(a.protocol())) {
                    throw AtlasCodec.corrupted(file, entry(j, b) + " and " + entry(i, a) + " both hold port "
                            + a.port() + " on " + a.host() + ", and neither has expired; a port belongs to one "
                            + "service: remove one of the two entries, or give it a free port", null);
                }
            }
            atPort.add(i);
            Integer j = byService.putIfAbsent(List.of(a.host(), a.project(), a.service(), a.environment()), i);
            if (j != null) {
                throw AtlasCodec.corrupted(file, "allocations[" + j + "] (port " + allocations.get(j).port()
                        + ") and allocations[" + i + "] (port " + a.port() + ") are both service " + a.service()
                        + " of worktree " + a.project() + " on " + a.host() + " in environment " + a.environment()
                        + ", and neither has expired; a service holds one port: remove one of the two entries, or "
                        + "give one its own service_name", null);
            }
        }
    }

    private static boolean certainlyLive(Allocation a, Instant now) {
        return a.owner().isEmpty() && (a.expiresAt().isEmpty() || now.isBefore(a.expiresAt().get()));
    }

    private static String entry(int index, Allocation a) {
        return "allocations[" + index + "] (worktree " + a.project() + ", service " + a.service() + ", "
                + a.protocol().name().toLowerCase(Locale.ROOT) + ")";
    }

}
