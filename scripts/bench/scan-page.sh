#!/usr/bin/env bash
# Target: the scan page /d/{code} at ≥ 50% of the throughput of /health/live of the same
# app in the same run (limiter off), p99 < 25 ms. Rounds alternate baseline and scan page.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

bench_prepare
bench_start_app
codes="$BENCH_OUT/plate-codes.lua"
{ echo "codes = {"; bench_query "select '\"' || code || '\",' from doorplates where revoked_at is null order by random()"; echo "}"; } > "$codes"
lua="$BENCH_OUT/scan-page.lua"
cat > "$lua" <<LUA
dofile("$codes")
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/d/" .. codes[(i % #codes) + 1])
end
LUA

bench_wrk warmup-live "$BENCH_URL/health/live" >/dev/null
bench_wrk warmup-scan "$BENCH_URL/" "$lua" >/dev/null
: > "$BENCH_OUT/scan-rounds.txt"
for round in $(seq 1 "$BENCH_ROUNDS"); do
  read -r live_rps live_p50 live_p99 live_err < <(bench_wrk "live-$round" "$BENCH_URL/health/live")
  read -r scan_rps scan_p50 scan_p99 scan_err < <(bench_wrk "scan-$round" "$BENCH_URL/" "$lua")
  echo "$round $live_rps $live_p99 $scan_rps $scan_p50 $scan_p99 $live_err $scan_err" >> "$BENCH_OUT/scan-rounds.txt"
  printf 'round %d: /health/live %6d req/s (p99 %6.2f ms) | /d/{code} %6d req/s (p50 %5.2f, p99 %6.2f ms) | errors %d/%d\n' \
    "$round" "$live_rps" "$live_p99" "$scan_rps" "$scan_p50" "$scan_p99" "$live_err" "$scan_err"
done
live=$(awk '{print $2}' "$BENCH_OUT/scan-rounds.txt" | median)
scan=$(awk '{print $4}' "$BENCH_OUT/scan-rounds.txt" | median)
p99=$(awk '{print $6}' "$BENCH_OUT/scan-rounds.txt" | median)
ratio=$(awk -v a="$scan" -v b="$live" 'BEGIN { printf "%.2f", a / b }')
echo "median: /health/live $live req/s, scan page $scan req/s (ratio $ratio, target >= 0.50), scan p99 $p99 ms (target < 25)"
