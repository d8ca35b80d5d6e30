// Every Mava operation through the built package's public API, against a fetch double for
// every response the docs describe (sources/mava-*.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MavaClient, TicketwireError } from 'ticketwire';
import { CUSTOMER_ID, SECRET, fetchDouble, rejection, thrown } from './helpers.mjs';

// One attempt per call: these tests are about mapping responses (tests/e2e covers retries).
const client = (fetch) => new MavaClient({ apiKey: SECRET, fetch, maxRetries: 0 });
const BASE = 'https://gateway.mava.app';
const AUTH = { 'x-auth-token': SECRET };
const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' };

// The documented success responses.
const TICKET = {
  _id: '6650a1b2c3d4e5f678901234',
  customer: { _id: '6650f6789012345678abcdef', name: 'Jane Doe', email: 'jane@example.com' },
  status: 'Open', priority: 2, sourceType: 'web', assignedTo: null, category: null, tags: [], attributes: [],
  messages: [{ _id: '665112345678abcdef012345', messageType: 'ExternalMessage', content: 'Hello, I need help with my order.',
    senderType: 'customer', senderName: null, attachments: [], createdAt: '2026-05-14T12:00:00.000Z' }],
  createdAt: '2026-05-14T12:00:00.000Z', updatedAt: '2026-05-14T12:00:00.000Z',
};
const PAGE = { tickets: [TICKET], count: 285, pagination: { limit: 50, skip: 0, hasMore: true } };

/** One operation: how to call it with a valid input, and the request it must send. */
const OPERATIONS = {
  createTicket: {
    call: (c) => c.createTicket({ customer: { email: 'jane@example.com', name: 'Jane Doe' }, message: { content: 'Hello' } }),
    request: { method: 'POST', url: `${BASE}/api/ticket`, headers: JSON_AUTH,
      body: '{"customer":{"email":"jane@example.com","name":"Jane Doe"},"message":{"content":"Hello"}}' },
    success: [201, { ticket: TICKET }],
  },
  identify: {
    call: (c) => c.identify({ emailAddress: 'jane@example.com', customAttributes: [{ label: 'plan', value: 'pro' }] }),
    request: { method: 'POST', url: `${BASE}/api/identify`, headers: JSON_AUTH,
      body: '{"emailAddress":"jane@example.com","customAttributes":[{"label":"plan","value":"pro"}]}' },
    success: [200, { mavaCustomerId: '6650f6789012345678abcdef' }],
    result: { customerId: '6650f6789012345678abcdef', response: { mavaCustomerId: '6650f6789012345678abcdef' } },
  },
  sendMessage: {
    call: (c) => c.sendMessage({ ticketId: TICKET._id, content: 'On it', messageType: 'InternalNote' }),
    request: { method: 'PUT', url: `${BASE}/api/message`, headers: JSON_AUTH,
      body: `{"ticketId":"${TICKET._id}","content":"On it","messageType":"InternalNote"}` },
    success: [200, { message: { content: 'On it' }, ticket: { _id: TICKET._id }, sender: { name: 'API' } }],
  },
  updateTicket: {
    call: (c) => c.updateTicket({ ticketId: TICKET._id, status: 'Resolved', assignedTo: null }),
    request: { method: 'PUT', url: `${BASE}/api/ticket`, headers: JSON_AUTH,
      body: `{"ticketId":"${TICKET._id}","status":"Resolved","assignedTo":null}` },
    success: [200, { message: 'Ticket updated' }],
  },
  listCategories: {
    call: (c) => c.listCategories(),
    request: { method: 'GET', url: `${BASE}/api/categories`, headers: AUTH, body: null },
    success: [200, { categories: [{ _id: '6650c3d4e5f678901234567a', name: 'Billing' }] }],
  },
  listAgents: {
    call: (c) => c.listAgents(),
    request: { method: 'GET', url: `${BASE}/api/agents`, headers: AUTH, body: null },
    success: [200, { agents: [{ id: '6650b2c3d4e5f67890123456', email: null, username: 'jane', walletAddress: '0x52908400098527886E0F7030069857D2E4169EE7' }] }],
  },
  listTickets: {
    call: (c) => c.listTickets({ startDate: '2026-01-01', endDate: '2026-04-01', status: ['Open', 'Pending'], limit: 20 }),
    request: { method: 'GET', url: `${BASE}/api/tickets?startDate=2026-01-01&endDate=2026-04-01&status=Open&status=Pending&limit=20`,
      headers: AUTH, body: null },
    success: [200, PAGE],
  },
};

