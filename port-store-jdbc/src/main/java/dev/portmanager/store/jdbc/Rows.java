package dev.portmanager.store.jdbc;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationStatus;
import dev.portmanager.HealthStatus;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.ProcessOwner;
import dev.portmanager.Protocol;
import dev.portmanager.StoreCorruptedException;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Rows to values and values to bound parameters: the one place that knows the tables' columns. */
final class Rows {
    private static final Logger LOG = LoggerFactory.getLogger(Rows.class);
    /** The unreadable rows warned about, by store and id. */
    private static final Set<String> SKIPPED = ConcurrentHashMap.newKeySet();
    /** The columns {@link #allocation} reads, in this order. */
    static final String COLUMNS = "id, port_number, protocol, hostname, project_name, service_name, range_name, "
            + "environment, status, description, allocated_at, allocated_by, expires_at, owner_pid, owner_started_at, "
            + "owner_machine, process_id, health_endpoint, health_status, last_health_check, metadata";
    /** The parameters {@link #bindAllocation} binds, matching {@link #COLUMNS}. */
    static final String VALUES = ":id, :port, :protocol, :host, :project, :service, :range, :environment, :status, "
            + ":description, :allocatedAt, :allocatedBy, :expiresAt, :ownerPid, :ownerStartedAt, :ownerMachine, "
            + ":processId, :healthEndpoint, :healthStatus, :lastHealthCheck, :metadata";
    /** The history columns {@link #history} reads and {@link #bindHistory} binds. */
    static final String HISTORY_COLUMNS = "created_at, action, port_number, protocol, hostname, project_name, "
            + "service_name, environment, performed_by, reason";
    /** The history parameters. */
    static final String HISTORY_VALUES = ":at, :action, :port, :protocol, :host, :project, :service, :environment, "
            + ":by, :reason";

    private Rows() {
    }

    /**
     * The allocation of the current row.
     *
     * @throws StoreCorruptedException if the row breaks the model
     */
    static Allocation allocation(ResultSet rs, String store) throws SQLException {
        String id = rs.getString("id");
        try {
            long ownerPid = rs.getLong("owner_pid");
            ProcessOwner owner = rs.wasNull() ? null
                    : new ProcessOwner(ownerPid, instant(rs, "owner_started_at"), rs.getString("owner_machine"));
            long processId = rs.getLong("process_id");
            Long pid = rs.wasNull() ? null : processId;
            String endpoint = rs.getString("health_endpoint");
            return Allocation.builder()
                    .id(id).port(rs.getInt("port_number")).protocol(Protocol.valueOf(rs.getString("protocol")))
                    .host(rs.getString("hostname")).project(rs.getString("project_name"))
                    .service(rs.getString("service_name")).range(rs.getString("range_name"))
                    .environment(rs.getString("environment"))
                    .status(AllocationStatus.valueOf(rs.getString("status")))
                    .description(rs.getString("description"))
                    .allocatedAt(instant(rs, "allocated_at")).allocatedBy(rs.getString("allocated_by"))
                    .expiresAt(instant(rs, "expires_at")).owner(owner).processId(pid)
                    .healthEndpoint(endpoint == null ? null : URI.create(endpoint))
                    .healthStatus(HealthStatus.valueOf(rs.getString("health_status")))
                    .lastHealthCheck(instant(rs, "last_health_check"))
                    .metadata(MetadataCodec.read(rs.getString("metadata")))
                    .build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StoreCorruptedException("allocation '" + id + "' in " + store + " cannot be read: "
                    + e.getMessage() + "; correct or delete the row in port_allocations", e);
        }
    }

    /**
     * The allocation of the current row, or null, with a warning naming the row's id, if the row breaks the model:
     * one written before the schema enforced the name rules (version 2), or after someone dropped a constraint. The
     * readers that list many rows skip such a row rather than fail for every client.
     */
    static Allocation allocationOrNull(ResultSet rs, String store) throws SQLException {
        try {
            return allocation(rs, store);
        } catch (StoreCorruptedException e) {
            String id = printable(rs.getString("id"), false);
            // Once per row and store at WARN, so a monitor's rounds do not repeat it; after that at DEBUG.
            if (SKIPPED.size() < 10_000 && SKIPPED.add(store + " " + id)) {
                LOG.warn("[{}] skipped allocation row {}: {}", store, id, e.getMessage());
            } else {
                LOG.debug("[{}] skipped allocation row {} again", store, id);
            }
            return null;
        }
    }

