#!/usr/bin/env bash
# police map tiles. Tiles z12–17 around the busiest place (most current residents in a
# 500 m square), the tile holding it and its 8 neighbours per zoom, every layer:
#   1. wrk, 32 connections over all layers mixed: req/s, p50/p95/p99;
#   2. per layer, the app's time per tile against PostgreSQL running the very same statement alone
#      (`sdp tiles sql` writes it, psql \timing runs it), the two taking turns tile by tile and view by
#      view (tile-timer.py): medians and the median per-tile ratio app / SQL, i.e. what HTTP, auth,
#      .NET and Npgsql add. The app keeps boundaries tiles in memory (Map/BoundaryTileCache), so
#      boundaries are timed twice: kept, and on a second instance with the cache off ("uncached").
# SD_BENCH_SCALE=city runs on `seed --scale city` (about 8 minutes to seed) with the pilot on top,
# as the admin (the busiest place may lie in any station); the default is the pilot as police.gaicha.
# SD_BENCH_REUSE=1 keeps the benchmark database of an earlier run (e.g. the seeded city), migrated.
# The machine is shared: the load average is printed with the figures.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
sd_ensure_apt "/usr/bin/python3=python3"   # tile-timer.py

SCALE="${SD_BENCH_SCALE:-pilot}"
LAYERS=(boundaries buildings population cases)
PASSWORD="${SD_DEMO_PASSWORD:-Demo-2026!}"

if [ "$SCALE" = city ]; then
  BENCH_USER=admin; BENCH_STATION=""
  BENCH_PREPARED_CITY=1
else
  BENCH_USER=police.gaicha; BENCH_STATION=QL-GC
fi

if [ "${SD_BENCH_REUSE:-}" = 1 ]; then
  bench_reuse_database
  BENCH_PREPARED_CITY=""
else
  bench_prepare
fi
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
read -r lon lat residents < <(bench_busiest_place "$BENCH_STATION")
sd_log "busiest place: $lon, $lat ($residents current residents within its 500 m square)"

# The tile holding the place and its 8 neighbours, z12–17 (54 tiles).
tiles=$(awk -v lon="$lon" -v lat="$lat" 'BEGIN {
  pi = atan2(0, -1); r = lat * pi / 180
  for (z = 12; z <= 17; z++) {
    n = 2 ^ z; x = int((lon + 180) / 360 * n); y = int((1 - log(sin(r) / cos(r) + 1 / cos(r)) / pi) / 2 * n)
    for (dx = -1; dx <= 1; dx++) for (dy = -1; dy <= 1; dy++) printf "%d/%d/%d\n", z, x + dx, y + dy
  }}')
echo "$tiles" > "$out/tiles.txt"

sign_in() {
  token=$(curl -fs -X POST "$BENCH_URL/api/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$BENCH_USER\",\"password\":\"$PASSWORD\"}" | sed -E 's/.*"token":"([^"]+)".*/\1/')
  [ -n "$token" ] || sd_die "could not sign in as $BENCH_USER"
}
sign_in

# A wrk script over a list of paths, round robin, printing p50/p95/p99 (ms), requests, and errors
# (non-2xx/3xx and timeouts).
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
    latency:percentile(99) / 1000, summary.requests, summary.errors.status + summary.errors.timeout))
end
LUA
  } > "$lua"
}

# wrk_run NAME CONNECTIONS LUA → "rps p50 p95 p99 requests errors"
wrk_run() {
  local name="$1" connections="$2" lua="$3" threads=2
  [ "$connections" -eq 1 ] && threads=1
  # A 10 s timeout: wrk's 2 s default would drop the slowest tiles from the percentiles.
  wrk -t"$threads" -c"$connections" -d"${BENCH_SECONDS}s" --timeout 10s -s "$lua" "$BENCH_URL" > "$out/$name.txt" 2>&1
  local rps; rps=$(awk '/^Requests\/sec/ { print $2 }' "$out/$name.txt")
  echo "$rps $(awk '/^LATENCY/ { print $2, $3, $4, $5, $6 }' "$out/$name.txt")"
}

# Each layer's SQL per tile; none below a layer's zoom, where the app answers 204 without asking
# PostgreSQL and the map (the style's minzoom) never asks: those tiles are left out throughout.
for layer in "${LAYERS[@]}"; do
  # shellcheck disable=SC2086
  sd_app tiles sql "$layer" $tiles ${BENCH_STATION:+--station "$BENCH_STATION"} -o "$out/sql" >/dev/null
done
all_paths=()
for layer in "${LAYERS[@]}"; do
  for tile in $tiles; do
    [ -f "$out/sql/$layer-${tile//\//-}.sql" ] && all_paths+=("/api/map/tiles/$layer/$tile.mvt")
  done
