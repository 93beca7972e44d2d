# ab.sh: what the before-and-after benchmarks of the timeline and the server (rss.sh, refresh.sh,
# decide_ab.sh) share. Sourced from the repository's root, after `set -euo pipefail`. Sets root,
# B (this tree's Release build, BUILD_DIR or build-bench), N (events, default 1,000,000), BASE
# (the commit compared with, default f7ab9b2; empty: none) and work (a directory removed on exit).
root=$PWD
B=${BUILD_DIR:-build-bench}
N=${N:-1000000}
BASE=${BASE-f7ab9b2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ab_build TARGET...: build this tree's TARGETs in Release into $B.
ab_build() {
  cmake -S "$root" -B "$root/$B" -DCMAKE_BUILD_TYPE=Release -DPACTUM_TESTS=OFF >/dev/null
  cmake --build "$root/$B" --target "$@" -j"$(nproc)" >/dev/null
}

# ab_base TARGET...: build BASE's TARGETs in Release into $work/old/build.
ab_base() {
  mkdir -p "$work/old"
  git -C "$root" archive "$BASE" | tar -x -C "$work/old"
  cmake -S "$work/old" -B "$work/old/build" -DCMAKE_BUILD_TYPE=Release -DPACTUM_TESTS=OFF >/dev/null
  cmake --build "$work/old/build" --target "$@" -j"$(nproc)" >/dev/null
}

# ab_pactums: the array pactums, of NAME=PATH: OLD_PACTUM or BASE's pactum (built) as old when
# either is given, then this tree's as new (ab_build it first).
ab_pactums() {
  pactums=("new=$root/$B/pactum")
  if [ -n "${OLD_PACTUM:-}" ]; then
    pactums=("old=$OLD_PACTUM" "${pactums[@]}")
  elif [ -n "$BASE" ]; then
    ab_base pactum
    pactums=("old=$work/old/build/pactum" "${pactums[@]}")
  fi
}

# ab_purchases: the path of a store of N purchases: $STORE, or one bench_tlog fills in $work.
ab_purchases() {
  if [ -n "${STORE:-}" ]; then
    echo "$STORE"
    return
  fi
  "$root/$B/bench/bench_tlog" --db "$work/big.db" --records "$N" --fill-only >/dev/null
  echo "$work/big.db"
}

# ab_machine: one line on the machine, its load, the time and the commits compared.
ab_machine() {
  echo "== machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%M:%SZ); commit $(git -C "$root" rev-parse --short HEAD)${BASE:+ against $BASE}"
}
