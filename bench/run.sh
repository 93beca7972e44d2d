#!/usr/bin/env bash
# run.sh: build pactum in Release, run the in-process benchmark (bench_decide), then time
# `pactum decide --events EVENTS < requests.jsonl > /dev/null` over 1,000,000 generated
# requests, on one core, and print everything. BENCHMARKS.md records a run.
#
#   bench/run.sh                 # the full run
#   N=200000 REPS=5 bench/run.sh # another size or number of CLI repetitions
#
# Targets: <= 1 us per decision in process; >= 300,000 decisions/s through the CLI on one core.
set -euo pipefail
cd "$(dirname "$0")/.."

B=${BUILD_DIR:-build-bench}
N=${N:-1000000}
REPS=${REPS:-3}

echo "== build (Release) in $B"
# The tests are not needed here (and are being edited concurrently), so they are left out.
cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release -DPACTUM_TESTS=OFF >/dev/null
cmake --build "$B" --target bench_decide pactum -j"$(nproc)" >/dev/null

pin=()
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then pin=(taskset -c 0); fi

echo "== machine"
echo "cpu:    $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) online"
echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "kernel: $(uname -r); compiler: $(${CC:-cc} --version | head -1)"
echo "date:   $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git status --porcelain -- src 2>/dev/null | grep -q . && echo ' (src/ has uncommitted changes)')"
echo "pinned: ${pin[*]:-no (taskset unavailable)}"

echo
echo "== in process: bench_decide"
"${pin[@]}" "$B/bench/bench_decide"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo
echo "== CLI: pactum decide over $N requests"
python3 bench/gen_requests.py "$N" --out "$work/requests.jsonl" --events "$work/events.jsonl"
bytes=$(wc -c < "$work/requests.jsonl")
echo "requests: $N lines, $bytes bytes ($((bytes / N)) per line); events: $(wc -l < "$work/events.jsonl")"

# One checked run first: every line must give a decision, none an error.
"${pin[@]}" "$B/pactum" decide --events "$work/events.jsonl" < "$work/requests.jsonl" > "$work/out.jsonl" || true
lines=$(wc -l < "$work/out.jsonl")
errors=$(grep -c '"error"' "$work/out.jsonl" || true)
echo "checked run: $lines decisions, $errors errors; outcomes:" \
  "$(sed -n 's/^{"decision":"\([a-z_]*\)".*/\1/p' "$work/out.jsonl" | sort | uniq -c | awk '{printf "%s %s, ", $1, $2}')"
if [ "$lines" -ne "$N" ] || [ "$errors" -ne 0 ]; then
  echo "run.sh: the CLI did not decide every request" >&2
  exit 1
fi

rates=()
printf '%-4s %10s %10s %10s %14s\n' run real_s user_s sys_s decisions/s
TIMEFORMAT='%R %U %S'
for i in $(seq 1 "$REPS"); do
  t=$( { time "${pin[@]}" "$B/pactum" decide --events "$work/events.jsonl" < "$work/requests.jsonl" > /dev/null; } 2>&1 )
  read -r real user sys <<< "$t"
  rate=$(awk -v n="$N" -v r="$real" 'BEGIN { printf "%.0f", n / r }')
  rates+=("$rate")
  printf '%-4s %10s %10s %10s %14s\n' "$i" "$real" "$user" "$sys" "$rate"
done
median=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }')
echo
echo "CLI: median of $REPS = $median decisions/s on one core ($(awk -v m="$median" 'BEGIN { printf "%.0f", 1e9 / m }') ns per request end to end)"
awk -v m="$median" 'BEGIN { t = 300000; if (m >= t) printf "target >= 300,000/s: met (%.2fx)\n", m / t;
                            else printf "target >= 300,000/s: NOT met (%.0f%% short)\n", 100 * (t - m) / t }'
