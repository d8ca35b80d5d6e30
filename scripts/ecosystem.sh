#!/usr/bin/env bash
# The ecosystem matrix: packs pkg/ as npm would publish it, then runs each consumer project of
# ecosystem/ (one per host, bundler, test runner and type checker) from that tarball against a
# sandbox, and prints one line per row: passed or failed, with the first error line.
#   bash scripts/ecosystem.sh                 every row (builds the package first)
#   bash scripts/ecosystem.sh node-esm deno   only these rows
#   ECOSYSTEM_ROWS="..." / TICKETWIRE_PKG_BUILT=1 (pkg/ is fresh: skip the build), as test.sh sets
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH" WRANGLER_SEND_METRICS=false NO_COLOR=1
ALL_ROWS=(node-esm node-cjs node22 node18 node-browser-condition deno bun workerd
  esbuild-node-server bun-compile nextjs-turbopack nextjs-webpack
  vite7 vite8 webpack esbuild rollup bun-build jest vitest tsc attw react-hook-form
  express fastify hono-node worker-types wrangler-current widget-csp)
if [ $# -gt 0 ]; then rows=("$@"); else read -r -a rows <<< "${ECOSYSTEM_ROWS:-${ALL_ROWS[*]}}"; fi

if [ "${TICKETWIRE_PKG_BUILT:-}" != 1 ]; then bash scripts/build-package.sh > /dev/null; fi
# Each project depends on "file:../.tarball/ticketwire.tgz": a fresh pack there is what `npm ci` installs.
mkdir -p ecosystem/.tarball ecosystem/.results
packed=$(cd pkg && npm pack --pack-destination "$ROOT/ecosystem/.tarball" --loglevel=error | tail -1)
mv "ecosystem/.tarball/$packed" ecosystem/.tarball/ticketwire.tgz

if [ -z "${SANDBOX_URL:-}" ]; then
  source scripts/sandbox.sh
  start_sandbox
fi
export SANDBOX_URL

# npm keys its cache by a lockfile's integrity: a lock that pinned an older tarball's hash would
# install that old copy. So a row's lock names the tarball without one (kept so after `npm install`).
unpin_tarball() {
  node -e 'const fs = require("fs"); const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
    for (const [path, entry] of Object.entries(lock.packages)) if (path.endsWith("node_modules/ticketwire")) delete entry.integrity;
    fs.writeFileSync("package-lock.json", `${JSON.stringify(lock, null, 2)}\n`);'
}

results=()
failed=0
started=$SECONDS
for row in "${rows[@]}"; do
  log="$ROOT/ecosystem/.results/$row.log"
  row_started=$SECONDS
  printf '%-24s ' "$row"
  if (cd "ecosystem/$row" && unpin_tarball && npm ci --no-audit --no-fund --loglevel=error && PATH="$PWD/node_modules/.bin:$PATH" timeout 600 bash run.sh) > "$log" 2>&1; then
    status=passed
    detail=$(grep -v '^\s*$' "$log" | tail -1)
  else
    status=FAILED
    failed=$((failed + 1))
    detail=$(grep -m1 -E '(^|\s)[A-Za-z]*(Error|error)( TS[0-9]+)?:|FAIL|failed|not ok' "$log" || tail -1 "$log")
  fi
  line=$(printf '%-24s %-7s %4s s  %s' "$row" "$status" $((SECONDS - row_started)) "${detail:0:200}")
  echo "${line:25}"
  results+=("$line")
done

printf '\necosystem matrix (%s s in all; logs in ecosystem/.results/):\n' $((SECONDS - started))
printf '%-24s %-7s %6s  %s\n' row result time 'detail (the last line, or the first error line)'
printf '%s\n' "${results[@]}"
printf '%s passed, %s failed\n' $((${#rows[@]} - failed)) "$failed"
[ "$failed" -eq 0 ]
