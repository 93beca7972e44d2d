#!/usr/bin/env bash
# demo.sh: set up, build, and run pactum's main job on its embedded defaults: explain a sample of
# requests against the shipped Microsoft-OpenAI agreement of 2025-10-28.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
exec build/pactum demo
