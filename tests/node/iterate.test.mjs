// iterateTickets over a fetch double (CONTRACT §1.6, §4 pagination makes progress): a page
// that says hasMore but adds nothing stops the walk, and tickets without a string _id are never
// merged into one. The walk over real HTTP is in tests/e2e/iterate.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MavaClient } from 'ticketwire';
import { rejection } from './helpers.mjs';

const RANGE = { startDate: '2026-01-01', endDate: '2026-02-01', limit: 2 };

/** A fetch answering each request with the next page of `pages` (the last one forever), counting requests. */
function pages(...bodies) {
  const urls = [];
  const fetch = async (url) => {
    urls.push(url);
    return new Response(JSON.stringify(bodies[Math.min(urls.length, bodies.length) - 1]), { status: 200 });
  };
  return { fetch, urls };
}

const page = (ids, hasMore) => ({ tickets: ids.map((_id) => ({ _id })), count: 99, pagination: { limit: 2, hasMore } });

async function collect(iterator) {
  const seen = [];
  for await (const ticket of iterator) seen.push(ticket._id);
  return seen;
}

test('a page that says hasMore but adds no new ticket ends the walk with PAGINATION_STALLED', async () => {
  const { fetch, urls } = pages(page(['a', 'b'], true), page(['a', 'b'], true));
  const mava = new MavaClient({ baseUrl: 'https://relay.example/mava', fetch });
  const seen = [];
  const error = await rejection((async () => { for await (const t of mava.iterateTickets(RANGE)) seen.push(t._id); })());
  assert.deepEqual(seen, ['a', 'b']);
  assert.deepEqual([error.kind, error.status, error.code], ['api', 200, 'PAGINATION_STALLED']);
  assert.equal(error.message, 'Mava iterateTickets: listTickets answered a page at skip 2 that says hasMore but adds no new ticket');
  assert.equal(urls.length, 2, 'no request after the stalled page');
  assert.match(urls[1], /[?&]skip=2(&|$)/);
});

test('an empty page that says hasMore also stalls, instead of looping', async () => {
  const { fetch, urls } = pages(page([], true));
  const error = await rejection(collect(new MavaClient({ baseUrl: 'https://relay.example/mava', fetch }).iterateTickets(RANGE)));
  assert.equal(error.code, 'PAGINATION_STALLED');
  assert.equal(urls.length, 1);
});

test('tickets without a string _id are an INVALID_RESPONSE, never merged into one', async () => {
  const body = { tickets: [{ subject: 'a' }, { subject: 'b' }, { _id: 7 }, { _id: null }], count: 4, pagination: { hasMore: false } };
  const { fetch } = pages(body);
  const error = await rejection(collect(new MavaClient({ baseUrl: 'https://relay.example/mava', fetch }).iterateTickets(RANGE)));
  assert.deepEqual([error.kind, error.code], ['api', 'INVALID_RESPONSE']);
  assert.equal(error.message, 'Mava iterateTickets: listTickets answered a page that holds a ticket without a string _id');
});

test('pages are walked with skip += limit, a ticket seen before is not yielded again', async () => {
  const { fetch, urls } = pages(page(['a', 'b'], true), page(['b', 'c'], true), page(['d'], false));
  assert.deepEqual(await collect(new MavaClient({ baseUrl: 'https://relay.example/mava', fetch }).iterateTickets(RANGE)), ['a', 'b', 'c', 'd']);
  assert.deepEqual(urls.map((u) => new URL(u).searchParams.get('skip')), ['0', '2', '4']);
});
