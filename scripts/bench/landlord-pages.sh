#!/usr/bin/env bash
# The landlord's workspace at scale: one landlord with 30 buildings and 500 tenants (landlord-workspace.sql,
# on the pilot), signed in by the session cookie as a browser is. Server time of the pages: wrk on one
# connection (one request at a time, so latency is the page's own time, not queueing), p50 and p99, for
# the first page, a filtered page (one building's current tenants), a search by name and a later page;
# /health/live measured the same way in the same rounds as the baseline. Medians over the rounds;
# target p50 < 300 ms. SD_BENCH_REUSE=1 keeps an earlier run's database (seeded again only if short).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PASSWORD="${SD_DEMO_PASSWORD:-Demo-2026!}"
if [ "${SD_BENCH_REUSE:-}" = 1 ]; then bench_reuse_database; else bench_prepare; fi
sd_psql "$BENCH_DB_PORT" -d "$BENCH_DB" -v ON_ERROR_STOP=1 -f "$(dirname "$0")/landlord-workspace.sql" >/dev/null
bench_query "vacuum (analyze)" >/dev/null
read -r buildings tenants pending < <(bench_query "
  select count(distinct b.id), count(r.id), count(r.id) filter (where r.status = 'submitted')
  from buildings b join users u on u.id = b.owner_id and u.user_name = 'landlord.demo'
  left join residence_registrations r on r.building_id = b.id
    and (r.status = 'submitted' or (r.status in ('confirmed', 'verified') and r.move_out_date is null))" | tr '|' ' ')
building=$(bench_query "select b.id from buildings b join users u on u.id = b.owner_id and u.user_name = 'landlord.demo'
  join residence_registrations r on r.building_id = b.id group by b.id order by count(*) desc limit 1")
sd_log "landlord.demo: $buildings buildings, $tenants open registrations ($pending pending); filtered building $building"

bench_start_app
out="$BENCH_OUT/landlord-pages"
rm -rf "$out"; mkdir -p "$out"
jar="$out/cookies.txt"
curl -fs -c "$jar" -X POST "$BENCH_URL/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"landlord.demo\",\"password\":\"$PASSWORD\"}" >/dev/null || sd_die "could not sign in as landlord.demo"
# The session cookie is HttpOnly: curl's jar writes such lines with a "#HttpOnly_" prefix.
cookie=$(sed 's/^#HttpOnly_//' "$jar" | awk '!/^#/ && NF >= 7 { printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }')
[ -n "$cookie" ] || sd_die "no session cookie after signing in"
cat > "$out/cookie.lua" <<LUA
wrk.headers["Cookie"] = "$cookie"
LUA

declare -A pages=(
  [first]="/landlord"
  [filtered]="/landlord?building=$building&status=confirmed"
  [search]="/landlord?q=$(printf '王伟' | jq -sRr @uri)"
  [page10]="/landlord?status=confirmed&page=10"
)
order=(first filtered search page10)
for name in "${order[@]}"; do
  # With the very header wrk sends: a redirect to the sign-in page would time the wrong thing.
  code=$(curl -s -o "$out/$name.html" -w '%{http_code}' -H "Cookie: $cookie" "$BENCH_URL${pages[$name]}")
  [ "$code" = 200 ] || sd_die "GET ${pages[$name]} answered $code"
  printf '%s: %s cards, %s bytes\n' "$name" "$(grep -c '<article class="card tenant' "$out/$name.html")" "$(wc -c < "$out/$name.html")"
done

# wrk on one connection: latency = server time on loopback.
timed() {
  wrk -t1 -c1 -d"${SD_BENCH_SECONDS:-$BENCH_SECONDS}s" --latency -s "$out/cookie.lua" "$BENCH_URL$2" > "$out/$1.txt" 2>&1
  awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /Non-2xx or 3xx responses/ { errors += $NF }
    END { printf "%.2f %.2f %d\n", p50, p99, errors + 0 }' "$out/$1.txt"
}

SD_BENCH_SECONDS=3 timed warmup-live /health/live >/dev/null
for name in "${order[@]}"; do SD_BENCH_SECONDS=3 timed "warmup-$name" "${pages[$name]}" >/dev/null; done
: > "$out/rounds.txt"
for round in $(seq 1 "$BENCH_ROUNDS"); do
  read -r p50 p99 errors < <(timed "live-$round" /health/live)
  echo "$round live $p50 $p99 $errors" >> "$out/rounds.txt"
  for name in "${order[@]}"; do
    read -r p50 p99 errors < <(timed "$name-$round" "${pages[$name]}")
    echo "$round $name $p50 $p99 $errors" >> "$out/rounds.txt"
  done
  awk -v r="$round" '$1 == r { printf "round %s: %-8s p50 %7.2f ms  p99 %7.2f ms  errors %d\n", r, $2, $3, $4, $5 }' "$out/rounds.txt"
done
live=$(awk '$2 == "live" { print $3 }' "$out/rounds.txt" | median)
echo "median of $BENCH_ROUNDS rounds (target p50 < 300 ms); /health/live p50 $live ms"
for name in "${order[@]}"; do
  p50=$(awk -v n="$name" '$2 == n { print $3 }' "$out/rounds.txt" | median)
  p99=$(awk -v n="$name" '$2 == n { print $4 }' "$out/rounds.txt" | median)
  errors=$(awk -v n="$name" '$2 == n { s += $5 } END { print s + 0 }' "$out/rounds.txt")
  printf '%-8s %-45s p50 %7.2f ms  p99 %7.2f ms  (%.0f× /health/live)  non-2xx %d\n' "$name" "${pages[$name]}" "$p50" "$p99" \
    "$(awk -v a="$p50" -v b="$live" 'BEGIN { print a / b }')" "$errors"
done
