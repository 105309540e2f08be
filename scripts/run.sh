#!/usr/bin/env bash
# Brings SmartDoorplate up on the pilot data: installs what is missing, starts PostgreSQL+PostGIS
# under .data/ (loopback only), migrates, loads gis-data/ once, and serves http://127.0.0.1:${SD_PORT:-5080}.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

SD_PORT="${SD_PORT:-5080}"
SD_DB_PORT="${SD_DB_PORT:-5433}"
SD_DEMO_PASSWORD="${SD_DEMO_PASSWORD:-Demo-2026!}"
export SD_DEMO_PASSWORD
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"

sd_ensure_runtime_packages
sd_ensure_npm_packages
sd_cluster_start "$SD_ROOT/.data/pg" "$SD_DB_PORT"
sd_export_connection_strings "$SD_DB_PORT" smartdoorplate
sd_ensure_database "$SD_DB_PORT" smartdoorplate
sd_build
sd_log "migrating (as the owner; creates the sd_app role the app connects as)"
sd_app migrate
sd_log "loading the pilot data (once)"
sd_app seed --scale pilot --data "$SD_ROOT/gis-data/pilot"

cat <<MSG

  SmartDoorplate 智慧门牌 is starting on http://127.0.0.1:$SD_PORT
    health:   http://127.0.0.1:$SD_PORT/health
    API docs: http://127.0.0.1:$SD_PORT/openapi/v1.json
  Demo log-ins (password: $SD_DEMO_PASSWORD):
    admin, police.gaicha, police.other, landlord.demo, landlord.other
  Database: 127.0.0.1:$SD_DB_PORT/smartdoorplate (cluster in .data/pg); the app connects as sd_app
    psql as the owner: scripts/sdp psql (passwords in .data/pg/passwords, root only)

MSG
# "Today" in the app's checks (move-out not after today, the queue's deadlines) is the host clock's day: Guiyang's.
exec env TZ="${SD_TZ:-Asia/Shanghai}" ASPNETCORE_CONTENTROOT="$SD_WEB_PROJECT" dotnet "$SD_WEB_PROJECT/bin/Release/net10.0/SmartDoorplate.Web.dll" --urls "http://127.0.0.1:$SD_PORT"
