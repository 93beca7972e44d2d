#!/usr/bin/env bash
# test.sh: set up, build with warnings as errors, and run every test; run the CLI and store tests
# again with pactum under valgrind (tests/valgrind); then build again with AddressSanitizer and
# UndefinedBehaviorSanitizer and run every test once more.
# PACTUM_LONG=1 also runs the long checks (fuzzing, soaks) where there are any.
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
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"
