// Validates and prepares every example of Mava's API docs, and prints the exact requests the
// SDK would send (or why it refuses). Nothing is sent: there is no key and no network here.
// Run: bash scripts/example.sh
import { MavaClient, TicketwireError } from 'ticketwire';

const mava = new MavaClient({ apiKey: 'YOUR_API_KEY' });

const EXAMPLES = [
  ['Create ticket — minimal with existing customer', 'CreateTicket', { customerId: '645abc1234567890abcdef12' }],
  ['Create ticket — find-or-create by email with message', 'CreateTicket', {
    customer: { email: 'jane@example.com', name: 'Jane Doe' }, priority: 3, message: { content: 'I cannot log in to my account.' },
  }],
  ['Create ticket — full payload, as documented (placeholder ids)', 'CreateTicket', fullPayload('645ghi1234567890abcdef34', '645jkl1234567890abcdef56', '645mno1234567890abcdef78')],
  ['Create ticket — full payload with real ObjectIds', 'CreateTicket', fullPayload('645def1234567890abcdef34', '645fed1234567890abcdef56', '645bcd1234567890abcdef78')],
  ['Create ticket — silent backfill', 'CreateTicket', {
    customer: { email: 'legacy@example.com' }, status: 'Resolved', sourceType: 'email', message: { content: 'Imported from legacy system.' }, silent: true,
  }],
  ['Identify — as documented (every identity empty)', 'Identify', {
    emailAddress: '', mavaCustomerId: '', customAttributes: [{ label: 'exampleLabel', value: 'exampleValue' }],
  }],
  ['Identify — with an email', 'Identify', {
    emailAddress: 'jane@example.com', customAttributes: [{ label: 'exampleLabel', value: 'exampleValue' }],
  }],
  ['Send message', 'SendMessage', {
    ticketId: 'TICKET_ID', content: 'Thanks for reaching out! We will look into this right away.', messageType: 'ExternalMessage',
  }],
  ['Send internal note', 'SendMessage', {
    ticketId: 'TICKET_ID', content: 'Customer has been flagged as a premium user, prioritise this ticket.', messageType: 'InternalNote',
  }],
  ['Update ticket — assign', 'UpdateTicket', { ticketId: 'TICKET_ID', assignedTo: '6630a1f4c2b9e4a1d8f00b21' }],
  ['Fetch tickets — basic', 'ListTickets', { startDate: '2026-01-01', endDate: '2026-04-01', limit: 20 }],
  ['Fetch tickets — filters and messages', 'ListTickets', {
    startDate: '2026-01-01', endDate: '2026-04-01', status: ['Open', 'Pending'], assignedTo: 'Unassigned', origin: 'discord',
    sortBy: 'priority', sortOrder: 'desc', includeMessages: true, limit: 10,
  }],
];

function fullPayload(assignedTo, category, tag) {
  return {
    customerId: '645abc1234567890abcdef12', status: 'Open', priority: 3, sourceType: 'email', assignedTo, category, tags: [tag],
    emailSubjectLine: 'Refund request — order #1234',
    message: {
      content: 'Please see attached receipt.',
      attachments: [{ url: 'https://s3.eu-central-1.amazonaws.com/app.mava.container.2/receipt.jpg', fileName: 'receipt.jpg', fileSize: 30106, type: 'Image' }],
    },
  };
}

let prepared = 0;
let refused = 0;
for (const [title, operation, input] of EXAMPLES) {
  console.log(`\n# ${title}`);
  try {
    const request = mava[`prepare${operation}`](input);
    console.log(`${request.method} ${request.url}`);
    for (const [name, value] of Object.entries(request.headers)) console.log(`${name}: ${value}`);
    if (request.body !== null) console.log(`\n${request.body}`);
    prepared++;
  } catch (error) {
    if (!(error instanceof TicketwireError)) throw error;
    console.log(`refused (${error.kind}):`);
    for (const v of error.violations) console.log(`  ${v.code} at ${v.path || '(root)'}: ${v.message}`);
    refused++;
  }
}
console.log(`\n${prepared} prepared, ${refused} refused, of ${EXAMPLES.length} documented examples.`);
