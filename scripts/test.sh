#!/usr/bin/env bash
# test.sh: set up, build with warnings as errors, and run every test; run the CLI and store tests
# again with pactum under valgrind (tests/valgrind); then build again with AddressSanitizer and
# UndefinedBehaviorSanitizer and run every test once more; then fuzz every libFuzzer harness for
# 60 s (clang, build-fuzz).
# PACTUM_LONG=1 also runs the long checks (fuzzing 600 s a harness, soaks) where there are any.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
jobs=$(nproc)

echo "== build (warnings are errors)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPACTUM_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
echo "== tests"
ctest --test-dir build --output-on-failure -j"$jobs" -LE valgrind
echo "== cli and store tests under valgrind"
start=$(date +%s)
ctest --test-dir build --output-on-failure -j"$jobs" -L valgrind
echo "valgrind pass: $(( $(date +%s) - start )) s"

echo "== build with ASan and UBSan"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPACTUM_WERROR=ON -DPACTUM_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
echo "== tests under ASan and UBSan"
PACTUM_TIME_SCALE=3 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

# Fuzzing: every libFuzzer harness of tests/fuzz, built by clang with ASan and UBSan in build-fuzz,
# runs 60 s (600 s with PACTUM_LONG=1), two at a time; a crash, leak, hang or broken invariant
# fails the run. The findings and the inputs that caused them are in build-fuzz/artifacts/.
echo "== fuzzing under ASan and UBSan"
fuzz_secs=60
[ "${PACTUM_LONG:-0}" = 1 ] && fuzz_secs=600
FUZZ_JOBS=2 FUZZ_BUILD=build-fuzz scripts/fuzz.sh "$fuzz_secs"
