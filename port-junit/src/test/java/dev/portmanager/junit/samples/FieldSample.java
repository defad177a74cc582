package dev.portmanager.junit.samples;

import dev.portmanager.PortClaim;
import dev.portmanager.junit.FreePort;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

public class FieldSample {
    @FreePort
    static int shared;

    @FreePort
    int port;

    @FreePort
    PortClaim claim;

    @Test
    void first() {
        check();
    }

    @Test
    void second() {
        check();
    }

    private void check() {
        assertNotNull(claim);
        assertNotEquals(0, shared);
        assertNotEquals(port, claim.port());
        Seen.port(shared);
        Seen.port(port);
        Seen.port(claim.port());
        Seen.CLAIMS.add(claim.allocation().id());
    }
}
