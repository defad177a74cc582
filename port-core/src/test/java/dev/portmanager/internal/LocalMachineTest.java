package dev.portmanager.internal;

import dev.portmanager.PortRange;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
    void words_splitsAtWhiteSpaceAsSplitDoesOnATrimmedText_andFindsNoneInAnEmptyOne() {
        for (String text : new String[] {"32768\t60999", "32768   60999", "a\u000Bb\fc\rd\ne", "one", "x  \t y"}) {
            assertArrayEquals(text.trim().split("\\s+"), LocalMachine.words(text.trim()), text);
        }
        assertEquals(0, LocalMachine.words("").length, "an empty text has no words");
    }

    @Test
    void readEphemeralRange_readsTwoNumbersAndRefusesAnythingElse(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ip_local_port_range");
        Files.writeString(file, "  32768\t60999\n");
        PortRange range = LocalMachine.readEphemeralRange(file).orElseThrow();
        assertEquals(List.of(32768, 60999), List.of(range.start(), range.end()));
        for (String bad : new String[] {"32768", "32768 60999 1", "60999 32768", "0 10", "1 65536", "a b", ""}) {
            Files.writeString(file, bad);
            assertEquals(Optional.empty(), LocalMachine.readEphemeralRange(file), bad);
        }
    }

    @Test
    void name_isTheHostNameTheOsReports() throws IOException, InterruptedException {
        Process hostname = new ProcessBuilder("hostname").start();
        String os = new String(hostname.getInputStream().readAllBytes()).trim().toLowerCase(java.util.Locale.ROOT);
        Assumptions.assumeTrue(hostname.waitFor() == 0 && !os.isEmpty(), "no hostname command here");
        assertEquals(os, LocalMachine.name());
    }
}
