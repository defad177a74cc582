package dev.portmanager.wire;

import dev.portmanager.AuditReport;
import dev.portmanager.ResourceUsage;
import dev.portmanager.launch.LaunchReport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A process's resource use as JSON: in the audit, the launch report and the status. */
class ResourceJsonTest {
    private static final ResourceUsage USE = new ResourceUsage(4242, Optional.of(Duration.ofMillis(1250)),
            OptionalDouble.of(12.5), OptionalLong.of(52_428_800));

    @Test
    void resources_haveNumbersWhereKnown_andNullsWhereNot() {
        assertEquals("{\"pid\":4242,\"cpu_seconds\":1.25,\"cpu_percent\":12.5,\"resident_bytes\":52428800}",
                MachineJson.resources(USE).toString());
        assertEquals("{\"pid\":7,\"cpu_seconds\":null,\"cpu_percent\":null,\"resident_bytes\":null}",
                MachineJson.resources(ResourceUsage.unknown(7)).toString());
    }

    @Test
    void audit_andLaunchReport_carryEachServicesUse() {
        AuditReport r = new AuditReport(Instant.parse("2025-12-31T10:00:00Z"), "localhost", 1, 1, 0, 0, 100,
                List.of(), List.of(), List.of(), List.of(), true, List.of(new AuditReport.ServiceResources(
                RegistryJsonTest.bare(), USE, List.of("resident memory 50.0 MB above the limit 40.0 MB"))), false);
        assertEquals("[{\"port\":" + RegistryJsonTest.bare().port() + ",\"project\":\""
                + RegistryJsonTest.bare().project() + "\",\"service\":\"" + RegistryJsonTest.bare().service()
                + "\",\"pid\":4242,\"cpu_seconds\":1.25,\"cpu_percent\":12.5,\"resident_bytes\":52428800,"
                + "\"over_limits\":[\"resident memory 50.0 MB above the limit 40.0 MB\"]}]",
                MachineJson.audit(r).get("resources").toString());
        LaunchReport report = new LaunchReport(List.of(new LaunchReport.Step("db", 5432, 4242,
                LaunchReport.Outcome.STARTED, "healthy", Optional.of(USE))));
        assertEquals("{\"pid\":4242,\"cpu_seconds\":1.25,\"cpu_percent\":12.5,\"resident_bytes\":52428800}",
                LaunchJson.report(report).get(0).get("resources").toString());
    }
}
