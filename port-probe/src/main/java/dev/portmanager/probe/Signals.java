package dev.portmanager.probe;

/**
 * How {@link ProcessControl} asks a process to end: {@link ProcessHandle#destroy()} (SIGTERM on Unix) and
 * {@link ProcessHandle#destroyForcibly()} (SIGKILL). The JDK checks the process start time before signalling, so a
 * pid reused since the handle was taken is never hit. Tests of refusals replace it with one that fails if called:
 * signalling init or the build's own JVM is not something a test may risk. Thread-safe.
 */
class Signals {
    private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

    /** Sends the polite request; false if the operating system refused or the process is gone. */
    boolean terminate(ProcessHandle process) {
        return process.destroy();
    }

    /** Sends the forcible kill; false if the operating system refused or the process is gone. */
    boolean kill(ProcessHandle process) {
        return process.destroyForcibly();
    }

    /** The polite request's name for messages. */
    String gentle() {
        return WINDOWS ? "TerminateProcess" : "SIGTERM";
    }

    /** The forcible kill's name for messages. */
    String forcible() {
        return WINDOWS ? "TerminateProcess" : "SIGKILL";
    }
}
