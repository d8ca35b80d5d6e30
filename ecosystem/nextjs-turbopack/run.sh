node ../nextjs/run.mjs turbopack
