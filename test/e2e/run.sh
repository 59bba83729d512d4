#!/usr/bin/env bash
# End-to-end tests of the DriftCatcher extension in a real VS Code (code-server 4.100.3 = VS Code 1.100.3),
# driven by playwright-core with Debian's chromium. Offline: npm registry + apt only.
#   1. extension-host suite (mocha, real vscode API)   out/test/e2e/suite/index.js
#   2. browser UI checks (explorer menu, dashboard webview, digital twin, XSS header)   test/e2e/ui-test.mjs
# Tools are cached in test/e2e/.work/tools (own package.json, so `npm ci` of the project never rebuilds
# code-server's native modules). Known pitfalls of running code-server offline are fixed and marked "pitfall".
# env: PORT (default: 8790 + pid % 100), SKIP_BUILD=1, KEEP_RUNNING=1 (leave code-server up for debugging),
#      CHROMIUM_PATH (default: chromium on PATH), EXT_TEST_TIMEOUT_MS (extension-host suite budget)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$HERE/.work
CS_VERSION=4.100.3
PORT=${PORT:-$((8790 + $$ % 100))}
OUT=$WORK/out
WS=$WORK/ws
# pitfall: keep all state out of $HOME
export XDG_CONFIG_HOME=$WORK/xdg/config XDG_DATA_HOME=$WORK/xdg/data XDG_CACHE_HOME=$WORK/xdg/cache TMPDIR=$WORK/tmp
export DRIFTCATCHER_E2E_OUT=$OUT
rm -rf "$OUT" && mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$TMPDIR" "$OUT"
t() { echo "[e2e $(date +%T)] $*"; }
T0=$(date +%s)

# system packages: installed by .ci/run (as root), never here; a missing one stops the run with the install command
missing=()
command -v chromium >/dev/null || missing+=(chromium)           # the browser playwright-core drives
command -v curl >/dev/null || missing+=(curl)                   # code-server health check
command -v krb5-config >/dev/null || missing+=(libkrb5-dev)     # code-server's kerberos module
{ command -v make && command -v g++; } >/dev/null || missing+=(build-essential)   # native modules compile from source
command -v python3 >/dev/null || missing+=(python3)             # node-gyp
command -v rg >/dev/null || missing+=(ripgrep)                  # replaces @vscode/ripgrep's GitHub download
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e: missing system packages: ${missing[*]}. Install them as root: apt-get install -y ${missing[*]} (or: sudo bash .ci/run --install-only)" >&2
  exit 1
fi
export CHROMIUM_PATH=${CHROMIUM_PATH:-$(command -v chromium)}

mkdir -p "$WORK/tools"
CS=$WORK/tools/node_modules/.bin/code-server
if [ -x "$CS" ] && [ "$(node -p "require('$WORK/tools/node_modules/code-server/package.json').version" 2>/dev/null)" = "$CS_VERSION" ] \
   && [ -d "$WORK/tools/node_modules/playwright-core" ] && [ -x "$WORK/tools/node_modules/.bin/vsce" ]; then
  t "tools cached in $WORK/tools"
else
  t "npm: code-server@$CS_VERSION + playwright-core + @vscode/vsce into $WORK/tools (first time: a few minutes)"
  # pitfall: @vscode/ripgrep's postinstall downloads from GitHub; it first looks in $TMPDIR/vscode-ripgrep-cache-<ver>/
  for v in 1.15.11 1.15.14 1.17.0 1.17.1; do
    mkdir -p "$TMPDIR/vscode-ripgrep-cache-$v"
    tar czf "$TMPDIR/vscode-ripgrep-cache-$v/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
  done
  cd "$WORK/tools"
  [ -f package.json ] || echo '{"name":"driftcatcher-e2e-tools","private":true}' > package.json
  # pitfall: unsafe_perm (postinstall refuses root), yes (node-pty's postinstall runs `npx node-gyp`)
  npm_config_unsafe_perm=true npm_config_yes=true npm i --no-audit --no-fund --foreground-scripts \
    "code-server@$CS_VERSION" playwright-core@1 @vscode/vsce@3 > "$WORK/install.log" 2>&1 || { tail -40 "$WORK/install.log"; exit 1; }
  cd "$ROOT"
fi

cd "$ROOT"
if [ "${SKIP_BUILD:-}" != 1 ]; then
  t "build: esbuild bundles + tsc (the extension-host suite runs from out/test/e2e/suite)"
  node esbuild.js
  npx tsc -p . > "$WORK/tsc.log" 2>&1 || t "tsc reported errors (it still emits; see $WORK/tsc.log)"
fi
for f in dist/extension.js dist/server.js dist/webview.js out/test/e2e/suite/index.js; do
  [ -f "$f" ] || { echo "missing $f (build failed?)"; exit 1; }
done

t "fixture workspace"
node "$HERE/fixture/makeWorkspace.mjs" "$WS" >/dev/null

