#!/usr/bin/env bash
# serve.sh: set up, build, and run pactum's main job on its embedded defaults: `pactum serve`, the
# decision service and dashboard for the shipped Microsoft-OpenAI agreement, with the embedded
# SQLite store ./pactum.db. Open http://127.0.0.1:8181/ ; stop with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
exec build/pactum serve "$@"
