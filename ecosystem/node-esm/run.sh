node run.mjs
