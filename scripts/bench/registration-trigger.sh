#!/usr/bin/env bash
# What the building_counts trigger adds to one registration insert: pgbench inserting single
# registrations (one statement, one transaction each, like a tenant's submission) into the
# benchmark database, alternately with the trigger enabled and disabled, medians of the rounds.
# Needs a benchmark database (tiles.sh or area.sh run before); the inserted rows are deleted after.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

bench_start_cluster
out="$BENCH_OUT/registration-trigger"
rm -rf "$out"; mkdir -p "$out"
TRANSACTIONS="${SD_BENCH_TRANSACTIONS:-2000}"

# Persons and buildings to register: the first 1,000 of each, in turn.
cat > "$out/insert.sql" <<'SQL'
\set k random(1, 1000)
insert into residence_registrations (id, receipt, person_id, building_id, move_in_date, reason, status, channel, late, submitted_at, employer)
select gen_random_uuid(), 'BENCH-' || substr(md5(random()::text), 1, 14), p.id, b.id, current_date, 'work', 'submitted', 'api', false, now(), 'bench-trigger'
from (select id from persons order by id offset :k limit 1) p, (select id from buildings order by id offset :k limit 1) b
returning xmin;
SQL

run() {
  PGPASSFILE="$SD_PG_PASSFILE" "$PG_BIN/pgbench" -h 127.0.0.1 -p "$BENCH_DB_PORT" -U postgres -n -c 1 -t "$TRANSACTIONS" -f "$out/insert.sql" "$BENCH_DB" 2>&1 \
    | awk '/latency average/ { print $4 }'
}
trigger() { bench_query "alter table residence_registrations $1 trigger building_counts_after_insert" >/dev/null; }

trap 'trigger enable; bench_query "delete from residence_registrations where employer = '"'"'bench-trigger'"'"'" >/dev/null' EXIT
: > "$out/rounds.txt"
for round in $(seq 1 "$BENCH_ROUNDS"); do
  trigger disable; without=$(run)
  trigger enable; with=$(run)
  echo "$round $without $with" | tee -a "$out/rounds.txt"
done
w0=$(awk '{ print $2 }' "$out/rounds.txt" | median)
w1=$(awk '{ print $3 }' "$out/rounds.txt" | median)
printf 'registration insert (pgbench, 1 connection, %d per round, %d rounds; load average %s): %.3f ms without the trigger, %.3f ms with it (+%.3f ms)\n' \
  "$TRANSACTIONS" "$BENCH_ROUNDS" "$(cut -d' ' -f1-3 /proc/loadavg)" "$w0" "$w1" "$(awk -v a="$w0" -v b="$w1" 'BEGIN { print b - a }')" | tee "$out/summary.txt"
