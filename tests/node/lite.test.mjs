// `ticketwire/lite` from the built package: the visitor's surface (the operations a relay may
// serve a visitor, CONTRACT §6), from a wasm of its own. Its validateX and prepareX answer
// exactly what the full entry's do on the same inputs (the documented examples and the tests'
// invalid ones), nothing else is there, a key is refused, and a call goes through a real relay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as full from 'ticketwire';
import * as lite from 'ticketwire/lite';
import { CUSTOMER_ID, SECRET, rejection, thrown } from './helpers.mjs';

const root = new URL('../../', import.meta.url).pathname;
const BASE = { mava: 'https://relay.example/mava', helpwave: 'https://relay.example/helpwave', tickiti: 'https://relay.example/tickiti' };
const clients = (sdk) => ({
  mava: new sdk.MavaClient({ baseUrl: BASE.mava }),
  helpwave: new sdk.HelpWaveClient({ baseUrl: BASE.helpwave }),
  tickiti: new sdk.TickitiClient({ baseUrl: BASE.tickiti }),
});
const marcus = 'marcus@trailblazers-club.example';

// Each visitor operation's inputs: the providers' documented examples (examples/node/prepare-docs.mjs)
// and invalid ones of every kind (types, formats, limits, unknown fields, cross-field rules,
// numbers that print as V8 prints them), and values that only the careful reader takes.
const INPUTS = {
  mava: {
    CreateTicket: [
      { customerId: CUSTOMER_ID },
      { customer: { email: 'jane@example.com', name: 'Jane Doe' }, priority: 3, message: { content: 'I cannot log in to my account.' } },
      { customer: { email: 'legacy@example.com' }, status: 'Resolved', sourceType: 'email', message: { content: 'Imported from legacy system.' }, silent: true },
      { customerId: CUSTOMER_ID, priority: 4, staus: 'Open', tags: Array(21).fill(CUSTOMER_ID) },
      { customerId: CUSTOMER_ID, customer: { email: 'jane@localhost' } },
      { customer: { name: 'Jane' }, priority: 1e21, emailSubjectLine: 'x'.repeat(999) },
      { customerId: CUSTOMER_ID, priority: 0.1 + 0.2, message: { content: 'x', attachments: [{ url: 'http://s3.amazonaws.com/a.png', fileName: 'a', fileSize: 165793407361858.12 }] } },
      { customerId: CUSTOMER_ID, message: { content: 'x', attachments: [{ url: 'https://s3.amazonaws.com/app.mava.x/a.png', fileName: 'a', fileSize: 5e-324 }] } },
      { customerId: CUSTOMER_ID, priority: -0, silent: undefined, tags: [1n] },
      {}, null, 'text', [CUSTOMER_ID],
    ],
    Identify: [
      { emailAddress: '', mavaCustomerId: '', customAttributes: [{ label: 'exampleLabel', value: 'exampleValue' }] },
      { emailAddress: 'jane@example.com', customAttributes: [{ label: 'exampleLabel', value: 'exampleValue' }] },
      { emailAddress: 'jane@', plaformUserId: 12.5, extra: true },
      {},
    ],
  },
  helpwave: {
    CreateTicket: [
      {
        customerId: 123, Channel: 'Mail', name: 'Refund request', threadId: 'thread-001', emailUsed: 'support@example.com',
        lastMessage: 'Hello, I need a refund.', contact_reason: 'refund', assigned_to: 45, isOpenedTicket: true, unReadChatCount: 1,
        tags: ['refund', 'vip'], language_code: 'en', via: 'api',
      },
      { customerId: 1, Channel: 'Mail', date: '2026-02-03' },
      { customerId: 9007199254740993, Channel: 'Fax', unReadChatCount: 1.5 },
      { customerId: '123', Channel: 'Mail', tags: 'refund' },
    ],
    Identify: [
      { email: 'jane@example.com', first_name: 'Jane' },
      { email: 'not-an-email', phone_number: 15112345 },
      {},
    ],
    SendMessage: [
      { ticketId: '987654321012345678', text: 'Refund sent.' },
      { ticketId: '1', text: ' \n' },
      { ticketId: 12, text: 'x', private: true },
    ],
  },
  tickiti: {
    CreateTicket: [
      {
        originator_email_address: marcus,
        data: { queue_name: 'Returns', subject: 'Carbon plate cracked on first marathon', content: 'The Vapor Pro 3 plate snapped at mile 14.' },
      },
      {
        originator_email_address: marcus, template_identifier: 'warranty_acknowledgement',
        data: { queue_name: 'Returns', order_reference: 'SP-2412-0489', product: 'Vapor Pro 3', total: 1234.5, ratio: 1e-7, big: 2 ** 64 },
      },
      { originator_email_address: marcus, intervention: 'warranty_claim', uid: 'crm-claim-58221', data: { order_reference: 'SP-2412-0489' } },
      { originator_email_address: 'a@b.co', template_identifier: 't', data: { total: 10n } },
      { originator_email_address: 'a@b.co', template_identifier: 't', intervention: 'x', data: {} },
    ],
    CreateTicketUnified: [
      { originator_email_address: marcus, subject: 'Cracked plate', content: 'It snapped at mile 14.' },
      { originator_email_address: 'nope', subject: '', content: 'x'.repeat(70_000) },
      {},
    ],
    SendMessage: [
      { ticket_id: 482113, content: 'A photo of the plate is attached.' },
      { ticket_id: -1, content: '' },
    ],
  },
};

