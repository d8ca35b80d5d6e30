# Are the types wrong, for each entry and each resolution (node10, node16 from CJS and ESM,
# bundler)? attw exits non-zero on a problem. The .wasm subpaths are assets (for copy plugins,
# or a host's own module), with no types to check.
set -eo pipefail
attw ../.tarball/ticketwire.tgz --exclude-entrypoints ./ticketwire_bg.wasm ./slim.wasm --no-color | tee attw.txt
grep -q 'No problems found' attw.txt
echo "attw $(attw --version | head -1 | sed "s/^cli: //"): no problems in ticketwire, ticketwire/inline, ticketwire/node and ticketwire/slim (node10, node16 from CJS and ESM, bundler)"
