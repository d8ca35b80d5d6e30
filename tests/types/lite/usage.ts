// `ticketwire/lite` as a page that calls through a relay writes it (checked by
// tests/node/lite.test.mjs): the visitor's methods are typed, the others are not there.
import { HelpWaveClient, MavaClient, TickitiClient, TicketwireError } from 'ticketwire/lite';
import type { MavaCreateTicketResult, PreparedRequest, Violation } from 'ticketwire/lite';

const mava = new MavaClient({ baseUrl: '/support/mava' });
const violations: Violation[] = mava.validateCreateTicket({ customer: { email: 'jane@example.com' } });
const request: PreparedRequest = mava.prepareCreateTicket({ customer: { email: 'jane@example.com' }, message: { content: 'Hi' } });
const created: Promise<MavaCreateTicketResult> = mava.createTicket({ customer: { email: 'jane@example.com' }, message: { content: 'Hi' } });
const helpwave = new HelpWaveClient({ baseUrl: 'https://relay.example/helpwave' });
const comments = helpwave.listComments('42', { capability: 'cap' });
new TickitiClient({ baseUrl: 'https://relay.example/tickiti' }).validateCreateTicketUnified({});
const isError: boolean = new Error() instanceof TicketwireError;

// @ts-expect-error no operation a relay never serves a visitor
mava.listTickets({});
// @ts-expect-error no iterator of everyone's tickets
mava.iterateTickets({});
// @ts-expect-error Mava's sendMessage speaks as the business
mava.validateSendMessage({});
// @ts-expect-error its schemas are those of the visitor's operations
mava.schemas.listTickets;
const schema = mava.schemas.identify['~standard'];

export { violations, request, created, comments, isError, schema };
