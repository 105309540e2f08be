#!/usr/bin/env bash
# Target: tenant registrations (POST /api/registrations) at ≥ 500/s with p99 < 100 ms,
# each a new person with a valid, unique GB 11643 ID number, spread over all pilot plates.
# Each round measures, with the baseline /health/live in the same round:
#   1. full load: wrk with 32 connections, each sending its next request when the last is answered.
#      Its req/s is what the app can take. Its latency is mostly waiting: at full load, 32 requests in
#      flight wait 32 / throughput on average (Little's law), whatever the app does.
#   2. at the target rate: wrk sending SD_BENCH_RATE (500) requests a second on a fixed schedule over
#      64 connections (registrations-paced.lua), so the latency is a tenant's at that load. A request
#      whose time came while no connection was free is "late": wrk's latency would not count that
#      wait (coordinated omission), so late sends are counted and printed; a round with any is not
#      held to have sustained the rate.
#   3. CPU per registration (app, PostgreSQL) in the full-load run, from /proc: less drift-prone
#      than req/s, as it does not depend on how the two cores were shared out.
# SD_BENCH_WARMUP (60 s) of registrations come first. From a fresh start the tiered JIT takes about a
# minute of full load here to reach optimised code for the whole path: 5 s chunks gave 89, 146, 191,
# 198, 345, 389, 375, 358, 451, 466 req/s, and the app's CPU per registration still fell 15 % over the
# next minute. A 5 s warm-up (before) timed that climb in the first round.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

bench_prepare
bench_start_app
# Each plate with a room its building lists (pilot rental houses list their rooms; others take "1").
codes="$BENCH_OUT/plates-and-rooms.lua"
{
  echo "codes = {"; bench_query "select '\"' || code || '\",' from doorplates where revoked_at is null order by code"; echo "}"
  echo "rooms = {"
  bench_query "select '[\"' || d.code || '\"]=\"' || coalesce(min(r.number), '1') || '\",' from doorplates d left join rooms r on r.building_id = d.building_id and r.retired_at is null where d.revoked_at is null group by d.code"
  echo "}"
} > "$codes"
lua="$BENCH_OUT/registrations.lua"
cat > "$lua" <<LUA
dofile("$codes")
local weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
local checks = "10X98765432"
local counter = 0
local thread_id = 0
local round = os.time() % 100000

