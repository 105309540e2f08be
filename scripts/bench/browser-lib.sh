# Shared by the browser benchmarks (map-first-view.sh, lighthouse.sh): Debian's Chromium, the npm
# packages of scripts/bench/browser (Lighthouse 12.2.3 and its puppeteer-core, pinned by the lock
# file), and the apps to measure. SD_BENCH_URLS="URL [URL…]" measures running apps (e.g. a build of
# the previous commit beside this one, taking turns within each round); without it the script makes
# the benchmark database and starts this checkout's app (lib.sh).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_BROWSER_DIR="$SD_ROOT/scripts/bench/browser"
BENCH_USER="${SD_BENCH_USER:-police.gaicha}"
BENCH_PASSWORD="${SD_DEMO_PASSWORD:-Demo-2026!}"
export CHROME_PATH=/usr/bin/chromium

bench_browser_prepare() {
  sd_ensure_runtime_packages
  sd_ensure_apt "/usr/bin/chromium=chromium"
  (cd "$BENCH_BROWSER_DIR" && [ -x node_modules/.bin/lighthouse ] || npm ci --no-audit --no-fund >/dev/null)
  if [ -n "${SD_BENCH_URLS:-}" ]; then
    read -r -a BENCH_URLS <<< "$SD_BENCH_URLS"
  else
    bench_prepare
    bench_start_app
    BENCH_URLS=("$BENCH_URL")
  fi
}

# A bearer token of the benchmark user on an app (for curl; the browsers sign in through the login page).
bench_session_headers() {
  local answer token
  answer=$(curl -fsS -H 'Content-Type: application/json' \
    -d "{\"username\":\"$BENCH_USER\",\"password\":\"$BENCH_PASSWORD\"}" "$1/api/auth/login")
  token=$(echo "$answer" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  [ -n "$token" ] || sd_die "could not sign in as $BENCH_USER on $1"
  printf '{"Authorization":"Bearer %s"}' "$token"
}
