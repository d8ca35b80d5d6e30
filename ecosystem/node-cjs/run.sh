node run.cjs
