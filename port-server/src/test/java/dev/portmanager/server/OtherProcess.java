package dev.portmanager.server;

import dev.portmanager.AllocationRequest;
import dev.portmanager.PortManager;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another process of the registry: a fresh JVM that allocates straight into the store, without the server. Its
 * main takes a store URI, a project, a range, a service name prefix and a count, allocates {@code prefix-0..count-1}
 * (releasing every second one when asked), and prints each port on a line.
 */
final class OtherProcess {
    private OtherProcess() {
    }

    /** Starts the JVM; its output is read by {@link #ports(Process)}. */
    static Process start(String store, String project, String range, String prefix, int count, boolean release)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), OtherProcess.class.getName(), store, project, range, prefix,
                String.valueOf(count), String.valueOf(release))).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Waits for the JVM and returns the ports it printed. */
    static List<Integer> ports(Process p) throws IOException, InterruptedException {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("the other process failed (exit " + (p.isAlive() ? "none" : p.exitValue())
                    + "): " + out);
        }
        List<Integer> ports = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                ports.add(Integer.parseInt(line.strip()));
            }
        }
        return ports;
    }

    /** {@code OtherProcess <store> <project> <range> <prefix> <count> <release every second>}. */
    public static void main(String[] args) {
        try (PortManager pm = PortManager.builder().store(args[0]).build()) {
            int count = Integer.parseInt(args[4]);
            boolean release = Boolean.parseBoolean(args[5]);
            for (int i = 0; i < count; i++) {
                int port = pm.getOrAllocate(AllocationRequest.builder(args[1], args[3] + "-" + i).range(args[2])
                        .build()).port();
                System.out.println(port);
                if (release && i % 2 == 1) {
                    pm.release(args[1], args[3] + "-" + i);
                }
            }
        }
    }
}
