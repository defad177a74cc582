package dev.portmanager;


import java.time.Instant;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which history entries {@link PortManager#history(HistoryQuery)} returns: the most recent {@link #limit()}
 * entries that pass every filter set, oldest first. Immutable and thread-safe.
 */
public final class HistoryQuery implements Predicate<HistoryEntry> {
    /** The number of entries returned unless another limit is set. */
    public static final int DEFAULT_LIMIT = 1000;
    private static final HistoryQuery ALL = new Builder().build();

    private final int port;
    private final String project;
    private final String service;
    private final String host;
    private final HistoryAction action;
    private final Instant since;
    private final Instant until;
    private final int limit;

    private HistoryQuery(Builder b) {
        this.port = b.port;
        this.project = b.project;
        this.service = b.service;
        this.host = b.host;
        this.action = b.action;
        this.since = b.since;
        this.until = b.until;
        this.limit = b.limit;
    }

    /** The latest 1,000 entries. */
    public static HistoryQuery all() {
        return ALL;
    }

    /** The latest 1,000 entries of one port. @throws IllegalArgumentException if the port is outside 1-65535 */
    public static HistoryQuery port(int port) {
        return builder().port(port).build();
    }

    /** A builder with no filter and the default limit. Not thread-safe. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the entry passes every filter (the limit aside). @throws NullPointerException if entry is null */
    @Override
    public boolean test(HistoryEntry e) {
        return (port == 0 || port == e.port())
                && (project == null || project.equals(e.project()))
                && (service == null || service.equals(e.service()))
                && (host == null || host.equals(e.host()))
                && (action == null || action == e.action())
                && (since == null || !e.at().isBefore(since))
                && (until == null || e.at().isBefore(until));
    }

    /** How many entries at most, the most recent ones. */
    public int limit() {
        return limit;
    }

    /** The port filter, or 0. */
    public int portFilter() {
        return port;
    }

    /** The project filter, or null. */
    public String projectFilter() {
        return project;
    }

    /** The service filter, or null. */
    public String serviceFilter() {
        return service;
    }

    /** The host filter, or null. */
    public String hostFilter() {
        return host;
    }

    /** The action filter, or null. */
    public HistoryAction actionFilter() {
        return action;
    }

    /** Entries at or after this instant, or null. */
    public Instant sinceFilter() {
        return since;
    }

    /** Entries before this instant, or null. */
    public Instant untilFilter() {
        return until;
    }

    /** Builds a {@link HistoryQuery}; each filter is checked as it is given. Not thread-safe; reusable. */
    public static final class Builder {
        private int port;
        private String project;
        private String service;
        private String host;
        private HistoryAction action;
        private Instant since;
        private Instant until;
        private int limit = DEFAULT_LIMIT;

        private Builder() {
        }

        /** Only this port. @throws IllegalArgumentException if the port is outside 1-65535 */
        public Builder port(int port) {
            this.port = Checks.port("port", port);
            return this;
        }

        /** Only this project. @throws IllegalArgumentException if the name is invalid */
        public Builder project(String project) {
            this.project = Checks.name("project", project);
            return this;
        }

        /** Only this service. @throws IllegalArgumentException if the name is invalid */
        public Builder service(String service) {
            this.service = Checks.name("service", service);
            return this;
        }

        /** Only this host. @throws IllegalArgumentException if the name is invalid */
        public Builder host(String host) {
            this.host = Checks.host(host);
            return this;
        }

        /** Only this action. @throws NullPointerException if the action is null */
        public Builder action(HistoryAction action) {
            this.action = Objects.requireNonNull(action, "action == null");
            return this;
        }

        /** Only entries at or after this instant. @throws NullPointerException if the instant is null */
        public Builder since(Instant since) {
            this.since = Objects.requireNonNull(since, "since == null");
            return this;
        }

        /** Only entries before this instant. @throws NullPointerException if the instant is null */
        public Builder until(Instant until) {
            this.until = Objects.requireNonNull(until, "until == null");
            return this;
        }

        /** At most this many entries, the most recent. @throws IllegalArgumentException if not positive */
        public Builder limit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("history limit " + limit + " is not positive; give 1 or more");
            }
            this.limit = limit;
            return this;
        }

        /** Builds the query. @throws IllegalArgumentException if since is not before until */
        public HistoryQuery build() {
            if (since != null && until != null && !since.isBefore(until)) {
                throw new IllegalArgumentException("history since " + since + " is not before until " + until);
            }
            return new HistoryQuery(this);
        }
    }
}
