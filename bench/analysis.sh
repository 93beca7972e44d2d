#!/usr/bin/env bash
# analysis.sh: how long the analysis commands take (issue 6), whole commands, median of R runs:
#   1. pactum whatif over the whole horizon, the shipped agreement, generated requests
#   2. the same on one day (--date)
#   3. pactum whatif on the cloud reseller: a 7-event baseline, generated requests
#   4. pactum whatif with a baseline of E events (azure_purchase, spread over 2026..2033)
#   5. pactum test over agreements/
# R=... runs per measurement (default 21), E=... events for 4 (default 100,000).
# BUILD_DIR=... the build to use (default build-bench, configured in Release).
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD_DIR:-build-bench}
R=${R:-21}
E=${E:-100000}
if [ ! -x "$B/pactum" ] || [ -z "${BUILD_DIR:-}" ]; then
  cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release -DPACTUM_TESTS=OFF >/dev/null
  cmake --build "$B" --target pactum -j"$(nproc)" >/dev/null
fi
P=$PWD/$B/pactum
ROOT=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# median COMMAND...: run it R times (output discarded) and print the median wall time in ms.
median() {
  python3 - "$R" "$@" <<'PY'
import subprocess, sys, time
r, cmd = int(sys.argv[1]), sys.argv[2:]
ts = []
for _ in range(r):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    ts.append((time.perf_counter() - t) * 1000)
ts.sort()
print("%.1f ms (min %.1f, max %.1f, %d runs)" % (ts[len(ts) // 2], ts[0], ts[-1], r))
PY
}

python3 - "$E" > "$work/base.jsonl" <<'PY'
import sys, datetime
n = int(sys.argv[1]); start = datetime.date(2026, 1, 1).toordinal(); span = datetime.date(2033, 12, 31).toordinal() - start
for i in range(n):
    d = datetime.date.fromordinal(start + span * i // n)
    sys.stdout.write('{"type":"azure_purchase","date":"%s","amount_usd":%d}\n' % (d.isoformat(), 1000 + (i * 7919) % 100000))
PY

# The added declaration gets the seq after the baseline's last, and the verdict names it.
AGI=(--add 'agi_declared openai 2029-01-15' --add 'panel_verdict 1 verified 2029-06-01')
AGI_AFTER_E=(--add 'agi_declared openai 2029-01-15' --add "panel_verdict $((E + 1)) verified 2029-06-01")
echo "== machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%M:%SZ); commit $(git rev-parse --short HEAD)"
echo "== 1. whatif, horizon, generated requests: $(median "$P" whatif "${AGI[@]}")"
echo "== 2. whatif, --date 2029-07-01: $(median "$P" whatif "${AGI[@]}" --date 2029-07-01)"
echo "== 3. whatif, cloud reseller, 7-event baseline: $(median "$P" whatif --agreement "$ROOT/agreements/examples/cloud-reseller.pact" \
  --events "$ROOT/tests/events/cloud-reseller-good.jsonl" --add 'payment_missed INV-9 2026-04-01')"
echo "== 4. whatif, $E-event baseline, horizon: $(R=$(( R < 5 ? R : 5 )) median "$P" whatif --events "$work/base.jsonl" "${AGI_AFTER_E[@]}")"
echo "== 5. test agreements/: $(median "$P" test "$ROOT/agreements")"
