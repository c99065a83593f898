#!/usr/bin/env bash
# Benchmark: dskv2_slugify and dskv2_detect_sample_type on 1M realistic rows,
# as ratios against lower() and the usual SQL slug recipe measured in the same
# run (medians of DSKV2_BENCH_ROUNDS rounds, default 7). Run as root on Debian 12
# after `make install` (or let it build), e.g.: bash bench/text_functions.sh
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$DSKV2_ROOT"
install_deps
build_extension
DSKV2_PGPORT=54330 cluster_start bench shared_buffers=1GB jit=off max_parallel_workers_per_gather=0
psql -qX -c "CREATE DATABASE dskv2_bench"
echo "machine: $(uname -m), $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/^Mem:/ {print $2}') GiB"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); PostgreSQL $(pg_config --version | awk '{print $2}')"
PGOPTIONS="-c dskv2_bench.rounds=${DSKV2_BENCH_ROUNDS:-7}" psql -qX -d dskv2_bench -f bench/text_functions.sql