for (const [name, op] of Object.entries(OPERATIONS)) {
  test(`${name} sends exactly its request and resolves to the parsed body`, async () => {
    const { fetch, calls } = fetchDouble(...op.success);
    const result = await op.call(client(fetch));
    assert.deepEqual(result, op.result ?? op.success[1]);
    assert.equal(calls.length, 1);
    const { url, method, headers, body } = calls[0];
    assert.deepEqual({ url, method, headers, body }, op.request);
  });
}

/** [operation, status, body, expected code, expected message] for every documented error. */
const ERRORS = [
  ['createTicket', 400, { error: 'INVALID_CUSTOMER_MODE' }, 'INVALID_CUSTOMER_MODE', 'Mava createTicket failed: 400 INVALID_CUSTOMER_MODE'],
  ['createTicket', 400, { error: 'VALIDATION_ERROR', message: 'body/priority must be equal to one of the allowed values' }, 'VALIDATION_ERROR',
    'Mava createTicket failed: 400 VALIDATION_ERROR: body/priority must be equal to one of the allowed values'],
  ['createTicket', 400, { error: 'INVALID_ATTACHMENT_URL' }, 'INVALID_ATTACHMENT_URL', 'Mava createTicket failed: 400 INVALID_ATTACHMENT_URL'],
  ['createTicket', 400, { error: 'ASSIGNEE_NOT_FOUND' }, 'ASSIGNEE_NOT_FOUND', 'Mava createTicket failed: 400 ASSIGNEE_NOT_FOUND'],
  ['createTicket', 401, '', undefined, 'Mava createTicket failed: 401 Unauthorized (check the API key)'],
  ['createTicket', 404, { error: 'CUSTOMER_NOT_FOUND' }, 'CUSTOMER_NOT_FOUND', 'Mava createTicket failed: 404 CUSTOMER_NOT_FOUND'],
  ['createTicket', 404, { error: 'ASSIGNEE_NOT_FOUND' }, 'ASSIGNEE_NOT_FOUND', 'Mava createTicket failed: 404 ASSIGNEE_NOT_FOUND'],
  ['createTicket', 404, { error: 'CATEGORY_NOT_FOUND' }, 'CATEGORY_NOT_FOUND', 'Mava createTicket failed: 404 CATEGORY_NOT_FOUND'],
  ['createTicket', 404, { error: 'TAG_NOT_FOUND' }, 'TAG_NOT_FOUND', 'Mava createTicket failed: 404 TAG_NOT_FOUND'],
  ['createTicket', 500, { error: 'INTERNAL_ERROR' }, 'INTERNAL_ERROR', 'Mava createTicket failed: 500 INTERNAL_ERROR'],
  ['sendMessage', 400, { error: 'Content or attachments are required' }, 'Content or attachments are required',
    'Mava sendMessage failed: 400 Content or attachments are required'],
  ['sendMessage', 400, { error: 'Ticket not found' }, 'Ticket not found', 'Mava sendMessage failed: 400 Ticket not found'],
  ['sendMessage', 401, '', undefined, 'Mava sendMessage failed: 401 Unauthorized (check the API key)'],
  ['sendMessage', 500, '', undefined, 'Mava sendMessage failed: 500 Internal Server Error'],
  ['updateTicket', 400, { error: 'Ticket not found' }, 'Ticket not found', 'Mava updateTicket failed: 400 Ticket not found'],
  ['updateTicket', 400, { error: 'Category not found' }, 'Category not found', 'Mava updateTicket failed: 400 Category not found'],
  ['updateTicket', 400, { error: 'Invalid status or priority' }, 'Invalid status or priority', 'Mava updateTicket failed: 400 Invalid status or priority'],
  ['updateTicket', 400, { error: 'Assignee not found' }, 'Assignee not found', 'Mava updateTicket failed: 400 Assignee not found'],
  ['updateTicket', 500, { error: 'Internal server error' }, 'Internal server error', 'Mava updateTicket failed: 500 Internal server error'],
  ['listCategories', 500, { error: 'Internal server error' }, 'Internal server error', 'Mava listCategories failed: 500 Internal server error'],
  ['listTickets', 400, { error: 'MISSING_DATE_RANGE' }, 'MISSING_DATE_RANGE', 'Mava listTickets failed: 400 MISSING_DATE_RANGE'],
  ['listTickets', 400, { error: 'INVALID_DATE_RANGE' }, 'INVALID_DATE_RANGE', 'Mava listTickets failed: 400 INVALID_DATE_RANGE'],
  ['listTickets', 400, { error: 'INVALID_LIMIT' }, 'INVALID_LIMIT', 'Mava listTickets failed: 400 INVALID_LIMIT'],
  ['listTickets', 400, { error: 'INVALID_SKIP' }, 'INVALID_SKIP', 'Mava listTickets failed: 400 INVALID_SKIP'],
  ['listTickets', 400, { error: 'UNSUPPORTED_SORT_FIELD' }, 'UNSUPPORTED_SORT_FIELD', 'Mava listTickets failed: 400 UNSUPPORTED_SORT_FIELD'],
  ['listTickets', 400, { error: 'UNSUPPORTED_SORT_ORDER' }, 'UNSUPPORTED_SORT_ORDER', 'Mava listTickets failed: 400 UNSUPPORTED_SORT_ORDER'],
  ['listTickets', 401, '', undefined, 'Mava listTickets failed: 401 Unauthorized (check the API key)'],
  ['listTickets', 500, { error: 'Internal server error' }, 'Internal server error', 'Mava listTickets failed: 500 Internal server error'],
  ['identify', 401, '', undefined, 'Mava identify failed: 401 Unauthorized (check the API key)'],
  ['listAgents', 401, '', undefined, 'Mava listAgents failed: 401 Unauthorized (check the API key)'],
];

