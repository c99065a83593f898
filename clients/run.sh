#!/usr/bin/env bash
# Runs the tests of the V2 clients (Prisma and node-postgres, clients/test/)
# against the database that PGHOST, PGPORT, PGUSER, PGDATABASE (and PGPASSWORD),
# or DATABASE_URL, name: one with the extension, the legacy fixture and a
# completed `SELECT * FROM dskv2_migrate_all()`. It starts no PostgreSQL.
#
# stdout is TAP only (node --test --test-reporter=tap), so `prove clients/run.sh`
# or any TAP parser counts the passes, failures and skips; the set-up (apt, npm
# ci, prisma generate) logs to stderr. A failed set-up prints one failing TAP
# test naming the step, and exits 1.
#   DSKV2_NODE_FROM_NPM=1  use Node.js from the npm registry (node-linux-<arch>)
#                          even when the machine's node is recent enough
set -uo pipefail
cd "$(dirname "$0")"

NODE_MIN_MAJOR=18 NODE_MIN_MINOR=18   # Prisma 6 needs Node.js 18.18 or later
log() { printf '==> %s\n' "$*" >&2; }
setup_failed() { printf '1..1\nnot ok 1 - clients set-up: %s\n' "$1"; exit 1; }

node_recent_enough() {
    command -v node >/dev/null 2>&1 && node -e "
        const [major, minor] = process.versions.node.split('.').map(Number);
        process.exit(major > $NODE_MIN_MAJOR || (major === $NODE_MIN_MAJOR && minor >= $NODE_MIN_MINOR) ? 0 : 1)"
}

# 1. Node.js and npm: Debian's packages when missing (Debian 12 has nodejs 18.20).
missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || setup_failed "missing ${missing[*]} (run as root, or install them)"
    log "apt-get install ${missing[*]}"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >&2 \
        || setup_failed "apt-get install ${missing[*]}"
fi
# Too old (or asked for): the official Node.js binary from the npm registry's
# node-linux-<arch> package (the only registry besides Debian's that is reached),
# kept in a cache outside the tree. npm itself stays the machine's.
if [ "${DSKV2_NODE_FROM_NPM:-0}" = 1 ] || ! node_recent_enough; then
    arch=$(node -p process.arch 2>/dev/null) || arch=x64
    cache=${XDG_CACHE_HOME:-$HOME/.cache}/dskv2-node
    if [ ! -x "$cache/node_modules/node-linux-$arch/bin/node" ]; then
        log "node-linux-$arch@22 from the npm registry (machine's node: $(node --version 2>/dev/null || echo none), needed: >= $NODE_MIN_MAJOR.$NODE_MIN_MINOR)"
        mkdir -p "$cache"
        npm install --prefix "$cache" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
            "node-linux-$arch@22" >&2 || setup_failed "npm install node-linux-$arch@22"
    fi
    export PATH="$cache/node_modules/node-linux-$arch/bin:$PATH"
    node_recent_enough || setup_failed "no Node.js >= $NODE_MIN_MAJOR.$NODE_MIN_MINOR"
fi
log "node $(node --version), npm $(npm --version)"

# 2. The packages, exactly as package-lock.json pins them. --ignore-scripts:
# no install script runs, so no Prisma engine is downloaded (none is needed).
log "npm ci --ignore-scripts"
npm ci --ignore-scripts --no-audit --no-fund >&2 || setup_failed "npm ci --ignore-scripts"

# 3. The Prisma client, generated offline (engineType = "client": WebAssembly
# query compiler, driver adapter @prisma/adapter-pg).
log "prisma generate"
npx --no-install prisma generate >&2 || setup_failed "prisma generate"

# 4. The tests, as TAP.
if [ -n "${DATABASE_URL:-}" ]; then target="DATABASE_URL"
else target="database ${PGDATABASE:-${PGUSER:-$(id -un)}} on ${PGHOST:-localhost}:${PGPORT:-5432}"; fi
log "node --test ($target)"
exec node --test --test-reporter=tap test/*.test.mjs
