# The widget's element types in React 19's TSX; then the widget from the tarball on a plain HTML
# page under a sub-path, with a strict CSP and Trusted Types, in Chromium and Firefox ESR (run.mjs).
set -eo pipefail
tsc -p types
echo "tsc $(tsc --version | sed 's/^Version //'), @types/react $(node -p 'require("@types/react/package.json").version'): <ticketwire-widget> in TSX (ref, relay required, provider checked), no skipLibCheck"
node run.mjs
