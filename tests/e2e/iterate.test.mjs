// iterateTickets over real HTTP: a multi-year range in yearly windows, every ticket exactly
// once even while tickets are created mid-iteration, in the order asked, and break is free.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MavaClient, TicketwireError } from 'ticketwire';
import { KEYS, startSandbox } from './sandbox.mjs';

let sandbox;
let history; // ids of the tickets that exist before iterating
before(async () => {
  sandbox = await startSandbox();
  const start = Date.parse('2023-01-02T00:00:00Z');
  const span = Date.parse('2025-12-30T00:00:00Z') - start;
  const createdAt = Array.from({ length: 180 }, (_, i) => new Date(start + Math.floor((span * i) / 179)).toISOString());
  ({ ids: history } = await sandbox.control('mava/tickets', { org: 'globex', createdAt }));
});
after(() => sandbox.stop());

const RANGE = { startDate: '2023-01-01', endDate: '2026-01-01' };

function counting(onPage) {
  const pages = [];
  const fetch = async (url, init) => {
    pages.push(new URL(url).searchParams);
    await onPage?.(pages.length);
    return globalThis.fetch(url, init);
  };
  return { fetch, pages };
}

test('a three-year range yields every ticket exactly once, newest first, with tickets created mid-way', async () => {
  const inserted = [];
  const { fetch, pages } = counting(async (page) => {
    if (page === 3) {
      // New tickets in the window being walked (they shift its pages), in windows still to
      // come, and in one already walked.
      const createdAt = ['2025-11-01T00:00:00Z', '2025-06-01T00:00:00Z', '2024-06-01T00:00:00Z', '2023-06-01T00:00:00Z'];
      inserted.push(...(await sandbox.control('mava/tickets', { org: 'globex', createdAt })).ids);
    }
  });
  const mava = new MavaClient({ apiKey: KEYS.mavaGlobex, baseUrl: `${sandbox.url}/mava`, fetch });
  const yielded = [];
  for await (const ticket of mava.iterateTickets({ ...RANGE, limit: 25 })) yielded.push(ticket);
  const ids = yielded.map((t) => t._id);
  assert.equal(new Set(ids).size, ids.length, 'no _id twice');
  for (const id of history) assert.equal(ids.filter((x) => x === id).length, 1, `${id} exactly once`);
  const times = yielded.map((t) => Date.parse(t.createdAt));
  assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first across windows');
  assert.ok(inserted.slice(2).every((id) => ids.includes(id)), 'tickets created in windows still to come (2024, 2023) are yielded');
  const windows = [...new Set(pages.map((p) => `${p.get('startDate')}..${p.get('endDate')}`))];
  assert.deepEqual(windows, [
    '2025-01-01T00:00:00.000Z..2026-01-01',
    '2024-01-01T00:00:00.000Z..2025-01-01T00:00:00.000Z',
    '2023-01-01..2024-01-01T00:00:00.000Z',
  ]);
});

test('ascending order walks the windows oldest first', async () => {
  const mava = new MavaClient({ apiKey: KEYS.mavaGlobex, baseUrl: `${sandbox.url}/mava` });
  const times = [];
  for await (const ticket of mava.iterateTickets({ ...RANGE, sortOrder: 'asc', limit: 100 })) times.push(Date.parse(ticket.createdAt));
  assert.ok(times.length >= history.length);
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
});

test('break stops the iteration without another request', async () => {
  const { fetch, pages } = counting();
  const mava = new MavaClient({ apiKey: KEYS.mavaGlobex, baseUrl: `${sandbox.url}/mava`, fetch });
  let seen = 0;
  for await (const ticket of mava.iterateTickets({ ...RANGE, limit: 10 })) {
    assert.match(ticket._id, /^[0-9a-f]{24}$/);
    if (++seen === 3) break;
  }
  assert.equal(pages.length, 1);
});

test('a range past a year with another sort, or a skip, is refused before any request', () => {
  const mava = new MavaClient({ apiKey: KEYS.mavaGlobex, baseUrl: `${sandbox.url}/mava` });
  for (const [query, message] of [
    [{ ...RANGE, sortBy: 'priority' }, 'querystring/endDate must NOT be more than one year after startDate unless sortBy is createdAt'],
    [{ ...RANGE, skip: 50 }, 'querystring/skip must NOT be given: iterateTickets pages by itself'],
  ]) {
    const error = (() => { try { mava.iterateTickets(query); } catch (e) { return e; } })();
    assert.ok(error instanceof TicketwireError);
    assert.deepEqual([error.kind, error.operation, error.violations[0].message], ['validation', 'iterateTickets', message]);
  }
});
