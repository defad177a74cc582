package dev.portmanager.probe;

import dev.portmanager.ProcessInfo;
import dev.portmanager.probe.TerminationRefusedException.Reason;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The processes {@link ProcessControl} must not end: init, the JVM itself, its ancestors (its parent, the parent's
 * parent, and so on: a shell or listener that started it), and other users' processes
 * unless allowed. Each check throws {@link TerminationRefusedException} naming the process and the reason; it is run
 * for every target before any is signalled. Thread-safe.
 */
final class Guard {
    private final boolean allowOtherUsers;
    private final ProcessReader processes;

    Guard(boolean allowOtherUsers, ProcessReader processes) {
        this.allowOtherUsers = allowOtherUsers;
        this.processes = processes;
    }

    /** Refuses init, this JVM and every ancestor of it; {@code what} names the process in the message. */
    void check(long pid, String what) {
        if (pid == 1) {
            throw new TerminationRefusedException(Reason.INIT_PROCESS, pid, what + " is the init process (pid 1): "
                    + "ending it stops the whole machine or container; stop the service through its service manager");
        }
        ProcessHandle self = ProcessHandle.current();
        if (pid == self.pid()) {
            throw new TerminationRefusedException(Reason.THIS_JVM, pid, what + " is this JVM itself; to end it, "
                    + "return from main or call System.exit");
        }
        List<ProcessHandle> ancestors = ancestors(self);
        for (int i = 0; i < ancestors.size(); i++) {
            if (ancestors.get(i).pid() != pid) {
                continue;
            }
            if (i == 0) {
                throw new TerminationRefusedException(Reason.PARENT_OF_THIS_JVM, pid, what + " is the parent of this "
                        + "JVM (the shell, build tool or supervisor that started it) and ending it could end this JVM "
                        + "too; stop it from outside");
            }
            List<String> between = new ArrayList<>();
            for (ProcessHandle p : ancestors.subList(0, i)) {
                between.add(0, processes.describe(p.pid()).map(ProcessInfo::toString).orElse("pid " + p.pid()));
            }
            throw new TerminationRefusedException(Reason.ANCESTOR_OF_THIS_JVM, pid, what + " started this JVM (pid "
                    + self.pid() + ") through " + String.join(", then ", between) + ": it is an ancestor of this JVM, "
                    + "and ending it could end this JVM too; stop it from outside");
        }
    }

    /** This JVM's parent, its parent's parent and so on, up to (not including) init. */
    private static List<ProcessHandle> ancestors(ProcessHandle self) {
        List<ProcessHandle> chain = new ArrayList<>();
        Optional<ProcessHandle> next = self.parent();
        // A bound: a pid namespace nests at most 32 deep, and process trees rarely go past a few dozen levels.
        while (next.isPresent() && next.get().pid() > 1 && chain.size() < 1024) {
            chain.add(next.get());
            next = next.get().parent();
        }
        return chain;
    }

    /** Refuses a process of another user, or one whose user cannot be read, unless other users are allowed. */
    void checkUser(ProcessInfo process) {
        if (allowOtherUsers) {
            return;
        }
        String me = processes.currentUser();
        if (process.user().isEmpty()) {
            throw new TerminationRefusedException(Reason.OTHER_USER, process.pid(), "the user of " + process
                    + " cannot be read, so it may be another user's; this JVM runs as '" + me + "'", "build the "
                    + "ProcessControl with allowOtherUsers() if ending it is intended");
        }
        if (!process.user().equals(me)) {
            throw new TerminationRefusedException(Reason.OTHER_USER, process.pid(), process + " runs as user '"
                    + process.user() + "', not as '" + me + "' who runs this JVM", "build the ProcessControl with "
                    + "allowOtherUsers() if ending another user's process is intended");
        }
    }
}
