#!/usr/bin/env bash
# Times `sdp print --grid` for a grid of 1,000 buildings (PLATES changes the count) with hyperfine, on a
# throw-away PostgreSQL+PostGIS cluster, and prints the median. The whole process is timed: start-up,
# the database query, QR encoding, layout and the PDF. Target: under 10 s on the 2-core machine.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"

PLATES="${PLATES:-1000}"
RUNS="${RUNS:-5}"
sd_ensure_runtime_packages
sd_ensure_apt "/usr/bin/hyperfine=hyperfine"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55433)"
cluster="$SD_ROOT/.data/bench-$$"
work="$(mktemp -d)"
cleanup() { sd_cluster_stop "$cluster"; rm -rf "$cluster" "$work"; }
trap cleanup EXIT
SD_PG_FSYNC=off sd_cluster_start "$cluster" "$port"
sd_ensure_database "$port" smartdoorplate_bench

export ASPNETCORE_ENVIRONMENT=Development
ConnectionStrings__Default="$(sd_connection_string "$port" smartdoorplate_bench postgres)"
export ConnectionStrings__Default
sd_build
sd_app migrate >/dev/null

sd_log "making a grid of $PLATES buildings"
sd_psql "$port" -d smartdoorplate_bench -v plates="$PLATES" <<'SQL'
insert into districts (code, name, boundary)
values ('520103', '云岩区', ST_Multi(ST_MakeEnvelope(106.60, 26.55, 106.80, 26.70, 4326)));
insert into police_stations (district_id, code, name, hotline, boundary)
select id, 'BENCH', '黔灵派出所基准警务区', '0851-00000000', boundary from districts where code = '520103';
insert into community_grids (station_id, code, name, boundary)
select id, 'BENCH-01', '基准网格', boundary from police_stations where code = 'BENCH';
insert into standard_addresses (district_code, street, community, road, number, postcode, full_text)
select '520103', '黔灵镇', '改茶村', '改茶路' || (1 + i % 9) || '巷', i || '号', '550001',
       '云岩区黔灵镇改茶村改茶路' || (1 + i % 9) || '巷' || i || '号'
from generate_series(1, :plates) as i;
insert into buildings (code, address_id, grid_id, footprint, entrance, floors, use)
select 'BENCH-' || lpad(i::text, 5, '0'), a.id, g.id,
       ST_MakeEnvelope(106.62 + (i % 100) * 0.0005, 26.60 + (i / 100) * 0.0005, 106.6202 + (i % 100) * 0.0005, 26.6002 + (i / 100) * 0.0005, 4326),
       ST_SetSRID(ST_MakePoint(106.62 + (i % 100) * 0.0005, 26.60 + (i / 100) * 0.0005), 4326),
       3, case when i % 3 = 0 then 'residential' else 'rental_house' end
from generate_series(1, :plates) as i
join standard_addresses a on a.full_text = '云岩区黔灵镇改茶村改茶路' || (1 + i % 9) || '巷' || i || '号'
cross join community_grids g where g.code = 'BENCH-01';
SQL

dll="$SD_WEB_PROJECT/bin/Release/net10.0/SmartDoorplate.Web.dll"
print="ASPNETCORE_CONTENTROOT='$SD_WEB_PROJECT' dotnet '$dll' print --grid BENCH-01 -o '$work/plates.pdf'"
# The first run issues the plates (once); the timed runs print them.
sd_log "issuing plates (first print)"
eval "$print" | tail -1
sd_log "timing $RUNS runs"
hyperfine --warmup 1 --runs "$RUNS" --export-csv "$work/times.csv" --command-name "print $PLATES plates" "$print" >&2
# hyperfine's CSV: command,mean,stddev,median,user,system,min,max (seconds)
median="$(awk -F, 'NR == 2 { printf "%.2f", $4 }' "$work/times.csv")"
echo "median: ${median} s for $PLATES plates ($(stat -c %s "$work/plates.pdf") bytes of PDF)"