/** What `fn` returned, or the fields of what it threw: compared whole. */
function outcome(fn) {
  try {
    return { returned: fn() };
  } catch (error) {
    return { threw: { ...error.toJSON(), isTicketwireError: error instanceof full.TicketwireError || error instanceof lite.TicketwireError } };
  }
}

test('each visitor operation validates and prepares exactly as the full entry does, on the same inputs', () => {
  const [f, l] = [clients(full), clients(lite)];
  let compared = 0;
  for (const [provider, operations] of Object.entries(INPUTS)) {
    for (const [operation, inputs] of Object.entries(operations)) {
      for (const input of inputs) {
        // Tickiti's create and send take an Idempotency-Key: a fixed one, else each prepare makes its own.
        const options = provider === 'tickiti' && operation !== 'CreateTicketUnified' ? { idempotencyKey: 'lite-test-1' } : undefined;
        const expected = f[provider][`validate${operation}`](input);
        assert.deepEqual(l[provider][`validate${operation}`](input), expected, `${provider} validate${operation}`);
        const prepared = outcome(() => f[provider][`prepare${operation}`](input, options));
        assert.deepEqual(outcome(() => l[provider][`prepare${operation}`](input, options)), prepared, `${provider} prepare${operation}`);
        compared += 1;
      }
    }
  }
  assert.equal(compared, 37);
  // Both kinds of answer were compared: requests, and validation errors.
  assert.deepEqual(l.mava.prepareCreateTicket({ customerId: CUSTOMER_ID }), {
    method: 'POST', url: 'https://relay.example/mava/api/ticket', headers: { 'content-type': 'application/json' }, body: `{"customerId":"${CUSTOMER_ID}"}`,
  });
  const error = thrown(() => l.mava.prepareCreateTicket({ customerId: CUSTOMER_ID, priority: 1e21 }));
  assert.equal(error instanceof lite.TicketwireError, true);
  assert.deepEqual([error.kind, error.violations.map(({ path, code, message }) => [path, code, message])],
    ['validation', [['/priority', 'VALIDATION_ERROR', 'body/priority must be equal to one of the allowed values']]]);
});

