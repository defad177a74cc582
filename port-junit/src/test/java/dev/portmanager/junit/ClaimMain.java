package dev.portmanager.junit;

import dev.portmanager.PortClaim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A claiming JVM for the cross-JVM tests: {@code ClaimMain <count> [range]} claims {@code count} ports one by one
 * (from the range, when one is named) from the default claim registry, prints {@code port <n>} for each, then
 * {@code done}, and keeps every claim until a line arrives on its input (or it is killed).
 */
public final class ClaimMain {
    private ClaimMain() {
    }

    /** Claims, reports, waits. */
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        List<PortClaim> claims = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            PortClaim claim = args.length > 1 ? FreePorts.claim(args[1]) : FreePorts.claim();
            claims.add(claim);
            System.out.println("port " + claim.port());
        }
        System.out.println("done");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        claims.forEach(PortClaim::close);
    }

    /** The ports a running {@code ClaimMain} printed, read up to its {@code done}. */
    static List<Integer> ports(Process p) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<Integer> ports = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null && !line.equals("done")) {
            ports.add(Integer.parseInt(line.substring("port ".length())));
        }
        return ports;
    }
}
