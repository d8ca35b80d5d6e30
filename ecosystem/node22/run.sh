# node_modules/.bin comes first on PATH: this is the pinned Node, not the machine's.
node run.mjs