test('the visitor surface: each class has only the visitor operations, conversation and schemas', () => {
  const methods = (sdk, name) => Object.getOwnPropertyNames(sdk[name].prototype).filter((m) => !['constructor', 'free', '__destroy_into_raw'].includes(m)).sort();
  const triples = (...names) => names.flatMap((n) => [n, `validate${n[0].toUpperCase()}${n.slice(1)}`, `prepare${n[0].toUpperCase()}${n.slice(1)}`]);
  assert.deepEqual(methods(lite, 'MavaClient'), [...triples('createTicket', 'identify'), 'conversation', 'listCategories', 'schemas'].sort());
  assert.deepEqual(methods(lite, 'HelpWaveClient'), [...triples('createTicket', 'identify', 'sendMessage'), 'conversation', 'listComments', 'schemas'].sort());
  assert.deepEqual(methods(lite, 'TickitiClient'), [...triples('createTicket', 'createTicketUnified', 'sendMessage'), 'schemas'].sort());
  // What the full entry has beyond it: the operations a relay never serves a visitor.
  const gone = (name) => methods(full, name).filter((m) => !methods(lite, name).includes(m));
  assert.deepEqual(gone('MavaClient'), [...triples('listTickets', 'sendMessage', 'updateTicket'), 'iterateTickets', 'listAgents'].sort());
  assert.deepEqual([gone('HelpWaveClient'), gone('TickitiClient')], [[], []]);
  const { mava, helpwave, tickiti } = clients(lite);
  assert.equal(mava.listTickets, undefined);
  assert.equal(mava.iterateTickets, undefined);
  assert.equal(mava.sendMessage, undefined);
  assert.deepEqual(Object.keys(lite).sort(), ['HelpWaveClient', 'MavaClient', 'TicketwireError', 'TickitiClient']);
  // Its Standard Schema views are those of its operations, and answer as the full entry's.
  assert.deepEqual(Object.keys(mava.schemas), ['createTicket', 'identify']);
  assert.deepEqual(Object.keys(helpwave.schemas), ['createTicket', 'identify', 'sendMessage']);
  assert.deepEqual(Object.keys(tickiti.schemas), ['createTicket', 'createTicketUnified', 'sendMessage']);
  const input = { customer: { email: 'jane@localhost' } };
  assert.deepEqual(mava.schemas.createTicket['~standard'].validate(input), clients(full).mava.schemas.createTicket['~standard'].validate(input));
});

test('a client given an apiKey throws a config TicketwireError that says to import the full entry', () => {
  for (const [name, options] of [['MavaClient', { apiKey: SECRET }], ['HelpWaveClient', { apiKey: SECRET, baseUrl: BASE.helpwave }], ['TickitiClient', { apiKey: '', baseUrl: BASE.tickiti }]]) {
    const error = thrown(() => new lite[name](options));
    assert.equal(error instanceof lite.TicketwireError, true);
    assert.deepEqual({ kind: error.kind, provider: error.provider, operation: error.operation, message: error.message }, {
      kind: 'config', provider: { MavaClient: 'mava', HelpWaveClient: 'helpwave', TickitiClient: 'tickiti' }[name], operation: 'constructor',
      message: `${name} was given an apiKey, but ticketwire/lite holds no key: it calls a relay that adds the key (baseUrl: the relay's URL for the provider). To hold a key (a server, or a page with dangerouslyAllowBrowser: true), import the full entry, 'ticketwire', instead.`,
    });
    assert.doesNotMatch(JSON.stringify(error), new RegExp(SECRET));
  }
  // Other options are read as the full entry reads them.
  assert.equal(thrown(() => new lite.HelpWaveClient({})).message, thrown(() => new full.HelpWaveClient({})).message);
});

