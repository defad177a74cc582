package dev.portmanager.junit.samples;

import dev.portmanager.junit.FreePort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class PerClassSample {
    @FreePort
    int port;

    @Test
    void first() {
        Seen.port(port);
    }

    @Test
    void second() {
        Seen.port(port);
    }
}
