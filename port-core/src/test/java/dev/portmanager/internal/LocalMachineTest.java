package dev.portmanager.internal;

import dev.portmanager.PortRange;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The machine facts, read against what the OS itself reports. */
class LocalMachineTest {
    private static final Path LINUX_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    @Test
    void ephemeralRange_isTheOnesTheKernelReports() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(LINUX_RANGE), "not Linux: the IANA range applies");
        Process sysctl = new ProcessBuilder("cat", LINUX_RANGE.toString()).start();
        String[] kernel = new String(sysctl.getInputStream().readAllBytes()).trim().split("\\s+");
        PortRange range = LocalMachine.ephemeralRange();
        assertEquals(Integer.parseInt(kernel[0]), range.start());
        assertEquals(Integer.parseInt(kernel[1]), range.end());
    }

    @Test
    void name_isTheHostNameTheOsReports() throws IOException, InterruptedException {
        Process hostname = new ProcessBuilder("hostname").start();
        String os = new String(hostname.getInputStream().readAllBytes()).trim().toLowerCase(java.util.Locale.ROOT);
        Assumptions.assumeTrue(hostname.waitFor() == 0 && !os.isEmpty(), "no hostname command here");
        assertEquals(os, LocalMachine.name());
    }
}
