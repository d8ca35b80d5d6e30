// The one smoke check every ecosystem row runs, wherever it runs (Node, Deno, Bun, workerd, a
// bundled page, Jest, Vitest): plain ES, only the host's fetch and Response. Resolves to the
// names of the checks that passed; throws at the first that did not, saying what differed.

const VALID = { customer: { email: 'jane@example.com', name: 'Jane Doe' }, message: { content: 'Where is my order?' } };
const VALID_BODY = '{"customer":{"email":"jane@example.com","name":"Jane Doe"},"message":{"content":"Where is my order?"}}';
const INVALID = { customer: { email: 'jane@localhost' } };
const INVALID_VIOLATIONS = [{
  path: '/customer/email', code: 'VALIDATION_ERROR', message: 'body/customer/email must match format "email"', rule: 'format', params: { format: 'email' },
}];
// What every entry exports at run time: the value exports of index.d.ts, exactly (the tsc row
// checks the types' side).
export const EXPORTS = [
  'HelpWaveClient', 'MavaClient', 'TicketwireConversationObject', 'TicketwireError', 'TicketwireRateLimitObject', 'TickitiClient',
  'createRelay', 'durableObjectConversations', 'durableObjectRateLimiter', 'verifyMavaWebhook',
];
const KEY = 'sandbox_mava_acme'; // the sandbox's own key for the "acme" organisation

function same(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: got ${a}, expected ${e}`);
}

async function rejection(promise, what) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error(`${what}: resolved, expected a TicketwireError`);
}

const ticketsInSandbox = async (sandboxUrl) => (await (await fetch(`${sandboxUrl}/_sandbox/counts?org=acme`)).json()).mava_tickets;

/** `ticketwire` is the module as the row imported it; `sandboxUrl` the running sandbox's origin. */
export async function smoke(ticketwire, sandboxUrl) {
  const { MavaClient, TicketwireError } = ticketwire;
  const passed = [];
  same(Object.keys(ticketwire).filter((name) => name !== 'default' && name !== '__esModule').sort(), EXPORTS, 'the exports');
  passed.push('exports');
  const baseUrl = `${sandboxUrl}/mava`;
  // A page may hold a key only when it says so; elsewhere the option changes nothing.
  const mava = new MavaClient({ apiKey: KEY, baseUrl, dangerouslyAllowBrowser: true, maxRetries: 0 });

  same(mava.validateCreateTicket(INVALID), INVALID_VIOLATIONS, 'validate an invalid input');
  same(mava.validateCreateTicket(VALID), [], 'validate a valid input');
  // The Standard Schema view form libraries take: the same rules, the path as keys.
  const schema = mava.schemas.createTicket['~standard'];
  same(schema.validate(INVALID), { issues: [{ message: 'must match format "email"', path: ['customer', 'email'], code: 'VALIDATION_ERROR', rule: 'format', params: { format: 'email' } }] }, 'a Standard Schema issue');
  if (schema.validate(VALID).value !== VALID) throw new Error('a Standard Schema view answers { value } for a valid input');
  passed.push('validate');

  const prepared = mava.prepareCreateTicket(VALID);
  same(
    { method: prepared.method, url: prepared.url, headers: prepared.headers, body: prepared.body },
    { method: 'POST', url: `${baseUrl}/api/ticket`, headers: { 'x-auth-token': KEY, 'content-type': 'application/json' }, body: VALID_BODY },
    'prepare',
  );
  passed.push('prepare');

  const sent = [];
  const injected = new MavaClient({
    apiKey: KEY, baseUrl, dangerouslyAllowBrowser: true,
    fetch: async (url, init) => {
      sent.push({ url: String(url), method: init.method, body: init.body });
      return new Response('{"ticket":{"_id":"t1"}}', { status: 201, headers: { 'content-type': 'application/json' } });
    },
  });
  same(await injected.createTicket(VALID), { ticket: { _id: 't1' } }, 'a call through an injected fetch');
  same(sent, [{ url: `${baseUrl}/api/ticket`, method: 'POST', body: VALID_BODY }], 'what the injected fetch was sent');
  passed.push('injected fetch');

  const before = await ticketsInSandbox(sandboxUrl);
  const { ticket } = await mava.createTicket(VALID);
  if (!/^[0-9a-f]{24}$/.test(ticket?._id)) throw new Error(`a real call: ticket ${JSON.stringify(ticket)} has no ObjectId`);
  same(await ticketsInSandbox(sandboxUrl), before + 1, 'tickets in the sandbox after the real call');
  passed.push('sandbox call');

  const invalid = await rejection(mava.createTicket(INVALID), 'createTicket(invalid)');
  if (!(invalid instanceof TicketwireError) || !(invalid instanceof Error)) throw new Error(`createTicket(invalid) threw ${invalid}, not a TicketwireError`);
  same({ kind: invalid.kind, operation: invalid.operation, violations: invalid.violations }, { kind: 'validation', operation: 'createTicket', violations: INVALID_VIOLATIONS }, 'the validation error');
  const wrongKey = new MavaClient({ apiKey: 'sandbox_mava_nobody', baseUrl, dangerouslyAllowBrowser: true, maxRetries: 0 });
  const refused = await rejection(wrongKey.createTicket(VALID), 'createTicket with an unknown key');
  if (!(refused instanceof TicketwireError)) throw new Error(`an unknown key threw ${refused}, not a TicketwireError`);
  same({ kind: refused.kind, provider: refused.provider, status: refused.status }, { kind: 'api', provider: 'mava', status: 401 }, 'the sandbox refusing an unknown key');
  passed.push('TicketwireError');
  return passed;
}
