// Jest 30 with jsdom, as a widget's unit tests run. jsdom has no fetch or Response;
// jest-fixed-jsdom (package.json's one line) is jsdom with Node's, and it resolves packages as
// Node does (node.cjs). plain-jsdom.test.js covers jsdom's own window.
const ticketwire = require('ticketwire');
const { smoke } = require('./smoke.cjs');

// Node's fetch yields Node's Uint8Array while jsdom's window is another realm: the package
// reads body chunks of any realm (src/wasm/transport.rs), so calls work here too.
test('jest-fixed-jsdom: the smoke check', async () => {
  expect(typeof document.createElement).toBe('function'); // a DOM, really
  expect(require.resolve('ticketwire')).toMatch(/\/node_modules\/ticketwire\/node\.cjs$/);
  expect(await smoke(ticketwire, process.env.SANDBOX_URL)).toEqual(['exports', 'validate', 'prepare', 'injected fetch', 'sandbox call', 'TicketwireError']);
});
