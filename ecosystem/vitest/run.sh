# Vitest 5 needs Node >= 22.12: node_modules/.bin (first on PATH) has the pinned Node 22.
set -eo pipefail
vitest run --reporter=verbose 2>&1 | tee vitest.txt
echo "vitest $(vitest --version | sed 's/^vitest\///; s/ .*//'): $(grep -m1 'Tests ' vitest.txt | tr -s ' ' | sed 's/^ //') (node and jsdom: the smoke check)"
