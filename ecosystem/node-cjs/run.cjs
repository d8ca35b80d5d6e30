// Node (the machine's, 20), CommonJS: `require` picks node.cjs, ready with no init.
const ticketwire = require('ticketwire');

if (!require.resolve('ticketwire').endsWith('/node_modules/ticketwire/node.cjs')) throw new Error(`resolved ${require.resolve('ticketwire')}`);
import('../smoke.mjs')
  .then(({ smoke }) => smoke(ticketwire, process.env.SANDBOX_URL))
  .then((passed) => console.log(`${process.version}, require: ${passed.join(', ')}`))
  .catch((error) => { console.error(error); process.exitCode = 1; });
