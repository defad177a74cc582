package dev.portmanager.probe;

import dev.portmanager.ProcessInfo;
import dev.portmanager.probe.TerminationRefusedException.Reason;

/**
 * The processes {@link ProcessControl} must not end: init, the JVM itself, its parent, and other users' processes
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

    /** Refuses init, this JVM and its parent; {@code what} names the process in the message. */
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
        if (self.parent().isPresent() && self.parent().get().pid() == pid) {
            throw new TerminationRefusedException(Reason.PARENT_OF_THIS_JVM, pid, what + " is the parent of this JVM "
                    + "(the shell, build tool or supervisor that started it) and ending it could end this JVM too; "
                    + "stop it from outside");
        }
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
