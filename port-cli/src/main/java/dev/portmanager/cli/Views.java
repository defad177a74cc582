package dev.portmanager.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portmanager.Allocation;
import dev.portmanager.HistoryEntry;
import dev.portmanager.ListeningSocket;
import dev.portmanager.PortRange;
import dev.portmanager.ProcessInfo;
import dev.portmanager.RangeSummary;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The model as JSON objects (snake_case, as in ports.json) and as table cells. */
final class Views {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Views() {
    }

    static ObjectNode allocation(Allocation a) {
        ObjectNode n = F.objectNode();
        n.put("port", a.port());
        n.put("protocol", lower(a.protocol()));
        n.put("host", a.host());
        n.put("project", a.project());
        n.put("service", a.service());
        n.put("range", a.range().orElse(null));
        n.put("environment", a.environment());
        n.put("status", lower(a.status()));
        n.put("description", a.description());
        n.put("allocated_at", a.allocatedAt().toString());
        n.put("allocated_by", a.allocatedBy());
        n.put("expires_at", a.expiresAt().map(Instant::toString).orElse(null));
        if (a.owner().isPresent()) {
            ObjectNode o = n.putObject("owner");
            o.put("pid", a.owner().get().pid());
            o.put("started_at", a.owner().get().startedAt().toString());
            o.put("machine", a.owner().get().machine());
        } else {
            n.putNull("owner");
        }
        if (a.processId().isPresent()) {
            n.put("process_id", a.processId().getAsLong());
        } else {
            n.putNull("process_id");
        }
        n.put("health_endpoint", a.healthEndpoint().map(Object::toString).orElse(null));
        n.put("health_status", lower(a.healthStatus()));
        n.put("last_health_check", a.lastHealthCheck().map(Instant::toString).orElse(null));
        ObjectNode meta = n.putObject("metadata");
        a.metadata().forEach(meta::put);
        n.put("id", a.id());
        return n;
    }

    static ArrayNode allocations(List<Allocation> all) {
        ArrayNode array = F.arrayNode();
        all.forEach(a -> array.add(allocation(a)));
        return array;
    }

    static List<String> allocationHeader() {
        return List.of("PORT", "PROTO", "HOST", "PROJECT", "SERVICE", "ENV", "RANGE", "STATUS", "EXPIRES", "DESCRIPTION");
    }

    static List<String> allocationRow(Allocation a, Instant now) {
        return List.of(String.valueOf(a.port()), lower(a.protocol()), a.host(), a.project(), a.service(),
                a.environment(), a.range().orElse("-"), lower(a.status()),
                a.expiresAt().map(e -> "in " + human(Duration.between(now, e))).orElse("-"), a.description());
    }

    static ObjectNode socket(ListeningSocket s) {
        ObjectNode n = F.objectNode();
        n.put("port", s.port());
        n.put("protocol", lower(s.protocol()));
        n.put("address", s.address());
        n.put("state", s.state());
        if (s.process().isPresent()) {
            ProcessInfo p = s.process().get();
            n.put("pid", p.pid());
            n.put("command", p.name());
            n.put("command_line", p.commandLine());
            n.put("user", p.user());
        } else {
            n.putNull("pid");
            n.putNull("command");
        }
        return n;
    }

    static ObjectNode range(PortRange r) {
        ObjectNode n = F.objectNode();
        n.put("name", r.name());
        n.put("start", r.start());
        n.put("end", r.end());
        n.put("size", r.size());
        n.put("description", r.description());
        n.put("auto_allocate", r.autoAllocate());
        return n;
    }

    static ObjectNode summary(RangeSummary s) {
        ObjectNode n = F.objectNode();
        n.put("range", s.range());
        n.put("start", s.start());
        n.put("end", s.end());
        n.put("total", s.total());
        n.put("allocated", s.allocated());
        n.put("excluded", s.excluded());
        n.put("available", s.available());
        n.put("utilization_percent", s.utilizationPercent());
        return n;
    }

    static ObjectNode history(HistoryEntry e) {
        ObjectNode n = F.objectNode();
        n.put("at", e.at().toString());
        n.put("action", lower(e.action()));
        n.put("port", e.port());
        n.put("protocol", lower(e.protocol()));
        n.put("host", e.host());
        n.put("project", e.project());
        n.put("service", e.service());
        n.put("environment", e.environment());
        n.put("by", e.by());
        n.put("reason", e.reason());
        return n;
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** {@code 9m 59s}, {@code 2h 5m}, {@code 3d 4h}; {@code expired} for a negative duration. */
    static String human(Duration d) {
        if (d.isNegative()) {
            return "expired";
        }
        long s = d.getSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m " + s % 60 + "s";
        }
        if (s < 86400) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        return s / 86400 + "d " + s % 86400 / 3600 + "h";
    }
}
