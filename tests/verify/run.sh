#!/usr/bin/env bash
# Golden tests of `pactum verify` and `pactum diff`, in the style of jq's tests.
#
#   tests/verify/run.sh PACTUM DIR [NAME...]
#
# Each DIR/NAME.cmd holds one line: the arguments of a pactum command, as a shell would read
# them. It is run from DIR, and its stdout and stderr, followed by a line "[exit N]", must be
# exactly DIR/NAME.expected. NAME arguments restrict the run to those cases. The last line is
# "N passed, M failed"; the exit status is 1 if any case failed.
set -u
if [ $# -lt 2 ]; then
  echo "usage: $0 PACTUM DIR [NAME...]" >&2
  exit 2
fi
pactum=$1
dir=$2
shift 2
case $pactum in /*) ;; *) pactum=$PWD/$pactum ;; esac
if [ ! -x "$pactum" ]; then
  echo "$0: '$pactum' is not an executable" >&2
  exit 2
fi
cd "$dir" || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
for cmd in *.cmd; do
  name=${cmd%.cmd}
  if [ $# -gt 0 ]; then
    keep=0
    for f in "$@"; do [ "$f" = "$name" ] && keep=1; done
    [ $keep = 1 ] || continue
  fi
  args=$(cat "$cmd")
  eval "timeout 180 \"\$pactum\" $args" >"$tmp/out" 2>&1
  echo "[exit $?]" >>"$tmp/out"
  if cmp -s "$name.expected" "$tmp/out"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $name: pactum $args"
    diff -a -u --label expected --label actual "$name.expected" "$tmp/out" | head -n 60 | sed 's/^/    /'
  fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
