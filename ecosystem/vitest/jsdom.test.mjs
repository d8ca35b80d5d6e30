// @vitest-environment jsdom
// Vitest with jsdom, as a widget's unit tests run (the package loads through Node: node.cjs).
import { expect, test } from 'vitest';
import * as ticketwire from 'ticketwire';
import { smoke } from '../smoke.mjs';

// jsdom's Uint8Array is on the global and Node's fetch yields Node's: the package reads body
// chunks of any realm (src/wasm/transport.rs), so calls work here too.
test('Vitest (jsdom): the smoke check', async () => {
  expect(typeof document.createElement).toBe('function');
  expect(() => new ticketwire.MavaClient({ apiKey: 'sandbox_mava_acme' })).toThrow(expect.objectContaining({ kind: 'config' })); // a page, to the package
  expect(await smoke(ticketwire, process.env.SANDBOX_URL)).toEqual(['exports', 'validate', 'prepare', 'injected fetch', 'sandbox call', 'TicketwireError']);
});
