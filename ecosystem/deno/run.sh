DENO_NO_UPDATE_CHECK=1 deno run --allow-net --allow-env --allow-read run.mjs
