node ../nextjs/run.mjs webpack