t "package + install the extension (.vsix)"
# packaged from a staging copy of what .vscodeignore lets through: vsce would otherwise walk node_modules and
# test/e2e/.work (hundreds of MB) before applying the ignore file
STAGE=$WORK/stage && rm -rf "$STAGE" && mkdir -p "$STAGE/dist"
cp package.json LICENSE .vscodeignore "$STAGE/" && cp -r media "$STAGE/"
node "$HERE/manifest/extensionReadme.js" "$STAGE/README.md" >/dev/null   # the extension part of README.md (no SVGs)
cp dist/extension.js dist/languageClient.js dist/server.js dist/webview.js "$STAGE/dist/"
for f in dist/jobWorker.js dist/forestWorker.js dist/csvWorker.js dist/cli.js dist/cliMain.js dist/*.css; do [ -f "$f" ] && cp "$f" "$STAGE/dist/"; done
# DuckDB's runtime packages for this machine beside the bundles, as scripts/package.js ships them (Parquet files)
DUCKDB_PLATFORM=$(node -p "process.platform + '-' + process.arch")
for pkg in node-api node-bindings "node-bindings-$DUCKDB_PLATFORM"; do
  [ -d "node_modules/@duckdb/$pkg" ] || { echo "e2e: node_modules/@duckdb/$pkg is missing: npm ci"; exit 1; }
  mkdir -p "$STAGE/dist/node_modules/@duckdb" && cp -rL "node_modules/@duckdb/$pkg" "$STAGE/dist/node_modules/@duckdb/$pkg"
done
(cd "$STAGE" && "$WORK/tools/node_modules/.bin/vsce" package --no-dependencies --allow-missing-repository --skip-license --readme-path README.md --baseContentUrl https://example.invalid/driftcatcher/blob/main --baseImagesUrl https://example.invalid/driftcatcher/raw/main -o "$WORK/driftcatcher.vsix") > "$WORK/vsce.log" 2>&1 || { cat "$WORK/vsce.log"; exit 1; }
rm -rf "$WORK/cs" && mkdir -p "$WORK/cs/ud/User"
cat > "$WORK/cs/ud/User/settings.json" <<'JSON'
{ "workbench.startupEditor": "none", "telemetry.telemetryLevel": "off", "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false, "update.mode": "none", "workbench.enableExperiments": false,
  "security.workspace.trust.enabled": false, "workbench.tips.enabled": false, "workbench.colorTheme": "Default Dark Modern",
  "window.commandCenter": false, "chat.commandCenter.enabled": false, "git.openRepositoryInParentFolders": "never" }
JSON
CSARGS=(--config "$WORK/cs/config.yaml" --user-data-dir "$WORK/cs/ud" --extensions-dir "$WORK/cs/exts")
"$CS" "${CSARGS[@]}" --install-extension "$WORK/driftcatcher.vsix" > "$WORK/cs-install.log" 2>&1 || { cat "$WORK/cs-install.log"; exit 1; }

t "start code-server on 127.0.0.1:$PORT"
# pitfall: setsid => own process group; kill the whole group (code-server leaves children otherwise)
# the engine's temp copies (digital twin) must not land inside this git repository (test/e2e/.work is ignored
# here, and git would find this repo around them), so code-server and its children get a TMPDIR outside it
CS_TMP=$(mktemp -d /tmp/driftcatcher-e2e.XXXXXX)
TMPDIR=$CS_TMP setsid "$CS" "${CSARGS[@]}" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override --ignore-last-opened "$WS" > "$WORK/cs/cs.log" 2>&1 &
CS_PID=$!
[ "${KEEP_RUNNING:-}" = 1 ] || trap 'kill -- -$CS_PID 2>/dev/null || true; rm -rf "$CS_TMP"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done
T1=$(date +%s)

# harness .mjs files run from a folder of this checkout whose node_modules is the tools' (ESM resolves playwright-core
# there); never from the tools folder itself, which checkouts on one machine may share (one run would replace
# another's harness mid-run)
HARNESS=$WORK/harness && rm -rf "$HARNESS" && mkdir -p "$HARNESS" && ln -s "$WORK/tools/node_modules" "$HARNESS/node_modules"
cp "$HERE/ext-host-test.mjs" "$HERE/ui-test.mjs" "$HARNESS/"
ext_rc=0; ui_rc=0
t "1/2 extension-host suite"
node "$HARNESS/ext-host-test.mjs" "http://127.0.0.1:$PORT" "$WS" "$ROOT" "$ROOT/out/test/e2e/suite/index" 2>&1 | tee "$OUT/ext-host.log" || ext_rc=1
t "2/2 browser UI checks"
node "$HARNESS/ui-test.mjs" "http://127.0.0.1:$PORT" "$WS" "$OUT" 2>&1 | tee "$OUT/ui.log" || ui_rc=1
T2=$(date +%s)

echo
echo "================ DriftCatcher e2e summary (code-server $CS_VERSION) ================"
node -e '
const fs = require("fs"); const out = process.argv[1];
try { const r = JSON.parse(fs.readFileSync(out + "/ext-host-results.json", "utf8"));
  console.log(`extension host: ${r.passes.length} passed, ${r.failures.length} failed`);
  for (const f of r.failures) console.log(`  FAIL ${f.title}: ${f.error}`);
  const a = r.activation;
  if (a) console.log(`activation cost: ${a.totalMs.toFixed(1)} ms = load ${a.loadMs.toFixed(1)} + activate() ${a.activateMs.toFixed(1)} (target < 50 ms)${a.wallMs ? `; ext.activate() wall time ${a.wallMs.toFixed(1)} ms` : ""}`);
  if (r.responsiveness) console.log(`during a retrain: extension-host max event-loop lag ${r.responsiveness.maxEventLoopLagMs.toFixed(1)} ms, server ping answered ${r.responsiveness.pingBeforeTrainEndMs.toFixed(0)} ms before the retrain ended`);
} catch { console.log("extension host: no results file (suite did not run)"); }
' "$OUT"
grep -E "^\[[0-9.]+s\] (PASS|FAIL)" "$OUT/ui.log" | sed 's/^/UI /' || true
echo "screenshots: $OUT"
echo "time: tests $((T2-T1)) s, total $((T2-T0)) s"
if [ $ext_rc = 0 ] && [ $ui_rc = 0 ]; then echo "E2E RESULT: PASS"; else echo "E2E RESULT: FAIL (ext-host rc=$ext_rc, ui rc=$ui_rc)"; exit 1; fi
