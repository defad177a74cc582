package dev.portmanager.store.json;

import dev.portmanager.AllocationRequest;
import dev.portmanager.PortManager;
import dev.portmanager.spi.PortStore;

import java.nio.file.Path;

/**
 * One process of the multi-process benchmark: {@code BenchWriterMain <file> <fast|naive> <prefix> <count>} allocates
 * {@code count} new ports and prints each allocation's latency in microseconds.
 */
public final class BenchWriterMain {
    private BenchWriterMain() {
    }

    /** Runs the writer. */
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        PortStore store = args[1].equals("naive") ? new NaiveJsonStore(file) : JsonFileStore.open(file);
        int count = Integer.parseInt(args[3]);
        try (PortManager pm = PortManager.builder().store(store).range("bench", 10000, 29999)
                .probe((port, protocol) -> true).build()) {
            System.out.println("ready");
            for (int i = 0; i < count; i++) {
                long t = System.nanoTime();
                pm.allocate(AllocationRequest.builder("bench", args[2] + "-" + i).range("bench").build());
                System.out.println("us " + (System.nanoTime() - t) / 1000);
            }
        } finally {
            store.close();
        }
    }
}
