#!/usr/bin/env bash
# http.sh: `pactum serve` under load (issue 4), with wrk on loopback, keep-alive, 2 wrk threads:
#   1. POST /v1/decide, one request per HTTP request (a Lua mix of 8 requests): peak decisions/s,
#      the best of 3 x 10 s runs at CONNS connections (default 32)
#   2. p99 latency at about 80% of that peak. Debian has no wrk2 (constant rate), and plain wrk is
#      closed-loop: with fewer connections the server is hardly less busy (2 connections already
#      give most of the peak, each waiting only for the previous answer). So each connection is
#      paced instead: a Lua delay() of 1 ms after every response, and the number of connections,
#      calibrated in 3 s runs, sets the offered rate near 80% of the peak; then 3 x 10 s runs with
#      `wrk --latency` give p99 (median of the three). This approximates a fixed offered load; it is
#      not an open-loop measurement (a stalled response delays that connection's next request).
#   3. POST /v1/decide with batches of 100 requests: decisions/s = requests/s x 100, best of 3 x 10 s
#   4. the server's RSS (VmRSS in /proc/PID/status) before load, and after 60 s of single-request load
# wrk and the server share the machine's cores; the server runs with its default thread pool (one
# thread per core). Installs Debian's wrk if it is missing. BENCHMARKS.md records a run.
#   DURATION=10 RUNS=3 CONNS=32 RSS_SECONDS=60 THREADS= (server --threads) BUILD_DIR=build-bench
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
B=${BUILD_DIR:-build-bench}
DURATION=${DURATION:-10}
RUNS=${RUNS:-3}
CONNS=${CONNS:-32}
RSS_SECONDS=${RSS_SECONDS:-60}

if ! command -v wrk >/dev/null 2>&1; then
  echo "installing Debian's wrk"
  SUDO=
  [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q wrk >/dev/null ||
    { $SUDO apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q wrk >/dev/null; }
fi
command -v wrk >/dev/null || { echo "wrk is not installed and could not be installed" >&2; exit 1; }

[ -f "$B/CMakeCache.txt" ] || cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release -DPACTUM_TESTS=OFF >/dev/null
cmake --build "$B" --target pactum -j"$(nproc)" >/dev/null
P=$ROOT/$B/pactum

work=$(mktemp -d /tmp/pactum-bench-http-XXXXXX)
SERVER=
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# ---- the server, with a few events in its record ----------------------------------------------------
echo "openai $(printf %s bench-token | sha256sum | cut -d' ' -f1)" >"$work/tokens"
# wrk's connections (up to 400) all come from 127.0.0.1: no per-address limit.
"$P" serve --listen 127.0.0.1:0 --db "$work/bench.db" --tokens "$work/tokens" --max-conns-per-ip 0 ${THREADS:+--threads "$THREADS"} \
  2>"$work/serve.err" &
SERVER=$!
PORT=
for _ in $(seq 200); do
  PORT=$(sed -n 's|.* on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$work/serve.err" | head -n 1)
  [ -n "$PORT" ] && break
  sleep 0.05
done
[ -n "$PORT" ] || { cat "$work/serve.err"; exit 1; }
URL=http://127.0.0.1:$PORT
python3 - "$PORT" <<'PY'
import http.client, json, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
ev = [{"type": "azure_purchase", "date": "2026-01-15", "amount_usd": 25_000_000_000},
      {"type": "azure_purchase", "date": "2026-06-30", "amount_usd": 40_000_000_000},
      {"type": "agi_declared", "date": "2029-01-15", "by": "openai"}]
c.request("POST", "/v1/events", json.dumps(ev), {"Authorization": "Bearer bench-token", "Content-Type": "application/json"})
r = c.getresponse()
assert r.status == 200, r.read()
r.read()
PY

# ---- the request mix -------------------------------------------------------------------------------
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
mix = [
    {"principal": "openai", "action": "serve_api", "context": {"cloud": "aws", "date": "2026-03-01"}},
    {"principal": "openai", "action": "serve_api", "context": {"cloud": "azure"}},
    {"principal": "openai", "action": "serve_api", "context": {"cloud": "aws", "customer_segment": "us_gov_national_security"}},
    {"principal": "openai", "action": "serve_api", "resource": {"built_with_third_party": True}, "context": {"cloud": "gcp"}},
    {"principal": "microsoft", "action": "use_ip", "resource": {"ip_kind": "research"}, "context": {"date": "2030-06-01"}},
    {"principal": "microsoft", "action": "use_ip", "resource": {"ip_kind": "model", "post_agi": True}, "context": {"safety_guardrails": True}},
    {"principal": "openai", "action": "release_open_weights", "resource": {"meets_capability_criteria": True}},
    {"principal": "microsoft", "action": "receive_revenue_share", "context": {"date": "2029-06-01"}},
]
lua = lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
with open(work + "/single.lua", "w") as f:
    f.write("local bodies = {\n%s\n}\n" % ",\n".join("  " + lua(json.dumps(m, separators=(",", ":"))) for m in mix))
    f.write('local i = 0\nwrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
            'request = function()\n  i = i % #bodies + 1\n  return wrk.format(nil, "/v1/decide", nil, bodies[i])\nend\n')
with open(work + "/paced.lua", "w") as f:
    f.write(open(work + "/single.lua").read() + "delay = function() return 1 end\n")
batch = [mix[k % len(mix)] for k in range(100)]
with open(work + "/batch.lua", "w") as f:
    f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.path = "/v1/decide"\n')
    f.write("wrk.body = %s\n" % lua(json.dumps(batch, separators=(",", ":"))))
PY
# Check the mix before timing it: each request is decided (200), and the batch gives 100 decisions.
python3 - "$PORT" "$work" <<'PY'
import http.client, json, re, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
lua = open(sys.argv[2] + "/single.lua").read()
bodies = [json.loads(b.replace('\\"', '"')) for b in re.findall(r'^  "(.*)",?$', lua, re.M)]
outcomes = []
for b in bodies:
    c.request("POST", "/v1/decide", json.dumps(b), {"Content-Type": "application/json"})
    r = c.getresponse()
    d = json.loads(r.read())
    assert r.status == 200 and "decision" in d, (b, d)
    outcomes.append(d["decision"])
print("== the mix: %d requests: %s" % (len(bodies), ", ".join(outcomes)))
PY

# run_wrk CONNS SECONDS SCRIPT [--latency] -> $work/wrk.out; prints "rate p99_ms errors"
run_wrk() {
  local c=$1 d=$2 s=$3
  shift 3
  wrk -t2 -c"$c" -d"${d}s" -s "$work/$s" "$@" "$URL" >"$work/wrk.out" 2>&1
  python3 - "$work/wrk.out" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\b", t, re.M)
p99 = float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)] if m else float("nan")
errs = 0
m = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
errs += int(m.group(1)) if m else 0
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", t)
errs += sum(map(int, m.groups())) if m else 0
print("%.1f %.3f %d" % (rate, p99, errs))
PY
}
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER/status"; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$SERVER/status"; }

