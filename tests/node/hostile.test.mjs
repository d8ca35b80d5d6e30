// Whatever JS value arrives, the package answers with violations or a typed error, never a
// trap, and keeps working afterwards (CONTRACT §0 "No panics").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MavaClient, TicketwireError } from 'ticketwire';
import { CUSTOMER_ID, fetchDouble, rejection, thrown } from './helpers.mjs';

function nested(depth) {
  let value = {};
  for (let i = 0; i < depth; i++) value = { customer: value };
  return value;
}
const cyclic = { email: 'a@b.co' };
cyclic.attributes = [cyclic];

const HOSTILE = {
  'deep nesting (1e5 levels)': nested(100_000),
  'a cycle': { customer: cyclic },
  'a BigInt': { customerId: 10n },
  'a Symbol': { customerId: Symbol('id') },
  'a function': { customerId() {} },
  'a throwing getter': { get customerId() { throw new Error('getter'); } },
  'a throwing Proxy': new Proxy({}, { ownKeys() { throw new Error('trap'); } }),
  'a revoked Proxy': (() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; })(),
  'a 50 MB string': { customerId: 'x'.repeat(50_000_000) },
  'a lone surrogate': { customerId: '\ud800' },
  'a sparse array of 1e9': { customerId: CUSTOMER_ID, tags: new Array(1e9) },
  'a Date': { customerId: new Date() },
  'a typed array': { customerId: CUSTOMER_ID, tags: new Uint8Array(4) },
  null: null,
  undefined,
  'a number': 42,
  'NaN in a number field': { customerId: CUSTOMER_ID, priority: NaN },
};

const GOOD = { customerId: CUSTOMER_ID, message: { content: 'still fine' } };

function assertStillWorks(client) {
  assert.deepEqual(client.validateCreateTicket(GOOD), []);
  assert.equal(client.prepareCreateTicket(GOOD).body, JSON.stringify(GOOD));
}

for (const [label, value] of Object.entries(HOSTILE)) {
  test(`${label}: violations from validate, a typed error from prepare and call`, async () => {
    const { fetch, calls } = fetchDouble(201, '{}');
    const client = new MavaClient({ fetch });
    const violations = client.validateCreateTicket(value);
    assert.ok(violations.length > 0);
    for (const v of violations) assert.deepEqual(Object.keys(v), ['path', 'code', 'message', 'rule', 'params']);
    const error = thrown(() => client.prepareCreateTicket(value));
    assert.ok(error instanceof TicketwireError);
    assert.equal(error.kind, 'validation');
    assert.deepEqual(error.violations, violations);
    const rejected = await rejection(client.createTicket(value));
    assert.equal(rejected.kind, 'validation');
    assert.equal(calls.length, 0);
    assertStillWorks(client);
  });
}

test('the exact violations for the tricky ones', () => {
  const client = new MavaClient();
  assert.deepEqual(client.validateCreateTicket(HOSTILE['a 50 MB string']), [{
    path: '/customerId', code: 'VALIDATION_ERROR', message: 'body/customerId must NOT have more than 1048576 characters',
    rule: 'maxLength', params: { limit: 1048576 },
  }]);
  assert.deepEqual(client.validateCreateTicket(HOSTILE['a lone surrogate']), [{
    path: '/customerId', code: 'VALIDATION_ERROR', message: 'body/customerId must be a well-formed Unicode string', rule: 'wellFormed', params: {},
  }]);
  assert.deepEqual(client.validateCreateTicket(HOSTILE['a cycle']), [{
    path: '/customer/attributes/0', code: 'VALIDATION_ERROR', message: 'body/customer/attributes/0 must NOT contain a circular reference',
    rule: 'acyclic', params: {},
  }]);
  assert.deepEqual(client.validateCreateTicket(HOSTILE['a throwing getter']).slice(0, 1), [{
    path: '/customerId', code: 'VALIDATION_ERROR', message: 'body/customerId could not be read: a getter or Proxy threw', rule: 'readable', params: {},
  }]);
});

test('a thousand hostile calls in a row leave the wasm instance healthy', () => {
  const client = new MavaClient();
  for (let i = 0; i < 1000; i++) {
    for (const [label, value] of Object.entries(HOSTILE)) {
      if (label !== 'a 50 MB string') client.validateCreateTicket(value); // that one is slow, not risky
    }
  }
  assertStillWorks(client);
});

test('hostile client options are a config error', () => {
  for (const options of [5, 'x', [], { fetch: 'not a function' }, { apiKey: 5n }, new Proxy({}, { ownKeys() { throw new Error('x'); } })]) {
    const error = thrown(() => new MavaClient(options));
    assert.ok(error instanceof TicketwireError, String(error));
    assert.equal(error.kind, 'config');
  }
});

test('an object past the value budget is refused whole, never cut short', () => {
  const wide = { customerId: CUSTOMER_ID };
  for (let i = 0; i < 150_000; i++) wide[`k${i}`] = i;
  assert.deepEqual(new MavaClient().validateCreateTicket(wide), [{
    path: '', code: 'VALIDATION_ERROR', message: 'body must NOT hold more than 100000 values or 4194304 characters in all',
    rule: 'maxSize', params: { values: 100000, characters: 4194304 },
  }]);
  const nestedWide = { customerId: CUSTOMER_ID, customer: { ...wide } };
  delete nestedWide.customer.customerId;
  assert.deepEqual(new MavaClient().validateCreateTicket(nestedWide).map((v) => v.path), ['']); // the input as a whole
});
