// Property tests over arbitrary JS values (fast-check): every validateX of every client never
// throws, never traps, and answers well-formed violations; prepareX agrees with it, throwing
// only a TicketwireError of kind "validation" exactly when validateX found something.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';

// TICKETWIRE_ENTRY=ticketwire/lite runs every property against the page build for pages that
// call through a relay (tests/node/lite.test.mjs does), whose clients hold no key and whose
// numbers off the fast paths are the host's.
const ENTRY = process.env.TICKETWIRE_ENTRY ?? 'ticketwire';
const { HelpWaveClient, MavaClient, TickitiClient, TicketwireError } = await import(ENTRY);
const key = ENTRY === 'ticketwire/lite' ? {} : { apiKey: 'sk_property_key' };

const CLIENTS = [
  new MavaClient({ ...key, fetch: async () => new Response('{}') }),
  new HelpWaveClient({ ...key, baseUrl: 'https://hw.example' }),
  new TickitiClient({ ...key, baseUrl: 'https://tickiti.example' }),
];

/** [client, "CreateTicket"] for every validate/prepare pair of every client. */
const OPERATIONS = CLIENTS.flatMap((client) => Object.getOwnPropertyNames(Object.getPrototypeOf(client))
  .filter((name) => name.startsWith('validate'))
  .map((name) => [client, name.slice('validate'.length)]));

/**
 * Values no JSON holds, and values that fight back when read. Made fresh per run: fast-check
 * itself would trip over a revoked Proxy while generating or printing.
 */
const HOSTILE = [
  () => 10n ** 30n,
  () => Symbol('s'),
  () => () => 1,
  () => undefined,
  () => Number.NaN,
  () => -Infinity,
  () => '\uD800 lone',
  () => '👍'.repeat(10_001),
  () => new Date(0),
  () => new Map([[1, 2]]),
  () => Object.create(null),
  () => new Proxy({}, { ownKeys() { throw new Error('ownKeys trap'); } }),
  () => new Proxy([], { get() { throw new Error('get trap'); } }),
  () => Object.defineProperty({}, 'customer', { enumerable: true, get() { throw new Error('getter'); } }),
  () => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; },
  () => { const o = { a: 1 }; o.self = o; return o; },
  () => { const a = []; a[1e6] = 1; return a; },
  () => { let v = {}; for (let i = 0; i < 500; i++) v = { message: v }; return v; },
];
const hostile = fc.nat(HOSTILE.length - 1).map((index) => ({ hostile: index }));

/** The generated value with each `{ hostile: i }` marker made into that hostile value. */
function materialize(value) {
  if (value === null || typeof value !== 'object') return value;
  if (Object.keys(value).length === 1 && Number.isInteger(value.hostile)) return HOSTILE[value.hostile]();
  if (Array.isArray(value)) return value.map(materialize);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialize(v)]));
}

/** Objects shaped like the inputs (their field names), holding anything, hostile values included. */
const FIELDS = ['customer', 'customerId', 'email', 'name', 'message', 'content', 'attachments', 'url', 'priority', 'status',
  'tags', 'ticketId', 'text', 'Channel', 'originator_email_address', 'data', 'subject', 'intervention', 'uid',
  'ticket_number', 'startDate', 'endDate', 'limit', 'assignedTo', 'emailAddress', 'plaformUserId', 'phone_number'];
const value = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, fc.anything(), hostile, tie('shaped')),
  shaped: fc.dictionary(fc.constantFrom(...FIELDS), tie('any'), { maxKeys: 6 }),
})).any;

function assertViolations(violations, label) {
  assert.ok(Array.isArray(violations), `${label}: not an array`);
  for (const v of violations) {
    assert.deepEqual(Object.keys(v).sort(), ['code', 'message', 'params', 'path', 'rule'], label);
    assert.ok(typeof v.rule === 'string' && /^[a-z][A-Za-z]+$/.test(v.rule), `${label}: rule ${v.rule}`);
    assert.ok(v.params !== null && typeof v.params === 'object' && !Array.isArray(v.params), label);
    assert.ok(v.path === '' || v.path.startsWith('/'), `${label}: path ${v.path}`);
    assert.ok(typeof v.code === 'string' && v.code.length > 0, label);
    assert.ok(typeof v.message === 'string' && v.message.length > 0, label);
  }
}

/** The Standard Schema view of the same operation answers the same: `{ value }` (the input
 * itself) exactly when there is no violation, else one issue per violation, its path the
 * violation's pointer as keys and its message the violation's words. */
function assertSameAsSchema(client, name, input, violations, label) {
  const result = client.schemas[name[0].toLowerCase() + name.slice(1)]['~standard'].validate(input);
  if (violations.length === 0) {
    assert.deepEqual(Object.keys(result), ['value'], label);
    assert.ok(Object.is(result.value, input), label);
    return;
  }
  const pointer = (keys) => keys.map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
  assert.equal(result.issues.length, violations.length, label);
  result.issues.forEach((issue, i) => {
    const v = violations[i];
    assert.deepEqual([pointer(issue.path), issue.code, issue.rule, issue.params], [v.path, v.code, v.rule, v.params], label);
    assert.ok(issue.message.length > 0 && v.message.endsWith(issue.message), `${label}: ${issue.message} / ${v.message}`);
    assert.ok(issue.path.every((k) => typeof k === 'string' || Number.isInteger(k)), label);
  });
}

