#!/usr/bin/env bash
# Target: the police map's first view (style, every source's tiles at the opening view, drawn) in
# < 3 s on a first visit and < 1.5 s on a return visit, in headless Chromium on a throttled 4G link
# (9 Mbit/s down, 3 up, 100 ms round trip; DevTools Network.emulateNetworkConditions). The return
# visit comes SD_BENCH_RETURN_AFTER (65) seconds later, past the tiles' one-minute lifetime.
# Prints every visit and the medians of SD_BENCH_ROUNDS (3) per app; see browser-lib.sh for
# SD_BENCH_URLS (before and after in the same run).
set -euo pipefail
source "$(dirname "$0")/browser-lib.sh"

bench_browser_prepare
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
node "$BENCH_BROWSER_DIR/first-view.mjs" "$BENCH_USER" "$BENCH_PASSWORD" "$BENCH_ROUNDS" "${BENCH_URLS[@]}" \
  | tee "$BENCH_OUT/map-first-view.jsonl"
