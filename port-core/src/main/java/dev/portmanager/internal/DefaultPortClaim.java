package dev.portmanager.internal;

import dev.portmanager.Allocation;
import dev.portmanager.PortClaim;
import dev.portmanager.PortConflictException;
import dev.portmanager.PortManager;
import dev.portmanager.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** A claim made by {@link DefaultPortManager}: its allocation, and the sockets that hold the port. Thread-safe. */
final class DefaultPortClaim implements PortClaim {
    private static final Logger LOG = LoggerFactory.getLogger(PortManager.class);

    private final PortManager manager;
    private final Allocation allocation;
    private final List<Closeable> held = new ArrayList<>(2);
    private boolean closed;

    DefaultPortClaim(PortManager manager, Allocation allocation) {
        this.manager = manager;
        this.allocation = allocation;
    }

    @Override
    public int port() {
        return allocation.port();
    }

    @Override
    public Allocation allocation() {
        return allocation;
    }

    @Override
    public synchronized PortClaim hold() {
        if (closed) {
            throw new IllegalStateException("claim of port " + port() + " is closed; claim again");
        }
        if (!held.isEmpty()) {
            return this;
        }
        try {
            if (allocation.protocol().covers(Protocol.TCP)) {
                ServerSocket s = new ServerSocket();
                held.add(s);
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(port()));
            }
            if (allocation.protocol().covers(Protocol.UDP)) {
                DatagramSocket d = new DatagramSocket(null);
                held.add(d);
                d.setReuseAddress(false);
                d.bind(new InetSocketAddress(port()));
            }
        } catch (IOException e) {
            handOff();
            throw new PortConflictException(port(), null, "claimed port " + port() + "/" + allocation.protocol()
                    + " cannot be held: " + e.getMessage() + "; a process outside the registry took it since it was "
                    + "claimed. Close this claim and claim another");
        }
        return this;
    }

    @Override
    public synchronized boolean isHeld() {
        return !held.isEmpty();
    }

    @Override
    public synchronized void handOff() {
        for (Closeable c : held) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.debug("closing a socket holding port {} failed: {}", port(), e.toString());
            }
        }
        held.clear();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        handOff();
        try {
            manager.release(allocation);
        } catch (RuntimeException e) {
            LOG.warn("could not release the claim of port {} ({}); it is freed anyway when this JVM exits", port(),
                    e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "PortClaim{" + port() + "/" + allocation.protocol() + (isHeld() ? ", held" : "") + "}";
    }
}
