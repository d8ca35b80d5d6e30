// A gateway in front of the sandbox that lets the origin commit, then answers 502 or 504
// (CONTRACT §4, revised): no create is ever filed twice, counted in the sandbox's database.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { HelpWaveClient, MavaClient, TickitiClient } from 'ticketwire';
import { KEYS, startSandbox } from './sandbox.mjs';

let sandbox;
let gateway;
/** What the gateway does with the next requests: 'fail-after-commit' answers `status` after the origin answered. */
const plan = { failures: 0, status: 502, forwarded: 0 };

before(async () => {
  sandbox = await startSandbox();
  gateway = http.createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const headers = { ...request.headers };
    delete headers.host;
    delete headers['content-length'];
    // Forward to the origin and wait for its answer: by then it has committed.
    const origin = await fetch(`${sandbox.url}${request.url}`, {
      method: request.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const body = await origin.text();
    plan.forwarded += 1;
    if (plan.failures > 0) {
      plan.failures -= 1;
      response.writeHead(plan.status, { 'content-type': 'text/html' });
      response.end(`<html><body><h1>${plan.status} from the gateway</h1></body></html>`);
      return;
    }
    response.writeHead(origin.status, { 'content-type': origin.headers.get('content-type') ?? 'application/json' });
    response.end(body);
  });
  await new Promise((resolve) => gateway.listen(0, '127.0.0.1', resolve));
});
after(async () => {
  gateway.close();
  await sandbox.stop();
});
beforeEach(async () => {
  await sandbox.control('reset');
  Object.assign(plan, { failures: 0, forwarded: 0 });
});

const through = () => `http://127.0.0.1:${gateway.address().port}`;
const rejection = (promise) => promise.then(() => assert.fail('expected a rejection'), (error) => error);

const CREATES = [
  {
    name: 'Mava createTicket',
    table: 'mava_tickets',
    send: () => new MavaClient({ apiKey: KEYS.mava, baseUrl: `${through()}/mava` })
      .createTicket({ customer: { email: 'gateway@acme.example' }, message: { content: 'Once.' } }),
  },
  {
    name: 'HelpWave createTicket',
    table: 'helpwave_tickets',
    send: () => new HelpWaveClient({ apiKey: KEYS.helpwave, baseUrl: `${through()}/helpwave` })
      .createTicket({ customerId: 123, Channel: 'Website', lastMessage: 'Once.' }),
  },
  {
    name: 'Tickiti createTicketUnified',
    table: 'tickiti_tickets',
    send: () => new TickitiClient({ apiKey: KEYS.tickiti, baseUrl: `${through()}/tickiti` })
      .createTicketUnified({ originator_email_address: 'gateway@acme.example', content: 'Once.' }),
  },
];

for (const status of [502, 504]) {
  for (const create of CREATES) {
    test(`${create.name}: a gateway ${status} after the origin committed is not retried, and the ticket exists once`, async () => {
      Object.assign(plan, { failures: 1, status });
      const error = await rejection(create.send());
      assert.deepEqual([error.kind, error.status], ['api', status]);
      assert.equal(error.body, `<html><body><h1>${status} from the gateway</h1></body></html>`);
      assert.equal(plan.forwarded, 1, 'one request reached the origin');
      assert.equal((await sandbox.counts())[create.table], 1);
    });
  }

  test(`Tickiti createTicket: a gateway ${status} is retried with the same key, and the origin replays: one ticket`, async () => {
    Object.assign(plan, { failures: 1, status });
    const tickiti = new TickitiClient({ apiKey: KEYS.tickiti, baseUrl: `${through()}/tickiti` });
    const result = await tickiti.createTicket({ originator_email_address: 'gateway@acme.example', data: { subject: 's', content: 'c' } });
    assert.equal(result.ok, true);
    assert.equal(plan.forwarded, 2, 'retried once through the gateway');
    assert.equal((await sandbox.counts()).tickiti_tickets, 1);
  });
}
