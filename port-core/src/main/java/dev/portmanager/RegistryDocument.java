package dev.portmanager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The registry as a Markdown page, as seed 000's "documentation auto-generation for infrastructure": its ranges with
 * their utilization, every live allocation with its port, owner and health, who allocated what, and, from an audit,
 * the services not running, the conflicts and the unregistered listeners.
 *
 * <p>The page is stable: every table is sorted, and it holds no time unless one is given ({@code generatedAt}), so
 * the same registry on the same machine gives the same bytes, fit to commit and diff. Values are escaped so that no
 * description or name can break a table or inject markup. The CLI's {@code portman docs} prints it; a server or any
 * embedder can serve the same page. Stateless and thread-safe (it reads the manager, which is).
 *
 * <pre>{@code
 * String page = RegistryDocument.markdown(pm, Optional.of(pm.audit()), Optional.empty());
 * }</pre>
 */
public final class RegistryDocument {
    private static final Comparator<Allocation> SERVICES = Comparator.comparing(Allocation::project)
            .thenComparing(Allocation::service).thenComparing(Allocation::environment).thenComparing(Allocation::host)
            .thenComparingInt(Allocation::port).thenComparing(Allocation::protocol);

    private RegistryDocument() {
    }

    /**
     * Renders the page.
     *
     * @param pm          the registry (its ranges, every live allocation of every host and environment)
     * @param audit       an audit of the manager's host ({@link PortManager#audit()}) for the health, conflicts and
     *                    unregistered listeners sections; empty to leave them out, saying so
     * @param generatedAt a "generated at" line, or empty for none (a page that changes only when the registry does)
     * @return the page, ending with a line break
     * @throws NullPointerException        if an argument is null
     * @throws StoreUnavailableException   if the registry cannot be read
     */
    public static String markdown(PortManager pm, Optional<AuditReport> audit, Optional<Instant> generatedAt) {
        Objects.requireNonNull(pm, "pm == null");
        Objects.requireNonNull(audit, "audit == null");
        Objects.requireNonNull(generatedAt, "generatedAt == null");
        List<Allocation> all = new ArrayList<>(pm.list(AllocationQuery.all()));
        all.sort(SERVICES);
        StringBuilder b = new StringBuilder("# Port registry\n\n");
        generatedAt.ifPresent(at -> b.append("Generated at ").append(at).append(".\n\n"));
        b.append(all.size()).append(all.size() == 1 ? " live allocation" : " live allocations").append(", ")
                .append(pm.ranges().size()).append(" ranges. This page is generated from the registry by `portman ")
                .append("docs`: change the registry, not the page.\n\n");
        ranges(b, pm);
        services(b, all, audit);
        owners(b, all);
        health(b, audit);
        conflicts(b, audit);
        orphans(b, audit);
        return b.toString();
    }

    private static void ranges(StringBuilder b, PortManager pm) {
        b.append("## Ranges\n\nUtilization on ").append(cell(pm.host())).append(".\n\n");
        List<PortRange> ranges = new ArrayList<>(pm.ranges());
        ranges.sort(Comparator.comparingInt(PortRange::start).thenComparing(PortRange::name));
        if (ranges.isEmpty()) {
            b.append("No ranges.\n\n");
            return;
        }
        b.append("| Range | Ports | Allocated | Available | Utilization | Auto | Description |\n")
                .append("| --- | --- | ---: | ---: | ---: | --- | --- |\n");
        for (PortRange r : ranges) {
            RangeSummary s = pm.summary(r.name());
            row(b, r.name(), r.start() + "-" + r.end(), String.valueOf(s.allocated()), String.valueOf(s.available()),
                    s.utilizationPercent() + "%", r.autoAllocate() ? "yes" : "no", r.description());
        }
        b.append('\n');
    }

    private static void services(StringBuilder b, List<Allocation> all, Optional<AuditReport> audit) {
        b.append("## Services\n\n");
        if (all.isEmpty()) {
            b.append("No live allocations.\n\n");
            return;
        }
        Set<String> zombies = new HashSet<>();
        audit.ifPresent(r -> r.zombies().forEach(z -> zombies.add(z.id())));
        b.append("| Project | Service | Port | Protocol | Host | Environment | Range | Status | Listening | Health "
                + "| Owner | Description |\n")
                .append("| --- | --- | ---: | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Allocation a : all) {
            row(b, a.project(), a.service(), String.valueOf(a.port()), a.protocol().toString(), a.host(),
                    a.environment(), a.range().orElse(""), lower(a.status()), listening(a, audit, zombies),
                    lower(a.healthStatus()), owner(a), a.description());
        }
        b.append('\n');
    }

    /** What the audit says of the port: only for active allocations of the audited host. */
    private static String listening(Allocation a, Optional<AuditReport> audit, Set<String> zombies) {
        if (audit.isEmpty() || a.status() != AllocationStatus.ACTIVE || !audit.get().host().equals(a.host())) {
            return "";
        }
        return zombies.contains(a.id()) ? "no" : "yes";
    }

