// Vitest in its default (Node) environment: the "node" entry.
import { expect, test } from 'vitest';
import * as ticketwire from 'ticketwire';
import { smoke } from '../smoke.mjs';

test('the smoke check passes in Vitest (node)', async () => {
  expect(await smoke(ticketwire, process.env.SANDBOX_URL)).toEqual(['exports', 'validate', 'prepare', 'injected fetch', 'sandbox call', 'TicketwireError']);
});
