// Tickiti through the built package: bearer auth, one Idempotency-Key per logical call, the
// three payload shapes, and its status-coded errors with the raw body kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TickitiClient, TicketwireError } from 'ticketwire';
import { SECRET, fetchDouble, rejection, thrown } from './helpers.mjs';

const BASE = 'https://support.sole-provider.example';
const client = (fetch) => new TickitiClient({ apiKey: SECRET, baseUrl: BASE, fetch, maxRetries: 0 });
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EXAMPLE_A = {
  originator_email_address: 'marcus@trailblazers-club.example',
  data: { queue_name: 'Returns', subject: 'Carbon plate cracked on first marathon', content: 'The Vapor Pro 3 plate snapped at mile 14 of Berlin Marathon. Order SP-2412-0489.' },
};
const CREATED = { ok: true, data: { queue: 'Returns', used_template: false, used_intervention: false, used_private_template: false, used_public_template: false } };

test('prepared twice without a key: two different UUID v4s; with a key: exactly that key', () => {
  const t = client();
  const first = t.prepareCreateTicket(EXAMPLE_A).headers['idempotency-key'];
  const second = t.prepareCreateTicket(EXAMPLE_A).headers['idempotency-key'];
  assert.match(first, UUID_V4);
  assert.match(second, UUID_V4);
  assert.notEqual(first, second);
  assert.equal(t.prepareCreateTicket(EXAMPLE_A, { idempotencyKey: 'crm-58221' }).headers['idempotency-key'], 'crm-58221');
});

test('createTicket sends example A with bearer auth and its own key', async () => {
  const { fetch, calls } = fetchDouble(200, CREATED);
  assert.deepEqual(await client(fetch).createTicket(EXAMPLE_A), CREATED);
  const { url, method, headers, body } = calls[0];
  assert.deepEqual([url, method, body], [`${BASE}/api/create_ticket`, 'POST', JSON.stringify(EXAMPLE_A)]);
  assert.equal(headers.authorization, `Bearer ${SECRET}`);
  assert.equal(headers['content-type'], 'application/json');
  assert.match(headers['idempotency-key'], UUID_V4);
  await client(fetch).createTicket(EXAMPLE_A, { idempotencyKey: 'k'.repeat(255) });
  assert.equal(calls[1].headers['idempotency-key'], 'k'.repeat(255));
});

test('without crypto.randomUUID (an http page) the key comes from getRandomValues', () => {
  const proto = Object.getPrototypeOf(globalThis.crypto);
  const original = Object.getOwnPropertyDescriptor(proto, 'randomUUID');
  Object.defineProperty(proto, 'randomUUID', { value: undefined, configurable: true });
  try {
    assert.match(client().prepareCreateTicket(EXAMPLE_A).headers['idempotency-key'], UUID_V4);
  } finally {
    Object.defineProperty(proto, 'randomUUID', original);
  }
});

test('the idempotency key is 1–255 characters, and only where the operation takes one', () => {
  for (const key of ['', 'k'.repeat(256), 5]) {
    const error = thrown(() => client().prepareCreateTicket(EXAMPLE_A, { idempotencyKey: key }));
    assert.equal(error.kind, 'config', String(key));
  }
  const unified = { originator_email_address: 'a@b.co', content: 'c' };
  assert.equal(client().prepareCreateTicketUnified(unified).headers['idempotency-key'], undefined);
  const error = thrown(() => client().prepareCreateTicketUnified(unified, { idempotencyKey: 'k' }));
  assert.equal(error.message, 'Tickiti createTicketUnified options are invalid: options/idempotencyKey must NOT be given: Tickiti createTicketUnified takes no idempotency key');
});

test('exactly one payload shape, reported with every violation', () => {
  const t = client();
  assert.deepEqual(t.validateCreateTicket({ originator_email_address: 'a@b.co', template_identifier: 't', intervention: 'i', uid: 'u', data: {} }), [
    {
      path: '', code: 'validation_failed', message: "body must have exactly one of 'template_identifier' or 'intervention', not both",
      rule: 'atMostOne', params: { properties: ['template_identifier', 'intervention'] },
    },
  ]);
  assert.deepEqual(t.validateCreateTicket({ originator_email_address: 'a@b.co', intervention: 'warranty_claim', uid: 'x', data: { queue_name: 'Returns' } }), [
    { path: '/data/queue_name', code: 'validation_failed', message: 'body/data/queue_name must NOT be set with an intervention (it picks the queue)', rule: 'not', params: {} },
  ]);
});

test('unified create returns the ticket references; respond carries a key', async () => {
  const refs = { ticket_number: 482113, ticket_id: 9001, secure_id: 'a1b2c3' };
  const { fetch, calls } = fetchDouble(201, refs);
  assert.deepEqual(await client(fetch).createTicketUnified({ originator_email_address: 'a@b.co', subject: 's', content: 'c' }), refs);
  assert.equal(calls[0].url, `${BASE}/api/tickets/create`);
  const responded = { ok: true, data: { ticket_id: 9001, response_id: 77, reopened: false } };
  const second = fetchDouble(200, responded);
  assert.deepEqual(await client(second.fetch).sendMessage({ ticket_number: '482113', content: '<p>Shipped.</p>' }), responded);
  const { url, headers, body } = second.calls[0];
  assert.deepEqual([url, body], [`${BASE}/api/v1/tickets/respond`, '{"ticket_number":"482113","content":"<p>Shipped.</p>"}']);
  assert.match(headers['idempotency-key'], UUID_V4);
});

// Tickiti does not publish its error body; these are the shapes seen in the wild (Laravel).
const ERRORS = [
  [422, { message: 'The given data was invalid.', errors: { queue_name: ['The selected queue is invalid.'] } }, 'validation_failed',
    'Tickiti createTicket failed: 422 validation_failed: The given data was invalid.'],
  [409, { error: 'idempotency_key_conflict', message: 'Key reused with a different payload.' }, 'idempotency_key_conflict',
    'Tickiti createTicket failed: 409 idempotency_key_conflict: Key reused with a different payload.'],
  [401, { message: 'Unauthenticated.' }, 'unauthenticated', 'Tickiti createTicket failed: 401 unauthenticated: Unauthenticated.'],
  [403, { code: 'forbidden', message: 'Token lacks the create-ticket ability.' }, 'forbidden',
    'Tickiti createTicket failed: 403 forbidden: Token lacks the create-ticket ability.'],
  [403, '', 'forbidden', 'Tickiti createTicket failed: 403 forbidden'],
];
for (const [status, body, code, message] of ERRORS) {
  test(`${status} is a typed ${code} error with the raw body kept`, async () => {
    const { fetch } = fetchDouble(status, body);
    const error = await rejection(client(fetch).createTicket(EXAMPLE_A));
    assert.ok(error instanceof TicketwireError);
    assert.deepEqual([error.kind, error.provider, error.status, error.code, error.message], ['api', 'tickiti', status, code, message]);
    assert.deepEqual(error.body, body === '' ? undefined : body);
  });
}

test('every §5 Tickiti name exists, and a baseUrl is required', () => {
  const c = client();
  for (const op of ['CreateTicket', 'CreateTicketUnified', 'SendMessage']) {
    for (const name of [`validate${op}`, `prepare${op}`, op[0].toLowerCase() + op.slice(1)]) assert.equal(typeof c[name], 'function', name);
  }
  assert.equal(thrown(() => new TickitiClient({ apiKey: SECRET })).kind, 'config');
});
