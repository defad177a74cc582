package dev.portmanager.probe;

import dev.portmanager.Checks;
import dev.portmanager.Protocol;
import dev.portmanager.probe.Termination.Outcome;
import dev.portmanager.probe.TerminationRefusedException.Reason;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Process control against real child processes. Refusals are tested with signals that fail the test if they are
 * ever sent: a bug must not be able to signal init or the build's own JVM.
 */
@EnabledOnOs(OS.LINUX)
class ProcessControlTest {
    /** Fails the test if any signal is sent. */
    private static final class NoSignals extends Signals {
        final List<Long> sent = new ArrayList<>();

        @Override
        boolean terminate(ProcessHandle process) {
            sent.add(process.pid());
            throw new AssertionError("a refused process was signalled: pid " + process.pid());
        }

        @Override
        boolean kill(ProcessHandle process) {
            return terminate(process);
        }
    }

    private static TerminationRefusedException refused(ProcessControl control, long pid) {
        return assertThrows(TerminationRefusedException.class, () -> control.terminate(pid));
    }

    private static ProcessControl guarded(ProcessControl.Builder builder) {
        return builder.signals(new NoSignals()).build();
    }

    @Test
    void terminatePort_ofAChildServer_endsItWithSigterm_andFreesThePort() throws Exception {
        int port = FreeSpan.find(1);
        try (PythonChild child = PythonChild.listen("tcp", "127.0.0.1", Integer.toString(port))) {
            List<Termination> done = ProcessControl.create().terminatePort(port, Protocol.TCP);
            assertEquals(1, done.size());
            Termination t = done.get(0);
            assertEquals(Outcome.TERMINATED, t.outcome());
            assertEquals(child.pid(), t.pid());
            assertEquals(child.pid(), t.process().orElseThrow().pid());
            String who = child.name() + " (pid " + child.pid() + ")";
            assertEquals(who + " ended " + Checks.describe(t.elapsed()) + " after SIGTERM", t.detail());
            assertTrue(t.ended());
            assertTrue(child.process().waitFor(10, TimeUnit.SECONDS));
            assertTrue(SystemProbe.create().isFree(port, Protocol.TCP));
        }
    }

