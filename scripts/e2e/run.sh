#!/usr/bin/env bash
# Logit Lab in a real VS Code (code-server 4.100.3 + headless Debian chromium), offline:
#   1. builds the extension and the extension-host tests,
#   2. starts code-server on 127.0.0.1 (throw-away user-data and extensions dirs) with the repository
#      as a development extension and runs the extension-host suite (mocha inside the extension host),
#   3. packages the VSIX (vsce package --no-dependencies), installs it into a fresh code-server and
#      runs the UI test (test/e2e/ui.test.mjs): Explorer right-click -> train -> read the webview,
#   4. stops each code-server by its PID and prints `N passed, M failed`.
# Tests write only into throw-away copies of test/e2e/workspace. Screenshots: test-results/e2e/.
# Usage: bash scripts/e2e/run.sh        (runs scripts/e2e/setup.sh first if the tools are missing)
# Env: E2E_DIR (default <repo>/.e2e), PORT (default: a free one), SKIP_BUILD=1, KEEP=1 (keep the run dir),
#      ONLY=ext|ui (one half), VERBOSE=1 (workbench console).
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
E2E_DIR="${E2E_DIR:-$ROOT/.e2e}"
export E2E_DIR
if [ ! -x "$E2E_DIR/node_modules/.bin/code-server" ] || [ ! -d "$E2E_DIR/node_modules/playwright-core" ]; then
  bash "$ROOT/scripts/e2e/setup.sh" || { echo "e2e setup failed"; echo "0 passed, 1 failed"; exit 1; }
