#!/usr/bin/env bash
# Where an allocation's database time goes: pgbench, no Java, on a throwaway PostgreSQL cluster.
#
# Each script is one operation (allocate, then release: two auto-committed statements, as the store's SPI does) in a
# range of 10,000 ports, half of it held, lowest free port first. From the bare free-list mechanism up to the store's
# own statements, so the price of each part of the write set shows, beside a floor of two one-row updates each
# committed on its own (the same two commits per operation, nothing else).
#
#   port-store-jdbc/bench/run.sh [seconds per cell, default 8]
#
# Needs PostgreSQL's binaries under /usr/lib/postgresql/*/bin; as root, the cluster runs as the postgres user.
# Prints a Markdown table; docs/benchmarks/port-store-jdbc.md quotes one run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-8}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d /tmp/portmanager-pgbench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg=()
if [ "$(id -u)" = 0 ]; then
    chown postgres "$work"
    as_pg=(runuser -u postgres --)
fi
cleanup() {
    "${as_pg[@]}" "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

"${as_pg[@]}" "$bin/initdb" -D "$work/data" -A trust -U postgres >/dev/null
"${as_pg[@]}" "$bin/pg_ctl" -D "$work/data" -l "$work/log" -w \
    -o "-p $port -k $work -c listen_addresses='' -c max_connections=100 -c shared_buffers=256MB" start >/dev/null

psql=(psql -h "$work" -p "$port" -U postgres -q -v ON_ERROR_STOP=1 -X)
schema="$here/../src/main/resources/dev/portmanager/store/jdbc/schema-postgresql.sql"

# store: the shipped schema, its trigger keeping port_slots in step; bare: the same without the trigger.
for db in store bare; do
    "${psql[@]}" -c "CREATE DATABASE $db"
    "${psql[@]}" -d "$db" -f "$schema" 2>/dev/null
    "${psql[@]}" -d "$db" -c "CREATE TABLE floor (id INTEGER PRIMARY KEY, v INTEGER NOT NULL DEFAULT 0)" \
        -c "INSERT INTO floor (id) SELECT generate_series(1, 100000)" \
        -c "INSERT INTO port_ranges (range_name, start_port, end_port) VALUES ('r', 20000, 29999)" \
        -c "SELECT port_pick('localhost', 'TCP', 20000, 29999, 20000, '{}')" >/dev/null
done
"${psql[@]}" -d store -c "INSERT INTO port_allocations (id, port_number, protocol, hostname, project_name,
    service_name, range_name, environment, status, allocated_at, allocated_by)
    SELECT 'fill' || g, g, 'TCP', 'localhost', 'fill', 'f' || g, 'r', 'default', 'ACTIVE', now(), 'fill'
      FROM generate_series(20000, 24999) g"
"${psql[@]}" -d bare -c "DROP TRIGGER port_slots_follow ON port_allocations" \
    -c "UPDATE port_slots SET tcp_allocation = 'fill' WHERE port_number < 25000"
for db in store bare; do "${psql[@]}" -d "$db" -c "VACUUM ANALYZE"; done

# store-delete.sql: store.sql with a release that deletes the row instead of setting released_at.
sed 's/^WITH ended AS (UPDATE port_allocations SET released_at = now() WHERE/WITH ended AS (DELETE FROM port_allocations WHERE/' \
    "$here/store.sql" > "$work/store-delete.sql"
grep -q 'DELETE FROM port_allocations' "$work/store-delete.sql"

tps() { # script database clients
    local script="$here/$1"
    [ -f "$script" ] || script="$work/$1"
    "$bin/pgbench" -h "$work" -p "$port" -U postgres -n -M prepared -c "$3" -j 2 -T "$seconds" -f "$script" "$2" \
        2>&1 | awk '/^tps/ { printf "%d", $3 }'
}

echo "| script | what one operation writes | ops/s at 8 | of floor | ops/s at 32 | of floor |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
while IFS='|' read -r script db what; do
    f8=$(tps floor.sql "$db" 8); s8=$(tps "$script" "$db" 8)
    f32=$(tps floor.sql "$db" 32); s32=$(tps "$script" "$db" 32)
    echo "| \`$script\` | $what | $s8 | $((100 * s8 / f8))% | $s32 | $((100 * s32 / f32))% |"
done <<'EOF'
floor.sql|store|two one-row updates, each committed (the floor itself, run twice)
slots-only.sql|bare|the free-list slot taken with SKIP LOCKED, then freed: no allocation row, no history
lean-no-trigger.sql|bare|slot, a 14-column allocation row and a history row; release deletes the row, frees the slot
lean-trigger.sql|store|the same, the slot kept by the shipped trigger, the pick inline
store-delete.sql|store|the store's claim statement (judge, `port_pick`, 21 columns); release deletes
store.sql|store|the store's claim and release statements as shipped
EOF
