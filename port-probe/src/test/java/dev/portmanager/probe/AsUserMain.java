package dev.portmanager.probe;

import dev.portmanager.ListeningSocket;
import dev.portmanager.Protocol;

/**
 * A JVM of its own for the process-control tests, run by {@link OtherUser} as another user or by a listener through
 * {@code bash -c}: {@code listeners} prints every socket the probe sees; {@code terminate-port PORT} tries to end the
 * owner of a TCP port and prints the result or the refusal.
 */
public final class AsUserMain {
    private AsUserMain() {
    }

    /** See the class comment. */
    public static void main(String[] args) {
        if (args[0].equals("listeners")) {
            for (ListeningSocket s : SystemProbe.create().listeners()) {
                System.out.println(s);
            }
        } else {
            try {
                System.out.println(ProcessControl.create().terminatePort(Integer.parseInt(args[1]), Protocol.TCP));
            } catch (TerminationRefusedException e) {
                System.out.println("refused " + e.reason() + ": " + e.getMessage());
            }
        }
    }
}
