// The quickstart, live against the local sandbox: for Mava, HelpWave and Tickiti in turn, a
// ticket with a message, the customer identified, a reply, and the ticket read back.
// Run: bash scripts/example.sh (it starts the sandbox and sets SANDBOX_URL).
import { HelpWaveClient, MavaClient, TickitiClient, TicketwireError } from 'ticketwire';

const base = process.env.SANDBOX_URL ?? 'http://127.0.0.1:4010';
const day = 86_400_000;
const today = { startDate: new Date(Date.now() - day).toISOString(), endDate: new Date(Date.now() + day).toISOString() };
console.log(`Sandbox at ${base}\n`);

// Mava ----------------------------------------------------------------------------------------
const mava = new MavaClient({ apiKey: 'sandbox_mava_acme', baseUrl: `${base}/mava` });

// A widget shows field errors before anything is sent: the same rules, in the page.
const refused = mava.validateCreateTicket({ customer: { email: 'jane@localhost' }, priority: 5 });
console.log('Mava: a bad form is refused locally:');
for (const v of refused) console.log(`  ${v.path}: ${v.message}`);

const { customerId } = await mava.identify({ emailAddress: 'jane@example.com', customAttributes: [{ label: 'plan', value: 'pro' }] });
console.log(`Mava: identified jane@example.com as customer ${customerId}`);
const { ticket } = await mava.createTicket({ customerId, priority: 3, message: { content: 'I cannot log in to my account.' } });
console.log(`Mava: created ticket ${ticket._id} (priority ${ticket.priority}, ${ticket.messages.length} message)`);
await mava.sendMessage({ ticketId: ticket._id, content: 'A reset link is on its way.' });
await mava.updateTicket({ ticketId: ticket._id, status: 'Resolved' });
const page = await mava.listTickets({ ...today, includeMessages: true });
const listed = page.tickets.find((t) => t._id === ticket._id);
console.log(`Mava: listed ${page.count} ticket(s); ${listed._id} is ${listed.status} with messages:`);
for (const m of listed.messages) console.log(`  [${m.senderType}] ${m.content}`);

// HelpWave ------------------------------------------------------------------------------------
const helpwave = new HelpWaveClient({ apiKey: 'sandbox_helpwave_acme', baseUrl: `${base}/helpwave` });
const { customer, existing } = await helpwave.identify({ email: 'sam@example.com', full_name: 'Sam Shopper' });
console.log(`\nHelpWave: customer ${customer.id} (${existing ? 'found' : 'created'})`);
const { ticket: conversation } = await helpwave.createTicket({ customerId: customer.id, Channel: 'Website', lastMessage: 'Where is my order?' });
console.log(`HelpWave: created ticket ${conversation.id} (a BigInt id, kept as a string)`);
await helpwave.sendMessage({ ticketId: conversation.id, text: 'It ships today.' });
const { comments, totalCount } = await helpwave.listComments(conversation.id);
console.log(`HelpWave: ${totalCount} comment(s): ${comments.map((c) => c.text).join(' | ')}`);

// Tickiti -------------------------------------------------------------------------------------
const tickiti = new TickitiClient({ apiKey: 'sandbox_tickiti_acme', baseUrl: `${base}/tickiti` });
const filed = await tickiti.createTicket({
  originator_email_address: 'marcus@example.com',
  data: { subject: 'Carbon plate cracked', content: 'Order SP-2412-0489.', queue_name: 'Returns' },
});
console.log(`\nTickiti: filed into the ${filed.data.queue} queue (idempotency key generated per call)`);
const { ticket_number } = await tickiti.createTicketUnified({ originator_email_address: 'marcus@example.com', subject: 'Refund', content: 'Please refund order SP-2412-0489.' });
console.log(`Tickiti: created ticket #${ticket_number}`);
const reply = await tickiti.sendMessage({ ticket_number, content: '<p>Your refund is issued.</p>' });
console.log(`Tickiti: replied on #${ticket_number} (response ${reply.data.response_id}, reopened: ${reply.data.reopened})`);

// Errors are typed, whichever provider answers.
try {
  await new MavaClient({ apiKey: 'sandbox_mava_globex', baseUrl: `${base}/mava` }).createTicket({ customerId });
} catch (error) {
  if (!(error instanceof TicketwireError)) throw error;
  console.log(`\nAnother organisation cannot see that customer: ${error.kind} ${error.status} ${error.code}`);
}
console.log('\nDone.');
