bun run.mjs