    /** The process the allocation expects: its lease owner, recorded process id, or process name. */
    private static String owner(Allocation a) {
        List<String> parts = new ArrayList<>();
        a.owner().ifPresent(o -> parts.add("lease of pid " + o.pid()));
        a.processId().ifPresent(pid -> parts.add("pid " + pid));
        String name = a.metadata().get("process_name");
        if (name != null) {
            parts.add(name);
        }
        return String.join(", ", parts);
    }

    private static void owners(StringBuilder b, List<Allocation> all) {
        b.append("## Owners\n\n");
        Map<String, List<Allocation>> by = new TreeMap<>();
        all.forEach(a -> by.computeIfAbsent(a.allocatedBy(), k -> new ArrayList<>()).add(a));
        if (by.isEmpty()) {
            b.append("Nobody holds a port.\n\n");
            return;
        }
        b.append("| Allocated by | Allocations | Projects |\n| --- | ---: | --- |\n");
        by.forEach((who, list) -> {
            Set<String> projects = new TreeSet<>();
            list.forEach(a -> projects.add(a.project()));
            row(b, who, String.valueOf(list.size()), String.join(", ", projects));
        });
        b.append('\n');
    }

    private static void health(StringBuilder b, Optional<AuditReport> audit) {
        b.append("## Health\n\n");
        if (audit.isEmpty()) {
            b.append("Not audited.\n\n");
            return;
        }
        AuditReport r = audit.get();
        b.append("Audit of ").append(cell(r.host())).append(": ").append(r.allocated()).append(" allocated, ")
                .append(r.inUse()).append(" in use, ").append(r.notRunning()).append(" not running, ")
                .append(r.reserved()).append(" reserved; health ").append(r.healthPercent()).append("%.\n\n");
        List<Allocation> zombies = new ArrayList<>(r.zombies());
        zombies.sort(SERVICES);
        for (Allocation z : zombies) {
            b.append("- not running: ").append(cell(z.project() + "/" + z.service())).append(" on port ")
                    .append(z.port()).append('/').append(z.protocol()).append('\n');
        }
        for (AuditReport.RangeUsage u : r.warnings()) {
            b.append("- range ").append(cell(u.summary().range())).append(" is ")
                    .append(u.summary().utilizationPercent()).append("% allocated\n");
        }
        if (!zombies.isEmpty() || !r.warnings().isEmpty()) {
            b.append('\n');
        }
    }

    private static void conflicts(StringBuilder b, Optional<AuditReport> audit) {
        b.append("## Conflicts\n\n");
        if (audit.isEmpty()) {
            b.append("Not audited.\n\n");
            return;
        }
        if (!audit.get().sawSockets()) {
            b.append("Not checked: the audit saw no socket table, so it cannot tell who holds a port.\n\n");
            return;
        }
        List<AuditReport.Conflict> conflicts = new ArrayList<>(audit.get().conflicts());
        if (conflicts.isEmpty()) {
            b.append("None.\n\n");
            return;
        }
        conflicts.sort(Comparator.comparing(AuditReport.Conflict::allocation, SERVICES));
        b.append("| Port | Expected | Found | What to do |\n| ---: | --- | --- | --- |\n");
        for (AuditReport.Conflict c : conflicts) {
            Allocation a = c.allocation();
            row(b, a.port() + "/" + a.protocol(), a.project() + "/" + a.service(),
                    c.found().process().map(ProcessInfo::toString).orElse("a process this user cannot see"),
                    c.suggestion());
        }
        b.append('\n');
    }

    private static void orphans(StringBuilder b, Optional<AuditReport> audit) {
        b.append("## Unregistered listeners\n\n");
        if (audit.isEmpty()) {
            b.append("Not audited.\n");
            return;
        }
        List<AuditReport.Orphan> orphans = new ArrayList<>(audit.get().orphans());
        if (orphans.isEmpty()) {
            b.append("None.\n");
            return;
        }
        orphans.sort(Comparator.comparingInt((AuditReport.Orphan o) -> o.socket().port())
                .thenComparing(o -> o.socket().protocol()).thenComparing(o -> o.socket().address()));
        b.append("| Port | Address | Range | Process |\n| ---: | --- | --- | --- |\n");
        for (AuditReport.Orphan o : orphans) {
            ListeningSocket s = o.socket();
            row(b, s.port() + "/" + s.protocol(), s.address(), o.range(),
                    s.process().map(ProcessInfo::toString).orElse("owner unknown"));
        }
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static void row(StringBuilder b, String... cells) {
        b.append('|');
        for (String c : cells) {
            b.append(' ').append(cell(c)).append(" |");
        }
        b.append('\n');
    }

    /**
     * A value as Markdown text: backslash-escaped where it would be markup (a pipe would end the cell), angle
     * brackets as entities (no HTML), control characters as spaces (a line break would end the row).
     */
    static String cell(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '<') {
                b.append("&lt;");
            } else if (c == '>') {
                b.append("&gt;");
            } else if (c == '&') {
                b.append("&amp;");
            } else if ("\\|*_`[]#!".indexOf(c) >= 0) {
                b.append('\\').append(c);
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                b.append(' ');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
