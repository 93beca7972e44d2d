#!/usr/bin/env bash
# profile.sh: where the instructions go, by callgrind, for bench_decide and for the CLI.
# Needs valgrind; builds like run.sh. Smaller runs than run.sh: callgrind is ~50x slower.
#
#   bench/profile.sh            # 50,000 CLI requests, bench_decide with 200,000 decisions
#   KEEP=1 bench/profile.sh     # keep the callgrind.out files (printed at the end)
set -euo pipefail
cd "$(dirname "$0")/.."

B=${BUILD_DIR:-build-bench}
N=${N:-50000}
cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release -DPACTUM_TESTS=OFF >/dev/null
cmake --build "$B" --target bench_decide pactum -j"$(nproc)" >/dev/null

work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
python3 bench/gen_requests.py "$N" --out "$work/requests.jsonl" --events "$work/events.jsonl"

top() { # file, what: exclusive top 15, then the inclusive cost of the named pipeline stages
  echo "-- $2: top functions by exclusive instructions"
  callgrind_annotate "$1" 2>/dev/null | awk '/file:function/ { go = 1; getline; next } go && NF' | head -15
  echo "-- $2: inclusive instructions of the pipeline stages"
  callgrind_annotate --inclusive=yes --threshold=100 "$1" 2>/dev/null |
    grep -E ':(json_loadb|json_delete|pactum_request_parse_json|pactum_decide|pactum_decision_to_json|getline|read_line|fwrite|eval_expr|timeline_at|run_requests|main) ' || true
}

echo "== callgrind: pactum decide over $N requests"
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.cli" \
  "$B/pactum" decide --events "$work/events.jsonl" < "$work/requests.jsonl" > /dev/null 2> "$work/cli.log"
grep 'refs' "$work/cli.log"
top "$work/callgrind.cli" "CLI"

echo
echo "== callgrind: bench_decide --runs 1 --iters 200000"
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.bench" \
  "$B/bench/bench_decide" --runs 1 --iters 200000 --quiet > /dev/null 2> "$work/bench.log"
grep 'refs' "$work/bench.log"
top "$work/callgrind.bench" "bench_decide"
echo "-- pactum_decide's callees (no malloc expected: the hot path must not allocate)"
callgrind_annotate --tree=calling "$work/callgrind.bench" 2>/dev/null |
  awk '/\* +[^ ]*:pactum_decide /{ go = 1; print; next } go && /^ *$/ { exit } go' || true

if command -v perf >/dev/null 2>&1; then
  echo
  echo "== perf: hardware counters?"
  perf stat -e instructions true 2>&1 | grep -E 'instructions' || true
fi
[ -z "${KEEP:-}" ] || echo "kept: $work"
