#!/usr/bin/env bash
# store.sh: the record's benchmarks (issue 3), in one run on this machine:
#   1. appends: batches of 1,000 events through `pactum event add`, each batch one durable commit
#   2. folding a store of 1,000,000 events into state (in process, and `pactum status --db`)
#   3. `pactum audit verify` over that store, in MB/s of event JSON
#   4. pactum_decide with that 1,000,000-event timeline (bench_decide --db)
# N=... sets the size of the large store (default 1,000,000). BENCHMARKS.md records a run.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD_DIR:-build-bench}
N=${N:-1000000}
cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release -DPACTUM_TESTS=OFF >/dev/null
cmake --build "$B" --target bench_decide pactum -j"$(nproc)" >/dev/null
P=$PWD/$B/pactum
pin=()
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then pin=(taskset -c 0); fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

now() { date +%s.%N; }
# Purchases spread evenly over 2026-01-01 .. 2033-12-31 (dates never go back), a fixed seed.
gen() { # gen COUNT FIRST_INDEX TOTAL > file
  python3 - "$1" "$2" "$3" <<'PY'
import sys, datetime
count, first, total = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
start = datetime.date(2026, 1, 1).toordinal(); span = datetime.date(2033, 12, 31).toordinal() - start
out = sys.stdout
for i in range(first, first + count):
    d = datetime.date.fromordinal(start + span * i // total)
    out.write('{"type":"azure_purchase","date":"%s","amount_usd":%d}\n' % (d.isoformat(), 1000 + (i * 7919) % 100000))
PY
}

echo "== machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores; $(date -u +%Y-%m-%dT%H:%M:%SZ); commit $(git -C "$OLDPWD" rev-parse --short HEAD)"
echo "== 1. appends: 20 batches of 1,000 events, each 'pactum event add' one transaction (WAL, synchronous=FULL)"
for b in $(seq 0 19); do gen 1000 $((b * 1000)) 20000 > batch$b.jsonl; done
t0=$(now)
for b in $(seq 0 19); do "${pin[@]}" "$P" event add --db small.db < batch$b.jsonl > /dev/null; done
t1=$(now)
python3 -c "import sys; t=float(sys.argv[2])-float(sys.argv[1]); print('appended 20000 events in %.3f s: %.0f events/s (process start and the fold of what is already stored included)' % (t, 20000/t))" "$t0" "$t1"

echo "== 2. a store of $N events"
chunk=100000
[ "$N" -lt "$chunk" ] && chunk=$N
for start in $(seq 0 "$chunk" $((N - 1))); do
  gen "$chunk" "$start" "$N" > big.jsonl
  "$P" event add --db big.db < big.jsonl > /dev/null
done
ls -l big.db | awk '{printf "store file: %.1f MB\n", $5 / 1e6}'
for i in 1 2 3; do
  t0=$(now); "${pin[@]}" "$P" status --db big.db --date 2034-01-01 > /dev/null; t1=$(now)
  python3 -c "import sys; print('pactum status --db (load + fold + report): %.3f s' % (float(sys.argv[2])-float(sys.argv[1])))" "$t0" "$t1"
done

echo "== 3. audit verify over $N events (not pinned: it checks ranges of the chain in parallel, one thread per core)"
for i in 1 2 3; do
  t0=$(now); out=$("$P" audit verify --db big.db); t1=$(now)
  python3 -c "
import sys, re
t = float(sys.argv[2]) - float(sys.argv[1]); m = re.search(r'(\d+) records, (\d+) bytes', sys.argv[3])
print('audit verify: %s records, %.1f MB of event JSON in %.3f s: %.0f MB/s' % (m.group(1), int(m.group(2))/1e6, t, int(m.group(2))/1e6/t))" "$t0" "$t1" "$out"
done

echo "== 4. deciding with the $N-event timeline (in process)"
"${pin[@]}" "$OLDPWD/$B/bench/bench_decide" --db big.db --runs 5 --iters 1000000
