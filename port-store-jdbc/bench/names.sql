-- What the name rules of schema version 2 cost a write: 50,000 allocation rows (7 name columns, with the free-list
-- trigger) and 50,000 history rows (5 name columns), through plain INSERTs, into the schema of the search_path.
-- Compare a schema installed from schema-postgresql.sql with one from src/test/resources/schema-postgresql-v1.sql
-- (no name rules), alternating runs:
--   psql -c 'CREATE SCHEMA v1' -c 'CREATE SCHEMA v2'
--   (echo 'SET search_path TO v1;'; cat src/test/resources/schema-postgresql-v1.sql) | psql -v ON_ERROR_STOP=1
--   (echo 'SET search_path TO v2;'; cat src/main/resources/dev/portmanager/store/jdbc/schema-postgresql.sql) | psql
--   for run in 1 2 3 4 5; do for v in v1 v2; do (echo "SET search_path TO $v;"; cat bench/names.sql) | psql; done; done
TRUNCATE port_allocations, port_allocation_history, port_ranges, port_slots, port_slot_spans CASCADE;
INSERT INTO port_ranges (range_name, start_port, end_port) VALUES ('b', 10000, 60000);
\timing on
INSERT INTO port_allocations (id, port_number, protocol, hostname, project_name, service_name, range_name,
                              environment, status, allocated_at, allocated_by)
SELECT 'id-' || g, g, 'TCP', 'localhost', 'consilio', 'service-' || g, 'b', 'default', 'ACTIVE', now(), 'ana@build-7'
  FROM generate_series(10000, 59999) g;
INSERT INTO port_allocation_history (created_at, action, port_number, protocol, hostname, project_name, service_name,
                                     environment, performed_by, reason)
SELECT now(), 'ALLOCATED', g, 'TCP', 'localhost', 'consilio', 'service-' || g, 'default', 'ana@build-7', ''
  FROM generate_series(10000, 59999) g;
