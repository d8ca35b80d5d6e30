// Bun running the package (its "bun"/"node" conditions pick the Node entry).
import * as ticketwire from 'ticketwire';
import { smoke } from '../smoke.mjs';

const passed = await smoke(ticketwire, process.env.SANDBOX_URL);
console.log(`Bun ${Bun.version}, ${import.meta.resolve('ticketwire').replace(/.*\/ticketwire\//, '')}: ${passed.join(', ')}`);
