# Shared by the benchmarks: a fresh pilot database of their own (so the run.sh data stays clean),
# the app started on its own port with the anonymous limiter off (so the benchmark measures the app, not the limiter), and wrk helpers.
# Figures are medians of several rounds, with a baseline measured in the same run: this 2-core
# machine is noisy, and wrk shares its cores with the app and PostgreSQL.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

BENCH_DB_PORT="${SD_DB_PORT:-5433}"
BENCH_PORT="${SD_BENCH_PORT:-5090}"
BENCH_DB="smartdoorplate_bench"
BENCH_URL="http://127.0.0.1:$BENCH_PORT"
BENCH_ROUNDS="${SD_BENCH_ROUNDS:-3}"
BENCH_SECONDS="${SD_BENCH_SECONDS:-10}"
BENCH_OUT="$SD_ROOT/artifacts/bench"
mkdir -p "$BENCH_OUT"

export ASPNETCORE_ENVIRONMENT=Development
export SD_ANON_RATE_LIMIT=0
export Registrations__MaxSubmissionsPerPlatePerHour=1000000
export Logging__LogLevel__Default=Warning

# The session settings the app gives its map reads (Data/DataServices): psql runs the same
# statements with them, or the comparison would time a different server configuration.
BENCH_APP_PG_OPTIONS="-c jit=off -c max_parallel_workers_per_gather=0 -c plan_cache_mode=force_custom_plan"   # DataServices.SpatialReadsOptions

# The run.sh cluster, and the app on the benchmark database as its owner (both connection strings).
bench_start_cluster() {
  sd_cluster_start "$SD_ROOT/.data/pg" "$BENCH_DB_PORT"
  ConnectionStrings__Default="$(sd_connection_string "$BENCH_DB_PORT" "$BENCH_DB" postgres)"
  export ConnectionStrings__Default ConnectionStrings__Owner="$ConnectionStrings__Default"
}

bench_prepare() {
  sd_ensure_runtime_packages
  command -v wrk >/dev/null || sd_ensure_apt "/usr/bin/wrk=wrk"
  bench_start_cluster
  sd_psql "$BENCH_DB_PORT" -d postgres -c "drop database if exists $BENCH_DB with (force)"
  sd_psql "$BENCH_DB_PORT" -d postgres -c "create database $BENCH_DB"
  sd_build
  sd_app migrate >/dev/null
  sd_app seed --scale pilot --data "$SD_ROOT/gis-data/pilot" >/dev/null
  # As a database that has been running would be: otherwise autovacuum works through the freshly
  # loaded tables during the first round, and its CPU lands on the figures.
  bench_query "vacuum (analyze)" >/dev/null
}

# SD_BENCH_REUSE=1: the benchmark database of an earlier run (e.g. the seeded city, about 8 minutes
# to make), migrated. SD_BENCH_BUILD=0 runs the binaries as they are (a baseline from before a
# change); migrations since the seed are applied, and the planner gets fresh statistics for what they filled.
bench_reuse_database() {
  sd_ensure_runtime_packages
  bench_start_cluster
  [ -n "$(sd_psql "$BENCH_DB_PORT" -d postgres -c "select 1 from pg_database where datname = '$BENCH_DB'")" ] \
    || sd_die "SD_BENCH_REUSE=1 but there is no $BENCH_DB database yet"
  [ "${SD_BENCH_BUILD:-1}" = 0 ] || sd_build
  sd_app migrate >/dev/null
  # Vacuum too: a migration that rewrote a table (a new stored column) cleared its visibility map, and
  # until autovacuum comes by, index-only scans read the heap after all.
  bench_query "vacuum (analyze)" >/dev/null
}

bench_start_app() {
  ASPNETCORE_CONTENTROOT="$SD_WEB_PROJECT" dotnet "$SD_WEB_PROJECT/bin/Release/net10.0/SmartDoorplate.Web.dll" \
    --urls "$BENCH_URL" > "$BENCH_OUT/app.log" 2>&1 &
  BENCH_APP_PID=$!
  trap bench_stop_app EXIT
  for _ in $(seq 1 120); do
    curl -fs "$BENCH_URL/health" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  cat "$BENCH_OUT/app.log" >&2
  sd_die "the app did not become healthy on $BENCH_URL"
}

bench_stop_app() {
  [ -n "${BENCH_APP_PID:-}" ] && kill "$BENCH_APP_PID" 2>/dev/null && wait "$BENCH_APP_PID" 2>/dev/null
  BENCH_APP_PID=""
}

bench_query() { sd_psql "$BENCH_DB_PORT" -d "$BENCH_DB" -c "$1"; }

# Until the benchmark database runs nothing (at most a minute): the requests a wrk run left in flight
# when it stopped (tiles of several seconds under load) would otherwise be timed into the next phase.
bench_wait_idle() {
  for _ in $(seq 1 120); do
    [ "$(bench_query "select count(*) from pg_stat_activity where datname = '$BENCH_DB' and state = 'active' and pid <> pg_backend_pid()")" = 0 ] && return 0
    sleep 0.5
  done
  sd_log "the benchmark database is still busy after a minute; timing anyway"
}

# bench_busiest_place [STATION_CODE] → "lon lat residents": the centre of the 500 m square (Web
# Mercator) with the most current residents, in that station or (empty) anywhere.
bench_busiest_place() {
  bench_query "
    select ST_X(p), ST_Y(p), n from (
      select ST_Transform(ST_SetSRID(ST_MakePoint((floor(ST_X(m) / 500) + 0.5) * 500, (floor(ST_Y(m) / 500) + 0.5) * 500), 3857), 4326) as p, count(*) as n
      from (select ST_Transform(b.entrance, 3857) as m
            from residence_registrations r join buildings b on b.id = r.building_id
            join community_grids g on g.id = b.grid_id join police_stations s on s.id = g.station_id
            where r.status in ('confirmed', 'verified') and r.move_out_date is null and ('${1:-}' = '' or s.code = '${1:-}')) x
      group by 1 order by 2 desc limit 1) busiest" | tr '|' ' '
}

# bench_wrk NAME URL [LUA] → prints "rps p50_ms p99_ms errors" and keeps wrk's full output.
bench_wrk() {
  local name="$1" url="$2" lua="${3:-}" connections="${SD_BENCH_CONNECTIONS:-32}"
  local out="$BENCH_OUT/$name.txt"
  # SD_BENCH_SECONDS set on the call (a warm-up) wins over the run's own length.
  wrk -t2 -c"$connections" -d"${SD_BENCH_SECONDS:-$BENCH_SECONDS}s" --latency ${lua:+-s "$lua"} "$url" > "$out" 2>&1
  awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /^Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Non-2xx or 3xx responses/ { errors += $NF }
    /Socket errors/ { errors += 1 }
    END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, errors + 0 }' "$out"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
