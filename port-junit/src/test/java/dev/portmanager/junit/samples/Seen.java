package dev.portmanager.junit.samples;

import dev.portmanager.junit.FreePorts;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the sample tests saw, for the test that runs them to check afterwards. */
public final class Seen {
    /** Ports the samples were given, in order. */
    public static final List<Integer> PORTS = new CopyOnWriteArrayList<>();
    /** Allocation ids of the claims the samples were given. */
    public static final List<String> CLAIMS = new CopyOnWriteArrayList<>();

    private Seen() {
    }

    /** Records a port, checking it is claimed in the registry right now. */
    public static void port(int port) {
        if (FreePorts.claims().stream().noneMatch(a -> a.port() == port)) {
            throw new AssertionError("port " + port + " was injected but is not claimed in the registry");
        }
        PORTS.add(port);
    }
}
