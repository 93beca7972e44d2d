#!/usr/bin/env bash
# verify.sh: time `pactum verify` and `pactum diff` on the shipped agreements (Release build,
# one core). Target: under 10 s for each. BENCHMARKS.md records a run.
#
#   bench/verify.sh            # 5 runs of each command
#   REPS=20 bench/verify.sh
set -euo pipefail
cd "$(dirname "$0")/.."

B=${BUILD_DIR:-build-bench}
REPS=${REPS:-5}
cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release -DPACTUM_TESTS=OFF >/dev/null
cmake --build "$B" --target pactum -j"$(nproc)" >/dev/null

pin=()
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then pin=(taskset -c 0); fi
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git status --porcelain -- src 2>/dev/null | grep -q . && echo ' (src/ has uncommitted changes)')"
echo "pinned: ${pin[*]:-no (taskset unavailable)}"

run() { # LABEL COMMAND...: the command's wall time over REPS runs (min, median, max), in ms
  local label=$1
  shift
  local times=()
  for _ in $(seq "$REPS"); do
    local t0 t1
    t0=$(date +%s%N)
    "${pin[@]}" "$@" >/dev/null || true # verify and diff exit 1 on findings and differences
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v l="$label" '{v[NR]=$1} END {printf "%-60s min %.1f ms, median %.1f ms, max %.1f ms (%d runs)\n", l, v[1]/1000, v[int((NR+1)/2)]/1000, v[NR]/1000, NR}'
}

P=$B/pactum
run "verify microsoft-openai-2025-10-28" "$P" verify agreements/microsoft-openai-2025-10-28.pact
run "verify examples/cloud-reseller" "$P" verify agreements/examples/cloud-reseller.pact
run "verify --can 'openai serve_api' --where cloud == aws" "$P" verify agreements/microsoft-openai-2025-10-28.pact --can 'openai serve_api' --where 'context.cloud == "aws"'
run "verify --equivalent (itself)" "$P" verify agreements/microsoft-openai-2025-10-28.pact --equivalent agreements/microsoft-openai-2025-10-28.pact
run "diff microsoft-openai-2025-10-28 tests/diff/b.pact" "$P" diff agreements/microsoft-openai-2025-10-28.pact tests/diff/b.pact
"$P" verify agreements/microsoft-openai-2025-10-28.pact | sed -n 2p
"$P" verify agreements/examples/cloud-reseller.pact | sed -n 2p
