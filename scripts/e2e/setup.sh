#!/usr/bin/env bash
# One-time (per machine / CI run) setup of the real-VS-Code E2E tools: code-server + Debian chromium.
# Installs into $E2E_DIR (default <repo>/.e2e, git-ignored); every step is skipped when already present.
# Offline-safe: needs only Debian apt + the npm registry. Node 20 (code-server 4.100.x wants exactly 20).
# Usage: bash scripts/e2e/setup.sh            (E2E_DIR=/abs/dir to install elsewhere)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
E2E_DIR="${E2E_DIR:-$ROOT/.e2e}"
CS_VERSION="${CS_VERSION:-4.100.3}"   # last code-server on npm whose engines.node is 20
mkdir -p "$E2E_DIR/tmp"
T0=$(date +%s)

# 1) System packages: the browser, ripgrep, what code-server's native modules need to build,
#    NumPy for the Python gradient check tests (/usr/bin/python3), the reference tools that unit
#    tests run (the exported scikit-learn and R scripts: pandas, scikit-learn, R with glmnet), and
#    GNU Octave (npm run fixtures: the gradcheck interpreter's reference).
if ! command -v chromium >/dev/null || ! command -v rg >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1 || ! dpkg -s python3-numpy >/dev/null 2>&1 \
  || ! command -v Rscript >/dev/null || ! dpkg -s r-cran-glmnet python3-sklearn python3-pandas >/dev/null 2>&1 || ! command -v octave-cli >/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium ripgrep libkrb5-dev python3-numpy \
    python3-sklearn python3-pandas r-base-core r-cran-glmnet octave >/dev/null
fi
T1=$(date +%s); echo "apt: $((T1-T0))s"

# 2) @vscode/ripgrep (inside code-server) downloads rg from GitHub in postinstall; it first looks
#    in $TMPDIR/vscode-ripgrep-cache-<ver>/, so pre-seed that with Debian's rg.
RG_CACHE="$E2E_DIR/tmp/vscode-ripgrep-cache-1.15.11"
if [ ! -f "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" ]; then
  mkdir -p "$RG_CACHE" "$E2E_DIR/tmp/rg"
  cp "$(command -v rg)" "$E2E_DIR/tmp/rg/rg"
  tar czf "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$E2E_DIR/tmp/rg" rg
fi

# 3) code-server + playwright-core, outside the repository's node_modules (never a devDependency:
#    every `npm ci` would pay for it). npm_config_unsafe_perm: code-server's postinstall refuses root
#    without it; npm_config_yes: node-pty's postinstall runs `npx node-gyp`.
if [ ! -x "$E2E_DIR/node_modules/.bin/code-server" ] || [ ! -d "$E2E_DIR/node_modules/playwright-core" ]; then
  cd "$E2E_DIR"
  [ -f package.json ] || echo '{"name":"logit-lab-e2e-tools","private":true}' > package.json
  TMPDIR="$E2E_DIR/tmp" npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-save --no-audit --no-fund "code-server@$CS_VERSION" playwright-core@1
fi
T2=$(date +%s); echo "npm install (code-server + playwright-core): $((T2-T1))s"
XDG_CONFIG_HOME="$E2E_DIR/tmp/xdg" "$E2E_DIR/node_modules/.bin/code-server" --version
