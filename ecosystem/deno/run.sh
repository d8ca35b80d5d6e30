# Deno keeps compiled code in its cache keyed by file path and mtime; npm pack gives every file
# the same mtime, so a cache shared across runs would serve an earlier tarball's glue at the same
# path. Each run gets its own (removed first).
export DENO_DIR="$PWD/.deno-cache"
rm -rf "$DENO_DIR"
DENO_NO_UPDATE_CHECK=1 deno run --allow-net --allow-env --allow-read run.mjs
