package dev.portmanager.probe;

import dev.portmanager.ProcessInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Processes described from /proc: the real one for this JVM and children, made-up files for the parsing. */
class LinuxProcessesTest {
    private final LinuxProcesses real = new LinuxProcesses("/proc", "/etc/passwd");

    @TempDir
    Path dir;

    @Test
    @EnabledOnOs(OS.LINUX)
    void describe_thisJvm_agreesWithProcessHandle() {
        ProcessHandle self = ProcessHandle.current();
        ProcessInfo me = real.describe(self.pid()).orElseThrow();
        assertEquals("java", me.name());
        assertEquals(System.getProperty("user.name"), me.user());
        assertEquals(self.info().startInstant(), me.startedAt());
        assertEquals(System.getProperty("user.name"), real.currentUser());
        assertTrue(real.isRunning(self.pid()));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void describe_aProcessThatEnded_isEmpty() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(Optional.empty(), real.describe(p.pid()));
        assertFalse(real.isRunning(p.pid()));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void describe_aZombie_isEmpty_andItIsNotRunning() throws Exception {
        try (PythonChild parent = PythonChild.listen("--zombie")) {
            long zombie = Long.parseLong(parent.readyLine().substring("ready ".length()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.readString(Path.of("/proc/" + zombie + "/stat")).contains(") Z ")) {
                assertTrue(System.nanoTime() < deadline, "pid " + zombie + " did not become a zombie");
                Thread.sleep(10);
            }
            assertEquals(Optional.empty(), real.describe(zombie));
            assertFalse(real.isRunning(zombie));
        }
    }

    @Test
    void commandLine_joinsTheNulSeparatedArguments() {
        byte[] b = "python3\0-m\0http.server\0\0".getBytes(StandardCharsets.UTF_8);
        assertEquals("python3 -m http.server", LinuxProcesses.commandLine(b, b.length));
        assertEquals("", LinuxProcesses.commandLine(new byte[0], 0), "a kernel thread has no command line");
    }

    @Test
    void effectiveUid_isTheSecondNumberOfTheUidLine() {
        byte[] b = "Name:\tsudo\nUmask:\t0022\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertEquals(0, LinuxProcesses.effectiveUid(b, b.length));
        byte[] none = "Name:\tx\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(-1, LinuxProcesses.effectiveUid(none, none.length));
    }

    @Test
    void users_nameUidsFromThePasswdFile_andShowOthersAsNumbers() throws IOException {
        Path passwd = dir.resolve("passwd");
        Files.writeString(passwd, "root:x:0:0:root:/root:/bin/bash\n# comment\nbroken line\nalice:x:1000:1000::/home/"
                + "alice:/bin/bash\nalias:x:1000:1000::/:/bin/sh\n");
        Users users = new Users(passwd.toString());
        assertEquals("root", users.name(0));
        assertEquals("alice", users.name(1000), "the first name of a uid wins");
        assertEquals("4242", users.name(4242));
        assertEquals("0", new Users(dir.resolve("missing").toString()).name(0));
    }

    @Test
    void describe_withoutBootTimeOrClockRate_leavesTheStartTimeEmptyOrAssumes100Hertz() throws IOException {
        new FakeProc(dir).process(77, "x", 250, new String[] {"x"}, 0);
        Files.delete(dir.resolve("stat"));
        Files.delete(dir.resolve("self/auxv"));
        LinuxProcesses processes = new LinuxProcesses(dir.toString(), "/etc/passwd");
        assertEquals(Optional.empty(), processes.describe(77).orElseThrow().startedAt());
    }
}
