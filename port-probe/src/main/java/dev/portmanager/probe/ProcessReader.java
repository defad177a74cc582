package dev.portmanager.probe;

import dev.portmanager.ProcessInfo;

import java.util.Optional;

/** What the platform says about one process: how {@link ProcessControl} and the socket tables describe owners. */
interface ProcessReader {
    /** The process with this pid, empty when none runs (or it is a zombie) or it cannot be seen at all. */
    Optional<ProcessInfo> describe(long pid);

    /** The name of the user this JVM runs as, in the form {@link ProcessInfo#user()} uses. */
    String currentUser();

    /** Whether a process with this pid still runs; a zombie waiting to be reaped does not. */
    boolean isRunning(long pid);
}
