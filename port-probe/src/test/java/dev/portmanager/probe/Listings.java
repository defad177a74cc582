package dev.portmanager.probe;

import dev.portmanager.ListeningSocket;

import java.util.ArrayList;
import java.util.List;

/** Sockets as the lines tests compare, such as {@code TCP 127.0.0.1:8080 LISTEN python3 (pid 12345)}. */
final class Listings {
    private Listings() {
    }

    static List<String> lines(List<ListeningSocket> sockets) {
        List<String> out = new ArrayList<>();
        for (ListeningSocket s : sockets) {
            out.add(s.toString());
        }
        return out;
    }

    /** An inode table looking for the given inodes. */
    static InodeTable lookingFor(long... inodes) {
        InodeTable table = new InodeTable(inodes.length);
        for (long inode : inodes) {
            table.add(inode);
        }
        return table;
    }
}
