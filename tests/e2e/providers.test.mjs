// Every operation of every provider through the built package, over real HTTP against the
// sandbox, with read-back: what was created is then listed, answered or counted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HelpWaveClient, MavaClient, TickitiClient, TicketwireError } from 'ticketwire';
import { KEYS, startSandbox } from './sandbox.mjs';

let sandbox;
before(async () => { sandbox = await startSandbox(); });
after(() => sandbox.stop());

const rejection = (promise) => promise.then(() => assert.fail('expected a rejection'), (error) => error);
const today = () => {
  const day = 86_400_000;
  return { startDate: new Date(Date.now() - day).toISOString(), endDate: new Date(Date.now() + day).toISOString() };
};

test('Mava: every operation, read back through fetch tickets', async () => {
  const mava = new MavaClient({ apiKey: KEYS.mava, baseUrl: `${sandbox.url}/mava` });
  const { categories } = await mava.listCategories();
  assert.deepEqual(categories.map((c) => c.name), ['Billing', 'Technical'], 'archived categories are not listed');
  const { agents } = await mava.listAgents();
  assert.equal(agents.length, 2);

  const { customerId } = await mava.identify({ emailAddress: 'jane@example.com', customAttributes: [{ label: 'plan', value: 'pro' }] });
  assert.match(customerId, /^[0-9a-f]{24}$/);
  const { ticket } = await mava.createTicket({
    customerId, priority: 3, category: categories[0]._id, message: { content: 'I cannot log in to my account.' },
  });
  assert.equal(ticket.customer._id, customerId);
  assert.equal(ticket.messages[0].content, 'I cannot log in to my account.');

  const reply = await mava.sendMessage({ ticketId: ticket._id, content: 'Reset link sent.' });
  assert.equal(reply.message.content, 'Reset link sent.');
  assert.deepEqual(await mava.updateTicket({ ticketId: ticket._id, status: 'Resolved', assignedTo: agents[0].id }), { message: 'Ticket updated' });

  const page = await mava.listTickets({ ...today(), status: 'Resolved', includeMessages: true });
  assert.equal(page.count, 1);
  const [listed] = page.tickets;
  assert.equal(listed._id, ticket._id);
  assert.deepEqual(listed.assignedTo, { _id: agents[0].id, name: 'Jane Smith' });
  assert.deepEqual(listed.category, { _id: categories[0]._id, name: 'Billing' });
  assert.equal(typeof listed.resolutionTime, 'number');
  assert.deepEqual(listed.messages.map((m) => [m.senderType, m.content]), [
    ['customer', 'I cannot log in to my account.'],
    ['agent', 'Reset link sent.'],
    ['system', 'Status changed from Open to Resolved'],
    ['system', `Assignee changed from none to ${agents[0].id}`],
  ]);
  const none = await mava.listTickets({ ...today(), status: ['Open', 'Pending'] });
  assert.deepEqual([none.count, none.tickets, none.pagination.hasMore], [0, [], false]);
});

test('Mava: a cross-organisation id is a 404 through the SDK', async () => {
  const acme = new MavaClient({ apiKey: KEYS.mava, baseUrl: `${sandbox.url}/mava` });
  const { customerId } = await acme.identify({ emailAddress: 'owner@acme.example' });
  const globex = new MavaClient({ apiKey: KEYS.mavaGlobex, baseUrl: `${sandbox.url}/mava` });
  const error = await rejection(globex.createTicket({ customerId }));
  assert.ok(error instanceof TicketwireError);
  assert.deepEqual([error.kind, error.status, error.code, error.message], ['api', 404, 'CUSTOMER_NOT_FOUND', 'Mava createTicket failed: 404 CUSTOMER_NOT_FOUND']);
  const unknown = await rejection(new MavaClient({ apiKey: 'sk_not_a_key', baseUrl: `${sandbox.url}/mava` }).listAgents());
  assert.deepEqual([unknown.kind, unknown.status, unknown.code], ['api', 401, undefined]);
});

test('Mava: paging with skip/limit walks every ticket once, hasMore on all pages but the last', async () => {
  const mava = new MavaClient({ apiKey: KEYS.mavaGlobex, baseUrl: `${sandbox.url}/mava` });
  for (let i = 0; i < 5; i++) await mava.createTicket({ customer: { email: `p${i}@globex.example` }, priority: (i % 3) + 1 });
  const seen = [];
  for (let skip = 0; ; skip += 2) {
    const page = await mava.listTickets({ ...today(), limit: 2, skip, sortBy: 'priority', sortOrder: 'asc' });
    assert.equal(page.count, 5);
    seen.push(...page.tickets);
    if (!page.pagination.hasMore) break;
  }
  assert.equal(new Set(seen.map((t) => t._id)).size, 5);
  assert.deepEqual(seen.map((t) => t.priority), [1, 1, 2, 2, 3]);
});

