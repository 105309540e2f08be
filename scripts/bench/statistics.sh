#!/usr/bin/env bash
# The residents' statistics at city scale, as the largest station's officer sees them: the page
# (/police/statistics) and the API (/api/statistics) of 金源派出所 (the city seed's station with the
# most buildings, or SD_BENCH_STATION_NAME), each requested one after another on one keep-alive
# connection (SD_BENCH_REQUESTS per round, SD_BENCH_ROUNDS rounds), with GET /health/live timed the
# same way in the same run as the baseline. Prints p50 and p95 of each; target p95 < 1 s for both.
#
# The benchmark database: the pilot with the city seeded on top (as tiles.sh and area.sh use it),
# made when absent (about 10 minutes) and reused, migrated, when present. SD_BENCH_BUILD=0 runs the
# binaries as they are (a baseline from before a change).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

REQUESTS="${SD_BENCH_REQUESTS:-20}"
STATION_NAME="${SD_BENCH_STATION_NAME:-金源派出所}"
PASSWORD="${SD_DEMO_PASSWORD:-Demo-2026!}"

bench_start_cluster
has_city() {
  [ -n "$(sd_psql "$BENCH_DB_PORT" -d postgres -c "select 1 from pg_database where datname = '$BENCH_DB'")" ] \
    && [ "$(bench_query "select count(*) > 100000 from buildings" 2>/dev/null)" = t ]
}
if has_city; then
  bench_reuse_database
else
  bench_prepare
  sd_log "seeding the city (about 8 minutes)"
  sd_app seed --scale city >/dev/null
  bench_query "vacuum (analyze)" >/dev/null
fi

# The station's officer. The city's generated accounts have no password: this one gets the demo
# password (an ASP.NET Core Identity v3 hash: PBKDF2-HMAC-SHA512, 100,000 rounds), here only.
read -r station_id station_code buildings < <(bench_query "
  select s.id, s.code, count(b.id) from police_stations s join community_grids g on g.station_id = s.id
  join buildings b on b.grid_id = g.id where s.name = '$STATION_NAME' group by s.id, s.code" | tr '|' ' ')
[ -n "${station_id:-}" ] || sd_die "no station named $STATION_NAME in $BENCH_DB"
user=$(bench_query "select user_name from users where station_id = $station_id and role in ('police_officer', 'station_chief') order by id limit 1")
[ -n "$user" ] || sd_die "no officer of $STATION_NAME"
hash=$(python3 -c '
import base64, hashlib, os, struct, sys
salt = os.urandom(16)
key = hashlib.pbkdf2_hmac("sha512", sys.argv[1].encode(), salt, 100000, 32)
print(base64.b64encode(b"\x01" + struct.pack(">III", 2, 100000, 16) + salt + key).decode())' "$PASSWORD")
bench_query "update users set password_hash = '$hash', failed_sign_ins = 0, locked_until = null, disabled_at = null where user_name = '$user'" >/dev/null
registrations=$(bench_query "select count(*) from residence_registrations r join buildings b on b.id = r.building_id join community_grids g on g.id = b.grid_id where g.station_id = $station_id")

bench_start_app
out="$BENCH_OUT/statistics"
rm -rf "$out"; mkdir -p "$out"

# Signed in through the sign-in form, as a browser: the page needs the session cookie.
jar="$out/cookies.txt"
token=$(curl -fs -c "$jar" -X POST "$BENCH_URL/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$user\",\"password\":\"$PASSWORD\"}" | sed -E 's/.*"token":"([^"]+)".*/\1/')
[ -n "$token" ] || sd_die "could not sign in as $user"

for path in /police/statistics /api/statistics; do
  code=$(curl -s -b "$jar" -o "$out/example$(echo "$path" | tr / -).txt" -w '%{http_code}' "$BENCH_URL$path")
  [ "$code" = 200 ] || sd_die "GET $path answered $code"
done
residents=$(sed -E 's/.*"residents":([0-9]+).*/\1/' "$out/example-api-statistics.txt")

# N requests of one path on one connection (curl reuses it for every URL of one call; each URL its
# own -o); seconds each.
timed() {
  local path="$1" urls=()
  for _ in $(seq 1 "$REQUESTS"); do urls+=(-o /dev/null "$BENCH_URL$path"); done
  curl -s -b "$jar" -w '%{time_total}\n' "${urls[@]}"
}
p95() { sort -g | awk '{ v[NR] = $1 } END { i = int(NR * 0.95 + 0.5); if (i < 1) i = 1; print v[i] }'; }

sd_log "$STATION_NAME ($station_code): $buildings buildings, $registrations registrations, $residents residents; as $user; warming up"
timed /api/statistics >/dev/null; timed /police/statistics >/dev/null
for name in live page api; do : > "$out/$name.txt"; done
for round in $(seq 1 "$BENCH_ROUNDS"); do
  timed /health/live >> "$out/live.txt"
  timed /police/statistics >> "$out/page.txt"
  timed /api/statistics >> "$out/api.txt"
done

{
  echo "$STATION_NAME ($station_code): $buildings buildings, $registrations registrations, $residents residents; as $user; $REQUESTS requests × $BENCH_ROUNDS rounds; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for name in live page api; do
    awk '{ print $1 * 1000 }' "$out/$name.txt" > "$out/$name-ms.txt"
    printf '%-5s p50 %8.1f ms  p95 %8.1f ms\n' "$name" "$(median < "$out/$name-ms.txt")" "$(p95 < "$out/$name-ms.txt")"
  done
} | tee "$out/summary.txt"
