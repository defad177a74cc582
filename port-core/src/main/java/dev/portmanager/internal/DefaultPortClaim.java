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
import java.util.Objects;

/**
 * A claim made by {@link DefaultPortManager} or by the claim registry's locks: its allocation, the sockets that hold the
 * port, and what gives the claim back. Not API. Thread-safe.
 */
public final class DefaultPortClaim implements PortClaim {
    private static final Logger LOG = LoggerFactory.getLogger(PortManager.class);

    private final Allocation allocation;
    private final Runnable release;
    private final List<Closeable> held = new ArrayList<>(2);
    private boolean closed;

    private DefaultPortClaim(Allocation allocation, Runnable release) {
        this.allocation = allocation;
        this.release = release;
    }

    /**
     * A claim of the allocation's port that {@code release} gives back on {@link #close()}, once.
     *
     * @throws NullPointerException if an argument is null
     */
    public static PortClaim of(Allocation allocation, Runnable release) {
        return new DefaultPortClaim(Objects.requireNonNull(allocation, "allocation == null"),
                Objects.requireNonNull(release, "release == null"));
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
            release.run();
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
