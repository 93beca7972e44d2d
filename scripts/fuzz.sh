#!/usr/bin/env bash
# fuzz.sh [SECONDS] [TARGET...]: build the libFuzzer harnesses (clang, ASan+UBSan, in build-fuzz)
# and fuzz each target for SECONDS (600 by default), two at a time. Each run starts from the
# seed corpus and regressions in tests/fuzz/ and grows its own copy in build-fuzz/corpus/TARGET
# (kept between runs); crashes land in build-fuzz/artifacts/TARGET/, logs in build-fuzz/logs/.
# Prints each target's last libFuzzer status line (cov, ft, exec/s). Exits 1 if any target
# crashed, leaked, timed out or broke an invariant.
# Environment: FUZZ_JOBS (2) runs that many targets at once; FUZZ_BUILD (build-fuzz) the build dir.
#
# fuzz.sh --coverage [TARGET...]: instead, build the harnesses as plain replay programs with
# clang's source coverage (build-cov), replay each target's seeds, regressions and the corpus
# fuzzing grew (build-fuzz/corpus/TARGET), and print the share of src/ lines and branches reached.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = --coverage ]; then
  shift
  targets=("$@")
  [ ${#targets[@]} -gt 0 ] || targets=(pact request event http sign diff merkle record)
  cdir=build-cov
  cmake -S . -B "$cdir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_C_FLAGS="-fprofile-instr-generate -fcoverage-mapping" \
        -DCMAKE_EXE_LINKER_FLAGS="-fprofile-instr-generate" >/dev/null
  cmake --build "$cdir" -j2 --target $(printf 'fuzz_%s_replay ' "${targets[@]}") >/dev/null
  printf '%-8s %s\n' target "src/ lines and branches reached (llvm-cov, over the corpus)"
  for t in "${targets[@]}"; do
    exe="$cdir/tests/fuzz/fuzz_${t}_replay"
    inputs=(tests/fuzz/corpus/"$t")
    [ -d tests/fuzz/regressions/"$t" ] && inputs+=(tests/fuzz/regressions/"$t")
    [ -d build-fuzz/corpus/"$t" ] && inputs+=(build-fuzz/corpus/"$t")
    rm -f "$cdir/$t.profraw"
    LLVM_PROFILE_FILE="$cdir/$t.profraw" "$exe" "${inputs[@]}" >/dev/null
    llvm-profdata merge -sparse "$cdir/$t.profraw" -o "$cdir/$t.profdata"
    total=$(llvm-cov report "$exe" -instr-profile="$cdir/$t.profdata" "$PWD/src" | grep '^TOTAL')
    # TOTAL regions missed cover% functions missed executed% lines missed cover% branches missed cover%
    read -r _ _ _ _ _ _ _ lines lmiss lcov branches bmiss bcov <<<"$total"
    printf '%-8s all src/ linked: lines %s (%s of %s), branches %s (%s of %s)\n' "$t" "$lcov" "$((lines - lmiss))" \
      "$lines" "$bcov" "$((branches - bmiss))" "$branches"
    # The modules the target is about (loading the built-in agreements reaches the front end in every target).
    case $t in
      pact) own="lex.c parse.c check.c compile.c diag.c" ;;
      request | diff) own="request.c eval.c explain.c" ;;
      event) own="events.c ledger.c" ;;
      http) own="http.c" ;;
      sign) own="sign.c canon.c" ;;
      merkle) own="merkle.c" ;;
      record) own="record.c tlog.c proposal.c nonces.c store.c" ;;
    esac
    for f in $own; do
      row=$(llvm-cov report "$exe" -instr-profile="$cdir/$t.profdata" "$PWD/src/$f" | grep "src/$f" || true)
      [ -n "$row" ] || continue
      read -r _ _ _ _ _ _ _ lines lmiss lcov branches bmiss bcov <<<"$row"
      printf '%-8s   %-11s lines %s, branches %s\n' "" "$f" "$lcov" "$bcov"
    done
  done
  exit 0
fi

secs=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(pact request event http sign diff merkle record)
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
  local rc=0
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$bdir/tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$art/" "${extra[@]}" "$corpus" "${seeds[@]}" >"$log" 2>&1 || rc=$?
  echo "$rc" >"$bdir/logs/$t.rc"
}

# At most $jobs targets at once; a slot is refilled as soon as any run ends.
for t in "${targets[@]}"; do
  rm -f "$bdir/logs/$t.rc"
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_one "$t" &
done
wait
status=0
for t in "${targets[@]}"; do
  rc=$(cat "$bdir/logs/$t.rc" 2>/dev/null || echo 3)
  last=$(grep -aE '^#[0-9]+' "$bdir/logs/$t.log" | tail -1 || true)
  printf '%-8s %s\n' "$t" "$last"
  if [ "$rc" != 0 ]; then
    echo "fuzz: $t FAILED (exit $rc; see $bdir/logs/$t.log and $bdir/artifacts/$t/)"
    status=1
  fi
done
exit $status
