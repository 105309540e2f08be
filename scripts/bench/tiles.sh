#!/usr/bin/env bash
# Issue 5/6: police map tiles. Tiles z12–17 around the busiest place (most current residents in a
# 500 m square), the tile holding it and its 8 neighbours per zoom, every layer:
#   1. wrk, 32 connections over all layers mixed: req/s, p50/p95/p99;
#   2. per layer, the app's time per tile (wrk, one connection: its median latency) against
#      PostgreSQL running the very same statement alone (`sdp tiles sql` writes it, pgbench runs it
#      on one connection): medians and the ratio app / SQL, i.e. what HTTP, auth and .NET add.
# SD_BENCH_SCALE=city runs on `seed --scale city` (about 8 minutes to seed) with the pilot on top,
# as the admin (the busiest place may lie in any station); the default is the pilot as police.gaicha.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SCALE="${SD_BENCH_SCALE:-pilot}"
LAYERS=(boundaries buildings population cases)
PASSWORD="${SD_DEMO_PASSWORD:-Demo-2026!}"

if [ "$SCALE" = city ]; then
  BENCH_USER=admin; BENCH_STATION=""
  BENCH_PREPARED_CITY=1
else
  BENCH_USER=police.gaicha; BENCH_STATION=QL-GC
fi

bench_prepare
if [ -n "${BENCH_PREPARED_CITY:-}" ]; then
  sd_log "seeding the city (about 8 minutes)"
  sd_psql "$BENCH_DB_PORT" -d postgres -c "drop database if exists $BENCH_DB with (force)"
  sd_psql "$BENCH_DB_PORT" -d postgres -c "create database $BENCH_DB"
  sd_app migrate >/dev/null
  sd_app seed --scale city >/dev/null
  sd_app seed --scale pilot --data "$SD_ROOT/gis-data/pilot" >/dev/null
  bench_query "analyze" >/dev/null
fi
bench_start_app
out="$BENCH_OUT/tiles-$SCALE"
rm -rf "$out"; mkdir -p "$out/sql"

# The busiest 500 m square (Web Mercator) of current residents in the benchmark user's scope.
read -r lon lat residents < <(bench_query "
  select ST_X(p), ST_Y(p), n from (
    select ST_Transform(ST_SetSRID(ST_MakePoint((floor(ST_X(m) / 500) + 0.5) * 500, (floor(ST_Y(m) / 500) + 0.5) * 500), 3857), 4326) as p, count(*) as n
    from (select ST_Transform(b.entrance, 3857) as m
          from residence_registrations r join buildings b on b.id = r.building_id
          join community_grids g on g.id = b.grid_id join police_stations s on s.id = g.station_id
          where r.status in ('confirmed', 'verified') and r.move_out_date is null and ('$BENCH_STATION' = '' or s.code = '$BENCH_STATION')) x
    group by 1 order by 2 desc limit 1) busiest" | tr '|' ' ')
sd_log "busiest place: $lon, $lat ($residents current residents within its 500 m square)"

# The tile holding the place and its 8 neighbours, z12–17 (54 tiles).
tiles=$(awk -v lon="$lon" -v lat="$lat" 'BEGIN {
  pi = atan2(0, -1); r = lat * pi / 180
  for (z = 12; z <= 17; z++) {
    n = 2 ^ z; x = int((lon + 180) / 360 * n); y = int((1 - log(sin(r) / cos(r) + 1 / cos(r)) / pi) / 2 * n)
    for (dx = -1; dx <= 1; dx++) for (dy = -1; dy <= 1; dy++) printf "%d/%d/%d\n", z, x + dx, y + dy
  }}')
echo "$tiles" > "$out/tiles.txt"

token=$(curl -fs -X POST "$BENCH_URL/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$BENCH_USER\",\"password\":\"$PASSWORD\"}" | sed -E 's/.*"token":"([^"]+)".*/\1/')
[ -n "$token" ] || sd_die "could not sign in as $BENCH_USER"

# A wrk script over a list of paths, round robin, printing p50/p95/p99 (ms), requests and non-2xx/3xx.
wrk_script() {
  local lua="$1"; shift
  {
    echo "paths = {"
    for path in "$@"; do echo "  \"$path\","; done
    echo "}"
    cat <<LUA
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], { ["Authorization"] = "Bearer $token" })
end
done = function(summary, latency, requests)
  io.write(string.format("LATENCY %.2f %.2f %.2f %d %d\n", latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests, summary.errors.status))
end
LUA
  } > "$lua"
}

