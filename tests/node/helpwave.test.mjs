// HelpWave through the built package: exact requests, ids that stay strings, sentence errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HelpWaveClient, TicketwireError } from 'ticketwire';
import { SECRET, fetchDouble, rejection, thrown } from './helpers.mjs';

const BASE = 'https://api.helpwave.example';
const client = (fetch) => new HelpWaveClient({ apiKey: SECRET, baseUrl: BASE, fetch, maxRetries: 0 });
const BIG_ID = '987654321012345678'; // > 2^53: a JS number would make it 987654321012345600

// The documented response, as HelpWave sends it: the BigInt id serialized as a string.
const CREATED = `{"success":true,"ticket":{"id":"${BIG_ID}","customerID":123,"Channel":"Mail","name":"Refund request","threadId":"thread-001","emailUsed":"support@example.com","lastMessage":"Hello, I need a refund.","contact_reason":"refund","assigned_to":45,"isOpenedTicket":true,"tags":["refund","vip"],"language_code":"en","via":"api"}}`;
const DOC_INPUT = {
  customerId: 123, Channel: 'Mail', name: 'Refund request', threadId: 'thread-001', emailUsed: 'support@example.com',
  lastMessage: 'Hello, I need a refund.', contact_reason: 'refund', assigned_to: 45, isOpenedTicket: true, unReadChatCount: 1,
  tags: ['refund', 'vip'], language_code: 'en', via: 'api',
};

test('createTicket sends the documented body with x-api-key', async () => {
  const { fetch, calls } = fetchDouble(201, CREATED);
  const result = await client(fetch).createTicket(DOC_INPUT);
  assert.deepEqual(result, JSON.parse(CREATED));
  assert.deepEqual(
    { url: calls[0].url, method: calls[0].method, headers: calls[0].headers, body: calls[0].body },
    { url: `${BASE}/api/v1/tickets`, method: 'POST', headers: { 'x-api-key': SECRET, 'content-type': 'application/json' }, body: JSON.stringify(DOC_INPUT) },
  );
});

test('a BigInt-sized ticket id survives a full round trip unchanged', async () => {
  const { fetch, calls } = fetchDouble(201, CREATED);
  const hw = client(fetch);
  const { ticket } = await hw.createTicket(DOC_INPUT);
  assert.equal(ticket.id, BIG_ID);
  assert.equal(typeof ticket.id, 'string');
  await hw.sendMessage({ ticketId: ticket.id, text: 'Refund sent.' });
  await hw.listComments(ticket.id);
  assert.equal(calls[1].url, `${BASE}/api/v1/tickets/${BIG_ID}/comments`);
  assert.equal(calls[1].body, '{"text":"Refund sent."}');
  assert.deepEqual([calls[2].method, calls[2].url, calls[2].body], ['GET', `${BASE}/api/v1/tickets/${BIG_ID}/comments`, null]);
  // The id as a JS number has already lost digits: refused, never sent.
  const error = await rejection(hw.sendMessage({ ticketId: Number(BIG_ID), text: 'x' }));
  assert.deepEqual(error.violations, [{ path: '/ticketId', code: 'VALIDATION_ERROR', message: 'body/ticketId must be string', rule: 'type', params: { type: 'string' } }]);
  assert.equal(calls.length, 3);
});

test('identify finds or creates, and says which', async () => {
  const body = { success: true, existing: true, customer: { id: '77', email: 'jane@example.com' } };
  const { fetch, calls } = fetchDouble(200, body);
  assert.deepEqual(await client(fetch).identify({ email: 'jane@example.com', full_name: 'Jane Doe' }), body);
  assert.deepEqual([calls[0].method, calls[0].url, calls[0].body], ['POST', `${BASE}/api/v1/customers`, '{"email":"jane@example.com","full_name":"Jane Doe"}']);
});

test('listComments resolves to the comments; a bad id is refused before sending', async () => {
  const body = { success: true, comments: [{ text: 'hi' }], totalCount: 1 };
  const { fetch, calls } = fetchDouble(200, body);
  assert.deepEqual(await client(fetch).listComments(BIG_ID), body);
  const error = await rejection(client(fetch).listComments('12/../3'));
  assert.equal(error.kind, 'validation');
  assert.deepEqual(error.violations, [{
    path: '/ticketId', code: 'VALIDATION_ERROR', message: 'params/ticketId must match pattern "^[0-9]+$"', rule: 'pattern', params: { pattern: '^[0-9]+$' },
  }]);
  const missing = await rejection(client(fetch).listComments());
  assert.equal(missing.violations[0].message, "params must have required property 'ticketId'");
  assert.equal(calls.length, 1);
});

const ERRORS = [
  [400, 'customerId is required'],
  [401, 'Missing API key'],
  [401, 'Unauthorized - Invalid API key'],
  [404, 'Customer not found'],
  [404, 'Shop not found'],
  [404, 'Ticket not found'],
];
for (const [status, sentence] of ERRORS) {
  test(`${status} "${sentence}" is an api error whose code is the sentence`, async () => {
    const { fetch } = fetchDouble(status, { error: sentence });
    const error = await rejection(client(fetch).createTicket({ customerId: '123', Channel: 'Mail' }));
    assert.ok(error instanceof TicketwireError);
    assert.deepEqual(
      [error.kind, error.provider, error.operation, error.status, error.code, error.message],
      ['api', 'helpwave', 'createTicket', status, sentence, `HelpWave createTicket failed: ${status} ${sentence}`],
    );
    assert.deepEqual(error.body, { error: sentence });
  });
}

test('HelpWave needs a baseUrl', () => {
  const error = thrown(() => new HelpWaveClient({ apiKey: SECRET }));
  assert.equal(error.kind, 'config');
  assert.equal(error.provider, 'helpwave');
  assert.equal(error.message, "HelpWaveClient options are invalid: options must have required property 'baseUrl'");
});

test('every §5 HelpWave name exists', () => {
  const c = new HelpWaveClient({ baseUrl: BASE });
  for (const op of ['CreateTicket', 'Identify', 'SendMessage']) {
    for (const name of [`validate${op}`, `prepare${op}`, op[0].toLowerCase() + op.slice(1)]) assert.equal(typeof c[name], 'function', name);
  }
  assert.equal(typeof c.listComments, 'function');
});
