#!/usr/bin/env bash
# decide_ab.sh: pactum_decide in process (bench_decide), this tree against BASE (default f7ab9b2,
# the full-row timelines before change lists), both built here in Release and run alternately,
# pinned to one core: on bench_decide's own 11-event sample, and on a store of N events (default
# 1,000,000 purchases spread evenly over 2026-01-01 .. 2033-12-31, as bench/store.sh makes them;
# STORE=PATH uses an existing one). Prints each run's median ns per decision and the medians of
# ROUNDS runs (default 3) with their ratio.
#
#   bench/decide_ab.sh
#   STORE=big.db ROUNDS=5 bench/decide_ab.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${BASE:-f7ab9b2}
. bench/ab.sh
ROUNDS=${ROUNDS:-3}
ab_build pactum bench_decide
old_bench=${OLD_BENCH_DECIDE:-}
if [ -z "$old_bench" ]; then
  ab_base bench_decide
  old_bench=$work/old/build/bench/bench_decide
fi
new_bench=$root/$B/bench/bench_decide
store=${STORE:-}
if [ -z "$store" ]; then
  store=$work/big.db
  for start in $(seq 0 100000 $((N - 1))); do
    python3 - "$start" "$N" > "$work/part.jsonl" <<'PY'
import sys, datetime
first, total = int(sys.argv[1]), int(sys.argv[2])
start = datetime.date(2026, 1, 1).toordinal(); span = datetime.date(2033, 12, 31).toordinal() - start
for i in range(first, min(first + 100000, total)):
    d = datetime.date.fromordinal(start + span * i // total)
    print('{"type":"azure_purchase","date":"%s","amount_usd":%d}' % (d.isoformat(), 1000 + (i * 7919) % 100000))
PY
    "$root/$B/pactum" event add --db "$store" < "$work/part.jsonl" > /dev/null
  done
fi
pin=()
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then pin=(taskset -c 0); fi
ab_machine
echo "== pinned: ${pin[*]:-no}"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for what in sample store; do
  args=(--runs 5 --iters 1000000)
  [ "$what" = store ] && args+=(--db "$store")
  : > "$work/old.txt"; : > "$work/new.txt"
  for r in $(seq 1 "$ROUNDS"); do
    "${pin[@]}" "$old_bench" "${args[@]}" | awk '$1 == "pactum_decide" {print $4}' >> "$work/old.txt"
    "${pin[@]}" "$new_bench" "${args[@]}" | awk '$1 == "pactum_decide" {print $4}' >> "$work/new.txt"
  done
  o=$(median < "$work/old.txt"); n=$(median < "$work/new.txt")
  label=$([ "$what" = store ] && echo "the store of $N events" || echo "the 11-event sample")
  echo "== pactum_decide on $label, ns per decision (median of 5 runs of 1,000,000, each round)"
  echo "old: $(tr '\n' ' ' < "$work/old.txt")-> $o"
  echo "new: $(tr '\n' ' ' < "$work/new.txt")-> $n"
  python3 -c "import sys; o, n = float(sys.argv[1]), float(sys.argv[2]); print('new / old = %.3f (%+.1f%%)' % (n / o, 100 * (n / o - 1)))" "$o" "$n"
done
