package dev.portmanager.probe;

/**
 * Short-lived helper threads for work the kernel can do in parallel (reading {@code /proc}): daemon threads, so a
 * scan never keeps a JVM alive, started per call and joined before the call returns. Thread-safe.
 */
final class Helpers {
    private Helpers() {
    }

    /** Starts {@code task} on a new daemon thread. */
    static Thread start(Runnable task, String name) {
        Thread helper = new Thread(task, name);
        helper.setDaemon(true);
        helper.start();
        return helper;
    }

    /**
     * Waits for a helper to end. An interrupt does not cut the wait short (the helper ends within the call anyway);
     * it is kept for the caller to see.
     */
    static void join(Thread helper) {
        boolean interrupted = false;
        while (true) {
            try {
                helper.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
