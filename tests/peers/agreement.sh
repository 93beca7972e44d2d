#!/bin/sh
# agreement.sh: the CI check of bench/peers on 10,000 requests: pactum, Cedar (cedar-wasm) and
# casbin must agree on every decision, and pactum's determining clauses must equal Cedar's
# diagnostics.reason. Then the check is shown to fail: a Cedar policy set and a casbin policy with
# one window moved by a year must each be caught.
#
#   sh agreement.sh PACTUM NPM_DIR
#
# The npm packages are installed with `npm ci` from bench/peers/package-lock.json into NPM_DIR.
# Exit 0 pass, 1 fail, 77 skipped (no node or npm, or the registry cannot be reached).
set -eu
pactum=$1
npmdir=$2
here=$(cd "$(dirname "$0")" && pwd)
peers=$(cd "$here/../../bench/peers" && pwd)

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "skipped: node or npm is missing"
  exit 77
fi
mkdir -p "$npmdir"
cp "$peers/package.json" "$peers/package-lock.json" "$npmdir/"
if ! (cd "$npmdir" && npm ci --no-audit --no-fund --loglevel=error); then
  echo "skipped: npm ci could not install the packages of bench/peers/package-lock.json"
  exit 77
fi
PEERS_NODE_MODULES=$npmdir/node_modules
export PEERS_NODE_MODULES
out=$npmdir/out.txt

# 1. The real encodings agree on everything.
status=0
node "$peers/compare.mjs" --pactum "$pactum" --n 10000 > "$out" || status=$?
cat "$out"
if [ "$status" -ne 0 ] || ! grep -qx 'disagreements: 0' "$out" ||
   ! grep -q '^  decisions compared 10000, agreeing 10000$' "$out" ||
   ! grep -q 'reasons compared 10000 .*agreeing 10000$' "$out"; then
  echo "FAIL: pactum, Cedar and casbin do not agree on the corpus (status $status)"
  exit 1
fi

# 2. The check can fail: model_product_ip ending in 2031 instead of 2032 (Cedar), research_ip in
# 2029 instead of 2030 (casbin). Each must give disagreements and exit status 1.
node -e '
const fs = require("fs");
const [cedarIn, csvIn, dir] = process.argv.slice(1);
const s = fs.readFileSync(cedarIn, "utf8");
const i = s.indexOf("@id(\"model_product_ip\")"), j = s.indexOf("2032-12-31", i);
if (i < 0 || j < 0) process.exit(1);
fs.writeFileSync(dir + "/moved.cedar", s.slice(0, j) + "2031-12-31" + s.slice(j + 10));
const p = fs.readFileSync(csvIn, "utf8");
if (!p.includes("<= '\''2030-12-31'\''")) process.exit(1);
fs.writeFileSync(dir + "/moved.csv", p.replace("<= '\''2030-12-31'\''", "<= '\''2029-12-31'\''"));
' "$peers/cedar/microsoft-openai-2025-10-28.cedar" "$peers/casbin/policy.csv" "$npmdir"

# caught WHAT VAR FILE PATTERN: compare with VAR=FILE must exit 1 and print PATTERN.
caught() {
  status=0
  env "$2=$3" node "$peers/compare.mjs" --pactum "$pactum" --n 10000 --show 1 > "$out" || status=$?
  if [ "$status" -ne 1 ] || grep -qx 'disagreements: 0' "$out" || ! grep -q "$4" "$out"; then
    cat "$out"
    echo "FAIL: $1 was not caught (status $status)"
    exit 1
  fi
  echo "$1: $(grep '^disagreements' "$out"), caught"
}
caught "a Cedar window moved by a year" PEERS_CEDAR "$npmdir/moved.cedar" 'cedar decides deny'
caught "a casbin window moved by a year" PEERS_CASBIN_POLICY "$npmdir/moved.csv" 'casbin decides deny'
echo "peers: 10000 requests, all agree; both mutations caught"
