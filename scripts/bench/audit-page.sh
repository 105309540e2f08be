#!/usr/bin/env bash
# The audit page (/audit) of a long log: bytes sent and time of the newest page, of a page deep in
# the log reached by its cursor (?before=ID, keyset), and of the same depth by page number (offset,
# what the API's ?page= still does), against /health/live in the same run. Target: a page holds at
# most AuditLog.MaxPageSize events (50 by default), so its size does not grow with the log, and a deep
# keyset page costs what the first does.
# The log is filled by the app itself: SD_BENCH_FILL_SECONDS (default 30) of GET /api/audit as the
# admin, each read being audited. SD_BENCH_REUSE=1 keeps the database of an earlier run (e.g. the
# seeded city) and adds to its log. Medians of SD_BENCH_SAMPLES (default 15) requests each.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PASSWORD="${SD_DEMO_PASSWORD:-Demo-2026!}"
SAMPLES="${SD_BENCH_SAMPLES:-15}"
FILL="${SD_BENCH_FILL_SECONDS:-30}"

if [ "${SD_BENCH_REUSE:-}" = 1 ]; then bench_reuse_database; else bench_prepare; fi
bench_start_app

token=$(curl -fs -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" "$BENCH_URL/api/auth/login" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
jar="$BENCH_OUT/audit-cookies.txt"
curl -fs -c "$jar" -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" "$BENCH_URL/api/auth/login" >/dev/null

lua="$BENCH_OUT/audit-fill.lua"
cat > "$lua" <<LUA
wrk.headers["Authorization"] = "Bearer $token"
LUA
SD_BENCH_SECONDS="$FILL" bench_wrk audit-fill "$BENCH_URL/api/audit?size=1&targetType=bench" "$lua" >/dev/null
bench_wait_idle
events=$(bench_query "select count(*) from audit_events")
oldest=$(bench_query "select min(id) from audit_events")
newest=$(bench_query "select max(id) from audit_events")
middle=$(( (oldest + newest) / 2 ))
depth=$(bench_query "select count(*) from audit_events where id >= $middle")
deep_page=$(( depth / 50 + 1 ))
sd_log "audit log: $events events; the deep page starts below id $middle (page $deep_page by number)"

# sample NAME URL → "bytes ms" per request, SAMPLES of them, into NAME.txt; prints the medians.
sample() {
  local name="$1" url="$2" out="$BENCH_OUT/audit-$1.txt"
  : > "$out"
  curl -fs -b "$jar" -o /dev/null "$url"   # warm-up
  for _ in $(seq 1 "$SAMPLES"); do
    curl -fs -b "$jar" -o /dev/null -w '%{size_download} %{time_total}\n' "$url" | awk '{ printf "%d %.2f\n", $1, $2 * 1000 }' >> "$out"
  done
  echo "$(awk '{print $1}' "$out" | median) $(awk '{print $2}' "$out" | median)"
}

read -r _ live_ms < <(sample live "$BENCH_URL/health/live")
read -r first_bytes first_ms < <(sample first "$BENCH_URL/audit")
read -r keyset_bytes keyset_ms < <(sample keyset "$BENCH_URL/audit?before=$middle")
read -r offset_bytes offset_ms < <(sample offset "$BENCH_URL/api/audit?page=$deep_page")
read -r api_bytes api_ms < <(sample api-keyset "$BENCH_URL/api/audit?before=$middle")
rows=$(curl -fs -b "$jar" "$BENCH_URL/audit?before=$middle" | grep -c '<tr>' || true)

printf 'audit log of %d events (load %s)\n' "$events" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '/health/live             %9s ms\n' "$live_ms"
printf '/audit newest page       %9s ms %8d bytes\n' "$first_ms" "$first_bytes"
printf '/audit?before= (deep)    %9s ms %8d bytes (%d table rows incl. header)\n' "$keyset_ms" "$keyset_bytes" "$rows"
printf '/api/audit?before= deep  %9s ms %8d bytes\n' "$api_ms" "$api_bytes"
printf '/api/audit?page=%-6d   %9s ms %8d bytes (offset, for comparison)\n' "$deep_page" "$offset_ms" "$offset_bytes"
awk -v k="$keyset_ms" -v f="$first_ms" -v o="$offset_ms" -v a="$api_ms" -v l="$live_ms" \
  'BEGIN { printf "median ratios: deep keyset page / newest page %.2f; deep offset / deep keyset (API) %.2f; newest page / health/live %.1f\n", k / f, o / a, f / l }'