setup = function(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

local function id_number(n)
  -- 522624 (a real Guizhou county code) + a birth date walking from 1960 + a 3-digit sequence.
  local day = n % 9000
  local seq = math.floor(n / 9000) % 1000
  local t = os.time({year = 1960, month = 1, day = 1, hour = 12}) + day * 86400
  local first17 = "522624" .. os.date("!%Y%m%d", t) .. string.format("%03d", seq)
  local sum = 0
  for i = 1, 17 do sum = sum + tonumber(first17:sub(i, i)) * weights[i] end
  local k = (sum % 11) + 1
  return first17 .. checks:sub(k, k)
end

request = function()
  counter = counter + 1
  -- tid and round keep numbers unique across threads and repeated runs on the same database.
  local n = (round * 7 + tid * 1000003 + counter) % 8999999
  local code = codes[(n % #codes) + 1]
  local body = string.format(
    '{"doorplateCode":"%s","room":"%s","name":"压测租户","idNumber":"%s","phone":"139%08d","moveInDate":"%s","reason":"work","consent":true}',
    code, rooms[code], id_number(n), n % 100000000, os.date("%Y-%m-%d"))
  return wrk.format("POST", "/api/registrations", {["Content-Type"] = "application/json"}, body)
end
LUA
# The same requests at a fixed rate: each thread owns half the schedule, and delay() holds a
# connection until its request's time. Slots are handed out in order as connections come free, so a
# slot already past when it is taken (every connection was busy) is a late send.
paced="$BENCH_OUT/registrations-paced.lua"
rate="${SD_BENCH_RATE:-500}"
cat > "$paced" <<LUA
dofile("$lua")
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } sd_timespec; int clock_gettime(int clock, sd_timespec *t); ]]
local clock = ffi.new("sd_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end
local threads = {}
local base_setup = setup
setup = function(thread)
  base_setup(thread)
  table.insert(threads, thread)
end
local interval = 2000 / $rate   -- two threads, each half the rate
local next_due = nil
late, worst_late = 0, 0
delay = function()
  local now = now_ms()
  next_due = (next_due or now) + interval
  local wait = next_due - now
  if wait < -10 then
    late = late + 1
    if -wait > worst_late then worst_late = -wait end
  end
  return math.max(0, wait)
end
done = function(summary, latency, requests)
  local total_late, worst = 0, 0
  for _, thread in ipairs(threads) do
    total_late = total_late + thread:get("late")
    worst = math.max(worst, thread:get("worst_late"))
  end
  io.write(string.format("PACED %d %.1f\n", total_late, worst))
end
LUA

# CPU seconds (user + system) of the app and of the benchmark cluster's PostgreSQL processes.
postmaster=$(head -1 "$SD_ROOT/.data/pg/data/postmaster.pid")
cpu_seconds() {
  local ticks; ticks=$(getconf CLK_TCK)
  local app; app=$(awk '{ print $14 + $15 }' "/proc/$BENCH_APP_PID/stat")
  local pg=0 pid
  for pid in "$postmaster" $(pgrep -P "$postmaster"); do
    pg=$((pg + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$app $pg $ticks"
}

bench_wrk warmup-live "$BENCH_URL/health/live" >/dev/null
SD_BENCH_SECONDS="${SD_BENCH_WARMUP:-60}" bench_wrk warmup-registrations "$BENCH_URL/" "$lua" >/dev/null
: > "$BENCH_OUT/registration-rounds.txt"
for round in $(seq 1 "$BENCH_ROUNDS"); do
  read -r live_rps live_p50 live_p99 live_err < <(bench_wrk "reg-live-$round" "$BENCH_URL/health/live")
  read -r app0 pg0 ticks < <(cpu_seconds)
  read -r reg_rps reg_p50 reg_p99 reg_err < <(bench_wrk "registrations-$round" "$BENCH_URL/" "$lua")
  read -r app1 pg1 _ < <(cpu_seconds)
  requests=$(awk '/requests in/ { print $1 }' "$BENCH_OUT/registrations-$round.txt")
  read -r app_ms pg_ms < <(awk -v a=$((app1 - app0)) -v p=$((pg1 - pg0)) -v t="$ticks" -v r="$requests" \
    'BEGIN { printf "%.2f %.2f\n", a / t * 1000 / r, p / t * 1000 / r }')
  read -r paced_rps paced_p50 paced_p99 paced_err < <(SD_BENCH_CONNECTIONS=64 bench_wrk "paced-$round" "$BENCH_URL/" "$paced")
  read -r late worst_late < <(awk '/^PACED/ { print $2, $3 }' "$BENCH_OUT/paced-$round.txt")
  echo "$round $live_rps $reg_rps $reg_p50 $reg_p99 $reg_err $app_ms $pg_ms $paced_rps $paced_p50 $paced_p99 $paced_err $late $worst_late" \
    >> "$BENCH_OUT/registration-rounds.txt"
  printf 'round %d: /health/live %6d req/s | full load %4d req/s (p50 %6.2f, p99 %7.2f ms), CPU per registration: app %.2f ms, PostgreSQL %.2f ms | at %d/s: %4d req/s, p50 %6.2f, p99 %7.2f ms, late sends %d (worst %.0f ms) | non-2xx %d\n' \
    "$round" "$live_rps" "$reg_rps" "$reg_p50" "$reg_p99" "$app_ms" "$pg_ms" "$rate" "$paced_rps" "$paced_p50" "$paced_p99" "$late" "$worst_late" \
    $((reg_err + paced_err))
done
col() { awk -v c="$1" '{ print $c }' "$BENCH_OUT/registration-rounds.txt" | median; }
stored=$(bench_query "select count(*) from residence_registrations where channel = 'api'")
echo "median: full load $(col 3) registrations/s (target >= 500), p99 $(col 5) ms; at $rate/s p99 $(col 11) ms (target < 100), late sends $(col 13); CPU per registration app $(col 7) ms, PostgreSQL $(col 8) ms; /health/live $(col 2) req/s; rows stored: $stored"
