# node_modules/.bin comes first on PATH: Node 22, which current wrangler and Miniflare need.
node run.mjs
