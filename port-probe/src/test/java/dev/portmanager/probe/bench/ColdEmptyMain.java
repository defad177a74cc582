package dev.portmanager.probe.bench;

/** Cold start baseline: a JVM that prints a number and exits. */
public final class ColdEmptyMain {
    private ColdEmptyMain() {
    }

    /** Prints 0. */
    public static void main(String[] args) {
        System.out.println(0);
    }
}