for (const [name, status, body, code, message] of ERRORS) {
  test(`${name}: ${status} ${code ?? '(no body)'} is a typed api error`, async () => {
    const { fetch } = fetchDouble(status, body);
    const error = await rejection(OPERATIONS[name].call(client(fetch)));
    assert.ok(error instanceof TicketwireError);
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'TicketwireError');
    assert.equal(error.kind, 'api');
    assert.equal(error.provider, 'mava');
    assert.equal(error.operation, name);
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    assert.equal(error.message, message);
    assert.deepEqual(error.body, body === '' ? undefined : body);
    assert.equal(error.retryAfterMs, undefined);
  });
}

for (const name of Object.keys(OPERATIONS)) {
  test(`${name}: 429 is rate_limited with the server's Retry-After`, async () => {
    const { fetch } = fetchDouble(429, '', { 'retry-after': '12' });
    // A key of its own: the 429 holds every client with the same key for 12 s, as it should.
    const own = new MavaClient({ apiKey: `${SECRET}-${name}`, fetch, maxRetries: 0 });
    const error = await rejection(OPERATIONS[name].call(own));
    assert.equal(error.kind, 'rate_limited');
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterMs, 12_000);
    assert.equal(error.message, `Mava ${name} failed: 429 Too Many Requests`);
  });
}

test('a non-JSON error body is kept as raw text', async () => {
  const { fetch } = fetchDouble(502, '<html><body>Bad gateway</body></html>', { 'content-type': 'text/html' });
  const error = await rejection(OPERATIONS.createTicket.call(client(fetch)));
  assert.deepEqual([error.kind, error.status, error.code, error.body], ['api', 502, undefined, '<html><body>Bad gateway</body></html>']);
  assert.equal(error.message, 'Mava createTicket failed: 502 Bad Gateway');
});

test('a truncated JSON error body is kept as raw text', async () => {
  const { fetch } = fetchDouble(500, '{"error":"INTERNAL_ER');
  const error = await rejection(OPERATIONS.createTicket.call(client(fetch)));
  assert.deepEqual([error.kind, error.status, error.code, error.body], ['api', 500, undefined, '{"error":"INTERNAL_ER']);
});

test('a success status with a body that is not JSON is an api error', async () => {
  const { fetch } = fetchDouble(201, '{"ticket":');
  const error = await rejection(OPERATIONS.createTicket.call(client(fetch)));
  assert.deepEqual([error.kind, error.status, error.code], ['api', 201, 'INVALID_RESPONSE']);
  assert.equal(error.message, 'Mava createTicket answered 201 with a body that is not JSON');
});

test('identify surfaces the customer id under any of its names, and null when absent', async () => {
  for (const [body, id] of [[{ customerId: 'c2' }, 'c2'], [{ _id: 'c3', name: 'x' }, 'c3'], [{ ok: true }, null]]) {
    const { fetch } = fetchDouble(200, body);
    assert.deepEqual(await OPERATIONS.identify.call(client(fetch)), { customerId: id, response: body });
  }
});