machine="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "== machine: $machine; $(uname -sr); $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (src/ modified)'); build $B ($(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$B/CMakeCache.txt"))"
echo "== server: $(sed -n 's/^pactum: //p' "$work/serve.err" | head -n 1 | sed 's/, [0-9]* events)/)/'); 3 events recorded before the runs"
RSS0=$(rss_kb)
# warm-up
run_wrk "$CONNS" 2 single.lua >/dev/null

echo "== 1. single requests: $RUNS x ${DURATION} s, -t2 -c$CONNS"
peak=0
for i in $(seq "$RUNS"); do
  read -r rate p99 errs < <(run_wrk "$CONNS" "$DURATION" single.lua --latency)
  echo "   run $i: $rate decisions/s, p99 $p99 ms, errors $errs"
  [ "$errs" = 0 ] || grep -E "Socket errors|Non-2xx" "$work/wrk.out" | sed 's/^/   /'
  peak=$(python3 -c "print(max($peak, $rate))")
done

echo "== 2. p99 at ~80% of the peak ($peak/s): paced connections (1 ms between a response and the next request)"
# Each paced connection sends about 1/(1 ms + latency) requests a second, so the offered rate is set by
# the number of connections, nearly independent of the server's speed: an approximation of wrk2's
# constant rate. Calibrate the connection count on the target (3 s runs), then measure 3 x 10 s.
target=$(python3 -c "print($peak * 0.8)")
c=$(python3 -c "print(max(2, min(400, round($target / 800))))")
best_c=$c best_gap=1e18
for i in 1 2 3; do
  read -r rate p99 errs < <(run_wrk "$c" 3 paced.lua --latency)
  gap=$(python3 -c "print(abs($rate - $target))")
  echo "   calibration -c$c: $rate/s ($(python3 -c "print('%.0f%%' % (100 * $rate / $peak))") of the peak), p99 $p99 ms"
  if python3 -c "import sys; sys.exit(0 if $gap < $best_gap else 1)"; then best_c=$c best_gap=$gap; fi
  c=$(python3 -c "print(max(2, min(400, round($c * $target / max($rate, 1)))))")
  [ "$c" = "$best_c" ] && break
