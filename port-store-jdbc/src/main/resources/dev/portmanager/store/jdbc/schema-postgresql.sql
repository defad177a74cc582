-- Port Manager registry, schema version 2, for PostgreSQL 13 or later.
-- Version 2 adds the name rules (port_check_name and the *_is_a_name constraints) and the free list's TRUNCATE
-- trigger; running this script on a version 1 database upgrades it in place.
-- Installed by JdbcStore (initializeSchema, the default) or by hand: psql -v ON_ERROR_STOP=1 -f schema-postgresql.sql
-- Every statement is idempotent, so running the script twice changes nothing. Objects are created in the first schema
-- of the search_path.

CREATE TABLE IF NOT EXISTS port_schema_version (
    version      INTEGER PRIMARY KEY,
    description  TEXT NOT NULL,
    installed_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);

-- One rulebook for names, Java's (dev.portmanager.Checks.name): not blank, no control characters, no leading or
-- trailing white space (white space as Java's Character.isWhitespace; the columns hold at most 255 characters).
-- Returns TRUE for a good name or NULL; else raises check_violation (SQLSTATE 23514) with Java's words, the value
-- quoted with its control characters escaped. The CHECK constraints below and allocate_port call it.
CREATE OR REPLACE FUNCTION port_check_name(p_what TEXT, p_value TEXT) RETURNS BOOLEAN
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    v_space  CONSTANT TEXT := '[\t\n\v\f\r\x1c-\x1f \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]';
    v_quoted TEXT := '';
    v_code   INTEGER;
    v_bad    INTEGER := 0;
BEGIN
    IF p_value IS NULL OR p_value !~ ('^' || v_space || '*$|^' || v_space || '|' || v_space
                                       || '$|[\x01-\x1f\x7f-\x9f\u2028\u2029]') THEN
        RETURN TRUE;
    END IF;
    -- A bad name: find what is wrong, for the message.
    FOR i IN 1..length(p_value) LOOP
        v_code := ascii(substr(p_value, i, 1));
        IF v_bad = 0 AND (v_code < 32 OR v_code BETWEEN 127 AND 159 OR v_code IN (8232, 8233)) THEN
            v_bad := i;
        END IF;
        IF i <= 40 THEN
            v_quoted := v_quoted || CASE WHEN v_code < 32 OR v_code BETWEEN 127 AND 159
                THEN '\u' || lpad(upper(to_hex(v_code)), 4, '0') ELSE substr(p_value, i, 1) END;
        END IF;
    END LOOP;
    v_quoted := '''' || v_quoted || '''' || CASE WHEN length(p_value) > 40
        THEN '... (' || length(p_value) || ' characters)' ELSE '' END;
    IF p_value ~ ('^' || v_space || '*$') THEN
        RAISE EXCEPTION '% must not be blank (was %); give a name such as ''api''', p_what, v_quoted
            USING ERRCODE = '23514';
    END IF;
    IF v_bad > 0 THEN
        RAISE EXCEPTION '% % contains the control character U+% at index %; use printable characters only',
            p_what, v_quoted, lpad(upper(to_hex(ascii(substr(p_value, v_bad, 1)))), 4, '0'), v_bad - 1
            USING ERRCODE = '23514';
    END IF;
    IF p_value ~ ('^' || v_space) OR p_value ~ (v_space || '$') THEN
        RAISE EXCEPTION '% % has leading or trailing white space; remove it', p_what, v_quoted
            USING ERRCODE = '23514';
    END IF;
    RETURN TRUE;
END $$;

CREATE TABLE IF NOT EXISTS port_ranges (
    range_name    VARCHAR(255) PRIMARY KEY,
    start_port    INTEGER NOT NULL CHECK (start_port BETWEEN 1 AND 65535),
    end_port      INTEGER NOT NULL CHECK (end_port BETWEEN 1 AND 65535),
    description   VARCHAR(4096) NOT NULL DEFAULT '',
    auto_allocate BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    CHECK (start_port <= end_port)
);

-- One row per allocation; released_at IS NULL while it holds its port (live, or lapsed and not yet reclaimed).
CREATE TABLE IF NOT EXISTS port_allocations (
    id                VARCHAR(64) PRIMARY KEY,
    port_number       INTEGER NOT NULL CHECK (port_number BETWEEN 1 AND 65535),
    protocol          VARCHAR(4) NOT NULL CHECK (protocol IN ('TCP', 'UDP', 'BOTH')),
    hostname          VARCHAR(255) NOT NULL,
    project_name      VARCHAR(255) NOT NULL,
    service_name      VARCHAR(255) NOT NULL,
    range_name        VARCHAR(255),
    environment       VARCHAR(255) NOT NULL,
    status            VARCHAR(16) NOT NULL CHECK (status IN ('ACTIVE', 'RESERVED')),
    description       VARCHAR(4096) NOT NULL DEFAULT '',
    allocated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    allocated_by      VARCHAR(255) NOT NULL,
    expires_at        TIMESTAMP WITH TIME ZONE,
    owner_pid         BIGINT,
    owner_started_at  TIMESTAMP WITH TIME ZONE,
    owner_machine     VARCHAR(255),
    process_id        BIGINT,
    health_endpoint   VARCHAR(4096),
    health_status     VARCHAR(16) NOT NULL DEFAULT 'UNKNOWN',
    last_health_check TIMESTAMP WITH TIME ZONE,
    metadata          TEXT NOT NULL DEFAULT '{}',
    released_at       TIMESTAMP WITH TIME ZONE,
    CHECK ((owner_pid IS NULL) = (owner_machine IS NULL))
);

-- Invariant 1, enforced by the database: among allocations that hold their port, one per (host, port) for each
-- concrete protocol. TCP takes the TCP slot, UDP the UDP slot, BOTH takes both, so BOTH collides with either.
CREATE UNIQUE INDEX IF NOT EXISTS port_allocations_tcp_slot
    ON port_allocations (hostname, port_number) WHERE released_at IS NULL AND protocol <> 'UDP';
CREATE UNIQUE INDEX IF NOT EXISTS port_allocations_udp_slot
    ON port_allocations (hostname, port_number) WHERE released_at IS NULL AND protocol <> 'TCP';
-- Invariant 2: one allocation per (host, project, service, environment). Hashed, so that four names of up to 255
-- characters never exceed the index row limit; the separator U+0001 cannot occur in a name.
CREATE UNIQUE INDEX IF NOT EXISTS port_allocations_service
    ON port_allocations (md5(hostname || chr(1) || project_name || chr(1) || service_name || chr(1) || environment))
    WHERE released_at IS NULL;
CREATE INDEX IF NOT EXISTS port_allocations_held
    ON port_allocations (hostname, port_number) WHERE released_at IS NULL;
CREATE INDEX IF NOT EXISTS port_allocations_leases
    ON port_allocations (hostname, port_number)
    WHERE released_at IS NULL AND (expires_at IS NOT NULL OR owner_pid IS NOT NULL);

CREATE TABLE IF NOT EXISTS port_allocation_history (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    action       VARCHAR(32) NOT NULL,
    port_number  INTEGER NOT NULL,
    protocol     VARCHAR(4) NOT NULL,
    hostname     VARCHAR(255) NOT NULL,
    project_name VARCHAR(255) NOT NULL,
    service_name VARCHAR(255) NOT NULL,
    environment  VARCHAR(255) NOT NULL,
    performed_by VARCHAR(255) NOT NULL,
    reason       VARCHAR(8192) NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS port_allocation_history_port ON port_allocation_history (port_number);
CREATE INDEX IF NOT EXISTS port_allocation_history_created ON port_allocation_history (created_at);

-- Health check results, for probes and dashboards (the seeds' table); the store itself does not write it.
CREATE TABLE IF NOT EXISTS port_health_checks (
    id                 BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    port_allocation_id VARCHAR(64) NOT NULL REFERENCES port_allocations (id) ON DELETE CASCADE,
    check_type         VARCHAR(50) NOT NULL,
    status             VARCHAR(50) NOT NULL,
    response_time_ms   INTEGER,
    checked_at         TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS port_health_checks_allocation ON port_health_checks (port_allocation_id);

-- The name rules on every name column. Added NOT VALID: rows written before version 2 are not checked (a Java
-- reader skips such a row with a warning naming its id), every row inserted or updated from now on is.
-- A good name passes the constant pattern alone (compiled once per session); only a bad one calls port_check_name,
-- for the message.
DO $$
DECLARE
    v_space CONSTANT TEXT := '[\t\n\v\f\r\x1c-\x1f \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]';
    v_bad   CONSTANT TEXT := '^' || v_space || '*$|^' || v_space || '|' || v_space
                             || '$|[\x01-\x1f\x7f-\x9f\u2028\u2029]';
    v_rule RECORD;
BEGIN
    FOR v_rule IN SELECT * FROM (VALUES
            ('port_ranges', 'range_name', 'range name'),
            ('port_allocations', 'id', 'allocation id'),
            ('port_allocations', 'hostname', 'host'),
            ('port_allocations', 'project_name', 'project'),
            ('port_allocations', 'service_name', 'service'),
            ('port_allocations', 'range_name', 'range name'),
            ('port_allocations', 'environment', 'environment'),
            ('port_allocations', 'allocated_by', 'allocatedBy'),
            ('port_allocation_history', 'hostname', 'host'),
            ('port_allocation_history', 'project_name', 'project'),
            ('port_allocation_history', 'service_name', 'service'),
            ('port_allocation_history', 'environment', 'environment'),
            ('port_allocation_history', 'performed_by', 'by')) AS r (tab, col, what) LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(v_rule.tab)
                          AND conname = v_rule.tab || '_' || v_rule.col || '_is_a_name') THEN
            EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (%I !~ %L OR port_check_name(%L, %I)) NOT VALID',
                           v_rule.tab, v_rule.tab || '_' || v_rule.col || '_is_a_name', v_rule.col, v_bad,
                           v_rule.what, v_rule.col);
        END IF;
    END LOOP;
END $$;

-- The free list: one row per (host, port) of every span searched, naming the allocation that holds each protocol.
-- Kept in step with port_allocations by the trigger below, whoever writes. A search takes the first free slot with
-- FOR UPDATE SKIP LOCKED, so concurrent clients each get another port without waiting, in any search order, and
-- finding the lowest free port of a nearly full range costs one index probe.
CREATE TABLE IF NOT EXISTS port_slots (
    hostname       VARCHAR(255) NOT NULL,
    port_number    INTEGER NOT NULL,
    tcp_allocation VARCHAR(64),
    udp_allocation VARCHAR(64),
    PRIMARY KEY (hostname, port_number)
);
CREATE INDEX IF NOT EXISTS port_slots_tcp_free ON port_slots (hostname, port_number) WHERE tcp_allocation IS NULL;
CREATE INDEX IF NOT EXISTS port_slots_udp_free ON port_slots (hostname, port_number) WHERE udp_allocation IS NULL;
-- A BOTH search walks port_slots_tcp_free and checks the UDP column: one index less to write on every release.

-- The spans whose slots exist, so a search fills them once.
CREATE TABLE IF NOT EXISTS port_slot_spans (
    hostname   VARCHAR(255) NOT NULL,
    first_port INTEGER NOT NULL,
    last_port  INTEGER NOT NULL,
    PRIMARY KEY (hostname, first_port, last_port)
);

CREATE OR REPLACE FUNCTION port_slots_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.released_at IS NULL THEN
        UPDATE port_slots
           SET tcp_allocation = CASE WHEN tcp_allocation = OLD.id THEN NULL ELSE tcp_allocation END,
               udp_allocation = CASE WHEN udp_allocation = OLD.id THEN NULL ELSE udp_allocation END
         WHERE hostname = OLD.hostname AND port_number = OLD.port_number
           AND (tcp_allocation = OLD.id OR udp_allocation = OLD.id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.released_at IS NULL THEN
        -- Usually the slot exists (its span was searched): update it; create it only when it does not.
        UPDATE port_slots
           SET tcp_allocation = CASE WHEN NEW.protocol <> 'UDP' THEN NEW.id ELSE tcp_allocation END,
               udp_allocation = CASE WHEN NEW.protocol <> 'TCP' THEN NEW.id ELSE udp_allocation END
         WHERE hostname = NEW.hostname AND port_number = NEW.port_number;
        IF FOUND THEN
            RETURN NULL;
        END IF;
        INSERT INTO port_slots AS s (hostname, port_number, tcp_allocation, udp_allocation)
        VALUES (NEW.hostname, NEW.port_number,
                CASE WHEN NEW.protocol <> 'UDP' THEN NEW.id END, CASE WHEN NEW.protocol <> 'TCP' THEN NEW.id END)
        ON CONFLICT (hostname, port_number) DO UPDATE
           SET tcp_allocation = CASE WHEN NEW.protocol <> 'UDP' THEN NEW.id ELSE s.tcp_allocation END,
               udp_allocation = CASE WHEN NEW.protocol <> 'TCP' THEN NEW.id ELSE s.udp_allocation END;
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS port_slots_follow ON port_allocations;
CREATE TRIGGER port_slots_follow
    AFTER INSERT OR DELETE OR UPDATE OF released_at, port_number, hostname, protocol ON port_allocations
    FOR EACH ROW EXECUTE FUNCTION port_slots_follow();

-- TRUNCATE fires no row trigger, so a truncated port_allocations (or port_slots) would leave the free list saying
-- ports are taken, or slots missing. This statement trigger rebuilds it from the allocations still held: the spans
-- are filled again by the next search.
CREATE OR REPLACE FUNCTION port_slots_rebuild() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM port_slot_spans;
    DELETE FROM port_slots;
    INSERT INTO port_slots (hostname, port_number, tcp_allocation, udp_allocation)
    SELECT hostname, port_number, max(CASE WHEN protocol <> 'UDP' THEN id END),
           max(CASE WHEN protocol <> 'TCP' THEN id END)
      FROM port_allocations WHERE released_at IS NULL
     GROUP BY hostname, port_number;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS port_slots_rebuild ON port_allocations;
CREATE TRIGGER port_slots_rebuild AFTER TRUNCATE ON port_allocations
    FOR EACH STATEMENT EXECUTE FUNCTION port_slots_rebuild();
DROP TRIGGER IF EXISTS port_slots_rebuild ON port_slots;
CREATE TRIGGER port_slots_rebuild AFTER TRUNCATE ON port_slots
    FOR EACH STATEMENT EXECUTE FUNCTION port_slots_rebuild();

-- The first free port of first..last for the protocol on the host, searched from start_at upward and then from
-- first, skipping the excluded ports, locked until the transaction ends; NULL if none. Slots other transactions have
-- locked are skipped (FOR UPDATE SKIP LOCKED); only when that leaves nothing does the search wait for them, so a port
-- another client is about to give up is not reported as taken. Lapsed allocations still hold their slots: reclaim
-- them first (allocate_port does).
CREATE OR REPLACE FUNCTION port_pick(p_host VARCHAR, p_protocol VARCHAR, p_first INTEGER, p_last INTEGER,
                                     p_start INTEGER, p_excluded INTEGER[]) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
    v_port INTEGER;
    v_from INTEGER;
    v_to   INTEGER;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM port_slot_spans
                    WHERE hostname = p_host AND first_port = p_first AND last_port = p_last) THEN
        INSERT INTO port_slots (hostname, port_number)
        SELECT p_host, g FROM generate_series(p_first, p_last) g
        ORDER BY g
        ON CONFLICT DO NOTHING;
        INSERT INTO port_slot_spans VALUES (p_host, p_first, p_last) ON CONFLICT DO NOTHING;
    END IF;
    FOR round IN 1..4 LOOP
        IF round % 2 = 1 THEN
            v_from := p_start;
            v_to := p_last;
        ELSIF p_start > p_first THEN
            v_from := p_first;
            v_to := p_start - 1;
        ELSE
            CONTINUE;
        END IF;
        IF round <= 2 THEN
            IF p_protocol = 'TCP' THEN
                SELECT port_number INTO v_port FROM port_slots
                 WHERE hostname = p_host AND port_number BETWEEN v_from AND v_to AND tcp_allocation IS NULL
                   AND port_number <> ALL (p_excluded)
                 ORDER BY port_number LIMIT 1 FOR UPDATE SKIP LOCKED;
            ELSIF p_protocol = 'UDP' THEN
                SELECT port_number INTO v_port FROM port_slots
                 WHERE hostname = p_host AND port_number BETWEEN v_from AND v_to AND udp_allocation IS NULL
                   AND port_number <> ALL (p_excluded)
                 ORDER BY port_number LIMIT 1 FOR UPDATE SKIP LOCKED;
            ELSE
                SELECT port_number INTO v_port FROM port_slots
                 WHERE hostname = p_host AND port_number BETWEEN v_from AND v_to
                   AND tcp_allocation IS NULL AND udp_allocation IS NULL AND port_number <> ALL (p_excluded)
                 ORDER BY port_number LIMIT 1 FOR UPDATE SKIP LOCKED;
            END IF;
        ELSE
            IF p_protocol = 'TCP' THEN
                SELECT port_number INTO v_port FROM port_slots
                 WHERE hostname = p_host AND port_number BETWEEN v_from AND v_to AND tcp_allocation IS NULL
                   AND port_number <> ALL (p_excluded)
                 ORDER BY port_number LIMIT 1 FOR UPDATE;
            ELSIF p_protocol = 'UDP' THEN
                SELECT port_number INTO v_port FROM port_slots
                 WHERE hostname = p_host AND port_number BETWEEN v_from AND v_to AND udp_allocation IS NULL
                   AND port_number <> ALL (p_excluded)
                 ORDER BY port_number LIMIT 1 FOR UPDATE;
            ELSE
                SELECT port_number INTO v_port FROM port_slots
                 WHERE hostname = p_host AND port_number BETWEEN v_from AND v_to
                   AND tcp_allocation IS NULL AND udp_allocation IS NULL AND port_number <> ALL (p_excluded)
                 ORDER BY port_number LIMIT 1 FOR UPDATE;
            END IF;
        END IF;
        IF v_port IS NOT NULL THEN
            RETURN v_port;
        END IF;
    END LOOP;
    RETURN NULL;
END $$;

-- Ends the time-expired allocations of first..last on the host and records them as EXPIRED. Owners cannot be judged
-- in SQL; Java clients reclaim allocations of dead owners of their own machine.
CREATE OR REPLACE FUNCTION port_reclaim_expired(p_host VARCHAR, p_first INTEGER, p_last INTEGER,
                                                p_by VARCHAR) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
    v_count INTEGER;
BEGIN
    -- PL/pgSQL rather than SQL: its statements keep their plans from call to call.
    WITH ended AS (
        UPDATE port_allocations SET released_at = now()
         WHERE hostname = p_host AND port_number BETWEEN p_first AND p_last
           AND released_at IS NULL AND expires_at <= now()
        RETURNING *
    )
    INSERT INTO port_allocation_history (created_at, action, port_number, protocol, hostname, project_name,
                                         service_name, environment, performed_by, reason)
    SELECT now(), 'EXPIRED', port_number, protocol, hostname, project_name, service_name, environment, p_by,
           'lease expired at ' || to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
      FROM ended;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END $$;

-- The first free port of the range for the protocol on the host, lowest first, lapsed leases counted as free; NULL
-- if none. A look only: another client may take it before you do; use allocate_port to claim.
CREATE OR REPLACE FUNCTION find_available_port(p_range_name VARCHAR, p_host VARCHAR DEFAULT 'localhost',
                                               p_protocol VARCHAR DEFAULT 'TCP') RETURNS INTEGER
LANGUAGE sql STABLE AS $$
    SELECT g FROM port_ranges r, generate_series(r.start_port, r.end_port) g
     WHERE r.range_name = p_range_name
       AND NOT EXISTS (SELECT 1 FROM port_allocations a
                        WHERE a.hostname = lower(p_host) AND a.port_number = g AND a.released_at IS NULL
                          AND (a.expires_at IS NULL OR a.expires_at > now())
                          AND (a.protocol = 'BOTH' OR upper(p_protocol) = 'BOTH' OR a.protocol = upper(p_protocol)))
     ORDER BY g LIMIT 1
$$;

-- Gets or allocates: the port the service (environment 'default') holds on the host, else the lowest free port of
-- the range, claimed atomically exactly as Java clients claim it. Raises an error when the range is full.
CREATE OR REPLACE FUNCTION allocate_port(p_project VARCHAR, p_service VARCHAR, p_range_name VARCHAR,
                                         p_host VARCHAR DEFAULT 'localhost', p_protocol VARCHAR DEFAULT 'TCP')
RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE
    v_host     VARCHAR := lower(p_host);
    v_protocol VARCHAR := upper(p_protocol);
    v_by       VARCHAR := session_user || '@sql';
    v_range    port_ranges%ROWTYPE;
    v_port     INTEGER;
    v_id       VARCHAR := gen_random_uuid()::text;
BEGIN
    IF v_host IN ('127.0.0.1', '::1', '[::1]', '0:0:0:0:0:0:0:1', 'localhost.localdomain') THEN
        v_host := 'localhost';
    END IF;
    PERFORM port_check_name('project', p_project);
    PERFORM port_check_name('service', p_service);
    PERFORM port_check_name('host', p_host);
    IF v_protocol NOT IN ('TCP', 'UDP', 'BOTH') THEN
        RAISE EXCEPTION 'protocol ''%'' is not one of: tcp, udp, both', p_protocol USING ERRCODE = '22023';
    END IF;
    SELECT * INTO v_range FROM port_ranges WHERE range_name = p_range_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no range named ''%''; define it in port_ranges first', p_range_name USING ERRCODE = '22023';
    END IF;
    FOR attempt IN 1..100 LOOP
        SELECT port_number INTO v_port FROM port_allocations
         WHERE md5(hostname || chr(1) || project_name || chr(1) || service_name || chr(1) || environment)
               = md5(v_host || chr(1) || p_project || chr(1) || p_service || chr(1) || 'default')
           AND hostname = v_host AND project_name = p_project AND service_name = p_service
           AND environment = 'default' AND released_at IS NULL AND (expires_at IS NULL OR expires_at > now());
        IF FOUND THEN
            RETURN v_port;
        END IF;
        PERFORM port_reclaim_expired(v_host, v_range.start_port, v_range.end_port, v_by);
        -- A lapsed allocation of the service itself is reclaimed too, so that it can be allocated anew.
        UPDATE port_allocations SET released_at = now()
         WHERE hostname = v_host AND project_name = p_project AND service_name = p_service
           AND environment = 'default' AND released_at IS NULL AND expires_at <= now();
        v_port := port_pick(v_host, v_protocol, v_range.start_port, v_range.end_port, v_range.start_port, '{}');
        IF v_port IS NULL THEN
            RAISE EXCEPTION 'no free % port in range ''%'' %-% on %; widen the range or release one',
                v_protocol, p_range_name, v_range.start_port, v_range.end_port, v_host USING ERRCODE = '53400';
        END IF;
        INSERT INTO port_allocations (id, port_number, protocol, hostname, project_name, service_name, range_name,
                                      environment, status, allocated_at, allocated_by)
        VALUES (v_id, v_port, v_protocol, v_host, p_project, p_service, p_range_name, 'default', 'ACTIVE', now(), v_by)
        ON CONFLICT DO NOTHING;
        IF FOUND THEN
            INSERT INTO port_allocation_history (created_at, action, port_number, protocol, hostname, project_name,
                                                 service_name, environment, performed_by, reason)
            VALUES (now(), 'ALLOCATED', v_port, v_protocol, v_host, p_project, p_service, 'default', v_by,
                    'allocate_port()');
            RETURN v_port;
        END IF;
    END LOOP;
    RAISE EXCEPTION 'could not allocate a port in range ''%'' after 100 attempts; try again', p_range_name
        USING ERRCODE = '40001';
END $$;

-- Releases every allocation of the port on the host (all protocols); returns how many were released.
CREATE OR REPLACE FUNCTION release_port(p_port INTEGER, p_host VARCHAR DEFAULT 'localhost') RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
    v_host  VARCHAR := lower(p_host);
    v_count INTEGER;
BEGIN
    IF v_host IN ('127.0.0.1', '::1', '[::1]', '0:0:0:0:0:0:0:1', 'localhost.localdomain') THEN
        v_host := 'localhost';
    END IF;
    WITH ended AS (
        UPDATE port_allocations SET released_at = now()
         WHERE hostname = v_host AND port_number = p_port AND released_at IS NULL
        RETURNING *
    )
    INSERT INTO port_allocation_history (created_at, action, port_number, protocol, hostname, project_name,
                                         service_name, environment, performed_by, reason)
    SELECT now(), 'RELEASED', port_number, protocol, hostname, project_name, service_name, environment,
           session_user || '@sql', 'release_port()'
      FROM ended;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END $$;

INSERT INTO port_schema_version (version, description) VALUES (1, 'Port Manager registry: ranges, allocations, history, health checks, slots, SQL functions')
ON CONFLICT DO NOTHING;
INSERT INTO port_schema_version (version, description) VALUES (2, 'name rules in the schema; the free list rebuilt on TRUNCATE')
ON CONFLICT DO NOTHING;
