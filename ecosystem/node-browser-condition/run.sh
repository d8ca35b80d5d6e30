node --conditions=browser run.mjs
