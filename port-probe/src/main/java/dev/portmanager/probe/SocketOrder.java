package dev.portmanager.probe;

import dev.portmanager.ListeningSocket;

import java.util.Comparator;

/**
 * Listings sort by port, then TCP before UDP, then address, so they read like {@code ss} output and compare in
 * tests. A class rather than a lambda: a cold scan should not pay for the lambda machinery. Thread-safe.
 */
final class SocketOrder implements Comparator<ListeningSocket> {
    static final SocketOrder INSTANCE = new SocketOrder();

    private SocketOrder() {
    }

    @Override
    public int compare(ListeningSocket a, ListeningSocket b) {
        if (a.port() != b.port()) {
            return Integer.compare(a.port(), b.port());
        }
        if (a.protocol() != b.protocol()) {
            return a.protocol().compareTo(b.protocol());
        }
        return a.address().compareTo(b.address());
    }
}
