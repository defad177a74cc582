package dev.portmanager.testing;

import dev.portmanager.Protocol;
import dev.portmanager.spi.PortProbe;

import java.util.concurrent.ThreadLocalRandom;

/** Finds runs of consecutive ports that are free right now, for tests that bind real sockets. */
public final class FreeSpan {
    private FreeSpan() {
    }

    /**
     * The first port of {@code count} consecutive ports, free for TCP and UDP, between 20000 and 29999 (below the
     * usual ephemeral ranges), starting the search at a random point so parallel test runs rarely meet.
     */
    public static int find(int count) {
        PortProbe probe = PortProbe.bindOnly();
        int span = 10_000 - count;
        int offset = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int first = 20_000 + (offset + i) % span;
            boolean free = true;
            for (int p = first; p < first + count && free; p++) {
                free = probe.isFree(p, Protocol.BOTH);
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports in 20000-29999");
    }
}
