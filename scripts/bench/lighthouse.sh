#!/usr/bin/env bash
# Targets: Lighthouse performance (mobile, its default throttling) ≥ 90 on the police map, signed in
# (the session passed with --extra-headers, browser-lib.sh), and 100 on the tenant pages: the scan page
# /d/{code} and the registration form /d/{code}/register. SD_BENCH_ROUNDS (3) runs per page and app,
# the apps taking turns; prints each run and the medians of score, total blocking time, LCP and bytes.
set -euo pipefail
source "$(dirname "$0")/browser-lib.sh"

bench_browser_prepare
lighthouse="$BENCH_BROWSER_DIR/node_modules/.bin/lighthouse"
chrome_flags="--headless=new --no-sandbox --use-angle=swiftshader --enable-unsafe-swiftshader --disable-background-networking --disable-component-update --disable-sync"
rows="$BENCH_OUT/lighthouse-rounds.txt"
: > "$rows"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$BENCH_ROUNDS"); do
  for url in "${BENCH_URLS[@]}"; do
    headers="$BENCH_OUT/lighthouse-headers.json"
    bench_session_headers "$url" > "$headers"
    # A pilot plate for the tenant pages (any current one: the pages are alike).
    plate=$(curl -fsS -H "Authorization: $(sed -n 's/.*"Authorization":"\([^"]*\)".*/\1/p' "$headers")" "$url/api/buildings?bbox=106.665,26.603,106.685,26.615" | grep -o '"doorplateCode":"[^"]*"' | head -1 | cut -d'"' -f4)
    [ -n "$plate" ] || sd_die "no pilot plate found on $url"
    for kind in map scan register; do
      case "$kind" in map) page=/police/map ;; scan) page="/d/$plate" ;; register) page="/d/$plate/register" ;; esac
      report="$BENCH_OUT/lighthouse-$round-$(echo "$url" | tr -c 'a-z0-9' '_')-$kind.json"
      extra=()
      [ "$kind" = map ] && extra=(--extra-headers="$headers")
      "$lighthouse" "$url$page" --quiet --only-categories=performance --output=json --output-path="$report" \
        --chrome-flags="$chrome_flags" "${extra[@]}" >/dev/null 2>&1 || { echo "lighthouse failed on $url$page" >&2; continue; }
      node -e '
        const r = require(process.argv[1]);
        const a = r.audits;
        if (r.finalDisplayedUrl && !r.finalDisplayedUrl.includes(process.argv[4])) { console.error("redirected to " + r.finalDisplayedUrl); process.exit(1); }
        console.log([process.argv[2], process.argv[3], process.argv[4], Math.round(r.categories.performance.score * 100),
          Math.round(a["total-blocking-time"].numericValue), Math.round(a["largest-contentful-paint"].numericValue),
          Math.round(a["total-byte-weight"].numericValue / 1024), process.argv[5]].join(" "));' "$report" "$round" "$url" "$page" "$kind" | tee -a "$rows"
    done
  done
done
echo "medians (score, TBT ms, LCP ms, KB) per app and page:"
for url in "${BENCH_URLS[@]}"; do
  for kind in map scan register; do
    sel() { awk -v u="$url" -v k="$kind" -v c="$1" '$2 == u && $8 == k { print $c }' "$rows" | median; }
    [ -n "$(sel 4)" ] && printf '%s %-8s score %s, TBT %s ms, LCP %s ms, %s KB\n' "$url" "$kind" "$(sel 4)" "$(sel 5)" "$(sel 6)" "$(sel 7)"
  done
done
