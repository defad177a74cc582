package dev.portmanager.store.json;

import dev.portmanager.PortManager;
import dev.portmanager.PortManagerBuilder;

/**
 * An application's start, for {@link StartupPathTest}: {@code StartupMain <file> [declare]} builds a manager on the
 * JSON registry {@code file} and prints {@code getOrAllocate("app", "api")}. With {@code declare} it declares range
 * {@code startup} (23100-23109) and makes it the default range, as a first start must to keep to its ports; without,
 * it declares nothing, as the start-up benchmark's program.
 */
public final class StartupMain {
    private StartupMain() {
    }

    /** Runs the start. */
    public static void main(String[] args) {
        PortManagerBuilder builder = PortManager.builder().store("json:" + args[0]);
        if (args.length > 1 && args[1].equals("declare")) {
            builder.range("startup", 23100, 23109).defaultRange("startup");
        }
        try (PortManager pm = builder.build()) {
            System.out.println(pm.getOrAllocate("app", "api"));
        }
    }
}
