#!/usr/bin/env bash
# `import buildings` of 200,000 generated footprints (inside the pilot's grids, ~80 MB of GeoJSON) against
# ogr2ogr loading the same file into PostGIS (COPY, then a GiST index), both timed in the same run on the
# same cluster; prints the medians and their ratio (the import should stay within 2x).
#   scripts/bench/import-buildings.sh                      # 3 rounds of each
#   SD_BENCH_ROUNDS=5 SD_BENCH_FOOTPRINTS=50000 scripts/bench/import-buildings.sh
# The import runs the verb as scripts/sdp execs it (after its migrate), on a fresh copy of a migrated
# pilot database each round, so every round imports into the same 1,102 buildings.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

FOOTPRINTS="${SD_BENCH_FOOTPRINTS:-200000}"
BENCH_DB="smartdoorplate_bench_import"
file="$BENCH_OUT/footprints-$FOOTPRINTS.geojson"

bench_prepare
command -v ogr2ogr >/dev/null || sd_ensure_apt "/usr/bin/ogr2ogr=gdal-bin"
[ -s "$file" ] || python3 "$SD_ROOT/scripts/bench/footprints.py" --count "$FOOTPRINTS" --grids "$SD_ROOT/gis-data/pilot/grids.geojson" --out "$file"
sd_log "$(du -h "$file" | cut -f1) of GeoJSON, $FOOTPRINTS footprints; $BENCH_ROUNDS rounds"

# Inside $(…) errexit is off: a failed command must fail seconds() itself, or the caller never sees it.
seconds() { local start; start=$(date +%s.%N); "$@" || return; echo "$(date +%s.%N) - $start" | bc; }
fresh_db() {
  sd_psql "$BENCH_DB_PORT" -d postgres -c "drop database if exists $1 with (force)"
  sd_psql "$BENCH_DB_PORT" -d postgres -c "create database $1 ${2:+template $2}"
}

# Each line of the verb's progress with the seconds since the start: a stage's last line ("…: n of n")
# ends it, so phases() can say where the time went.
stamp() {
  local start line; start=$(date +%s.%N)
  while IFS= read -r line; do printf '%s %s\n' "$(echo "$(date +%s.%N) - $start" | bc)" "$line"; done
}

import_into() {
  local cs; cs="$(sd_connection_string "$BENCH_DB_PORT" "$1" postgres)"
  ConnectionStrings__Default="$cs" ConnectionStrings__Owner="$cs" sd_app import buildings "$file" 2>"$BENCH_OUT/import.err" \
    | stamp >"$BENCH_OUT/import.out"
  return "${PIPESTATUS[0]}"
}

# "checking …" is start-up, parsing, checking and staging; "writing standard_addresses" also the checks
# in the database and dropping the indexes; the last phase is the analyze and the commit.
phases() {
  awk '{ end = $1 }
       / [0-9]+ of [0-9]+$/ && $(NF - 2) == $NF {
         stage = $0; sub(/^[0-9.]+ /, "", stage); sub(/: [0-9]+ of [0-9]+$/, "", stage)
         printf "%s%s %.1f s", sep, stage, $1 - last; sep = ", "; last = $1 }
       END { printf "%sanalyze, commit, exit %.1f s\n", sep, end - last }' "$BENCH_OUT/import.out"
}

ogr_times=() import_times=()
for round in $(seq 1 "$BENCH_ROUNDS"); do
  fresh_db bench_ogr
  sd_psql "$BENCH_DB_PORT" -d bench_ogr -c "create extension postgis"
  t=$(seconds env PGPASSFILE="$SD_PG_PASSFILE" PG_USE_COPY=YES ogr2ogr -f PostgreSQL \
        PG:"host=127.0.0.1 port=$BENCH_DB_PORT user=postgres dbname=bench_ogr" "$file" -nln x -lco SPATIAL_INDEX=GIST) \
    || sd_die "ogr2ogr failed"
  [ "$(sd_psql "$BENCH_DB_PORT" -d bench_ogr -c "select count(*) from x")" = "$FOOTPRINTS" ] || sd_die "ogr2ogr did not load $FOOTPRINTS rows"
  ogr_times+=("$t")

  fresh_db bench_import "$BENCH_DB"
  t=$(seconds import_into bench_import) || { cat "$BENCH_OUT/import.err" >&2; sd_die "import buildings failed"; }
  [ "$(sd_psql "$BENCH_DB_PORT" -d bench_import -c "select count(*) from buildings where code like 'BENCH-%'")" = "$FOOTPRINTS" ] \
    || sd_die "import buildings did not import $FOOTPRINTS buildings"
  import_times+=("$t")
  printf 'round %d: ogr2ogr %.1f s, import buildings %.1f s (%s)\n' "$round" "${ogr_times[-1]}" "$t" "$(phases)"
done
sd_psql "$BENCH_DB_PORT" -d postgres -c "drop database if exists bench_ogr with (force)"
sd_psql "$BENCH_DB_PORT" -d postgres -c "drop database if exists bench_import with (force)"

ogr=$(printf '%s\n' "${ogr_times[@]}" | median)
import=$(printf '%s\n' "${import_times[@]}" | median)
printf 'median of %d: ogr2ogr %.1f s, import buildings %.1f s, ratio %.2f (load average %s)\n' \
  "$BENCH_ROUNDS" "$ogr" "$import" "$(echo "$import / $ogr" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
