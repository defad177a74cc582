package dev.portmanager.wire;

import dev.portmanager.HealthResult;
import dev.portmanager.HealthStatus;
import dev.portmanager.launch.LaunchReport;
import dev.portmanager.launch.ServiceDefinition;
import dev.portmanager.launch.ServiceStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LaunchJsonTest {
    @Test
    void report_hasANullPidWhereNoProcessRan() {
        LaunchReport r = new LaunchReport(List.of(
                new LaunchReport.Step("db", 5432, 4242, LaunchReport.Outcome.STARTED, "healthy"),
                new LaunchReport.Step("api", 3000, 0, LaunchReport.Outcome.CONFLICT, "held by python3")));
        assertEquals("[{\"service\":\"db\",\"port\":5432,\"pid\":4242,\"outcome\":\"started\",\"detail\":\"healthy\","
                + "\"resources\":null},"
                + "{\"service\":\"api\",\"port\":3000,\"pid\":null,\"outcome\":\"conflict\","
                + "\"detail\":\"held by python3\",\"resources\":null}]", LaunchJson.report(r).toString());
    }

    @Test
    void status_carriesTheDefinitionAndTheLog() {
        ServiceDefinition d = ServiceDefinition.builder("shop", "api").command("java -jar api.jar").dependsOn("db")
                .build();
        ServiceStatus down = new ServiceStatus("api", 3000, 0,
                new HealthResult(HealthStatus.NOT_RUNNING, Duration.ZERO, "refused", OptionalInt.empty()));
        assertEquals("{\"service\":\"api\",\"port\":3000,\"pid\":null,\"health\":\"not_running\","
                + "\"health_detail\":\"refused\",\"command\":\"java -jar api.jar\",\"depends_on\":[\"db\"],"
                + "\"log\":\"/logs/shop/api.log\",\"resources\":null}",
                LaunchJson.status(down, d, Path.of("/logs/shop/api.log")).toString());
        assertEquals("{\"project\":\"shop\",\"service\":\"api\",\"undefined\":true}",
                LaunchJson.undefined("shop", "api", true).toString());
    }
}
