#!/usr/bin/env bash
# profile.sh: where pactum's time goes on the peers corpus, by callgrind: the C API harness
# (peers_decide) and `pactum decide` on one history's requests. callgrind is ~50x slower than a
# plain run, so the corpus is smaller than run's (N=20000 by default: 2,500 per history).
#
#   bench/peers/profile.sh          # KEEP=1 keeps the callgrind.out files
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
B=${BUILD_DIR:-$root/build-bench}
N=${N:-20000}
H=${H:-4}   # the history whose requests the CLI profile decides (4: rejected, then verified)
cmake -S "$root" -B "$B" -DCMAKE_BUILD_TYPE=Release -DPACTUM_TESTS=OFF >/dev/null
cmake --build "$B" --target pactum peers_decide -j2 >/dev/null
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
node -e "import('$here/lib.mjs').then((L) => L.writeCorpus(process.argv[1], +process.argv[2]))" "$work" "$N"
agreement=$root/agreements/microsoft-openai-2025-10-28.pact

stages='(json_loadb|json_delete|pactum_request_parse_json|pactum_decide|pactum_decision_to_json|eval_expr|timeline_at|getline|fwrite|_dl_start|pactum_agreement_load_file|main) '
report() { # file what
  echo "-- $2: top functions by exclusive instructions"
  callgrind_annotate "$1" 2>/dev/null | awk '/file:function/ { go = 1; getline; next } go && NF' | head -12 || true
  echo "-- $2: inclusive instructions of the stages"
  callgrind_annotate --inclusive=yes --threshold=100 "$1" 2>/dev/null | grep -E ":$stages" || true
}

echo "== callgrind: peers_decide --passes 1 over $N requests"
valgrind --tool=callgrind --callgrind-out-file="$work/cg.capi" \
  "$B/bench/peers/peers_decide" --agreement "$agreement" --dir "$work" --passes 1 > "$work/capi.out" 2> "$work/capi.log"
grep refs "$work/capi.log"
cat "$work/capi.out"
report "$work/cg.capi" "C API harness"
echo "-- calls: pactum_decide and pactum_request_parse_json"
callgrind_annotate --inclusive=yes --tree=caller --threshold=100 "$work/cg.capi" 2>/dev/null |
  grep -E '^ *[0-9,]+ .*\* .*:(pactum_decide|pactum_request_parse_json) ' || true

echo
n=$(wc -l < "$work/requests-$H.jsonl")
echo "== callgrind: pactum decide --events events-$H.jsonl requests-$H.jsonl ($n requests)"
valgrind --tool=callgrind --callgrind-out-file="$work/cg.cli" \
  "$B/pactum" decide --agreement "$agreement" --events "$work/events-$H.jsonl" "$work/requests-$H.jsonl" > /dev/null 2> "$work/cli.log"
grep refs "$work/cli.log"
report "$work/cg.cli" "CLI"
[ -z "${KEEP:-}" ] || echo "kept: $work"
