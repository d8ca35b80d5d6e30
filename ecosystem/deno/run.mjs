// Deno 2 with this package.json and its node_modules, as `deno run` finds them.
import * as ticketwire from 'ticketwire';
import { smoke } from '../smoke.mjs';

const passed = await smoke(ticketwire, Deno.env.get('SANDBOX_URL'));
console.log(`Deno ${Deno.version.deno}, ${import.meta.resolve('ticketwire').replace(/.*\/ticketwire\//, '')}: ${passed.join(', ')}`);
