#!/usr/bin/env bash
# tlog.sh: the transparency log's benchmarks (issue 13), in one run on this machine:
#   1. appends in batches of 1,000 with the Merkle tree maintained, against the pactum of BASE
#      (default 29b0447, before the tree), both built here in Release and run alternately:
#      a. in process (bench_append: record_add, as a server appends), 5 rounds each;
#      b. through the command (20 x `pactum event add` of 1,000 events), 3 rounds each;
#   2. on a store of N events (default 1,000,000): inclusion and consistency proofs, their
#      verification, and record_refresh after another connection appends k events (bench_tlog);
#   3. a refused batch in signed stores of 1,000 and 20,000 events (bench_refused): its cost should
#      not grow with the store.
# BENCHMARKS.md records a run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
B=${BUILD_DIR:-build-bench}
N=${N:-1000000}
BASE=${BASE:-29b0447}
cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release -DPACTUM_TESTS=OFF >/dev/null
cmake --build "$B" --target pactum bench_append bench_tlog bench_refused -j"$(nproc)" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
old=$work/old
mkdir -p "$old"
git -C "$root" archive "$BASE" | tar -x -C "$old"
cmake -S "$old" -B "$old/build" -DCMAKE_BUILD_TYPE=Release -DPACTUM_TESTS=OFF >/dev/null
cmake --build "$old/build" --target pactum pactum_static -j"$(nproc)" >/dev/null
# The same harness, built against the old library and its record API.
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -DPACTUM_OLD_RECORD_API \
   -DPACTUM_BENCH_AGREEMENT="\"$root/agreements/microsoft-openai-2025-10-28.pact\"" \
   -I"$old/src" -I"$old/include" bench/bench_append.c "$old/build/libpactum.a" \
   $(pkg-config --libs jansson libsodium sqlite3 yajl libcrypto) -lpthread -o "$work/bench_append_old"
new_append=$root/$B/bench/bench_append
new_p=$root/$B/pactum
old_p=$old/build/pactum
cd "$work"
echo "== machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%M:%SZ); commit $(git -C "$root" rev-parse --short HEAD) against $BASE"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== 1a. appends in process: 20 batches of 1,000 (record_add), 5 rounds, alternating"
: > old.txt; : > new.txt
for r in 1 2 3 4 5; do
  rm -f o.db* n.db*
  # Both fold the same agreement: BASE's shipped one, which both can read.
  "$work/bench_append_old" --db o.db --batches 20 --batch 1000 --agreement "$old/agreements/microsoft-openai-2025-10-28.pact" | awk '{print $1}' >> old.txt
  "$new_append" --db n.db --batches 20 --batch 1000 --agreement "$old/agreements/microsoft-openai-2025-10-28.pact" | awk '{print $1}' >> new.txt
done
o=$(median < old.txt); n=$(median < new.txt)
echo "old: $(tr '\n' ' ' < old.txt)events/s; median $o"
echo "new: $(tr '\n' ' ' < new.txt)events/s; median $n"
python3 -c "import sys; o, n = float(sys.argv[1]), float(sys.argv[2]); print('new / old = %.3f (%+.1f%%)' % (n / o, 100 * (n / o - 1)))" "$o" "$n"

echo "== 1b. appends through the command: 20 x 'pactum event add' of 1,000, 3 rounds, alternating"
python3 - <<'PY'
import datetime
start = datetime.date(2026, 1, 1).toordinal()
for b in range(20):
    with open('batch%d.jsonl' % b, 'w') as f:
        for i in range(b * 1000, b * 1000 + 1000):
            d = datetime.date.fromordinal(start + i // 10)
            f.write('{"type":"azure_purchase","date":"%s","amount_usd":%d}\n' % (d.isoformat(), 1000 + (i * 7919) % 100000))
PY
cli_round() { # cli_round PACTUM DB
  rm -f "$2"*
  local t0 t1
  t0=$(date +%s.%N)
  for b in $(seq 0 19); do "$1" event add --db "$2" --agreement "$old/agreements/microsoft-openai-2025-10-28.pact" < batch$b.jsonl > /dev/null; done
  t1=$(date +%s.%N)
  python3 -c "import sys; print('%.0f' % (20000 / (float(sys.argv[2]) - float(sys.argv[1]))))" "$t0" "$t1"
}
: > old.txt; : > new.txt
for r in 1 2 3; do
  cli_round "$old_p" oc.db >> old.txt
  cli_round "$new_p" nc.db >> new.txt
done
o=$(median < old.txt); n=$(median < new.txt)
echo "old: $(tr '\n' ' ' < old.txt)events/s; median $o"
echo "new: $(tr '\n' ' ' < new.txt)events/s; median $n"
python3 -c "import sys; o, n = float(sys.argv[1]), float(sys.argv[2]); print('new / old = %.3f (%+.1f%%)' % (n / o, 100 * (n / o - 1)))" "$o" "$n"

echo "== 2. proofs and refresh on a store of $N events"
"$root/$B/bench/bench_tlog" --db big.db --records "$N" --proofs 1000

echo "== 3. a refused batch against the size of the store"
"$root/$B/bench/bench_refused" --dir "$work"
