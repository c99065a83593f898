#!/usr/bin/env bash
# Builds and installs dropskills_v2, starts a throwaway PostgreSQL 15 cluster,
# creates a demo database with sample legacy data and shows the extension at work.
# Run as root on Debian 12 (installs what it needs). The cluster is stopped on exit.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$DSKV2_ROOT"

install_deps
log "building and installing the extension"
build_extension
cluster_start demo

log "demo database"
psql -qX -c "CREATE DATABASE dskv2_demo"
export PGDATABASE=dskv2_demo
psql -X -v ON_ERROR_STOP=1 -f scripts/demo.sql
log "demo done (the throwaway cluster is stopped now)"
