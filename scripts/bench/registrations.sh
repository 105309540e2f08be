#!/usr/bin/env bash
# Issue 3/6 target: tenant registrations (POST /api/registrations) at ≥ 500/s with p99 < 100 ms,
# each a new person with a valid, unique GB 11643 ID number, spread over all pilot plates.
# The baseline /health/live is measured in the same run for the ratio.
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
bench_wrk warmup-live "$BENCH_URL/health/live" >/dev/null
SD_BENCH_SECONDS=5 bench_wrk warmup-registrations "$BENCH_URL/" "$lua" >/dev/null
: > "$BENCH_OUT/registration-rounds.txt"
for round in $(seq 1 "$BENCH_ROUNDS"); do
  read -r live_rps live_p50 live_p99 live_err < <(bench_wrk "reg-live-$round" "$BENCH_URL/health/live")
  read -r reg_rps reg_p50 reg_p99 reg_err < <(bench_wrk "registrations-$round" "$BENCH_URL/" "$lua")
  echo "$round $live_rps $reg_rps $reg_p50 $reg_p99 $reg_err" >> "$BENCH_OUT/registration-rounds.txt"
  printf 'round %d: /health/live %6d req/s | POST /api/registrations %5d req/s (p50 %6.2f, p99 %7.2f ms), non-2xx %d\n' \
    "$round" "$live_rps" "$reg_rps" "$reg_p50" "$reg_p99" "$reg_err"
done
reg=$(awk '{print $3}' "$BENCH_OUT/registration-rounds.txt" | median)
p99=$(awk '{print $5}' "$BENCH_OUT/registration-rounds.txt" | median)
live=$(awk '{print $2}' "$BENCH_OUT/registration-rounds.txt" | median)
stored=$(bench_query "select count(*) from residence_registrations where channel = 'api'")
echo "median: registrations $reg/s (target >= 500), p99 $p99 ms (target < 100); /health/live $live req/s; rows stored: $stored"