test('HelpWave: identify, create, comment, list comments; the BigInt id survives', async () => {
  const helpwave = new HelpWaveClient({ apiKey: KEYS.helpwave, baseUrl: `${sandbox.url}/helpwave` });
  const created = await helpwave.identify({ email: 'shopper@acme.example', full_name: 'Sam Shopper' });
  assert.deepEqual([created.success, created.existing], [true, false]);
  const again = await helpwave.identify({ email: 'shopper@acme.example' });
  assert.deepEqual([again.existing, again.customer.id], [true, created.customer.id]);

  const { ticket } = await helpwave.createTicket({ customerId: created.customer.id, Channel: 'Website', lastMessage: 'Where is my order?' });
  assert.match(ticket.id, /^\d{18}$/);
  assert.ok(BigInt(ticket.id) > BigInt(Number.MAX_SAFE_INTEGER));
  await helpwave.sendMessage({ ticketId: ticket.id, text: 'It ships today.', toEmails: ['shopper@acme.example'] });
  const { comments, totalCount } = await helpwave.listComments(ticket.id);
  assert.equal(totalCount, 1);
  assert.deepEqual([comments[0].ticketId, comments[0].text, comments[0].Channel], [ticket.id, 'It ships today.', 'Website']);

  const missing = await rejection(helpwave.createTicket({ customerId: 999999, Channel: 'Mail' }));
  assert.deepEqual([missing.kind, missing.status, missing.code], ['api', 404, 'Customer not found']);
  const foreign = new HelpWaveClient({ apiKey: KEYS.helpwaveGlobex, baseUrl: `${sandbox.url}/helpwave` });
  const crossOrg = await rejection(foreign.listComments(ticket.id));
  assert.deepEqual([crossOrg.status, crossOrg.code], [404, 'Ticket not found']);
});

test('Tickiti: the three shapes, unified create, and a response on the new ticket', async () => {
  const tickiti = new TickitiClient({ apiKey: KEYS.tickiti, baseUrl: `${sandbox.url}/tickiti` });
  const before = await sandbox.counts();
  const a = await tickiti.createTicket({ originator_email_address: 'marcus@example.com', data: { subject: 'Cracked plate', content: 'Order SP-2412-0489.', queue_name: 'Returns' } });
  assert.deepEqual(a, { ok: true, data: { queue: 'Returns', used_template: false, used_intervention: false, used_private_template: false, used_public_template: false } });
  const b = await tickiti.createTicket({ originator_email_address: 'marcus@example.com', template_identifier: 'warranty_acknowledgement', data: { product: 'Vapor Pro 3' } });
  assert.deepEqual([b.data.queue, b.data.used_template, b.data.used_public_template], ['Returns', true, true]);
  const c = await tickiti.createTicket({ originator_email_address: 'marcus@example.com', intervention: 'warranty_claim', uid: 'crm-1', data: {} });
  assert.deepEqual([c.data.queue, c.data.used_intervention], ['Claims', true]);

  const unified = await tickiti.createTicketUnified({ originator_email_address: 'marcus@example.com', subject: 'Refund', content: 'Please refund.' });
  assert.equal(typeof unified.secure_id, 'string');
  const responded = await tickiti.sendMessage({ ticket_number: unified.ticket_number, content: '<p>Refund issued.</p>', is_internal: false });
  assert.deepEqual([responded.ok, responded.data.ticket_id, responded.data.reopened], [true, unified.ticket_id, false]);

  const afterCounts = await sandbox.counts();
  assert.equal(afterCounts.tickiti_tickets - before.tickiti_tickets, 4);
  assert.equal(afterCounts.tickiti_responses - before.tickiti_responses, 5, 'four first responses and one reply');

  const unknownQueue = await rejection(tickiti.createTicket({ originator_email_address: 'm@example.com', data: { subject: 's', content: 'c', queue_name: 'Nowhere' } }));
  assert.deepEqual([unknownQueue.status, unknownQueue.code], [422, 'validation_failed']);
  assert.deepEqual(unknownQueue.body, { code: 'validation_failed', message: 'The selected queue is invalid.' }, 'the raw body, as sent');
  const readonly = new TickitiClient({ apiKey: KEYS.tickitiReadonly, baseUrl: `${sandbox.url}/tickiti` });
  const forbidden = await rejection(readonly.createTicketUnified({ originator_email_address: 'm@example.com', content: 'c' }));
  assert.deepEqual([forbidden.status, forbidden.code], [403, 'forbidden']);
  const unauthenticated = await rejection(new TickitiClient({ apiKey: 'sk_not_a_key', baseUrl: `${sandbox.url}/tickiti` }).sendMessage({ ticket_number: 100001, content: 'x' }));
  assert.deepEqual([unauthenticated.status, unauthenticated.code], [401, 'unauthenticated']);
});

test('Tickiti: the same key and body replay, another body conflicts (over HTTP)', async () => {
  const tickiti = new TickitiClient({ apiKey: KEYS.tickiti, baseUrl: `${sandbox.url}/tickiti` });
  const input = { originator_email_address: 'replay@example.com', data: { subject: 'Once', content: 'Only once.' } };
  const before = (await sandbox.counts()).tickiti_tickets;
  const first = await tickiti.createTicket(input, { idempotencyKey: 'replay-key-1' });
  const replay = await tickiti.createTicket(input, { idempotencyKey: 'replay-key-1' });
  assert.deepEqual(replay, first);
  assert.equal((await sandbox.counts()).tickiti_tickets - before, 1);
  const conflict = await rejection(tickiti.createTicket({ ...input, data: { subject: 'Twice', content: 'Changed.' } }, { idempotencyKey: 'replay-key-1' }));
  assert.deepEqual([conflict.kind, conflict.status, conflict.code], ['api', 409, 'idempotency_key_conflict']);
  assert.equal((await sandbox.counts()).tickiti_tickets - before, 1);
});
