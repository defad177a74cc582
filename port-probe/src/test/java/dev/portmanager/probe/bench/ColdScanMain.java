package dev.portmanager.probe.bench;

import dev.portmanager.probe.SystemProbe;

/** Cold start: a JVM that runs one full listener scan with owners and exits. */
public final class ColdScanMain {
    private ColdScanMain() {
    }

    /** Prints how many sockets were found. */
    public static void main(String[] args) {
        System.out.println(SystemProbe.create().listeners().size());
    }
}