done
wrk_script "$out/all.lua" "${all_paths[@]}"
codes=$(for path in "${all_paths[@]}"; do curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $token" "$BENCH_URL$path"; done | sort | uniq -c | tr '\n' ' ')
sd_log "status codes of the ${#all_paths[@]} tiles: $codes"

bench_wrk warmup-live "$BENCH_URL/health/live" >/dev/null
wrk_run warmup-tiles 8 "$out/all.lua" >/dev/null
: > "$out/mixed-rounds.txt"
for round in $(seq 1 "$BENCH_ROUNDS"); do
  read -r rps p50 p95 p99 requests errors < <(wrk_run "mixed-$round" 32 "$out/all.lua")
  echo "$round $rps $p50 $p95 $p99 $errors" >> "$out/mixed-rounds.txt"
  printf 'round %d: tiles (all layers, z12-17, 32 connections) %7.0f req/s | p50 %6.2f ms, p95 %6.2f ms, p99 %6.2f ms | errors/timeouts %d\n' \
    "$round" "$rps" "$p50" "$p95" "$p99" "$errors"
done

bench_wait_idle

# Per layer, every tile once a round, one after another: the app (one keep-alive HTTP connection) and
# PostgreSQL alone (one psql session, \timing, the same statement), taking turns so that the machine's
# drift falls on both (tile-timer.py): tile by tile ("one at a time"), and zoom by zoom, the 9 tiles of
# a view one after another on each side ("in a view", as the map asks for them). Tile costs differ a
# thousandfold between z12 and z17, so both sides time the same tiles equally often; the ratio is
# taken per tile, then its median. The "empty request" column is GET /health/live after a psql turn
# (tile-timer.py): the part of a small tile's app time that is HTTP on this machine, not the tile.
printf '%-20s %5s  %10s  %10s  %10s  %12s  %14s  %13s  %14s  %13s\n' layer tiles "app p50 ms" "app p95 ms" "SQL p50 ms" \
  "median ratio" "ratio of means" "empty req ms" "view app p50" "view ratio" > "$out/per-layer.txt"
# time_layer LAYER [LABEL]: one row of per-layer.txt.
time_layer() {
  local layer="$1" label="${2:-$1}"
  for tile in $tiles; do
    sql="$out/sql/$layer-${tile//\//-}.sql"
    [ -f "$sql" ] && echo "/api/map/tiles/$layer/$tile.mvt $sql"
  done > "$out/$layer-tiles.txt"
  PGOPTIONS="$BENCH_APP_PG_OPTIONS" PGPASSFILE="$SD_PG_PASSFILE" python3 "$SD_ROOT/scripts/bench/tile-timer.py" --port "$BENCH_PORT" --token "$token" \
    --rounds "$BENCH_ROUNDS" -- "$PG_BIN/psql" -w -h 127.0.0.1 -p "$BENCH_DB_PORT" -U postgres -d "$BENCH_DB" -qAt -o /dev/null \
    < "$out/$layer-tiles.txt" > "$out/$label-times.txt"
  local times="$out/$label-times.txt"
  single() { awk -v c="$1" '$1 == "single" { print $c }' "$times"; }
  a50=$(single 2 | median)
  a95=$(single 2 | sort -g | awk '{ v[NR] = $1 } END { i = int(NR * 0.95 + 0.5); if (i < 1) i = 1; print v[i] }')
  s50=$(single 3 | median)
  ratio=$(awk '$1 == "single" && $3 > 0 { print $2 / $3 }' "$times" | median)
  # Total app time over total SQL time: what the app adds to the time the map spends on the layer.
  means=$(awk '$1 == "single" { a += $2; s += $3 } END { print a / s }' "$times")
  e50=$(single 4 | median)
  v50=$(awk '$1 == "view" { print $2 }' "$times" | median)
  vratio=$(awk '$1 == "view" && $3 > 0 { print $2 / $3 }' "$times" | median)
  printf '%-20s %5d  %10.2f  %10.2f  %10.2f  %12.2f  %14.2f  %13.2f  %14.2f  %13.2f\n' "$label" "$(wc -l < "$out/$layer-tiles.txt")" \
    "$a50" "$a95" "$s50" "$ratio" "$means" "$e50" "$v50" "$vratio" >> "$out/per-layer.txt"
}
for layer in "${LAYERS[@]}"; do time_layer "$layer"; done

# The app keeps boundaries tiles in memory until the outlines change (Map/BoundaryTileCache), so
# the boundaries row times kept tiles. Once more with the cache off, every tile rendered, as the
# first request for a tile after a change is.
bench_stop_app
export Map__BoundaryTileCache__SizeMegabytes=0
bench_start_app
unset Map__BoundaryTileCache__SizeMegabytes
sign_in
boundary_paths=()
for path in "${all_paths[@]}"; do [[ "$path" == /api/map/tiles/boundaries/* ]] && boundary_paths+=("$path"); done
wrk_script "$out/boundaries.lua" "${boundary_paths[@]}"
# As long as the first instance had before its rows (the JIT's tiers, the pool's connections).
BENCH_SECONDS=$(((1 + BENCH_ROUNDS) * BENCH_SECONDS)) wrk_run warmup-uncached 8 "$out/boundaries.lua" >/dev/null
bench_wait_idle
time_layer boundaries "boundaries uncached"

rps=$(awk '{print $2}' "$out/mixed-rounds.txt" | median)
p95=$(awk '{print $4}' "$out/mixed-rounds.txt" | median)
echo
echo "scale $SCALE as $BENCH_USER; ${#all_paths[@]} tiles around $lon, $lat; $BENCH_ROUNDS rounds of ${BENCH_SECONDS}s (medians); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "mixed layers, 32 connections: $rps req/s, p95 $p95 ms"
cat "$out/per-layer.txt"
