// Node (the machine's, 20), ES modules: `import` picks the "node" entry, ready with no init.
import * as ticketwire from 'ticketwire';
import { smoke } from '../smoke.mjs';

if (!import.meta.resolve('ticketwire').endsWith('/node_modules/ticketwire/node.mjs')) throw new Error(`resolved ${import.meta.resolve('ticketwire')}`);
console.log(`${process.version}: ${(await smoke(ticketwire, process.env.SANDBOX_URL)).join(', ')}`);
