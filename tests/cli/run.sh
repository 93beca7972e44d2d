#!/usr/bin/env bash
# CLI tests: runs the real `pactum` binary through its commands, formats, exit codes and hostile
# input (see cli_test.py). Usage: tests/cli/run.sh PACTUM. Prints "N passed, M failed" last.
if [ $# -ne 1 ]; then
  echo "usage: $0 PACTUM" >&2
  exit 2
fi
exec python3 "$(dirname "$0")/cli_test.py" "$1"
