package dev.portmanager.probe;

import dev.portmanager.ListeningSocket;
import dev.portmanager.ProcessInfo;
import dev.portmanager.Protocol;

import java.util.Optional;

/**
 * One row of an OS socket table before its owner is known: what {@link ListeningSocket} holds, plus the socket's
 * inode (Linux; 0 when the kernel holds the socket or the table has no inodes) and, where the table names it, the
 * owning pid. Rows sort as listings read: by port, then TCP before UDP, then address (a natural order rather than a
 * comparator object: one class less to load in a cold JVM). Immutable.
 */
final class NetEntry implements Comparable<NetEntry> {
    final Protocol protocol;
    final String address;
    final int port;
    final String state;
    final long inode;
    final long pid;

    NetEntry(Protocol protocol, String address, int port, String state, long inode, long pid) {
        this.protocol = protocol;
        this.address = address;
        this.port = port;
        this.state = state;
        this.inode = inode;
        this.pid = pid;
    }

    /** The socket with its owner, or with an unknown owner when {@code process} is null. */
    ListeningSocket toSocket(ProcessInfo process) {
        return new ListeningSocket(protocol, address, port, state, Optional.ofNullable(process));
    }

    @Override
    public int compareTo(NetEntry o) {
        if (port != o.port) {
            return Integer.compare(port, o.port);
        }
        if (protocol != o.protocol) {
            return protocol.compareTo(o.protocol);
        }
        return address.compareTo(o.address);
    }

    @Override
    public String toString() {
        return protocol + " " + address + ":" + port + " " + state + " inode " + inode + " pid " + pid;
    }
}
