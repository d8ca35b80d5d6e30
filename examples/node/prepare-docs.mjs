// Validates and prepares every example of the providers' API docs (Mava, HelpWave, Tickiti),
// and prints the exact requests the SDK would send, or why it refuses. Nothing is sent.
// Run: node examples/node/prepare-docs.mjs (after scripts/build-package.sh)
import { HelpWaveClient, MavaClient, TickitiClient, TicketwireError } from 'ticketwire';

const mava = new MavaClient({ apiKey: 'YOUR_API_KEY' });
const helpwave = new HelpWaveClient({ apiKey: 'YOUR_API_KEY', baseUrl: 'https://api.helpwave.example' });
const tickiti = new TickitiClient({ apiKey: 'TICKITI_TOKEN', baseUrl: 'https://support.sole-provider.example' });
const marcus = 'marcus@trailblazers-club.example';

const EXAMPLES = [
  ['Mava: create ticket — minimal with existing customer', mava, 'CreateTicket', { customerId: '645abc1234567890abcdef12' }],
  ['Mava: create ticket — find-or-create by email with message', mava, 'CreateTicket', {
    customer: { email: 'jane@example.com', name: 'Jane Doe' }, priority: 3, message: { content: 'I cannot log in to my account.' },
  }],
  ['Mava: create ticket — full payload, as documented (placeholder ids)', mava, 'CreateTicket', fullPayload('645ghi1234567890abcdef34', '645jkl1234567890abcdef56', '645mno1234567890abcdef78')],
  ['Mava: create ticket — full payload with real ObjectIds', mava, 'CreateTicket', fullPayload('645def1234567890abcdef34', '645fed1234567890abcdef56', '645bcd1234567890abcdef78')],
  ['Mava: create ticket — silent backfill', mava, 'CreateTicket', {
    customer: { email: 'legacy@example.com' }, status: 'Resolved', sourceType: 'email', message: { content: 'Imported from legacy system.' }, silent: true,
  }],
  ['Mava: identify — as documented (every identity empty)', mava, 'Identify', {
    emailAddress: '', mavaCustomerId: '', customAttributes: [{ label: 'exampleLabel', value: 'exampleValue' }],
  }],
  ['Mava: identify — with an email', mava, 'Identify', {
    emailAddress: 'jane@example.com', customAttributes: [{ label: 'exampleLabel', value: 'exampleValue' }],
  }],
  ['Mava: send message', mava, 'SendMessage', {
    ticketId: 'TICKET_ID', content: 'Thanks for reaching out! We will look into this right away.', messageType: 'ExternalMessage',
  }],
  ['Mava: send internal note', mava, 'SendMessage', {
    ticketId: 'TICKET_ID', content: 'Customer has been flagged as a premium user, prioritise this ticket.', messageType: 'InternalNote',
  }],
  ['Mava: update ticket — assign', mava, 'UpdateTicket', { ticketId: 'TICKET_ID', assignedTo: '6630a1f4c2b9e4a1d8f00b21' }],
  ['Mava: fetch tickets — basic', mava, 'ListTickets', { startDate: '2026-01-01', endDate: '2026-04-01', limit: 20 }],
  ['Mava: fetch tickets — filters and messages', mava, 'ListTickets', {
    startDate: '2026-01-01', endDate: '2026-04-01', status: ['Open', 'Pending'], assignedTo: 'Unassigned', origin: 'discord',
    sortBy: 'priority', sortOrder: 'desc', includeMessages: true, limit: 10,
  }],
  ['HelpWave: create ticket (conversation)', helpwave, 'CreateTicket', {
    customerId: 123, Channel: 'Mail', name: 'Refund request', threadId: 'thread-001', emailUsed: 'support@example.com',
    lastMessage: 'Hello, I need a refund.', contact_reason: 'refund', assigned_to: 45, isOpenedTicket: true, unReadChatCount: 1,
    tags: ['refund', 'vip'], language_code: 'en', via: 'api',
  }],
  ['HelpWave: comment on ticket 987654321012345678', helpwave, 'SendMessage', { ticketId: '987654321012345678', text: 'Refund sent.' }],
  ['Tickiti: create ticket A — subject + content', tickiti, 'CreateTicket', {
    originator_email_address: marcus,
    data: { queue_name: 'Returns', subject: 'Carbon plate cracked on first marathon', content: 'The Vapor Pro 3 plate snapped at mile 14 of Berlin Marathon. Order SP-2412-0489.' },
  }],
  ['Tickiti: create ticket B — template + data', tickiti, 'CreateTicket', {
    originator_email_address: marcus, template_identifier: 'warranty_acknowledgement',
    data: { queue_name: 'Returns', order_reference: 'SP-2412-0489', product: 'Vapor Pro 3', customer_name: 'Marcus Whitfield' },
  }],
  ['Tickiti: create ticket C — intervention', tickiti, 'CreateTicket', {
    originator_email_address: marcus, intervention: 'warranty_claim', uid: 'crm-claim-58221',
    data: { order_reference: 'SP-2412-0489', product: 'Vapor Pro 3' },
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
for (const [title, client, operation, input] of EXAMPLES) {
  console.log(`\n# ${title}`);
  try {
    const request = client[`prepare${operation}`](input);
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
