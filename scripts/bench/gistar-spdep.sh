#!/usr/bin/env bash
# Gi* on 100,000 cells (316 × 317 cells of 100 m, band 150 m = 1.5 cells, clustered seeded counts):
# spdep::localG in R against `sdp gistar` on the same file, in the same run, z-scores compared line by
# line (target: ours ≥ 100× faster, max |Δz| ≤ 1e-9). Then BenchmarkDotNet times the library calls:
# Gi* on the same 100,000 cells, Gi* on 1,000,000 cells, and the KDE of 1,000,000 cases on a 100 m
# grid over the city (targets: under 5 s each).
# What each figure includes:
#   spdep    R's system.time around dnearneigh + include.self + nb2listw + localG (no R start-up,
#            no package loading, no CSV I/O), median of R_ROUNDS rounds in one R process.
#   verb     hyperfine over the whole `scripts/sdp gistar` command as an analyst types it: the script (its
#            build-when-stale check; no database: the verb is CSV only), .NET start-up (no web host), reading
#            the CSV, Gi* (neighbour search included), writing x,y,value,z,p; median of RUNS runs.
#   library  BenchmarkDotNet over GiStar.Compute on the same arrays: what R's figure measures.
# On a machine busy with other work the elapsed times stretch unevenly (R uses one core, we use all),
# so CPU times are printed beside them. No database is needed: the analytics verbs run without one.
# Raw output goes to artifacts/bench/gistar-spdep/. R_ROUNDS=1 for a quicker run (R takes most of it).
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"

R_ROUNDS="${R_ROUNDS:-3}"
RUNS="${RUNS:-5}"
SEED="${SEED:-20261201}"
out="$SD_ROOT/artifacts/bench/gistar-spdep"
mkdir -p "$out"
bench="$SD_ROOT/scripts/bench"

sd_ensure_runtime_packages
sd_ensure_apt "/usr/lib/R/site-library/spdep/DESCRIPTION=r-cran-spdep" "/usr/bin/hyperfine=hyperfine"
sd_build
sd_log "building the BenchmarkDotNet project"
dotnet build "$bench/AnalyticsBenchmarks" -c Release -nologo -clp:ErrorsOnly -v:q >&2 || sd_die "benchmark build failed"

input="$out/grid-316x317-cell100.csv"
sd_log "generating $input (seed $SEED)"
Rscript "$bench/gistar-grid.R" 316 317 100 "$SEED" "$input"
cells=$(($(wc -l < "$input") - 1))

sd_log "spdep::localG on $cells cells, $R_ROUNDS rounds (about 90 s each)"
Rscript "$bench/spdep-localg.R" "$input" 150 "$out/z-spdep.csv" "$R_ROUNDS" | tee "$out/spdep.txt" >&2

sd_log "scripts/sdp gistar on the same file, $RUNS runs"
verb="'$SD_ROOT/scripts/sdp' gistar --input '$input' --band 150 -o '$out/gistar-ours.csv'"
hyperfine --warmup 1 --runs "$RUNS" --export-csv "$out/verb-times.csv" --command-name "scripts/sdp gistar $cells cells" "$verb" > "$out/hyperfine.txt" 2>&1 \
  || { cat "$out/hyperfine.txt" >&2; sd_die "the gistar verb failed"; }

sd_log "BenchmarkDotNet: Gi* 100k (same file) and 1M cells, KDE of 1M cases"
rm -rf "$out/benchmarkdotnet"
(cd "$bench/AnalyticsBenchmarks" && SD_BENCH_GISTAR_INPUT="$input" \
  dotnet "bin/Release/net10.0/AnalyticsBenchmarks.dll" --filter '*' --artifacts "$out/benchmarkdotnet") > "$out/benchmarkdotnet.txt" 2>&1 \
  || { tail -40 "$out/benchmarkdotnet.txt" >&2; sd_die "BenchmarkDotNet failed"; }

# Line by line: spdep's z column against the verb's fourth column (NaN only where both are NaN).
max_dz=$(paste -d, <(tail -n +2 "$out/z-spdep.csv") <(tail -n +2 "$out/gistar-ours.csv" | cut -d, -f4) | awk -F, '
  { if ($1 == "NaN" || $2 == "NaN") { if ($1 != $2) bad++; next }
    d = $1 - $2; if (d < 0) d = -d; if (d > max) max = d; n++ }
  END { if (bad) { print "NaN-mismatch"; exit } printf "%.3g\n", max + 0 }')
[ "$(tail -n +2 "$out/z-spdep.csv" | wc -l)" -eq "$(tail -n +2 "$out/gistar-ours.csv" | wc -l)" ] || sd_die "different row counts"

median_of() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
spdep_s=$(awk '/^spdep_seconds/ { print $2 }' "$out/spdep.txt" | median_of)
spdep_cpu=$(awk '/^spdep_seconds/ { print $4 }' "$out/spdep.txt" | median_of)
verb_s=$(awk -F, 'NR == 2 { print $4 }' "$out/verb-times.csv")
report=$(find "$out/benchmarkdotnet" -name '*-report-brief.json' | head -1)
verb_cpu=$(awk -F, 'NR == 2 { print $5 + $6 }' "$out/verb-times.csv")
python3 - "$report" "$spdep_s" "$verb_s" "$max_dz" "$cells" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$spdep_cpu" "$verb_cpu" <<'PY' | tee "$out/summary.txt"
import json, sys
report, spdep, verb, max_dz, cells, cores, load, spdep_cpu, verb_cpu = sys.argv[1:]
spdep, verb, spdep_cpu, verb_cpu = float(spdep), float(verb), float(spdep_cpu), float(verb_cpu)
runs = {b["Method"]: b for b in json.load(open(report))["Benchmarks"]}
def median_s(method): return runs[method]["Statistics"]["Median"] / 1e9
def mb(method): return runs[method]["Memory"]["BytesAllocatedPerOperation"] / 1e6
lib = median_s("GiStar100k")
print(f"Gi* on {cells} cells, band 150 m ({cores} cores, load {load}):")
print(f"  spdep::localG (dnearneigh + include.self + nb2listw + localG)  median {spdep:.2f} s ({spdep_cpu:.2f} s CPU)")
print(f"  scripts/sdp gistar, whole command (start-up, CSV in and out)  median {verb:.3f} s ({verb_cpu:.3f} s CPU, mean) → {spdep / verb:.0f}× faster (target ≥ 100×; {spdep_cpu / verb_cpu:.0f}× by CPU time)")
print(f"  GiStar.Compute (neighbour search included, BenchmarkDotNet)   median {lib * 1000:.1f} ms → {spdep / lib:.0f}× faster ({mb('GiStar100k'):.1f} MB allocated)")
print(f"  max |z_spdep − z_ours| over all cells: {max_dz} (target ≤ 1e-9)")
print(f"Gi* on 1,000,000 cells (band 150 m):         median {median_s('GiStar1M'):.3f} s (target < 5 s, {mb('GiStar1M'):.0f} MB allocated)")
print(f"KDE of 1,000,000 cases, city grid 100 m:     median {median_s('KdeMillionCases'):.3f} s (target < 5 s, {mb('KdeMillionCases'):.0f} MB allocated)")
ok = max_dz != "NaN-mismatch" and float(max_dz) <= 1e-9
sys.exit(0 if ok else 1)
PY
