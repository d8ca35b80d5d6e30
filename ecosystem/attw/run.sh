# Are the types wrong, for each entry and each resolution (node10, node16 from CJS and ESM,
# bundler)? attw exits non-zero on a problem. The .wasm subpaths are assets (for copy plugins,
# or a host's own module), with no types to check. `ticketwire/widget` (a browser's custom
# element) and `ticketwire/lite` (a page's build) are ESM only: checked on their own with attw's
# esm-only profile (node10, node16 from ESM, bundler; from CommonJS each is a dynamic import).
set -eo pipefail
attw ../.tarball/ticketwire.tgz --exclude-entrypoints ./ticketwire_bg.wasm ./slim.wasm ./widget ./lite --no-color | tee attw.txt
grep -q 'No problems found' attw.txt
attw ../.tarball/ticketwire.tgz --entrypoints ./widget ./lite --profile esm-only --no-color --format table-flipped | tee attw.txt
# Its row (columns: node16 from ESM, bundler, node10, node16 from CJS): typed wherever it loads.
grep '"ticketwire/widget"' attw.txt | grep -q '│ 🟢 (ESM) *│ 🟢 *│ (ignored) 🟢 *│ (ignored) ⚠️ ESM (dynamic import only) *│$'
grep '"ticketwire/lite"' attw.txt | grep -q '│ 🟢 (ESM) *│ 🟢 *│ (ignored) 🟢 *│ (ignored) ⚠️ ESM (dynamic import only) *│$'
echo "attw $(attw --version | head -1 | sed "s/^cli: //"): no problems in ticketwire, /inline, /node, /slim (node10, node16 CJS and ESM, bundler), /widget and /lite (ESM only: node10, node16 ESM, bundler)"
