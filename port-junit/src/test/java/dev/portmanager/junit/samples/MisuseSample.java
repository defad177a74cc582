package dev.portmanager.junit.samples;

import dev.portmanager.junit.FreePort;
import org.junit.jupiter.api.Test;

public class MisuseSample {
    @Test
    void onAString(@FreePort String port) {
        throw new AssertionError("never run: " + port);
    }

    @Test
    void heldInt(@FreePort(hold = true) int port) {
        throw new AssertionError("never run: " + port);
    }
}
