# Shared helpers of scripts/demo.sh, scripts/test.sh and bench/*.sh (sourced, not run).
# A throwaway PostgreSQL 15 cluster lives under the build tree (.run/), owned by
# the postgres user when run as root (PostgreSQL refuses to run as root).

DSKV2_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DSKV2_PG_MAJOR=15
DSKV2_PACKAGES=(
    postgresql-15 postgresql-server-dev-15    # one command: server and headers match
    postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
    make g++ cmake libgtest-dev clang-format
    rsync patch                               # make mutationcheck
    clang libclang-rt-14-dev                  # libFuzzer, sanitizers, PGXS bitcode
)

log() { printf '\n==> %s\n' "$*"; }

# Installs every package the project needs (Debian 12, as root). Idempotent.
install_deps() {
    local missing=() pkg
    for pkg in "${DSKV2_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing packages: ${missing[*]} (run as root, or install them)" >&2
        return 1
    fi
    log "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

pg_bindir() { "$(command -v pg_config)" --bindir; }

# pg_private_prefix DIR: a private, relocated copy of the installed PostgreSQL
# 15 (server, headers, PGXS, pgTAP) under DIR. PostgreSQL finds its share and
# lib directories relative to its binaries, so `PATH=DIR/lib/postgresql/15/bin:$PATH`
# makes pg_config, make install, initdb and pg_ctl use the copy: a build
# installed there (a mutant, the previous release) never touches the system's.
pg_private_prefix() {
    local dir=$1 bindir sharedir incdir
    bindir=$(pg_bindir) || return 1
    sharedir=$("$bindir/pg_config" --sharedir)
    incdir=$("$bindir/pg_config" --includedir-server)
    rm -rf "$dir"
    mkdir -p "$dir/lib/postgresql" "$dir/share/postgresql" "$dir/include/postgresql"
    cp -a "$(dirname "$bindir")" "$dir/lib/postgresql/" \
        && cp -a "$sharedir" "$dir/share/postgresql/" \
        && cp -a "$(dirname "$incdir")" "$dir/include/postgresql/" \
        && chmod -R a+rX "$dir" \
        && echo "$dir/lib/postgresql/$DSKV2_PG_MAJOR/bin"
}

# Runs a command as the cluster's owner.
as_pg_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# The hostile values of the pinned settings (docs/security.md, "Pinned settings"), one
# postgresql.conf line each: scripts/test.sh runs the SQL layers a second time on a cluster
# started with them (CONTRIBUTING.md, "The hostile pass"). By hand:
#   cluster_start hostile "${DSKV2_HOSTILE_SETTINGS[@]}"
# session_replication_role stays origin: the DBA entry points refuse a replica session (22023),
# which test/attacks/ covers directly. escape_string_warning only keeps the server log quiet.
DSKV2_HOSTILE_SETTINGS=(
    "search_path = '\"\$user\", public, pg_catalog'"
    "standard_conforming_strings = off"
    "escape_string_warning = off"
    "transform_null_equals = on"
    "array_nulls = off"
    "TimeZone = 'Pacific/Chatham'"
    "DateStyle = 'SQL, DMY'"
    "IntervalStyle = sql_standard"
    "bytea_output = escape"
    "extra_float_digits = -15"
)

# cluster_start NAME [postgresql.conf settings...]: initdb + start a throwaway cluster
# (each setting, e.g. fsync=off, appended to its postgresql.conf), export
# PGHOST/PGPORT/PGUSER, and stop it when the calling shell exits.
# As on Supabase, the bootstrap superuser is supabase_admin (PGUSER, for the
# set-up); fixtures/supabase.sql creates `postgres`, the DBA role, which is not
# a superuser.
cluster_start() {
    local name=$1; shift
    local bindir; bindir=$(pg_bindir)
    DSKV2_RUN_DIR=${DSKV2_RUN_DIR:-$DSKV2_ROOT/.run/$name}
    # The Unix socket path must stay short (107 bytes), and the postgres user must
    # be able to reach the tree; otherwise fall back to a private temp directory.
    if [ ${#DSKV2_RUN_DIR} -gt 80 ]; then DSKV2_RUN_DIR=$(mktemp -d "/tmp/dskv2-$name.XXXXXX"); fi
    rm -rf "$DSKV2_RUN_DIR"; mkdir -p "$DSKV2_RUN_DIR"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$DSKV2_RUN_DIR"
        if ! runuser -u postgres -- test -w "$DSKV2_RUN_DIR"; then
            DSKV2_RUN_DIR=$(mktemp -d "/tmp/dskv2-$name.XXXXXX")
            chown postgres:postgres "$DSKV2_RUN_DIR"
        fi
    fi
    DSKV2_PGDATA=$DSKV2_RUN_DIR/data
    export PGHOST=$DSKV2_RUN_DIR PGPORT=${DSKV2_PGPORT:-54329} PGUSER=supabase_admin PGDATABASE=postgres
    log "starting a throwaway PostgreSQL $DSKV2_PG_MAJOR cluster in $DSKV2_RUN_DIR (port $PGPORT)"
    as_pg_owner "$bindir/initdb" -D "$DSKV2_PGDATA" -U supabase_admin --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$DSKV2_RUN_DIR/initdb.log" 2>&1 \
        || { cat "$DSKV2_RUN_DIR/initdb.log"; return 1; }
    local opts="-c listen_addresses='' -k $DSKV2_RUN_DIR -p $PGPORT"
    [ $# -eq 0 ] || printf '%s\n' "" "# cluster_start (scripts/lib.sh)" "$@" >>"$DSKV2_PGDATA/postgresql.conf"
    trap cluster_stop EXIT
    as_pg_owner "$bindir/pg_ctl" -D "$DSKV2_PGDATA" -l "$DSKV2_RUN_DIR/server.log" -o "$opts" -w start >/dev/null \
        || { cat "$DSKV2_RUN_DIR/server.log"; return 1; }
}

cluster_stop() {
    [ -n "${DSKV2_PGDATA:-}" ] && [ -d "$DSKV2_PGDATA" ] || return 0
    as_pg_owner "$(pg_bindir)/pg_ctl" -D "$DSKV2_PGDATA" -m fast -w stop >/dev/null 2>&1 || true
}

# fixture_load DB [SIZE]: the fixtures loaded into DB as on Supabase (fixtures/README.md):
# supabase.sql by supabase_admin, the legacy tables by postgres (their owner, as
# an app's tables are), the generator and its data by supabase_admin (it needs a
# superuser). Quiet; fails on the first error.
fixture_load() {
    local db=$1 size=${2:-S}
    psql -qX -v ON_ERROR_STOP=1 -U supabase_admin -d "$db" -f "$DSKV2_ROOT/fixtures/supabase.sql" >/dev/null &&
    psql -qX -v ON_ERROR_STOP=1 -U postgres -d "$db" -f "$DSKV2_ROOT/fixtures/legacy_schema.sql" >/dev/null &&
    psql -qX -v ON_ERROR_STOP=1 -U supabase_admin -d "$db" -f "$DSKV2_ROOT/fixtures/generate.sql" \
        -c "SELECT count(*) FROM dskv2_fixture.generate('$size')" >/dev/null
}

# build_extension: PGXS build and install (as root: into the system's PostgreSQL).
build_extension() {
    make -C "$DSKV2_ROOT" -s -j"$(nproc)" && make -C "$DSKV2_ROOT" -s install
}
