package dev.portmanager.testing;

import dev.portmanager.Protocol;
import dev.portmanager.spi.PortProbe;

/** Prints what the bind probe says of a port, for tests that run it in a JVM with other network settings. */
public final class ProbeMain {
    private ProbeMain() {
    }

    /** {@code ProbeMain <port> <protocol>} prints {@code free} or {@code busy}. */
    public static void main(String[] args) {
        boolean free = PortProbe.bindOnly().isFree(Integer.parseInt(args[0]), Protocol.parse(args[1]));
        System.out.println(free ? "free" : "busy");
    }
}
