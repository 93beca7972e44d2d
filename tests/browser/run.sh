#!/bin/sh
# The dashboard's browser test: installs what it needs, then runs dashboard.test.js with node's
# test runner against a real `pactum serve`.
#
#   run.sh PACTUM WORKDIR ARTIFACTS
#
# PACTUM is the binary; WORKDIR (in the build tree) receives node_modules, installed with `npm ci`
# from this directory's package-lock.json; ARTIFACTS receives the screenshots.
# Debian's chromium is installed with apt-get when /usr/bin/chromium is missing (with sudo when
# not root). Exits 77 (skipped) when a registry cannot be reached or the machine cannot install.
set -u

if [ $# -ne 3 ]; then
  echo "usage: $0 PACTUM WORKDIR ARTIFACTS" >&2
  exit 2
fi
PACTUM=$1
WORKDIR=$2
ARTIFACTS=$3
HERE=$(cd "$(dirname "$0")" && pwd)
CHROMIUM=/usr/bin/chromium

skip() {
  echo "SKIP: $*" >&2
  exit 77
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    return 1
  fi
}

# apt-get update at most once per run, and only when something must be installed.
APT_UPDATED=0
apt_install() {
  if [ $APT_UPDATED -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || return 1
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

# ---- Node.js and npm ----------------------------------------------------------------------
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "browser: installing nodejs and npm with apt-get" >&2
  apt_install --no-install-recommends nodejs npm || skip "node and npm are missing and apt-get could not install them"
fi
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
if [ "$NODE_MAJOR" -lt 20 ]; then
  skip "playwright-core 1.65 needs Node.js 20 or later; this machine has $(node --version)"
fi

# ---- Debian's chromium --------------------------------------------------------------------
if [ ! -x "$CHROMIUM" ]; then
  echo "browser: installing chromium with apt-get" >&2
  apt_install chromium || skip "$CHROMIUM is missing and apt-get could not install chromium"
  [ -x "$CHROMIUM" ] || skip "apt-get installed chromium but $CHROMIUM is still missing"
fi

# ---- playwright-core from the lockfile, into the build tree ------------------------------
mkdir -p "$WORKDIR" "$ARTIFACTS" || exit 1
STAMP="$WORKDIR/node_modules/.pactum-lock.sha256"
WANT=$(cat "$HERE/package.json" "$HERE/package-lock.json" | sha256sum | cut -d' ' -f1)
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ] ||
   [ ! -f "$WORKDIR/node_modules/playwright-core/package.json" ]; then
  echo "browser: npm ci in $WORKDIR" >&2
  cp "$HERE/package.json" "$HERE/package-lock.json" "$WORKDIR/" || exit 1
  (cd "$WORKDIR" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) ||
    skip "npm ci could not install playwright-core (is the npm registry reachable?)"
  echo "$WANT" > "$STAMP"
fi

# ---- the test -----------------------------------------------------------------------------
PACTUM_BIN=$PACTUM PACTUM_ARTIFACTS=$ARTIFACTS NODE_PATH="$WORKDIR/node_modules" \
  exec node --test --test-reporter=spec --test-timeout=90000 "$HERE/dashboard.test.js"
