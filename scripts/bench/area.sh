#!/usr/bin/env bash
# the police map's area query. POST /api/map/area with 1 km² polygons (squares turned by
# 0–90°, centres within 500 m of the busiest place: the most current residents in a 500 m square)
# one after another on one connection, against psql (\timing) running the statement the app sends
# for it (`sdp area sql` writes it: the buildings inside, their sums from building_counts and the
# masked list's first 200 rows, in one statement). Medians and p95 over all polygons and rounds;
# target < 100 ms.
# As police.gaicha (station QL-GC). Like tiles.sh: SD_BENCH_SCALE=city or the pilot;
# SD_BENCH_REUSE=1 keeps the benchmark database of an earlier run (e.g. the seeded city), migrated.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SCALE="${SD_BENCH_SCALE:-pilot}"
POLYGONS="${SD_BENCH_POLYGONS:-50}"
PASSWORD="${SD_DEMO_PASSWORD:-Demo-2026!}"

# The area query is for police only (an admin gets 403) and the city's generated officers have no
# password, so it is the pilot's officer at either scale: the pilot lies in the city's densest part.
BENCH_USER=police.gaicha; BENCH_STATION=QL-GC

if [ "${SD_BENCH_REUSE:-}" = 1 ]; then
  bench_reuse_database
else
  bench_prepare
  if [ "$SCALE" = city ]; then
    sd_log "seeding the city (about 8 minutes)"
    sd_app seed --scale city >/dev/null
    bench_query "analyze" >/dev/null
  fi
fi
bench_start_app
out="$BENCH_OUT/area-$SCALE"
rm -rf "$out"; mkdir -p "$out/sql"

read -r lon lat residents < <(bench_busiest_place "$BENCH_STATION")
sd_log "busiest place: $lon, $lat ($residents current residents within its 500 m square)"

# One polygon a line as "lon lat,lon lat,…" (closed): a square of 1 km on the ground.
awk -v lon="$lon" -v lat="$lat" -v n="$POLYGONS" 'BEGIN {
  srand(1); pi = atan2(0, -1); my = 111320; mx = 111320 * cos(lat * pi / 180)
  for (i = 0; i < n; i++) {
    cx = lon + (rand() - 0.5) * 1000 / mx; cy = lat + (rand() - 0.5) * 1000 / my; turn = rand() * pi / 2
    line = ""
    for (k = 0; k <= 4; k++) {
      a = turn + (k % 4) * pi / 2 + pi / 4; r = 500 * sqrt(2)
      line = line (k ? "," : "") sprintf("%.7f %.7f", cx + r * cos(a) / mx, cy + r * sin(a) / my)
    }
    print line
  }}' > "$out/polygons.txt"

token=$(curl -fs -X POST "$BENCH_URL/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$BENCH_USER\",\"password\":\"$PASSWORD\"}" | sed -E 's/.*"token":"([^"]+)".*/\1/')
[ -n "$token" ] || sd_die "could not sign in as $BENCH_USER"

# The request bodies; `sdp area sql` writes the very statement the app runs for each (AreaQuery).
i=0
while read -r ring; do
  i=$((i + 1))
  coordinates=$(echo "$ring" | awk -F, '{ for (k = 1; k <= NF; k++) { split($k, p, " "); printf "%s[%s,%s]", (k > 1 ? "," : ""), p[1], p[2] } }')
  printf '{"polygon":{"type":"Polygon","coordinates":[[%s]]},"purpose":"性能基准 area benchmark"}\n' "$coordinates" > "$out/body-$i.json"
done < "$out/polygons.txt"
bodies=(); for k in $(seq 1 "$i"); do bodies+=("$out/body-$k.json"); done
sd_app area sql --station "$BENCH_STATION" -o "$out/sql" "${bodies[@]}" >/dev/null

sd_log "$i polygons around $lon, $lat; warming up"
for k in $(seq 1 "$i"); do
  curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data-binary "@$out/body-$k.json" "$BENCH_URL/api/map/area"
done
code=$(curl -s -o "$out/example-response.json" -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data-binary "@$out/body-1.json" "$BENCH_URL/api/map/area")
[ "$code" = 200 ] || sd_die "POST /api/map/area answered $code: $(cat "$out/example-response.json")"

# The app on one keep-alive connection, psql in one session a round (the app's pooled connections
# are warm too: a fresh backend spends some 250 ms loading PostGIS on its first statement), each
# polygon in turn (psql runs the first once more before, to warm up).
: > "$out/times.txt"
sql_files=(); for k in $(seq 1 "$i"); do sql_files+=(-f "$out/sql/body-$k.sql"); done
for round in $(seq 1 "$BENCH_ROUNDS"); do
  for k in $(seq 1 "$i"); do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      --data-binary "@$out/body-$k.json" "$BENCH_URL/api/map/area"
  done | awk '{ print $1 * 1000 }' > "$out/app-$round.txt"
  PGOPTIONS="$BENCH_APP_PG_OPTIONS" PGPASSFILE="$SD_PG_PASSFILE" "$PG_BIN/psql" -w -h 127.0.0.1 -p "$BENCH_DB_PORT" -U postgres -d "$BENCH_DB" -qAt -c '\timing on' -f "$out/sql/body-1.sql" "${sql_files[@]}" \
    | awk '/^Time:/ { n++; if (n > 1) print $2 }' > "$out/sql-$round.txt"
  paste -d' ' "$out/app-$round.txt" "$out/sql-$round.txt" >> "$out/times.txt"
done

p95() { sort -g | awk '{ v[NR] = $1 } END { i = int(NR * 0.95 + 0.5); if (i < 1) i = 1; print v[i] }'; }
a50=$(awk '{ print $1 }' "$out/times.txt" | median); a95=$(awk '{ print $1 }' "$out/times.txt" | p95)
s50=$(awk '{ print $2 }' "$out/times.txt" | median); s95=$(awk '{ print $2 }' "$out/times.txt" | p95)
ratio=$(awk '$2 > 0 { print $1 / $2 }' "$out/times.txt" | median)
{
  echo "scale $SCALE as $BENCH_USER; $i polygons of 1 km² around $lon, $lat; $BENCH_ROUNDS rounds; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "example: $(head -c 200 "$out/example-response.json")"
  printf 'area query  app p50 %.2f ms, p95 %.2f ms | SQL (psql, same statement) p50 %.2f ms, p95 %.2f ms | median ratio app/SQL %.2f\n' "$a50" "$a95" "$s50" "$s95" "$ratio"
} | tee "$out/summary.txt"
