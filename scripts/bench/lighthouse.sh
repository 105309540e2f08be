#!/usr/bin/env bash
# Targets: Lighthouse performance (mobile, its default throttling) ≥ 90 on the police map, signed in,
# and 100 on the tenant pages: the scan page /d/{code} and the registration form /d/{code}/register.
# SD_BENCH_ROUNDS (3) runs per page and app, the apps taking turns within a round (browser-lib.sh:
# SD_BENCH_URLS for before and after in the same run); prints each run and the medians of score,
# total blocking time, largest contentful paint and bytes. Reports: artifacts/bench/lighthouse-*.json.
set -euo pipefail
source "$(dirname "$0")/browser-lib.sh"

bench_browser_prepare
rows="$BENCH_OUT/lighthouse-rounds.jsonl"
: > "$rows"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$BENCH_ROUNDS"); do
  for url in "${BENCH_URLS[@]}"; do
    # A pilot plate for the tenant pages (any current one: they are alike).
    auth=$(bench_session_headers "$url" | sed -n 's/.*"Authorization":"\([^"]*\)".*/\1/p')
    # awk reads to the end: under pipefail, head would leave grep to die of SIGPIPE on a long answer.
    plate=$(curl -fsS -H "Authorization: $auth" "$url/api/buildings?bbox=106.665,26.603,106.685,26.615" \
      | grep -o '"doorplateCode" *: *"[^"]*"' | awk 'NR == 1' | sed 's/.*"\([^"]*\)"$/\1/')
    [ -n "$plate" ] || sd_die "no pilot plate found on $url"
    node "$BENCH_BROWSER_DIR/lighthouse.mjs" "$BENCH_USER" "$BENCH_PASSWORD" \
      "$BENCH_OUT/lighthouse-$round-$(echo "$url" | tr -c 'a-z0-9\n' '_')" \
      "$url/police/map" "$url/d/$plate" "$url/d/$plate/register" \
      | sed "s|^{|{\"round\":$round,\"app\":\"$url\",|" | tee -a "$rows"
  done
done
echo "medians per app and page (score, TBT ms, LCP ms, KB):"
node -e '
  const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
  const median = (v) => { const s = [...v].sort((a, b) => a - b); const m = Math.floor(s.length / 2); return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
  const kind = (u) => u.includes("/police/map") ? "police map" : u.endsWith("/register") ? "registration form" : "scan page";
  const groups = {};
  for (const r of rows) (groups[`${r.app} ${kind(r.url)}`] ??= []).push(r);
  for (const [name, g] of Object.entries(groups)) console.log(`${name}: score ${median(g.map(r => r.score))}, TBT ${median(g.map(r => r.tbtMs))} ms, LCP ${median(g.map(r => r.lcpMs))} ms, ${median(g.map(r => r.kilobytes))} KB, failed requests ${g.flatMap(r => r.failed).length}`);
' "$rows"
