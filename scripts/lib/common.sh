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
# Every connection authenticates with a password (SCRAM-SHA-256): the owner's (postgres, a superuser,
# who can read server files with COPY) and sd_app's are generated on first start and kept in
# DIR/passwords, readable by root alone; loopback alone is no protection from the other accounts on
# the host. A cluster made with trust auth is given passwords and a new pg_hba.conf in place.
sd_cluster_start() {
  local dir="$1" port="$2"
  SD_PG_PASSFILE="$dir/passwords"
  mkdir -p "$dir"
  chown postgres "$dir" 2>/dev/null || true
  runuser -u postgres -- test -w "$dir" \
    || sd_die "the postgres user cannot write $dir: a parent folder is not traversable (chmod o+x it)"
  local fresh=""
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    sd_log "creating a PostgreSQL cluster in $dir"
    [ -f "$SD_PG_PASSFILE" ] || sd_generate_passwords "$SD_PG_PASSFILE"
    # initdb runs as postgres, who may not read the passwords: a copy of the owner's, for it alone, and gone after.
    local pwfile
    pwfile="$(mktemp)"
    sd_password_of postgres > "$pwfile"
    chown postgres "$pwfile"; chmod 0400 "$pwfile"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" \
      -E UTF8 --locale=C.UTF-8 >/dev/null || { rm -f "$pwfile"; sd_die "initdb failed"; }
    rm -f "$pwfile"
    sd_cluster_write_hba "$dir"
    fresh=1
  fi
  if ! runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    sd_log "starting PostgreSQL on 127.0.0.1:$port"
    # random_page_cost 1.1, the usual value for SSDs and cached data: at the default 4 (spinning disks)
    # the planner hashed all 200,000 building counts for a population tile's 2,000 buildings rather
    # than look them up by key (18 → 9 ms at city scale).
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/postgres.log" \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c password_encryption=scram-sha-256 -c max_connections=200 -c shared_buffers=256MB -c random_page_cost=1.1 -c fsync=${SD_PG_FSYNC:-on}" \
      start >/dev/null || { tail -20 "$dir/postgres.log" >&2; sd_die "PostgreSQL did not start"; }
  fi
  if [ -n "$fresh" ]; then
    sd_cluster_set_passwords "$port"
  elif [ ! -f "$SD_PG_PASSFILE" ] || sd_hba_trusts "$dir"; then
    sd_hba_trusts "$dir" \
      || sd_die "$SD_PG_PASSFILE is missing but the cluster in $dir asks for passwords: restore the file, or remove $dir to start afresh"
    sd_log "the cluster in $dir trusts every local connection: giving postgres and sd_app passwords ($SD_PG_PASSFILE)"
    [ -f "$SD_PG_PASSFILE" ] || sd_generate_passwords "$SD_PG_PASSFILE"
    sd_cluster_set_passwords "$port"
    sd_cluster_write_hba "$dir"
    sd_psql "$port" -d postgres -c "select pg_reload_conf()" >/dev/null
  fi
}

# A pgpass file (libpq's format, so psql reads it as PGPASSFILE) with a strong random password for
# the owner and for sd_app, root's alone. Base64url: nothing a connection string or pgpass would escape.
sd_generate_passwords() {
  local file="$1" tmp
  tmp="$(mktemp "$file.XXXXXX")"
  chmod 0600 "$tmp"
  {
    echo "127.0.0.1:*:*:postgres:$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')"
    echo "127.0.0.1:*:*:sd_app:$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')"
  } > "$tmp"
  mv "$tmp" "$file"
}

sd_password_of() {
  awk -F: -v role="$1" '$4 == role { print $5; exit }' "$SD_PG_PASSFILE"
}

# The owner's password, and sd_app created (or given its password) before any migration: the migration
# that would create sd_app leaves an existing role alone. Roles belong to the cluster, so once is enough.
# The statements go in on stdin, not on psql's command line where `ps` would show them.
sd_cluster_set_passwords() {
  local port="$1"
  sd_psql "$port" -d postgres >/dev/null <<SQL
set password_encryption = 'scram-sha-256';
alter role postgres password '$(sd_password_of postgres)';
select exists (select 1 from pg_roles where rolname = 'sd_app') as app_role_exists \gset
\if :app_role_exists
alter role sd_app login password '$(sd_password_of sd_app)';
\else
create role sd_app login nosuperuser nocreatedb nocreaterole password '$(sd_password_of sd_app)';
\endif
SQL
}

# TCP from loopback only, always with a SCRAM password: no trust, no peer, no Unix socket.
sd_cluster_write_hba() {
  local hba="$1/data/pg_hba.conf"
  cat > "$hba" <<'HBA'
# Written by scripts/lib/common.sh: TCP from loopback only, always with a password (SCRAM-SHA-256).
# TYPE  DATABASE  USER  ADDRESS       METHOD
host    all       all   127.0.0.1/32  scram-sha-256
host    all       all   ::1/128       scram-sha-256
HBA
  chown postgres "$hba"; chmod 0600 "$hba"
}

sd_hba_trusts() {
  grep -Eq '^[[:space:]]*[^#[:space:]].*[[:space:]]trust([[:space:]]|$)' "$1/data/pg_hba.conf"
}

sd_cluster_stop() {
  local dir="$1"
  [ -f "$dir/data/PG_VERSION" ] || return 0
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# psql as the owner of the cluster sd_cluster_start started last (its password from SD_PG_PASSFILE).
sd_psql() {
  local port="$1"; shift
  PGPASSFILE="$SD_PG_PASSFILE" "$PG_BIN/psql" -w -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"
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

# Connection strings with the passwords of the cluster sd_cluster_start started last, as ROLE
# (postgres, the owner, or sd_app) on database NAME.
sd_connection_string() {
  local port="$1" name="$2" role="$3"
  echo "Host=127.0.0.1;Port=$port;Username=$role;Password=$(sd_password_of "$role");Database=$name"
}

# The app connects as sd_app (rows only; audit_events append-only); migrate, seed and import connect
# as the owner, the cluster's postgres superuser. Values already in the environment win, so that
# either can point elsewhere.
sd_export_connection_strings() {
  local port="$1" name="$2"
  export ConnectionStrings__Default="${ConnectionStrings__Default:-$(sd_connection_string "$port" "$name" sd_app)}"
  export ConnectionStrings__Owner="${ConnectionStrings__Owner:-$(sd_connection_string "$port" "$name" postgres)}"
}

# Runs the app (a verb, or the web server) with the connection strings above, from the caller's
# folder so that relative file arguments mean what the user typed; configuration comes from the project.
sd_app() {
  ASPNETCORE_CONTENTROOT="$SD_WEB_PROJECT" dotnet "$SD_WEB_PROJECT/bin/Release/net10.0/SmartDoorplate.Web.dll" "$@"
}
