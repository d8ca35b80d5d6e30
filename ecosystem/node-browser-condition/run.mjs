// Node with --conditions=browser (SSR, some test set-ups): the browser entries load their wasm
// from a file: URL, which Node's fetch cannot read; `require` gets the CommonJS twin.
import { createRequire } from 'node:module';
import { smoke } from '../smoke.mjs';

const require = createRequire(import.meta.url);
const entries = {
  ticketwire: [import.meta.resolve('ticketwire'), '/browser.mjs'],
  'ticketwire/inline': [import.meta.resolve('ticketwire/inline'), '/inline.mjs'],
  'require(ticketwire)': [require.resolve('ticketwire'), '/browser.cjs'],
};
for (const [name, [resolved, expected]] of Object.entries(entries)) {
  if (!resolved.endsWith(`/node_modules/ticketwire${expected}`)) throw new Error(`${name} resolved to ${resolved}`);
}
for (const name of ['ticketwire', 'ticketwire/inline']) await smoke(await import(name), process.env.SANDBOX_URL);
const passed = await smoke(require('ticketwire'), process.env.SANDBOX_URL);
console.log(`${process.version} --conditions=browser: browser.mjs, inline.mjs, browser.cjs: ${passed.join(', ')}`);