test('calls go through a relay: the capability comes back, a 503 is retried with the same Idempotency-Key', async () => {
  const ORIGIN = 'https://shop.example';
  const seen = [];
  let tickitiCalls = 0;
  const relay = full.createRelay({
    helpwave: { apiKey: 'sk_helpwave_relay_key_1', baseUrl: 'https://helpwave.upstream.example', operations: ['createTicket', 'identify', 'sendMessage', 'listComments'] },
    tickiti: { apiKey: 'sk_tickiti_relay_key_1', baseUrl: 'https://tickiti.upstream.example' },
    allowedOrigins: [ORIGIN],
    capabilitySecret: 'c'.repeat(32),
    visitorKey: () => 'visitor-1',
    fetch: async (url, init) => {
      seen.push({ url, method: init.method, headers: { ...init.headers }, body: init.body ?? null });
      if (url.endsWith('/api/v1/customers')) return Response.json({ success: true, existing: true, customer: { id: 123, email: 'jane@example.com', first_name: 'Jane' } });
      if (url.endsWith('/api/v1/tickets')) return Response.json({ success: true, ticket: { id: '987654321012345678', customerID: 123 } });
      if (url.endsWith('/comments') && init.method === 'POST') return Response.json({ success: true, comment: { id: 1, text: JSON.parse(init.body).text } });
      if (url.endsWith('/comments')) return Response.json({ success: true, comments: [{ id: 1, text: 'Refund sent.' }], totalCount: 1 });
      if (url.endsWith('/api/create_ticket')) {
        tickitiCalls += 1;
        return tickitiCalls === 1 ? new Response('busy', { status: 503 }) : Response.json({ ticket_number: 482113, ticket_id: 9, secure_id: 's' }, { status: 201 });
      }
      return new Response('not found', { status: 404 });
    },
  });
  // The page's fetch is the relay's, as a browser would reach it (its Origin set).
  const viaRelay = async (url, init) => relay.fetch(new Request(url, { ...init, headers: { ...init.headers, origin: ORIGIN } }));
  const helpwave = new lite.HelpWaveClient({ baseUrl: BASE.helpwave, fetch: viaRelay });
  // The relay names a customer only to whoever holds its capability (from identify), as the widget sends.
  const identified = await helpwave.identify({ email: 'jane@example.com', first_name: 'Jane' });
  assert.equal(identified.customer.id, 123);
  const created = await helpwave.createTicket({ customerId: 123, Channel: 'Mail', name: 'Refund request' }, { capability: identified.capability });
  assert.equal(created.ticket.id, '987654321012345678');
  assert.equal(typeof created.capability, 'string');
  assert.deepEqual(seen.map(({ url, method }) => [url, method]), [
    ['https://helpwave.upstream.example/api/v1/customers', 'POST'], ['https://helpwave.upstream.example/api/v1/tickets', 'POST'],
  ]);
  assert.equal(seen[1].body, '{"customerId":123,"Channel":"Mail","name":"Refund request"}');
  const capability = created.capability;
  await helpwave.sendMessage({ ticketId: '987654321012345678', text: 'Any news?' }, { capability });
  const { comments } = await helpwave.listComments('987654321012345678', { capability });
  assert.deepEqual(comments, [{ id: 1, text: 'Refund sent.' }]);
  // Without the ticket's capability the relay refuses, and the error says so.
  const refused = await rejection(helpwave.sendMessage({ ticketId: '987654321012345678', text: 'Any news?' }));
  assert.deepEqual([refused instanceof lite.TicketwireError, refused.kind, refused.status], [true, 'api', 403]);

  const tickiti = new lite.TickitiClient({ baseUrl: BASE.tickiti, fetch: viaRelay });
  const ticket = await tickiti.createTicket(INPUTS.tickiti.CreateTicket[0], { idempotencyKey: 'visit-58221' });
  assert.equal(ticket.ticket_number, 482113);
  const attempts = seen.filter((r) => r.url.endsWith('/api/create_ticket'));
  assert.deepEqual(attempts.map((r) => r.headers['idempotency-key']), ['visit-58221', 'visit-58221']);
  // A bad input is refused before anything is sent.
  const before = seen.length;
  const invalid = await rejection(tickiti.createTicket({ ...INPUTS.tickiti.CreateTicket[0], originator_email_address: 'nope' }));
  assert.deepEqual([invalid.kind, invalid.violations.map((v) => v.path), seen.length], ['validation', ['/originator_email_address'], before]);
});

test('every property test of the full entry holds for it: hostile values, the one-pass reader, numbers written as V8 writes them', () => {
  // tests/node/properties.test.mjs, its import switched to ticketwire/lite (its numbers off the
  // fast paths are the host's String(n) and Number(text)).
  const out = execFileSync(process.execPath, ['--test', `${root}tests/node/properties.test.mjs`], {
    // Without the runner's NODE_TEST_CONTEXT, the child prints its own report.
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT')), TICKETWIRE_ENTRY: 'ticketwire/lite' },
    encoding: 'utf8',
  });
  assert.match(out, /^# fail 0$/m);
  assert.match(out, /^ok \d+ - every number in a body is written exactly as JSON\.stringify writes it \(V8 is the oracle\)$/m);
});

test('its types compile under strict TypeScript, with only the visitor methods (tests/types/lite)', () => {
  execFileSync(`${root}node_modules/.bin/tsc`, ['-p', `${root}tests/types/lite`], { stdio: 'pipe' });
});

test('the lite wasm is its own file, smaller than the full page build', () => {
  const size = (file) => readFileSync(`${root}pkg/${file}`).length;
  assert.ok(size('lite/ticketwire_bg.wasm') < size('web/ticketwire_bg.wasm'));
  const exports = JSON.parse(readFileSync(`${root}pkg/package.json`, 'utf8')).exports['./lite'];
  assert.deepEqual(exports, {
    browser: { types: './lite.d.ts', default: './lite.mjs' },
    import: { types: './lite.d.ts', default: './lite.mjs' },
    default: { types: './lite.d.ts', default: './lite.mjs' },
  });
});
