# Shared by run.sh, test.sh and sdp. Source it; it defines functions and a few variables only.
# Everything a fresh Debian machine lacks is installed here, so CI on a clean clone needs nothing by hand.

SD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SD_WEB_PROJECT="$SD_ROOT/src/SmartDoorplate.Web"
PG_BIN="/usr/lib/postgresql/15/bin"

sd_log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
sd_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# apt packages, installed only when a file they provide is missing (apt-get update only then too).
sd_ensure_apt() {
  local missing=() pair file package
  for pair in "$@"; do
    file="${pair%%=*}"; package="${pair#*=}"
    [ -e "$file" ] || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  sd_log "installing ${missing[*]} (apt)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

sd_ensure_runtime_packages() {
  sd_ensure_apt \
    "$PG_BIN/initdb=postgresql-15" \
    "/usr/share/postgresql/15/extension/postgis.control=postgresql-15-postgis-3" \
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc=fonts-noto-cjk"
  command -v dotnet >/dev/null || sd_die "the .NET 10 SDK (dotnet) is not on PATH"
}

sd_ensure_test_packages() {
  sd_ensure_runtime_packages
  sd_ensure_apt \
    "/usr/bin/chromium=chromium" \
    "/usr/bin/zbarimg=zbar-tools" \
    "/usr/bin/ogrinfo=gdal-bin" \
    "/usr/bin/rsvg-convert=librsvg2-bin" \
    "/usr/bin/pdftoppm=poppler-utils" \
    "/usr/lib/R/site-library/spdep/DESCRIPTION=r-cran-spdep"
}

sd_ensure_npm_packages() {
  [ -f "$SD_WEB_PROJECT/package.json" ] || return 0
  if [ ! -d "$SD_WEB_PROJECT/node_modules" ] || [ "$SD_WEB_PROJECT/package-lock.json" -nt "$SD_WEB_PROJECT/node_modules/.package-lock.json" ]; then
    command -v npm >/dev/null || sd_ensure_apt "/usr/bin/npm=npm"
    sd_log "installing npm packages"
    (cd "$SD_WEB_PROJECT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# A PostgreSQL 15 + PostGIS cluster under DIR, listening on 127.0.0.1:PORT only (no Unix socket),
# owned and run by the postgres user because initdb refuses root. Reused when already running.
sd_cluster_start() {
  local dir="$1" port="$2"
  mkdir -p "$dir"
  chown postgres "$dir" 2>/dev/null || true
  runuser -u postgres -- test -w "$dir" \
    || sd_die "the postgres user cannot write $dir: a parent folder is not traversable (chmod o+x it)"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    sd_log "creating a PostgreSQL cluster in $dir"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    return 0
  fi
  sd_log "starting PostgreSQL on 127.0.0.1:$port"
  # random_page_cost 1.1, the usual value for SSDs and cached data: at the default 4 (spinning disks)
  # the planner hashed all 200,000 building counts for a population tile's 2,000 buildings rather
  # than look them up by key (18 → 9 ms at city scale).
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/postgres.log" \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200 -c shared_buffers=256MB -c random_page_cost=1.1 -c fsync=${SD_PG_FSYNC:-on}" \
    start >/dev/null || { tail -20 "$dir/postgres.log" >&2; sd_die "PostgreSQL did not start"; }
}

sd_cluster_stop() {
  local dir="$1"
  [ -f "$dir/data/PG_VERSION" ] || return 0
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

sd_psql() {
  local port="$1"; shift
  "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"
}

sd_ensure_database() {
  local port="$1" name="$2"
  if [ -z "$(sd_psql "$port" -d postgres -c "select 1 from pg_database where datname = '$name'")" ]; then
    sd_psql "$port" -d postgres -c "create database \"$name\""
  fi
}

sd_build() {
  sd_log "building (Release)"
  dotnet build "$SD_WEB_PROJECT" -c Release -nologo -clp:ErrorsOnly -v:q >&2 || sd_die "build failed"
}

# The app connects as sd_app (rows only; audit_events append-only), a role the migrations create;
# migrate, seed and import connect as the owner, the cluster's postgres superuser. Both log in with
# trust auth, which is safe only because the cluster listens on loopback alone. Values already in the
# environment win, so that either can point elsewhere.
sd_export_connection_strings() {
  local port="$1" name="$2"
  export ConnectionStrings__Default="${ConnectionStrings__Default:-Host=127.0.0.1;Port=$port;Username=sd_app;Database=$name}"
  export ConnectionStrings__Owner="${ConnectionStrings__Owner:-Host=127.0.0.1;Port=$port;Username=postgres;Database=$name}"
}

# Runs the app (a verb, or the web server) with the connection strings above, from the caller's
# folder so that relative file arguments mean what the user typed; configuration comes from the project.
sd_app() {
  ASPNETCORE_CONTENTROOT="$SD_WEB_PROJECT" dotnet "$SD_WEB_PROJECT/bin/Release/net10.0/SmartDoorplate.Web.dll" "$@"
}
