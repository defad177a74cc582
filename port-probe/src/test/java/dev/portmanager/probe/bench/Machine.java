package dev.portmanager.probe.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the benchmark ran on, for the report. */
final class Machine {
    private Machine() {
    }

    static String describe() throws IOException {
        String cpu = "unknown CPU";
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                cpu = line.substring(line.indexOf(':') + 1).trim();
                break;
            }
        }
        return "Machine: " + cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim() + ", "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + "; "
                + processesAndDescriptors() + "; load average at start "
                + Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0]
                + " (the machine is shared with other builds).\n";
    }

    /** {@code 72 processes, 610 descriptors}, counting what this user can see. */
    static String processesAndDescriptors() {
        String[] names = new File("/proc").list();
        int processes = 0;
        long descriptors = 0;
        for (String name : names == null ? new String[0] : names) {
            if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
                processes++;
                String[] fds = new File("/proc/" + name + "/fd").list();
                descriptors += fds == null ? 0 : fds.length;
            }
        }
        return processes + " processes, " + descriptors + " descriptors";
    }
}
