// The demo's one command for an agent's reply (www/reply.mjs), run as the README says against a
// sandbox: the latest Mava ticket answered (an ExternalMessage), a note with --internal (an
// InternalNote), a HelpWave ticket by its id as the shop, and a refusal in words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HelpWaveClient, MavaClient } from 'ticketwire';
import { KEYS, startSandbox } from '../e2e/sandbox.mjs';

const REPLY = fileURLToPath(new URL('../../www/reply.mjs', import.meta.url));
let sandbox;
before(async () => { sandbox = await startSandbox(); });
after(() => sandbox?.stop());

/** Runs the command with SANDBOX_URL set; resolves to { code, stdout, stderr }. */
const run = (...args) => new Promise((resolve) => {
  execFile(process.execPath, [REPLY, ...args], { env: { ...process.env, SANDBOX_URL: sandbox.url } }, (error, stdout, stderr) => {
    resolve({ code: error?.code ?? 0, stdout, stderr });
  });
});

test('node www/reply.mjs answers the latest Mava ticket, or writes an internal note', async () => {
  const mava = new MavaClient({ apiKey: KEYS.mava, baseUrl: `${sandbox.url}/mava` });
  await mava.createTicket({ customer: { email: 'old@example.com' }, message: { content: 'An older one' } });
  const { ticket } = await mava.createTicket({ customer: { email: 'jane@example.com' }, message: { content: 'My parcel is late.' } });
  assert.deepEqual(await run('It ships today.'), { code: 0, stdout: `A reply on ticket ${ticket._id}: "It ships today."\n`, stderr: '' });
  assert.deepEqual(await run('--internal', 'Refund approved.'), { code: 0, stdout: `An internal note on ticket ${ticket._id}: "Refund approved."\n`, stderr: '' });
  const day = 86_400_000;
  const { tickets } = await mava.listTickets({
    startDate: new Date(Date.now() - day).toISOString(), endDate: new Date(Date.now() + day).toISOString(), includeMessages: true, limit: 1,
  });
  assert.deepEqual(tickets[0].messages.map((m) => [m.messageType, m.content]), [
    ['ExternalMessage', 'My parcel is late.'],
    ['ExternalMessage', 'It ships today.'],
    ['InternalNote', 'Refund approved.'],
  ]);
});

test('node www/reply.mjs TICKET_ID answers a HelpWave ticket as the shop; a bad id is refused in words', async () => {
  const helpwave = new HelpWaveClient({ apiKey: KEYS.helpwave, baseUrl: `${sandbox.url}/helpwave` });
  const { customer } = await helpwave.identify({ email: 'kim@example.com' });
  const { ticket } = await helpwave.createTicket({ customerId: customer.id, Channel: 'Website', lastMessage: 'Did it leave?' });
  assert.equal((await run(String(ticket.id), 'It left this morning.')).code, 0);
  const { comments } = await helpwave.listComments(ticket.id);
  assert.deepEqual(comments.map((c) => [c.isFromShop, c.text]), [[true, 'It left this morning.']]);
  assert.deepEqual(await run('order-12', 'Hello'), {
    code: 1, stdout: '', stderr: 'Not sent: order-12 is neither a Mava ticket id (24 hex digits) nor a HelpWave one (digits)\n',
  });
  assert.deepEqual(await run('--internal', String(ticket.id), 'Psst'), { code: 1, stdout: '', stderr: 'Not sent: HelpWave has no internal notes: leave out --internal\n' });
  assert.equal((await run()).code, 2);
});