test('validateX never throws and answers well-formed violations; prepareX refuses exactly those inputs; the schema view agrees', () => {
  fc.assert(fc.property(value, fc.nat(OPERATIONS.length - 1), (generated, at) => {
    const input = materialize(generated);
    const [client, name] = OPERATIONS[at];
    const label = `${client.constructor.name}.validate${name}`;
    const violations = client[`validate${name}`](input);
    assertViolations(violations, label);
    let prepared;
    let refused;
    try {
      prepared = client[`prepare${name}`](input);
    } catch (error) {
      refused = error;
    }
    assertSameAsSchema(client, name, input, violations, label);
    if (violations.length === 0) {
      assert.equal(refused, undefined, `${label}: refused a valid input: ${refused?.message}`);
      assert.equal(typeof prepared.url, 'string');
    } else {
      assert.ok(refused instanceof TicketwireError, `${label}: ${refused}`);
      assert.equal(refused.kind, 'validation');
      assert.deepEqual(refused.violations, violations);
    }
  }), { numRuns: 3_000 });
});

test('after every hostile value the clients still validate and prepare a good input exactly', () => {
  const [mava] = CLIENTS;
  const good = { customerId: '645abc1234567890abcdef12', message: { content: 'hi' } };
  assert.deepEqual(mava.validateCreateTicket(good), []);
  assert.equal(mava.prepareCreateTicket(good).body, JSON.stringify(good));
});

/** The same data, read value by value: an object whose prototype is not Object.prototype makes
 * the one-pass reader (plainJson) hand it to the careful one, which reads it as plain data. */
function throughTheCarefulReader(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.assign(Object.create({ inherited: 'never read' }), value);
}

test('the one-pass reader of plain inputs answers exactly what the careful reader answers', () => {
  const shaped = fc.letrec((tie) => ({
    any: fc.oneof({ depthSize: 'small' }, fc.jsonValue(), fc.string(), tie('shaped')),
    shaped: fc.dictionary(fc.constantFrom(...FIELDS), tie('any'), { maxKeys: 6 }),
  })).shaped;
  fc.assert(fc.property(shaped, fc.nat(OPERATIONS.length - 1), (input, at) => {
    const [client, name] = OPERATIONS[at];
    assert.deepEqual(client[`validate${name}`](input), client[`validate${name}`](throughTheCarefulReader(input)));
    let fast;
    let careful;
    try { fast = client[`prepare${name}`](input); } catch (error) { fast = error.violations; }
    try { careful = client[`prepare${name}`](throughTheCarefulReader(input)); } catch (error) { careful = error.violations; }
    if (fast?.headers?.['idempotency-key']) {
      careful.headers['idempotency-key'] = fast.headers['idempotency-key']; // a fresh key per call
    }
    assert.deepEqual(fast, careful);
  }), { numRuns: 2_000 });
});

test("the one-pass reader carries any JSON through exactly: Tickiti's data is passed on as given", () => {
  const tickiti = CLIENTS[2];
  const data = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 8 });
  fc.assert(fc.property(data, (payload) => {
    const input = { originator_email_address: 'a@b.co', template_identifier: 'warranty', data: payload };
    const fast = tickiti.prepareCreateTicket(input, { idempotencyKey: 'k-1' });
    const careful = tickiti.prepareCreateTicket(throughTheCarefulReader(input), { idempotencyKey: 'k-1' });
    assert.equal(fast.body, careful.body);
    assert.deepEqual(JSON.parse(fast.body).data, JSON.parse(JSON.stringify(payload)));
  }), { numRuns: 2_000 });
});

test('a toJSON inherited from a polluted prototype is never called: the input is read as the data it holds', () => {
  const [mava] = CLIENTS;
  const good = { customerId: '645abc1234567890abcdef12', tags: ['645abc1234567890abcdef13'] };
  for (const proto of [Object.prototype, Array.prototype]) {
    proto.toJSON = () => 'replaced';
    try {
      assert.deepEqual(mava.validateCreateTicket(good), []);
      assert.equal(mava.prepareCreateTicket(good).body, '{"customerId":"645abc1234567890abcdef12","tags":["645abc1234567890abcdef13"]}');
    } finally {
      delete proto.toJSON;
    }
  }
});

test('every number in a body is written exactly as JSON.stringify writes it (V8 is the oracle)', () => {
  const tickiti = CLIENTS[2];
  const numbers = fc.array(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()), { maxLength: 40 });
  const check = (values) => {
    const input = { originator_email_address: 'a@b.co', template_identifier: 'warranty', data: { values } };
    const fast = tickiti.prepareCreateTicket(input, { idempotencyKey: 'k-1' });
    const careful = tickiti.prepareCreateTicket(throughTheCarefulReader(input), { idempotencyKey: 'k-1' });
    assert.equal(fast.body, JSON.stringify(input));
    assert.equal(careful.body, JSON.stringify(input));
  };
  // Where 17 digits are needed and two are as short, JS prints the one nearer the exact value.
  check([165793407361858.12, 1.6579340736185813e14, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, 1e21, 123e-20]);
  fc.assert(fc.property(numbers, check), { numRuns: 2_000 });
});
