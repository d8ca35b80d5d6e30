// The relay a Node server mounts (the express, fastify and hono-node rows), checked from outside
// as the widget uses it, against the sandbox: the CORS preflight, a ticket filed (the answer,
// and what the sandbox then holds), a bad input refused with nothing sent; and, where a body
// parser read the body first, the clear 500; and each client address its own visitor limit.
import { request } from 'node:http';

export const ORIGIN = 'https://shop.example';
export const MAVA_KEY = 'sandbox_mava_acme'; // the sandbox's own key for the "acme" organisation

export function same(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: got ${a}, expected ${e}`);
}

const ticketsInSandbox = async (sandboxUrl) => (await (await fetch(`${sandboxUrl}/_sandbox/counts?org=acme`)).json()).mava_tickets;

/** The ticket `id` as the sandbox holds it, read back with the key (GET /api/tickets). */
async function heldBySandbox(sandboxUrl, id) {
  const day = 86_400_000;
  const query = new URLSearchParams({
    startDate: new Date(Date.now() - day).toISOString(), endDate: new Date(Date.now() + day).toISOString(), includeMessages: 'true', limit: '100',
  });
  const response = await fetch(`${sandboxUrl}/mava/api/tickets?${query}`, { headers: { 'x-auth-token': MAVA_KEY } });
  const { tickets } = await response.json();
  return tickets.find((ticket) => ticket._id === id);
}

const post = (url, body, origin = ORIGIN) => fetch(url, {
  method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify(body),
});

/**
 * The relay served at `relayUrl` (e.g. `http://127.0.0.1:3000/support`) in front of the sandbox:
 * resolves to the names of the checks that passed; throws at the first that did not. `who`
 * names the server in the ticket it files.
 */
export async function checkRelay(relayUrl, sandboxUrl, who) {
  const passed = [];
  const url = `${relayUrl}/mava/api/ticket`;

  const preflight = await fetch(url, {
    method: 'OPTIONS',
    headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  same(
    { status: preflight.status, origin: preflight.headers.get('access-control-allow-origin'), methods: preflight.headers.get('access-control-allow-methods') },
    { status: 204, origin: ORIGIN, methods: 'POST' },
    'the CORS preflight',
  );
  passed.push('preflight');

  const before = await ticketsInSandbox(sandboxUrl);
  const email = `${who}-${Date.now()}@example.com`;
  const content = `Filed through ${who}: where is my order?`;
  const filed = await post(url, { customer: { email, name: 'Jane Doe' }, message: { content } });
  const { ticket } = await filed.json();
  same(
    { status: filed.status, origin: filed.headers.get('access-control-allow-origin'), email: ticket?.customer?.email, content: ticket?.messages?.[0]?.content },
    { status: 201, origin: ORIGIN, email, content },
    'the relay filing a ticket',
  );
  if (!/^[0-9a-f]{24}$/.test(ticket._id)) throw new Error(`the ticket ${JSON.stringify(ticket)} has no ObjectId`);
  same(await ticketsInSandbox(sandboxUrl), before + 1, 'tickets in the sandbox after the relay filed one');
  const held = await heldBySandbox(sandboxUrl, ticket._id);
  same(
    { email: held?.customer?.email, name: held?.customer?.name, messages: held?.messages?.map((m) => [m.senderType, m.content]) },
    { email, name: 'Jane Doe', messages: [['customer', content]] },
    'the ticket as the sandbox holds it',
  );
  passed.push('ticket filed');

  const refused = await post(url, { customer: { email: 'jane@localhost' } });
  same(
    { status: refused.status, body: await refused.json() },
    { status: 400, body: { error: 'VALIDATION_ERROR', message: 'body/customer/email must match format "email"' } },
    'a bad input through the relay',
  );
  const foreign = await post(url, { customer: { email } }, 'https://evil.example');
  same(foreign.status, 403, 'a request from an origin not allowed');
  await foreign.arrayBuffer();
  same(await ticketsInSandbox(sandboxUrl), before + 1, 'tickets in the sandbox after the refusals');
  passed.push('refusals');
  return passed;
}

/** A relay mounted behind a body parser that kept no raw body: a 500 that says so, and nothing sent. */
export async function checkParsedFirst(relayUrl, sandboxUrl) {
  const before = await ticketsInSandbox(sandboxUrl);
  const response = await post(`${relayUrl}/mava/api/ticket`, { customer: { email: 'jane@example.com' }, message: { content: 'eaten' } });
  same(
    { status: response.status, body: await response.json() },
    {
      status: 500,
      body: {
        error: 'RELAY_ERROR',
        message: 'the request body was already read by a body parser (e.g. express.json()) before the relay: mount the relay before the parser, or on a path of its own',
      },
    },
    'the relay behind a body parser',
  );
  same(await ticketsInSandbox(sandboxUrl), before, 'tickets in the sandbox after the parser ate the body');
  return ['parser first: a clear 500'];
}

/** A POST of `body` to `url` from the local address `from` (any of 127.0.0.0/8 on Linux). */
function postFrom(from, url, body) {
  return new Promise((resolve, reject) => {
    const sent = request(url, { method: 'POST', localAddress: from, headers: { origin: ORIGIN, 'content-type': 'application/json' } }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, retryAfter: response.headers['retry-after'] }));
    });
    sent.on('error', reject);
    sent.end(JSON.stringify(body));
  });
}

/**
 * Each client address is a visitor of its own (the server's visitorKey reaches the relay): 30
 * requests a minute from one address (the default limit), the 31st a 429 with retry-after,
 * while another address is still served. The bodies are invalid, so nothing reaches the sandbox.
 */
export async function checkVisitors(relayUrl) {
  const url = `${relayUrl}/mava/api/ticket`;
  const invalid = { customer: { email: 'jane@localhost' } };
  const statuses = [];
  for (let i = 0; i < 31; i++) statuses.push((await postFrom('127.0.0.3', url, invalid)).status);
  const limited = await postFrom('127.0.0.3', url, invalid);
  same([...new Set(statuses.slice(0, 30)), statuses[30], limited.status], [400, 429, 429], 'one address, 32 requests');
  if (!/^[1-9][0-9]*$/.test(limited.retryAfter ?? '')) throw new Error(`a visitor's 429 has retry-after ${limited.retryAfter}`);
  same((await postFrom('127.0.0.4', url, invalid)).status, 400, 'another address meanwhile');
  return ['a visitor per address'];
}
