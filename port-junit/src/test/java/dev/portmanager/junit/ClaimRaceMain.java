package dev.portmanager.junit;

import dev.portmanager.ClaimRegistry;
import dev.portmanager.PortClaim;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * One racer of {@link ClaimRaceBenchmark}: {@code ClaimRaceMain <way> <count>} warms up ({@value #WARM_UP} ports got
 * and given back, the same for every way), prints {@code ready}, waits
 * for a line (so that every racer starts at once), gets {@code count} ports the given way (holding every claim), prints
 * {@code nanos <each>} and {@code ports <each>}, then waits for another line and exits. Ways: {@code bind} (a
 * {@code new ServerSocket(0)}, bound then closed), {@code claim} ({@code FreePorts.claim()}, the claim locks) and
 * {@code json} (the claim registry's manager's {@code claim()}: the JSON file rewritten under its lock, as claims were
 * made before).
 */
public final class ClaimRaceMain {
    /** Ports got and given back before the race. */
    static final int WARM_UP = 100;

    private ClaimRaceMain() {
    }

    /** Races once. */
    public static void main(String[] args) throws Exception {
        String way = args[0];
        int count = Integer.parseInt(args[1]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (int i = 0; i < WARM_UP; i++) {
            close(get(way));
        }
        System.out.println("ready");
        System.out.flush();
        in.readLine();
        long[] nanos = new long[count];
        List<AutoCloseable> held = new ArrayList<>(count);
        StringJoiner ports = new StringJoiner(" ", "ports ", "");
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            Object got = get(way);
            nanos[i] = System.nanoTime() - start;
            ports.add(String.valueOf(port(got)));
            if (got instanceof AutoCloseable) {
                held.add((AutoCloseable) got);
            }
        }
        StringJoiner times = new StringJoiner(" ", "nanos ", "");
        for (long n : nanos) {
            times.add(String.valueOf(n));
        }
        System.out.println(times);
        System.out.println(ports);
        System.out.flush();
        in.readLine();
        for (AutoCloseable c : held) {
            c.close();
        }
    }

    /** A port the given way: its number (bind) or its claim. */
    private static Object get(String way) throws Exception {
        switch (way) {
            case "bind":
                try (ServerSocket s = new ServerSocket(0)) {
                    return s.getLocalPort();
                }
            case "claim":
                return FreePorts.claim();
            case "json":
                return ClaimRegistry.open().manager().claim();
            default:
                throw new IllegalArgumentException("way '" + way + "' is none of bind, claim, json");
        }
    }

    private static int port(Object got) {
        return got instanceof PortClaim ? ((PortClaim) got).port() : (Integer) got;
    }

    private static void close(Object got) throws Exception {
        if (got instanceof AutoCloseable) {
            ((AutoCloseable) got).close();
        }
    }
}