done
p99s=() rates=()
for i in $(seq "$RUNS"); do
  read -r rate p99 errs < <(run_wrk "$best_c" "$DURATION" paced.lua --latency)
  echo "   -c$best_c run $i: $rate decisions/s ($(python3 -c "print('%.0f%%' % (100 * $rate / $peak))") of the peak), p99 $p99 ms, errors $errs"
  sed -n '/Latency Distribution/,/99%/p' "$work/wrk.out" | tr -s ' ' | tr '\n' ' ' | sed 's/^/     /; s/$/\n/'
  p99s+=("$p99") rates+=("$rate")
done
p99_80=$(printf '%s\n' "${p99s[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p")
rate80=$(printf '%s\n' "${rates[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p")
echo "   medians of the $RUNS runs: $rate80 decisions/s, p99 $p99_80 ms"

echo "== 3. batches of 100: $RUNS x ${DURATION} s, -t2 -c${BATCH_CONNS:-8}"
bpeak=0
for i in $(seq "$RUNS"); do
  read -r rate p99 errs < <(run_wrk "${BATCH_CONNS:-8}" "$DURATION" batch.lua --latency)
  dps=$(python3 -c "print('%.0f' % ($rate * 100))")
  echo "   run $i: $rate requests/s = $dps decisions/s, p99 $p99 ms, errors $errs"
  bpeak=$(python3 -c "print(max($bpeak, $dps))")
done

echo "== 4. RSS: before load ${RSS0} kB; now $(rss_kb) kB; ${RSS_SECONDS} s of single-request load at -c$CONNS"
cpu_ticks() { awk '{print $14 + 0, $15 + 0}' "/proc/$SERVER/stat"; }
read -r u0 s0 < <(cpu_ticks)
read -r rate p99 errs < <(run_wrk "$CONNS" "$RSS_SECONDS" single.lua)
read -r u1 s1 < <(cpu_ticks)
RSS1=$(rss_kb)
HWM=$(hwm_kb)
echo "   during the minute: $rate decisions/s, errors $errs; after it VmRSS $RSS1 kB, VmHWM (peak) $HWM kB"
python3 - "$u0" "$s0" "$u1" "$s1" "$(getconf CLK_TCK)" "$RSS_SECONDS" "$rate" <<'PY'
import sys
u0, s0, u1, s1, hz, secs, rate = map(float, sys.argv[1:])
user, sys_ = (u1 - u0) / hz, (s1 - s0) / hz
n = rate * secs
print("   the server's CPU in that minute: %.1f s user + %.1f s system of %.0f s (2 cores); %.1f us user + %.1f us system"
      " per request; the rest went to wrk" % (user, sys_, 2 * secs, 1e6 * user / n, 1e6 * sys_ / n))
PY
[ "$errs" = 0 ] || grep -E "Socket errors|Non-2xx" "$work/wrk.out" | sed 's/^/   /'
grep -q '^pactum: warning\|error' "$work/serve.err" && sed 's/^/   server: /' "$work/serve.err"

pass() { python3 -c "import sys; sys.exit(0 if $1 else 1)" && echo met || echo MISSED; }
echo
echo "| measure | result | target | |"
echo "| --- | ---: | ---: | --- |"
printf "| POST /v1/decide, single requests (best of %d x %d s, -c%d) | %'.0f decisions/s | >= 50,000 | %s |\n" \
  "$RUNS" "$DURATION" "$CONNS" "$peak" "$(pass "$peak >= 50000")"
printf "| p99 latency at ~80%% of peak (median of %d x %d s, -c%d paced: %'.0f/s, %s of peak) | %s ms | <= 5 ms | %s |\n" \
  "$RUNS" "$DURATION" \
  "$best_c" "$rate80" "$(python3 -c "print('%.0f%%' % (100 * $rate80 / $peak))")" "$p99_80" "$(pass "$p99_80 <= 5")"
printf "| batches of 100 (best of %d x %d s, -c%d) | %'.0f decisions/s | >= 500,000 | %s |\n" \
  "$RUNS" "$DURATION" "${BATCH_CONNS:-8}" "$bpeak" "$(pass "$bpeak >= 500000")"
printf "| server RSS after %d s of load | %.1f MB (peak %.1f MB; %.1f MB before load) | < 30 MB | %s |\n" \
  "$RSS_SECONDS" "$(python3 -c "print($RSS1/1024)")" "$(python3 -c "print($HWM/1024)")" "$(python3 -c "print($RSS0/1024)")" \
  "$(pass "$RSS1 < 30 * 1024")"