test('listTickets resolves to the documented page exactly, ids as strings', async () => {
  const { fetch } = fetchDouble(200, PAGE);
  const page = await OPERATIONS.listTickets.call(client(fetch));
  assert.equal(page.pagination.hasMore, true);
  assert.equal(typeof page.tickets[0]._id, 'string');
  assert.deepEqual(page, PAGE);
});

test('every validate/prepare/call name of CONTRACT §5 exists', () => {
  const c = new MavaClient();
  for (const op of ['CreateTicket', 'Identify', 'SendMessage', 'UpdateTicket', 'ListTickets']) {
    const call = op[0].toLowerCase() + op.slice(1);
    for (const name of [`validate${op}`, `prepare${op}`, call]) assert.equal(typeof c[name], 'function', name);
  }
  assert.equal(typeof c.listCategories, 'function');
  assert.equal(typeof c.listAgents, 'function');
});

test('validate never throws and never calls fetch; prepare matches what the call sends', async () => {
  const { fetch, calls } = fetchDouble(201, { ticket: TICKET });
  const c = client(fetch);
  const input = { customerId: CUSTOMER_ID, priority: 3, tags: [CUSTOMER_ID] };
  assert.deepEqual(c.validateCreateTicket(input), []);
  const prepared = c.prepareCreateTicket(input);
  assert.equal(calls.length, 0);
  await c.createTicket(input);
  const { url, method, headers, body } = calls[0];
  assert.deepEqual({ method, url, headers, body }, prepared);
});

test('a client without a key sends no auth header (a relay adds it)', () => {
  const prepared = new MavaClient({ baseUrl: 'https://relay.example.com/mava/' }).prepareCreateTicket({ customerId: CUSTOMER_ID });
  assert.deepEqual(prepared, {
    method: 'POST', url: 'https://relay.example.com/mava/api/ticket',
    headers: { 'content-type': 'application/json' }, body: `{"customerId":"${CUSTOMER_ID}"}`,
  });
});

test('the input is read when the call is made, not later', async () => {
  const { fetch, calls } = fetchDouble(201, { ticket: TICKET });
  const input = { customerId: CUSTOMER_ID, message: { content: 'first' } };
  const pending = client(fetch).createTicket(input);
  input.message.content = 'changed after the call';
  await pending;
  assert.equal(calls[0].body, `{"customerId":"${CUSTOMER_ID}","message":{"content":"first"}}`);
});

test('the attachment bucket prefix is a client option', () => {
  const input = { customerId: CUSTOMER_ID, message: { content: 'x', attachments: [{ url: 'https://acme-files.s3.amazonaws.com/a.png', fileName: 'a.png' }] } };
  assert.deepEqual(new MavaClient().validateCreateTicket(input), [{
    path: '/message/attachments/0/url', code: 'INVALID_ATTACHMENT_URL',
    message: "body/message/attachments/0/url must be a file in Mava's S3 storage (a bucket starting with 'app.mava.')",
    rule: 'format', params: { format: 'mava-attachment-url' },
  }]);
  assert.deepEqual(new MavaClient({ attachmentBucketPrefix: 'acme-' }).validateCreateTicket(input), []);
});

test('an idempotency key is refused for Mava, which has none', () => {
  const error = thrown(() => new MavaClient().prepareCreateTicket({ customerId: CUSTOMER_ID }, { idempotencyKey: 'k' }));
  assert.equal(error.kind, 'config');
  assert.equal(error.message, 'Mava createTicket options are invalid: options/idempotencyKey must NOT be given: Mava createTicket takes no idempotency key');
});

test('undefined means absent; null is a value, accepted only where the contract says', () => {
  const c = new MavaClient();
  assert.deepEqual(c.validateCreateTicket({ customerId: CUSTOMER_ID, priority: undefined, customer: undefined }), []);
  assert.equal(c.prepareCreateTicket({ customerId: CUSTOMER_ID, priority: undefined }).body, `{"customerId":"${CUSTOMER_ID}"}`);
  assert.deepEqual(c.validateCreateTicket({ customerId: CUSTOMER_ID, priority: null, tags: [undefined] }), [
    { path: '/priority', code: 'VALIDATION_ERROR', message: 'body/priority must be number', rule: 'type', params: { type: 'number' } },
    { path: '/tags/0', code: 'VALIDATION_ERROR', message: 'body/tags/0 must be string', rule: 'type', params: { type: 'string' } },
  ]);
  assert.equal(c.prepareUpdateTicket({ ticketId: 'T', assignedTo: null }).body, '{"ticketId":"T","assignedTo":null}');
});
