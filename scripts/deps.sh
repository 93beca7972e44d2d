#!/usr/bin/env bash
# deps.sh: install the Debian 12 packages pactum builds and tests with, if any is missing.
set -euo pipefail
pkgs=(build-essential cmake pkg-config libjansson-dev libcmocka-dev libsodium-dev libsqlite3-dev sqlite3 libyajl-dev
      libmicrohttpd-dev libgnutls28-dev   # serve's HTTP and TLS
      libssl-dev                          # libcrypto: SHA-256 with the CPU's SHA instructions (src/digest.c)
      openssl curl   # the TLS test makes a certificate and calls the service with curl; tools/verify_proof.py checks Ed25519 with openssl
      python3 python3-yaml valgrind
      clang libclang-rt-14-dev)   # libFuzzer (scripts/fuzz.sh) is in libclang-rt-14-dev
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm run the browser test and the Cedar and casbin peers; a machine that has them
# (from anywhere) keeps its own, one that has not gets Debian's.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "deps: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
