package dev.portmanager.junit.samples;

import dev.portmanager.PortClaim;
import dev.portmanager.Protocol;
import dev.portmanager.junit.FreePort;
import dev.portmanager.junit.FreePortExtension;
import dev.portmanager.junit.FreePorts;
import dev.portmanager.spi.PortProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(FreePortExtension.class)
public class ParameterSample {
    private static int classPort;

    @BeforeAll
    static void forTheClass(@FreePort int port) {
        Seen.port(port);
        classPort = port;
    }

    /** The class's port stays claimed through every test, whatever each test's own ports do. */
    @AfterEach
    void classPortStillClaimed() {
        assertTrue(FreePorts.claims().stream().anyMatch(a -> a.port() == classPort), "the class's port " + classPort
                + " was released before the class ended");
    }

    @Test
    void intParameter(@FreePort int port) {
        Seen.port(port);
    }

    @Test
    void twoParameters_getTwoPorts(@FreePort int a, @FreePort Integer b) {
        Seen.port(a);
        Seen.port(b);
        assertNotEquals(a, b);
    }

    @Test
    void claimParameter_withoutTheAnnotation(PortClaim claim) {
        Seen.port(claim.port());
    }

    @Test
    void rangeParameter(@FreePort(range = "web") int port) {
        Seen.port(port);
        assertTrue(port >= 8080 && port <= 8099, "from the web range: " + port);
    }

    @Test
    void heldClaim_isBoundUntilHandedOff(@FreePort(hold = true) PortClaim claim) throws IOException {
        Seen.port(claim.port());
        assertFalse(PortProbe.bindOnly().isFree(claim.port(), Protocol.TCP));
        claim.handOff();
        try (ServerSocket server = new ServerSocket(claim.port())) {
            assertEquals(claim.port(), server.getLocalPort());
        }
    }
}
