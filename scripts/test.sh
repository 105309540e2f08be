#!/usr/bin/env bash
# Runs every test on a throw-away PostgreSQL+PostGIS cluster (removed afterwards), after the same
# set-up as run.sh: apt packages (PostGIS, Chromium, zbar, GDAL, ...), npm packages, a build.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

sd_ensure_test_packages
sd_ensure_npm_packages

# A free loopback port for the throw-away cluster.
port="${SD_TEST_DB_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)}"
cluster="$SD_ROOT/.data/test-$$"
cleanup() { sd_cluster_stop "$cluster"; rm -rf "$cluster"; }
trap cleanup EXIT
# fsync off: the cluster is thrown away, and it makes the suite much faster on a small machine.
SD_PG_FSYNC=off sd_cluster_start "$cluster" "$port"

# The owner's connection, and sd_app's password for the app the tests start.
export SD_TEST_POSTGRES="$(sd_connection_string "$port" postgres postgres)"
export SD_TEST_APP_PASSWORD="$(sd_password_of sd_app)"
export SD_REPO_ROOT="$SD_ROOT"

sd_log "running the tests"
log="$cluster/dotnet-test.log"
set +e
dotnet test "$SD_ROOT/SmartDoorplate.sln" -c Release --nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line over all test assemblies, in the plain form CI reads.
passed=$({ grep -oE '^\s+Passed: +[0-9]+' "$log" || true; } | awk '{s+=$2} END {print s+0}')
failed=$({ grep -oE '^\s+Failed: +[0-9]+' "$log" || true; } | awk '{s+=$2} END {print s+0}')
skipped=$({ grep -oE '^\s+Skipped: +[0-9]+' "$log" || true; } | awk '{s+=$2} END {print s+0}')
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then echo "error: no test ran" >&2; exit 1; fi
exit "$status"
