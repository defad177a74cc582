package dev.portmanager.wire;

import dev.portmanager.AuditReport;
import dev.portmanager.ConflictLevel;
import dev.portmanager.CheckReport;
import dev.portmanager.ListeningSocket;
import dev.portmanager.PlannedBinding;
import dev.portmanager.PortEvent;
import dev.portmanager.ProcessInfo;
import dev.portmanager.Protocol;
import dev.portmanager.RangeSummary;
import dev.portmanager.probe.Termination;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.portmanager.wire.RegistryJsonTest.AT;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MachineJsonTest {
    static final ListeningSocket PYTHON = new ListeningSocket(Protocol.TCP, "127.0.0.1", 8080, "LISTEN",
            Optional.of(new ProcessInfo(412, "python3", "python3 -m http.server", "ana", Optional.of(AT))));
    static final ListeningSocket UNSEEN = new ListeningSocket(Protocol.UDP, "::", 5353, "UNCONN", Optional.empty());

    static final String PYTHON_JSON = "{\"port\":8080,\"protocol\":\"tcp\",\"address\":\"127.0.0.1\","
            + "\"state\":\"LISTEN\",\"pid\":412,\"command\":\"python3\",\"command_line\":\"python3 -m http.server\","
            + "\"user\":\"ana\"}";

    @Test
    void socket_withAndWithoutAVisibleProcess() {
        assertEquals("[" + PYTHON_JSON + ",{\"port\":5353,\"protocol\":\"udp\",\"address\":\"::\","
                + "\"state\":\"UNCONN\",\"pid\":null,\"command\":null}]",
                MachineJson.sockets(List.of(PYTHON, UNSEEN)).toString());
    }

    @Test
    void audit_carriesSummaryZombiesConflictsOrphansAndRanges() {
        AuditReport.Conflict conflict = new AuditReport.Conflict(RegistryJsonTest.full(), PYTHON, "stop it",
                ConflictLevel.HIGH);
        AuditReport.Orphan orphan = new AuditReport.Orphan(UNSEEN, "dns");
        AuditReport r = new AuditReport(AT, "localhost", 2, 1, 1, 1, 50, List.of(RegistryJsonTest.bare()),
                List.of(orphan), List.of(conflict),
                List.of(new AuditReport.RangeUsage(new RangeSummary("web", 8080, 8099, 20, 17, 0, 3, 85.0), true)),
                true);
        String json = MachineJson.audit(r).toString();
        assertEquals("{\"at\":\"2025-12-31T10:00:00Z\",\"host\":\"localhost\",\"summary\":{\"allocated\":2,"
                + "\"in_use\":1,\"not_running\":1,\"reserved\":1,\"health_percentage\":50},\"saw_sockets\":true,"
                + "\"zombies\":[" + RegistryJson.allocation(RegistryJsonTest.bare()) + "],"
                + "\"conflicts\":[{\"port\":8080,\"expected\":\"consilio/web\",\"found\":" + PYTHON_JSON + ","
                + "\"level\":\"high\",\"message\":" + quote(conflict.message()) + ",\"suggestion\":\"stop it\"}],"
                + "\"orphans\":[{\"port\":5353,\"protocol\":\"udp\",\"address\":\"::\",\"state\":\"UNCONN\","
                + "\"pid\":null,\"command\":null,\"range\":\"dns\"}],"
                + "\"ranges\":[{\"range\":\"web\",\"start\":8080,\"end\":8099,\"total\":20,\"allocated\":17,"
                + "\"excluded\":0,\"available\":3,\"utilization_percent\":85.0,\"warning\":true}],"
                + "\"resources\":[],\"by_connecting\":false}", json);
        assertEquals(MachineJson.audit(r).get("conflicts"), MachineJson.conflicts(r.conflicts()));
        assertEquals("{\"port\":5353,\"protocol\":\"udp\",\"address\":\"::\",\"state\":\"UNCONN\",\"pid\":null,"
                + "\"command\":null,\"host\":\"localhost\",\"project\":\"adopted\",\"service\":\"unknown-5353\","
                + "\"range\":\"dns\",\"status\":\"would_adopt\"}",
                MachineJson.wouldAdopt(orphan, "localhost", "adopted", "unknown-5353").toString());
    }

    @Test
    void portHolder_isNullWhereNothingHoldsIt() {
        assertEquals("{\"port\":8080,\"allocation\":null,\"listener\":" + PYTHON_JSON + "}",
                MachineJson.portHolder(8080, Optional.empty(), Optional.of(PYTHON)).toString());
        assertEquals("{\"port\":3000,\"allocation\":" + RegistryJson.allocation(RegistryJsonTest.bare())
                + ",\"listener\":null}",
                MachineJson.portHolder(3000, Optional.of(RegistryJsonTest.bare()), Optional.empty()).toString());
    }

    @Test
    void plannedBindings_terminationsAndEvents() {
        CheckReport report = new CheckReport(List.of(new CheckReport.Result(
                new PlannedBinding("shop", "dns", 5353, Protocol.UDP, "::1"), CheckReport.Verdict.IN_USE, "held")));
        assertEquals("[{\"service\":\"dns\",\"port\":5353,\"protocol\":\"udp\",\"address\":\"::1\","
                + "\"verdict\":\"in_use\",\"detail\":\"held\"}]", MachineJson.plannedBindings(report).toString());
        assertEquals("[{\"pid\":412,\"outcome\":\"would_terminate\",\"detail\":\"would send SIGTERM\"}]",
                MachineJson.terminations(List.of(new Termination(412, Optional.empty(),
                        Termination.Outcome.WOULD_TERMINATE, Duration.ZERO, "would send SIGTERM"))).toString());
        PortEvent e = PortEvent.about(PortEvent.Type.UNHEALTHY, AT, RegistryJsonTest.full(), "HTTP 500");
        assertEquals("{\"at\":\"2025-12-31T10:00:00Z\",\"event\":\"unhealthy\",\"port\":8080,\"protocol\":\"tcp\","
                + "\"project\":\"consilio\",\"service\":\"web\",\"detail\":\"HTTP 500\"}",
                MachineJson.event(e).toString());
    }

    private static String quote(String s) {
        return dev.portmanager.wire.Nodes.F.textNode(s).toString();
    }
}
