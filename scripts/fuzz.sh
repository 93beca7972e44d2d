#!/usr/bin/env bash
# fuzz.sh [SECONDS] [TARGET...]: build the libFuzzer harnesses (clang, ASan+UBSan, in build-fuzz)
# and fuzz each target for SECONDS (600 by default), two at a time. Each run starts from the
# seed corpus and regressions in tests/fuzz/ and grows its own copy in build-fuzz/corpus/TARGET
# (kept between runs); crashes land in build-fuzz/artifacts/TARGET/, logs in build-fuzz/logs/.
# Prints each target's last libFuzzer status line (cov, ft, exec/s). Exits 1 if any target
# crashed, leaked, timed out or broke an invariant.
# Environment: FUZZ_JOBS (2) runs that many targets at once; FUZZ_BUILD (build-fuzz) the build dir.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(pact request event http sign diff)
jobs=${FUZZ_JOBS:-2}
bdir=${FUZZ_BUILD:-build-fuzz}

cmake -S . -B "$bdir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPACTUM_WERROR=ON \
      -DPACTUM_FUZZ=ON -DPACTUM_TESTS=OFF >/dev/null
cmake --build "$bdir" -j2 >/dev/null

run_one() {
  local t=$1
  local corpus="$bdir/corpus/$t" art="$bdir/artifacts/$t" log="$bdir/logs/$t.log"
  mkdir -p "$corpus" "$art" "$(dirname "$log")"
  local extra=()
  [ "$t" = pact ] && extra+=(-dict=tests/fuzz/pact.dict)
  local seeds=(tests/fuzz/corpus/"$t")
  [ -d tests/fuzz/regressions/"$t" ] && seeds+=(tests/fuzz/regressions/"$t")
  # The first directory is the one libFuzzer adds new inputs to.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$bdir/tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$art/" "${extra[@]}" "$corpus" "${seeds[@]}" >"$log" 2>&1
}

status=0
pids=()
names=()
for t in "${targets[@]}"; do
  run_one "$t" &
  pids+=($!)
  names+=("$t")
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || { echo "fuzz: ${names[0]} FAILED (see $bdir/logs/${names[0]}.log)"; status=1; }
    pids=("${pids[@]:1}")
    names=("${names[@]:1}")
  fi
done
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || { echo "fuzz: ${names[$i]} FAILED (see $bdir/logs/${names[$i]}.log)"; status=1; }
done
for t in "${targets[@]}"; do
  last=$(grep -E '^#[0-9]+' "$bdir/logs/$t.log" | tail -1 || true)
  printf '%-8s %s\n' "$t" "$last"
done
exit $status