    @Test
    void terminatePort_ofAChildIgnoringSigterm_killsItAfterTheGracePeriod() throws Exception {
        int port = FreeSpan.find(1);
        try (PythonChild child = PythonChild.listen("--ignore-term", "tcp", "127.0.0.1", Integer.toString(port))) {
            ProcessControl control = ProcessControl.builder().gracePeriod(Duration.ofMillis(300)).build();
            Termination t = control.terminatePort(port, Protocol.TCP).get(0);
            assertEquals(Outcome.KILLED, t.outcome());
            String who = child.name() + " (pid " + child.pid() + ")";
            assertTrue(t.detail().startsWith(who + " still ran 300 ms after SIGTERM; it ended "), t.detail());
            assertTrue(t.detail().endsWith(" after SIGKILL"), t.detail());
            assertTrue(t.elapsed().toMillis() >= 300, t.elapsed().toString());
            assertTrue(child.process().waitFor(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void terminate_byPid_endsTheProcess() throws Exception {
        try (PythonChild child = PythonChild.listen()) {
            Termination t = ProcessControl.create().terminate(child.pid());
            assertEquals(Outcome.TERMINATED, t.outcome());
            assertTrue(child.process().waitFor(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void dryRun_reportsWhatItWouldDo_andSignalsNothing() throws Exception {
        int port = FreeSpan.find(1);
        try (PythonChild child = PythonChild.listen("tcp", "127.0.0.1", Integer.toString(port))) {
            ProcessControl control = guarded(ProcessControl.builder().dryRun());
            Termination t = control.terminatePort(port, Protocol.TCP).get(0);
            assertEquals(Outcome.WOULD_TERMINATE, t.outcome());
            assertEquals("would send SIGTERM to " + child.name() + " (pid " + child.pid() + "), then SIGKILL if it "
                    + "still runs after 10 s", t.detail());
            assertEquals(Duration.ZERO, t.elapsed());
            assertFalse(t.ended());
            assertEquals(Outcome.WOULD_TERMINATE, control.terminate(child.pid()).outcome());
            assertTrue(child.process().isAlive());
        }
    }

    @Test
    void terminatePort_ofAPortNothingHolds_doesNothing() {
        assertEquals(List.of(), guarded(ProcessControl.builder()).terminatePort(FreeSpan.find(1), Protocol.BOTH));
    }

    @Test
    void terminate_ofAPidNoProcessHas_isNotRunning() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        assertTrue(ended.waitFor(30, TimeUnit.SECONDS));
        Termination t = guarded(ProcessControl.builder()).terminate(ended.pid());
        assertEquals(Outcome.NOT_RUNNING, t.outcome());
        assertEquals("no process with pid " + ended.pid() + " runs; nothing was sent", t.detail());
    }

    @Test
    void terminate_ofAZombie_isNotRunning() throws Exception {
        try (PythonChild parent = PythonChild.listen("--zombie")) {
            long zombie = Long.parseLong(parent.readyLine().substring("ready ".length()));
            Thread.sleep(200);
            assertEquals(Outcome.NOT_RUNNING, guarded(ProcessControl.builder()).terminate(zombie).outcome());
        }
    }

    @Test
    void terminate_ofInit_isRefused() {
        TerminationRefusedException e = refused(guarded(ProcessControl.builder().allowOtherUsers()), 1);
        assertEquals(Reason.INIT_PROCESS, e.reason());
        assertEquals(1, e.pid());
        assertEquals("pid 1 is the init process (pid 1): ending it stops the whole machine or container; stop the "
                + "service through its service manager", e.getMessage());
    }

    @Test
    void terminate_ofThisJvm_isRefused_evenInADryRun() {
        long me = ProcessHandle.current().pid();
        for (ProcessControl control : List.of(guarded(ProcessControl.builder()),
                guarded(ProcessControl.builder().dryRun()))) {
            TerminationRefusedException e = refused(control, me);
            assertEquals(Reason.THIS_JVM, e.reason());
            assertEquals("pid " + me + " is this JVM itself; to end it, return from main or call System.exit",
                    e.getMessage());
        }
    }

    @Test
    void terminate_ofThisJvmsParent_isRefused() {
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        TerminationRefusedException e = refused(guarded(ProcessControl.builder().allowOtherUsers()), parent);
        assertEquals(Reason.PARENT_OF_THIS_JVM, e.reason());
        assertEquals("pid " + parent + " is the parent of this JVM (the shell, build tool or supervisor that started "
                + "it) and ending it could end this JVM too; stop it from outside", e.getMessage());
    }

    @Test
    @Timeout(120)
    void terminatePort_ofAListenerThatStartedThisJvmThroughAShell_isRefused_namingTheChain() throws Exception {
        int port = FreeSpan.find(1);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // "; exit $?" keeps bash from replacing itself with java: the listener is the JVM's grandparent.
        String command = java + " -Xshare:auto -XX:TieredStopAtLevel=1 -cp " + System.getProperty("java.class.path")
                + " " + AsUserMain.class.getName() + " terminate-port " + port + "; exit $?";
        try (PythonChild listener = PythonChild.listen("--run", command, "tcp", "127.0.0.1", Integer.toString(port))) {
            String out = listener.readUntil("exit ");
            assertTrue(out.endsWith("exit 0\n"), out);
            String refusal = out.substring(0, out.length() - "exit 0\n".length()).strip();
            String who = listener.name() + " (pid " + listener.pid() + ")";
            assertTrue(refusal.matches("refused ANCESTOR_OF_THIS_JVM: \\Q" + who + " started this JVM (pid \\E\\d+"
                    + "\\Q) through bash (pid \\E\\d+\\Q): it is an ancestor of this JVM, and ending it could end "
                    + "this JVM too; stop it from outside\\E"), refusal);
            assertTrue(listener.process().isAlive(), "the listener still runs");
        }
    }

    @Test
    @SuppressWarnings("try") // the socket is held open only to be found
    void terminatePort_heldByThisJvm_isRefused_andNothingIsSignalled() throws IOException {
        int port = FreeSpan.find(1);
        try (ServerSocket mine = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            TerminationRefusedException e = assertThrows(TerminationRefusedException.class,
                    () -> guarded(ProcessControl.builder()).terminatePort(port, Protocol.TCP));
            assertEquals(Reason.THIS_JVM, e.reason());
            assertEquals("java (pid " + ProcessHandle.current().pid() + ") is this JVM itself; to end it, return "
                    + "from main or call System.exit", e.getMessage());
        }
    }

    @Test
    void terminate_ofAnotherUsersProcess_isRefused_unlessAllowed() throws Exception {
        OtherUser.assumeAvailable();
        try (PythonChild theirs = OtherUser.listen()) {
            TerminationRefusedException e = refused(guarded(ProcessControl.builder()), theirs.pid());
            assertEquals(Reason.OTHER_USER, e.reason());
            assertEquals("python3 (pid " + theirs.pid() + ") runs as user '" + OtherUser.name() + "', not as 'root' "
                    + "who runs this JVM; build the ProcessControl with allowOtherUsers() if ending another user's "
                    + "process is intended", e.getMessage());
            assertTrue(theirs.process().isAlive());

            Termination t = ProcessControl.builder().allowOtherUsers().build().terminate(theirs.pid());
            assertEquals(Outcome.TERMINATED, t.outcome());
            assertTrue(theirs.process().waitFor(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void terminatePort_heldByAnotherUser_isRefused() throws Exception {
        OtherUser.assumeAvailable();
        int port = FreeSpan.find(1);
        try (PythonChild theirs = OtherUser.listen("tcp", "127.0.0.1", Integer.toString(port))) {
            TerminationRefusedException e = assertThrows(TerminationRefusedException.class,
                    () -> guarded(ProcessControl.builder()).terminatePort(port, Protocol.TCP));
            assertEquals(Reason.OTHER_USER, e.reason());
            assertEquals(theirs.pid(), e.pid());
        }
    }

    @Test
    @SuppressWarnings("try") // the socket is held open only to be found
    void terminatePort_whoseOwnerThisUserCannotSee_isRefused() throws Exception {
        OtherUser.assumeAvailable();
        int port = FreeSpan.find(1);
        try (ServerSocket rootOwned = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            String out = OtherUser.runJava("terminate-port", Integer.toString(port));
            assertEquals("refused OWNER_UNKNOWN: port " + port + "/TCP is held (TCP "
                    + bracketed(SystemProbeTest.jvmLoopback()) + ":" + port + " LISTEN (owner unknown)) by a process "
                    + "this user cannot see: another user's, or the kernel's; run as that user or as root to stop it, "
                    + "or stop it by its own means", out.trim());
        }
    }

    private static String bracketed(String address) {
        return address.indexOf(':') >= 0 ? "[" + address + "]" : address;
    }

    @Test
    void badArguments_areRefusedWithTheValueAndTheFix() {
        ProcessControl control = guarded(ProcessControl.builder());
        assertEquals("pid 0 is not a process id; pids are positive",
                assertThrows(IllegalArgumentException.class, () -> control.terminate(0)).getMessage());
        assertEquals("pid -4 is not a process id; pids are positive",
                assertThrows(IllegalArgumentException.class, () -> control.terminate(-4)).getMessage());
        assertEquals("port 65536 is outside 1-65535; ports are numbered 1 to 65535",
                assertThrows(IllegalArgumentException.class, () -> control.terminatePort(65536, Protocol.TCP))
                        .getMessage());
        assertEquals("protocol == null",
                assertThrows(NullPointerException.class, () -> control.terminatePort(80, null)).getMessage());
    }

    @Test
    void builder_checksEachOption_andRefusesOneSetTwice() {
        assertEquals("grace period PT-1S is negative; give zero to kill right after the polite signal, or a positive "
                + "duration such as Duration.ofSeconds(10)", assertThrows(IllegalArgumentException.class,
                () -> ProcessControl.builder().gracePeriod(Duration.ofSeconds(-1))).getMessage());
        assertEquals("grace == null", assertThrows(NullPointerException.class,
                () -> ProcessControl.builder().gracePeriod(null)).getMessage());
        assertEquals("gracePeriod is already set on this builder; set each option once",
                assertThrows(IllegalStateException.class, () -> ProcessControl.builder()
                        .gracePeriod(Duration.ofSeconds(1)).gracePeriod(Duration.ofSeconds(2))).getMessage());
        assertEquals("dryRun is already set on this builder; set each option once",
                assertThrows(IllegalStateException.class, () -> ProcessControl.builder().dryRun().dryRun())
                        .getMessage());
        assertEquals("allowOtherUsers is already set on this builder; set each option once",
                assertThrows(IllegalStateException.class,
                        () -> ProcessControl.builder().allowOtherUsers().allowOtherUsers()).getMessage());
        assertEquals("probe == null", assertThrows(NullPointerException.class,
                () -> ProcessControl.builder().probe(null)).getMessage());
        assertEquals("ProcessControl[grace 10 s, own user only]", ProcessControl.create().toString());
        assertEquals("ProcessControl[grace 0 ms, any user, dry run]", ProcessControl.builder()
                .gracePeriod(Duration.ZERO).allowOtherUsers().dryRun().build().toString());
    }
}
