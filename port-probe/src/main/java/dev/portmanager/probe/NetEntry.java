package dev.portmanager.probe;

import dev.portmanager.ListeningSocket;
import dev.portmanager.ProcessInfo;
import dev.portmanager.Protocol;

import java.util.Optional;

/**
 * One row of an OS socket table before its owner is known: what {@link ListeningSocket} holds, plus the socket's
 * inode (Linux; 0 when the kernel holds the socket or the table has no inodes) and, where the table names it, the
 * owning pid. Immutable.
 */
final class NetEntry {
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
    public String toString() {
        return protocol + " " + address + ":" + port + " " + state + " inode " + inode + " pid " + pid;
    }
}