fi
CODE_SERVER="$E2E_DIR/node_modules/.bin/code-server"
RUN="$(mktemp -d "$E2E_DIR/run.XXXXXX")"
SHOTS="$ROOT/test-results/e2e"
mkdir -p "$SHOTS" "$RUN/xdg"; rm -f "$SHOTS"/*.png
export XDG_CONFIG_HOME="$RUN/xdg" XDG_DATA_HOME="$RUN/xdg" XDG_CACHE_HOME="$RUN/xdg"  # keep code-server out of ~/.config
export NODE_PATH="$E2E_DIR/node_modules${NODE_PATH:+:$NODE_PATH}"
PASSED=0; FAILED=0
CS_PID=""

cleanup() {
  stop_server
  if [ -z "${KEEP:-}" ]; then rm -rf "$RUN"; else echo "run dir kept: $RUN"; fi
}
trap cleanup EXIT

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# A fresh user-data dir (settings: no trust prompt, no welcome page, nothing online) and extensions dir.
new_profile() { # $1 = name
  mkdir -p "$RUN/$1/ud/User" "$RUN/$1/exts"
  cat > "$RUN/$1/ud/User/settings.json" <<'JSON'
{ "security.workspace.trust.enabled": false, "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off", "extensions.autoUpdate": false, "extensions.autoCheckUpdates": false,
  "update.mode": "none", "workbench.tips.enabled": false, "workbench.enableExperiments": false,
  "chat.commandCenter.enabled": false, "workbench.secondarySideBar.defaultVisibility": "hidden",
  "git.openRepositoryInParentFolders": "never", "git.enabled": false,
  "python.defaultInterpreterPath": "/usr/bin/python3" }
JSON
  rm -rf "$RUN/$1/ws"; cp -r "$ROOT/test/e2e/workspace" "$RUN/$1/ws"
  # The public datasets of the panel's UI journeys (wine, digits, the mixed-type PBC table).
  cp "$ROOT"/test/fixtures/datasets/{wine,digits,pbc}.csv "$RUN/$1/ws/"
  # A big file (147 MB, 1,500,000 rows) for the journey's live first run and exact row count.
  if [ "$1" = ui ]; then node "$ROOT/scripts/e2e/make-big-csv.mjs" "$RUN/$1/ws/big.csv"; fi
}

start_server() { # $1 = profile name
  local port="${PORT:-$(free_port)}"
  "$CODE_SERVER" --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry --disable-update-check \
    --disable-workspace-trust --disable-getting-started-override \
    --user-data-dir "$RUN/$1/ud" --extensions-dir "$RUN/$1/exts" > "$RUN/$1/code-server.log" 2>&1 &
  CS_PID=$!
  CS_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 150); do curl -fs "$CS_URL/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fs "$CS_URL/healthz" >/dev/null 2>&1 || { echo "code-server did not start:"; tail -20 "$RUN/$1/code-server.log"; return 1; }
  echo "code-server $CS_URL up (pid $CS_PID)"
}

# Stops code-server by PID, and its child processes (extension host, file watcher) by their PIDs.
descendants() { local c; for c in $(pgrep -P "$1" 2>/dev/null); do echo "$c"; descendants "$c"; done; }
stop_server() {
  [ -n "$CS_PID" ] || return 0
  local kids; kids="$(descendants "$CS_PID")"
  kill "$CS_PID" 2>/dev/null; wait "$CS_PID" 2>/dev/null
  [ -z "$kids" ] || kill $kids 2>/dev/null
  CS_PID=""
}

count() { # adds the `N passed, M failed` line of a step's log to the totals
  local line; line="$(grep -Eo '[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)"
  if [ -z "$line" ]; then FAILED=$((FAILED + 1)); return; fi
  PASSED=$((PASSED + $(echo "$line" | cut -d' ' -f1))); FAILED=$((FAILED + $(echo "$line" | cut -d' ' -f3)))
}

cd "$ROOT"
if [ -z "${SKIP_BUILD:-}" ]; then
  node scripts/build.mjs || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
fi
node scripts/e2e/build-tests.mjs || { echo "test build failed"; echo "0 passed, 1 failed"; exit 1; }

# 1) Extension-host suite: the repository as a development extension.
if [ "${ONLY:-ext}" = ext ] || [ -z "${ONLY:-}" ]; then
  new_profile ext
  # A stand-in for the Python extension's API (ms-python.python), installed like a user's extension.
  (cd "$ROOT/test/e2e/python-extension-stub" && npx --no-install vsce package --allow-missing-repository --skip-license -o "$RUN/python-stub.vsix" > "$RUN/stub.log" 2>&1) \
    && "$CODE_SERVER" --user-data-dir "$RUN/ext/ud" --extensions-dir "$RUN/ext/exts" --install-extension "$RUN/python-stub.vsix" >> "$RUN/stub.log" 2>&1 \
    || { echo "the Python extension stub did not install:"; tail -20 "$RUN/stub.log"; }
  if start_server ext; then
    CS_URL="$CS_URL" EXT_DEV="$ROOT" EXT_TESTS="$ROOT/out/test/integration/suite/index.js" WS="$RUN/ext/ws" OUT="$SHOTS" \
      node scripts/e2e/run-ext-tests.mjs 2>&1 | tee "$RUN/ext.log"
    count "$RUN/ext.log"
  else FAILED=$((FAILED + 1)); fi
  stop_server
fi

# 2) UI test against the packaged VSIX (what users install).
if [ "${ONLY:-ui}" = ui ] || [ -z "${ONLY:-}" ]; then
  new_profile ui
  VSIX="$RUN/logit-lab.vsix"
  # README images are relative; without a GitHub/GitLab repository vsce needs base URLs (only rewrites links in the VSIX's README).
  VSCE_FLAGS="${VSCE_FLAGS:---baseContentUrl https://example.invalid/logit-lab/blob/HEAD --baseImagesUrl https://example.invalid/logit-lab/raw/HEAD}"
  if npx --no-install vsce package --no-dependencies --skip-license $VSCE_FLAGS -o "$VSIX" > "$RUN/vsce.log" 2>&1 \
     && "$CODE_SERVER" --user-data-dir "$RUN/ui/ud" --extensions-dir "$RUN/ui/exts" --install-extension "$VSIX" >> "$RUN/vsce.log" 2>&1; then
    echo "packaged and installed $(du -h "$VSIX" | cut -f1) VSIX: $(unzip -l "$VSIX" | tail -1 | awk '{print $2}') files"
    if start_server ui; then
      CS_URL="$CS_URL" WS="$RUN/ui/ws" OUT="$SHOTS" node test/e2e/ui.test.mjs 2>&1 | tee "$RUN/ui.log"
      count "$RUN/ui.log"
    else FAILED=$((FAILED + 1)); fi
    stop_server
  else
    echo "vsce package / install failed:"; tail -30 "$RUN/vsce.log"; FAILED=$((FAILED + 1))
  fi
fi

echo "screenshots: $SHOTS"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
