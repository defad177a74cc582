package dev.portmanager.internal;

import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.PortEvent;
import dev.portmanager.PortManager;
import dev.portmanager.PortManagerBuilder;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** Managers on memory stores with a range "r" of their own, real listening sockets, the events heard; closes all. */
final class ManagerFixture implements AutoCloseable {
    final List<PortEvent> events = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    PortManager manager(int first, int last, Consumer<PortManagerBuilder> config) {
        PortManagerBuilder b = PortManager.builder().store("memory:").range("r", first, last).listener(events::add);
        config.accept(b);
        PortManager pm = b.build();
        open.add(pm);
        return pm;
    }

    ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket(port, 50, InetAddress.getByName("0.0.0.0"));
        open.add(s);
        return s;
    }

    static List<HistoryAction> actions(PortManager pm) {
        return pm.history(HistoryQuery.all()).stream().map(HistoryEntry::action).collect(Collectors.toList());
    }

    List<PortEvent.Type> eventTypes() {
        return events.stream().map(PortEvent::type).collect(Collectors.toList());
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }
}