    /**
     * The text with every control character but, for free text, tab and line breaks (and every unpaired surrogate or
     * line or paragraph separator) written as a backslash, {@code u} and four hex digits, so a row written past the
     * name rules never puts a raw escape sequence on a terminal.
     */
    static String printable(String text, boolean freeText) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            boolean bad = !pair && (Character.isISOControl(c) || Character.isSurrogate(c) || c == 0x2028
                    || c == 0x2029) && !(freeText && (c == '\t' || c == '\n' || c == '\r'));
            if (bad && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (bad) {
                out.append(String.format("\\u%04X", (int) c));
            } else if (out != null) {
                out.append(c);
            }
            if (pair) {
                if (out != null) {
                    out.append(text.charAt(i + 1));
                }
                i++;
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * The history entry of the current row.
     *
     * @throws StoreCorruptedException if the row breaks the model
     */
    static HistoryEntry history(ResultSet rs, String store) throws SQLException {
        try {
            return new HistoryEntry(instant(rs, "created_at"), HistoryAction.valueOf(rs.getString("action")),
                    rs.getInt("port_number"), Protocol.valueOf(rs.getString("protocol")),
                    printable(rs.getString("hostname"), false), printable(rs.getString("project_name"), false),
                    printable(rs.getString("service_name"), false), printable(rs.getString("environment"), false),
                    printable(rs.getString("performed_by"), false), printable(rs.getString("reason"), true));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StoreCorruptedException("history entry " + rs.getLong("id") + " in " + store
                    + " cannot be read: " + e.getMessage() + "; correct or delete the row in port_allocation_history", e);
        }
    }

    /** Binds every column of {@link #COLUMNS} under the names of {@link #VALUES}. */
    static <T extends SqlStatement<T>> T bindAllocation(T st, Allocation a) {
        return st.bind("id", a.id()).bind("port", a.port()).bind("protocol", a.protocol().name())
                .bind("host", a.host()).bind("project", a.project()).bind("service", a.service())
                .bind("range", a.range().orElse(null)).bind("environment", a.environment())
                .bind("status", a.status().name()).bind("description", a.description())
                .bind("allocatedAt", time(a.allocatedAt())).bind("allocatedBy", a.allocatedBy())
                .bind("expiresAt", time(a.expiresAt().orElse(null)))
                .bind("ownerPid", bigint(a.owner().map(o -> o.pid()).orElse(null)))
                .bind("ownerStartedAt", time(a.owner().map(o -> o.startedAt()).orElse(null)))
                .bind("ownerMachine", a.owner().map(o -> o.machine()).orElse(null))
                .bind("processId", bigint(a.processId().isPresent() ? a.processId().getAsLong() : null))
                .bind("healthEndpoint", a.healthEndpoint().map(URI::toString).orElse(null))
                .bind("healthStatus", a.healthStatus().name())
                .bind("lastHealthCheck", time(a.lastHealthCheck().orElse(null)))
                .bind("metadata", MetadataCodec.write(a.metadata()));
    }

    /** Binds a history entry under the names of {@link #HISTORY_VALUES}. */
    static <T extends SqlStatement<T>> T bindHistory(T st, HistoryEntry e) {
        return st.bind("at", time(e.at())).bind("action", e.action().name()).bind("port", e.port())
                .bind("protocol", e.protocol().name()).bind("host", e.host()).bind("project", e.project())
                .bind("service", e.service()).bind("environment", e.environment()).bind("by", e.by())
                .bind("reason", e.reason());
    }

    /** A TIMESTAMP WITH TIME ZONE parameter (UTC), or SQL NULL. */
    static Argument time(Instant instant) {
        if (instant == null) {
            return (position, statement, ctx) -> statement.setNull(position, Types.TIMESTAMP_WITH_TIMEZONE);
        }
        OffsetDateTime value = instant.atOffset(ZoneOffset.UTC);
        return (position, statement, ctx) -> statement.setObject(position, value);
    }

    /** A BIGINT parameter, or SQL NULL. */
    static Argument bigint(Long value) {
        if (value == null) {
            return (position, statement, ctx) -> statement.setNull(position, Types.BIGINT);
        }
        return (position, statement, ctx) -> statement.setLong(position, value);
    }

    /** The instant of a TIMESTAMP WITH TIME ZONE column, or null. */
    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** The instant as the database keeps it: to the microsecond. */
    static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }

    /** The allocation with its instants as the database keeps them, so what is returned equals what is read. */
    static Allocation stored(Allocation a) {
        Allocation.Builder b = a.toBuilder().allocatedAt(micros(a.allocatedAt()))
                .expiresAt(micros(a.expiresAt().orElse(null)))
                .lastHealthCheck(micros(a.lastHealthCheck().orElse(null)));
        a.owner().ifPresent(o -> b.owner(new ProcessOwner(o.pid(), micros(o.startedAt()), o.machine())));
        Allocation out = b.build();
        return out.equals(a) ? a : out;
    }
}
