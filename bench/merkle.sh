#!/usr/bin/env bash
# merkle.sh: build bench_merkle in Release and run it, pinned to one core: the RFC 9162 tree of
# src/merkle.c with node hashes in memory, trees of 2^10 .. 2^20 leaves (and 1,000,000): inclusion
# and consistency proofs (generation and verification), merkle_root, and the frontier push.
#
#   bench/merkle.sh                       # the full run
#   bench/merkle.sh --proofs 500 --runs 3 # options go to bench_merkle (see bench/bench_merkle.c)
#
# Targets (issue 13): an inclusion proof, and a consistency proof, for a log of 1,000,000 records
# in under 1 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD_DIR:-build-bench}
cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release -DPACTUM_TESTS=OFF >/dev/null
cmake --build "$B" --target bench_merkle -j"$(nproc)" >/dev/null
pin=()
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then pin=(taskset -c 0); fi
echo "cpu:    $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) online"
echo "load:   $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown); pinned: ${pin[*]:-no}"
echo "libsodium: $(pkg-config --modversion libsodium)"
echo
"${pin[@]}" "$B/bench/bench_merkle" "$@"
