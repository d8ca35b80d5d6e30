// Memory over 10⁶ calls: each call validates and prepares one of the peer harness's Mava
// create-ticket cases (valid and invalid in turn; an invalid prepare throws its TicketwireError).
// Prints the process's rss and the wasm linear memory every 10⁵ calls: both must stay flat.
//   node --expose-gc bench/memory.mjs [calls]
import { createRequire } from 'node:module';
import { invalid, valid } from '../target/bench-peers/cases.mjs';

const require = createRequire(import.meta.url);
const { MavaClient } = require('ticketwire');
// The same module instance as the package's (Node resolves the node_modules link to pkg/).
const { __wasmMemoryBytes } = require('../pkg/node/ticketwire.js');

const calls = Number(process.argv[2] ?? 1_000_000);
const every = calls / 10;
const inputs = [...valid, ...invalid].map((c) => c.input);
const client = new MavaClient({ apiKey: 'bench-api-key' });
const mb = (bytes) => (bytes / 2 ** 20).toFixed(1).padStart(7);

console.log(`memory over ${calls.toLocaleString('en-US')} validate + prepare calls (${inputs.length} cases in turn)`);
console.log('|     calls | rss (MiB) | heap used (MiB) | wasm memory (MiB) |');
console.log('|----------:|----------:|----------------:|------------------:|');
let violations = 0;
for (let i = 0; i <= calls; i++) {
  if (i % every === 0) {
    globalThis.gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    console.log(`| ${String(i).padStart(9)} |   ${mb(rss)} |         ${mb(heapUsed)} |           ${mb(__wasmMemoryBytes())} |`);
  }
  const input = inputs[i % inputs.length];
  violations += client.validateCreateTicket(input).length;
  try {
    client.prepareCreateTicket(input);
  } catch (error) {
    if (error.kind !== 'validation') throw error;
  }
}
if (violations === 0) throw new Error('the invalid cases must have violations');
