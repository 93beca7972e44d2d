#!/usr/bin/env bash
# Golden tests of the .pact language, in the style of jq's tests.
#
#   tests/lang/run.sh PACTUM [NAME...]
#
# good/NAME.pact must pass `pactum check` (exit 0, nothing on stderr) and print exactly
# good/NAME.expected on stdout. bad/NAME.pact must fail `pactum check` with exit 1 and print
# exactly bad/NAME.expected on stderr; stdout must be empty unless bad/NAME.stdout exists, in
# which case it must match that file.
#
# Files are passed as relative paths (`good/NAME.pact`, `bad/NAME.pact`) from this directory, so
# the file names inside the expected output are stable wherever the tree is checked out.
# Quotations are verified against the source documents beside the files (good/doc.txt,
# bad/doc.txt), as `pactum check` does by default.
#
# NAME arguments restrict the run to those cases. The last line is "N passed, M failed"; the
# exit status is 1 if any case failed.
set -u

if [ $# -lt 1 ]; then
  echo "usage: $0 PACTUM [NAME...]" >&2
  exit 2
fi
pactum=$1
shift
case $pactum in /*) ;; *) pactum=$PWD/$pactum ;; esac
if [ ! -x "$pactum" ]; then
  echo "$0: '$pactum' is not an executable" >&2
  exit 2
fi

cd "$(dirname "$0")" || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0
failures=()

selected() { # NAME: is this case selected by the command line?
  local name=$1
  [ ${#filters[@]} -eq 0 ] && return 0
  for f in "${filters[@]}"; do [ "$f" = "$name" ] && return 0; done
  return 1
}
filters=("$@")

fail() { # NAME REASON
  failed=$((failed + 1))
  failures+=("$1")
  echo "FAIL $1: $2"
}

show_diff() { # EXPECTED ACTUAL
  diff -a -u --label expected --label actual "$1" "$2" | head -n 40 | sed 's/^/    /'
}

run_check() { # FILE -> $tmp/out, $tmp/err, $rc
  timeout 20 "$pactum" check "$1" >"$tmp/out" 2>"$tmp/err"
  rc=$?
}

for file in good/*.pact; do
  name=${file%.pact}
  selected "$name" || selected "$(basename "$name")" || continue
  run_check "$file"
  if [ $rc -ne 0 ]; then
    fail "$name" "exit $rc, expected 0$([ $rc -ge 124 ] && echo ' (crash or timeout)')"
    sed 's/^/    /' "$tmp/err" | head -n 20
  elif [ -s "$tmp/err" ]; then
    fail "$name" "unexpected output on stderr"
    sed 's/^/    /' "$tmp/err" | head -n 20
  elif ! cmp -s "$name.expected" "$tmp/out"; then
    fail "$name" "stdout differs from $name.expected"
    show_diff "$name.expected" "$tmp/out"
  else
    passed=$((passed + 1))
  fi
done

for file in bad/*.pact; do
  name=${file%.pact}
  selected "$name" || selected "$(basename "$name")" || continue
  run_check "$file"
  if [ -f "$name.stdout" ]; then cp "$name.stdout" "$tmp/want_out"; else : >"$tmp/want_out"; fi
  if [ $rc -ne 1 ]; then
    fail "$name" "exit $rc, expected 1$([ $rc -ge 124 ] && echo ' (crash or timeout)')"
    show_diff "$name.expected" "$tmp/err"
  elif ! cmp -s "$name.expected" "$tmp/err"; then
    fail "$name" "stderr differs from $name.expected"
    show_diff "$name.expected" "$tmp/err"
  elif ! cmp -s "$tmp/want_out" "$tmp/out"; then
    fail "$name" "unexpected stdout"
    show_diff "$tmp/want_out" "$tmp/out"
  else
    passed=$((passed + 1))
  fi
done

if [ $failed -gt 0 ]; then
  echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
