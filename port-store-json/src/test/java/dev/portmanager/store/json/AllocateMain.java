package dev.portmanager.store.json;

import dev.portmanager.AllocationRequest;
import dev.portmanager.PortManager;

import java.nio.file.Path;

/**
 * A writer process for the cross-process tests: {@code AllocateMain <file> <prefix> <count>} allocates {@code count}
 * ports from range {@code load} (21000-22999) and prints {@code ok <port>} after each allocation the API returned.
 */
public final class AllocateMain {
    private AllocateMain() {
    }

    /** Runs the writer. */
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        String prefix = args[1];
        int count = Integer.parseInt(args[2]);
        try (PortManager pm = PortManager.builder().store(JsonFileStore.open(file)).range("load", 21000, 22999)
                .probe((port, protocol) -> true).build()) {
            System.out.println("ready");
            System.out.flush();
            for (int i = 0; i < count; i++) {
                int port = pm.allocate(AllocationRequest.builder("load", prefix + "-" + i).range("load").build()).port();
                System.out.println("ok " + port);
                System.out.flush();
            }
        }
    }
}
