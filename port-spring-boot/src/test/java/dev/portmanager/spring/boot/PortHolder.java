package dev.portmanager.spring.boot;

import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** A foreign process for the audit: listens on the port in {@code args[0]}, prints {@code ready}, and waits. */
public final class PortHolder {
    private PortHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(Integer.parseInt(args[0])));
            System.out.println("ready");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