# wrk_run NAME CONNECTIONS LUA → "rps p50 p95 p99 requests errors"
wrk_run() {
  local name="$1" connections="$2" lua="$3" threads=2
  [ "$connections" -eq 1 ] && threads=1
  wrk -t"$threads" -c"$connections" -d"${BENCH_SECONDS}s" -s "$lua" "$BENCH_URL" > "$out/$name.txt" 2>&1
  local rps; rps=$(awk '/^Requests\/sec/ { print $2 }' "$out/$name.txt")
  echo "$rps $(awk '/^LATENCY/ { print $2, $3, $4, $5, $6 }' "$out/$name.txt")"
}

all_paths=()
for layer in "${LAYERS[@]}"; do
  for tile in $tiles; do all_paths+=("/api/map/tiles/$layer/$tile.mvt"); done
done
wrk_script "$out/all.lua" "${all_paths[@]}"
codes=$(for path in "${all_paths[@]}"; do curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $token" "$BENCH_URL$path"; done | sort | uniq -c | tr '\n' ' ')
sd_log "status codes of the ${#all_paths[@]} tiles: $codes"

bench_wrk warmup-live "$BENCH_URL/health/live" >/dev/null
SD_BENCH_SECONDS=5 wrk_run warmup-tiles 8 "$out/all.lua" >/dev/null
: > "$out/mixed-rounds.txt"
for round in $(seq 1 "$BENCH_ROUNDS"); do
  read -r rps p50 p95 p99 requests errors < <(wrk_run "mixed-$round" 32 "$out/all.lua")
  echo "$round $rps $p50 $p95 $p99 $errors" >> "$out/mixed-rounds.txt"
  printf 'round %d: tiles (all layers, z12-17, 32 connections) %7.0f req/s | p50 %6.2f ms, p95 %6.2f ms, p99 %6.2f ms | non-2xx/3xx %d\n' \
    "$round" "$rps" "$p50" "$p95" "$p99" "$errors"
done

# Per layer: the app on one connection against pgbench on one connection, same tiles, same SQL.
echo "layer       app p50 ms  app p95 ms  SQL p50 ms  ratio app/SQL" > "$out/per-layer.txt"
for layer in "${LAYERS[@]}"; do
  paths=(); for tile in $tiles; do paths+=("/api/map/tiles/$layer/$tile.mvt"); done
  wrk_script "$out/$layer.lua" "${paths[@]}"
  # shellcheck disable=SC2086
  sd_app tiles sql "$layer" $tiles ${BENCH_STATION:+--station "$BENCH_STATION"} -o "$out/sql" >/dev/null
  scripts=(); for tile in $tiles; do scripts+=(-f "$out/sql/$layer-${tile//\//-}.sql@1"); done
  app_p50=(); app_p95=(); sql_p50=()
  for round in $(seq 1 "$BENCH_ROUNDS"); do
    read -r _ p50 p95 _ _ _ < <(wrk_run "$layer-app-$round" 1 "$out/$layer.lua")
    app_p50+=("$p50"); app_p95+=("$p95")
    rm -f "$out"/pgbench_log*
    "$PG_BIN/pgbench" -h 127.0.0.1 -p "$BENCH_DB_PORT" -U postgres -n -c 1 -j 1 -T "$BENCH_SECONDS" -l --log-prefix="$out/pgbench_log" \
      "${scripts[@]}" "$BENCH_DB" > "$out/$layer-sql-$round.txt" 2>&1 || { cat "$out/$layer-sql-$round.txt" >&2; sd_die "pgbench failed"; }
    # Column 3 of pgbench's transaction log is the latency in microseconds.
    sql_p50+=("$(cat "$out"/pgbench_log* | awk '{ print $3 / 1000 }' | median)")
  done
  a50=$(printf '%s\n' "${app_p50[@]}" | median); a95=$(printf '%s\n' "${app_p95[@]}" | median); s50=$(printf '%s\n' "${sql_p50[@]}" | median)
  printf '%-11s %10.2f  %10.2f  %10.2f  %13.2f\n' "$layer" "$a50" "$a95" "$s50" "$(awk -v a="$a50" -v s="$s50" 'BEGIN { print a / s }')" >> "$out/per-layer.txt"
done

rps=$(awk '{print $2}' "$out/mixed-rounds.txt" | median)
p95=$(awk '{print $4}' "$out/mixed-rounds.txt" | median)
echo
echo "scale $SCALE as $BENCH_USER; ${#all_paths[@]} tiles around $lon, $lat; $BENCH_ROUNDS rounds of ${BENCH_SECONDS}s (medians)"
echo "mixed layers, 32 connections: $rps req/s, p95 $p95 ms"
cat "$out/per-layer.txt"
