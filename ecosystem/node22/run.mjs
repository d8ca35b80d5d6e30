// Node 22 from npm's "node" package: `import` and `require` give the same ready module.
import { createRequire } from 'node:module';
import * as ticketwire from 'ticketwire';
import { smoke } from '../smoke.mjs';

const require = createRequire(import.meta.url);
if (!process.version.startsWith('v22.')) throw new Error(`running ${process.version}, not Node 22`);
if (require('ticketwire').MavaClient !== ticketwire.MavaClient) throw new Error('require and import gave two module instances');
console.log(`${process.version}: ${(await smoke(ticketwire, process.env.SANDBOX_URL)).join(', ')}`);
