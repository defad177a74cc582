package dev.portmanager.internal;

import dev.portmanager.ProcessOwner;
import dev.portmanager.internal.MachineIdentity.Sight;
import dev.portmanager.testing.ChildProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What tells machines, boots and PID namespaces apart, read from the real system, and the judgement it gives. */
class MachineIdentityTest {
    private static final String MACHINE = "3d1219c7c4c5404aaa1f6d2a48adfda4";
    private static final String BOOT = "ff151e8a-4cd9-4dd8-a810-85c2aa5f0853";
    private static final Instant BOOTED = Instant.parse("2026-01-10T08:00:00Z");
    private static final MachineIdentity HERE = new MachineIdentity("vm", MACHINE, BOOT, "4026531836");

    private static Sight sight(String theirs, Instant started) {
        return HERE.sight(MachineIdentity.parse(theirs), started, BOOTED);
    }

    @Test
    void tokenAndNamespaceRules_acceptWhatTheRegularExpressionsTheyReplaceAccepted() {
        Pattern token = Pattern.compile("[0-9A-Za-z-]{1,64}");
        Pattern namespace = Pattern.compile("pid:\\[(\\d+)]");
        String[] texts = {"", "3d1219c7c4c5404aaa1f6d2a48adfda4", BOOT, "a", "-", "x".repeat(64), "x".repeat(65), "a b",
            "a_b", "a.b", "\u00e9", "\u0663", "pid:[4026531836]", "pid:[]", "pid:[12a]", "pid:[\u0663]", "pid:4026531836",
            "net:[4026531836]", "pid:[1]", "pid:[1]]", "pid:[[1]", "xpid:[1]"};
        for (String text : texts) {
            assertEquals(token.matcher(text).matches(), MachineIdentity.isToken(text), "token " + text);
            Matcher m = namespace.matcher(text);
            assertEquals(m.matches() ? m.group(1) : null, MachineIdentity.namespaceInode(text), "namespace " + text);
        }
    }

    @Test
    void identity_isTheHostMachineIdBootIdAndPidNamespace_theSystemReports() throws Exception {
        Path ns = Path.of("/proc/self/ns/pid");
        Assumptions.assumeTrue(Files.exists(ns, java.nio.file.LinkOption.NOFOLLOW_LINKS), "no /proc: not Linux");
        String pidns = Files.readSymbolicLink(ns).toString().replaceAll("\\D", "");
        String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).strip();
        Path machineIdFile = Path.of("/etc/machine-id");
        String machineId = Files.isReadable(machineIdFile) ? Files.readString(machineIdFile).strip() : "";
        String expected = LocalMachine.name() + (machineId.isEmpty() ? "" : ";machine=" + machineId) + ";boot=" + boot
                + ";pidns=" + pidns;
        assertEquals(expected, LocalMachine.identity().toString());
        assertEquals(expected, ProcessOwner.current().machine());
        long pid = ProcessHandle.current().pid();
        assertEquals("pid " + pid + " on " + LocalMachine.name()
                + (pidns.equals(MachineIdentity.INIT_PID_NAMESPACE) ? "" : " in PID namespace " + pidns),
                ProcessOwner.current().toString());
    }

    @Test
    void parse_readsWhatToStringWrites_andIgnoresPartsOfLaterVersions() {
        assertEquals(HERE, MachineIdentity.parse(HERE.toString()));
        assertEquals(new MachineIdentity("vm", null, null, null), MachineIdentity.parse("VM"));
        assertEquals(new MachineIdentity("vm", null, BOOT, "7"), MachineIdentity.parse("vm;boot=" + BOOT
                + ";cgroup=abc;pidns=7"));
        assertEquals("pid 7 on vm in PID namespace 4026532178",
                new ProcessOwner(7, BOOTED, "vm;boot=" + BOOT + ";pidns=4026532178").toString());
        assertEquals("pid 7 on vm", new ProcessOwner(7, BOOTED, HERE.toString()).toString());
    }

    @Test
    void sight_judgesOnlyOwnersOfThisMachineBootAndPidNamespace() {
        Instant before = BOOTED.minusSeconds(3600);
        Instant after = BOOTED.plusSeconds(3600);
        assertEquals(Sight.VISIBLE, sight(HERE.toString(), after));
        assertEquals(Sight.VISIBLE, sight("vm", after), "an owner of an older version: judged by pid, as before");
        assertEquals(Sight.CANNOT_JUDGE, sight("build-7", after));
        assertEquals(Sight.CANNOT_JUDGE, sight("build-7;machine=" + MACHINE + ";boot=" + BOOT + ";pidns=4026531836",
                after), "another host name");
        assertEquals(Sight.CANNOT_JUDGE, sight("vm;machine=" + MACHINE + ";boot=" + BOOT + ";pidns=4026532178",
                after), "another PID namespace");
        assertEquals(Sight.CANNOT_JUDGE, sight("vm;machine=" + MACHINE + ";boot=" + BOOT, after),
                "a namespace it did not say");
        assertEquals(Sight.CANNOT_JUDGE, sight("vm;machine=0000;boot=" + BOOT + ";pidns=4026531836", after),
                "another machine of the same name");
        String earlierBoot = "vm;machine=" + MACHINE + ";boot=00000000-1111-2222-3333-444444444444;pidns=4026531836";
        assertEquals(Sight.ENDED_BOOT, sight(earlierBoot, before), "an earlier boot of this machine");
        assertEquals(Sight.CANNOT_JUDGE, sight(earlierBoot, after),
                "started after this boot began: a machine running now, such as a clone of this one");
        assertEquals(Sight.CANNOT_JUDGE, sight("vm;boot=00000000-1111-2222-3333-444444444444;pidns=4026531836",
                before), "another boot, and no machine id to tell it is this machine's");
        assertEquals(Sight.CANNOT_JUDGE, new MachineIdentity("vm", MACHINE, null, null)
                .sight(MachineIdentity.parse(HERE.toString()), after, BOOTED), "this process cannot read its boot");
    }

    @Test
    void isAlive_lookingUpOnlyOwnersItCanSee() throws Exception {
        MachineIdentity me = LocalMachine.identity();
        Assumptions.assumeTrue(me.bootId() != null && me.pidNamespace() != null, "no boot id or PID namespace here");
        long pid;
        Instant started;
        try (ChildProcess child = ChildProcess.start()) {
            pid = child.owner().pid();
            started = child.owner().startedAt();
            child.kill();
        }
        assertFalse(LocalMachine.isAlive(new ProcessOwner(pid, started, me.toString())), "a dead process here");
        assertFalse(LocalMachine.isAlive(new ProcessOwner(pid, started, me.host())), "an owner of an older version");
        String otherNamespace = new MachineIdentity(me.host(), me.machineId(), me.bootId(), "1").toString();
        assertTrue(LocalMachine.isAlive(new ProcessOwner(pid, started, otherNamespace)),
                "its pid names no process of that namespace: it cannot be judged");
        assertFalse(LocalMachine.canSee(new ProcessOwner(pid, started, otherNamespace)));

        Assumptions.assumeTrue(me.machineId() != null, "no machine id: an earlier boot cannot be told from a machine");
        ProcessOwner self = ProcessOwner.current();
        String earlierBoot = new MachineIdentity(me.host(), me.machineId(), "00000000-1111-2222-3333-444444444444",
                me.pidNamespace()).toString();
        assertFalse(LocalMachine.isAlive(new ProcessOwner(self.pid(), Instant.EPOCH.plusSeconds(1), earlierBoot)),
                "an earlier boot's process is gone, even with the pid of a live process now");
    }
}
