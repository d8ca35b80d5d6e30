// Compiled with `tsc --noEmit --strict` against the built package: the .d.ts must accept
// correct use and refuse wrong use (each @ts-expect-error must be an error, or tsc fails).
import {
  HelpWaveClient,
  MavaClient,
  TickitiClient,
  TicketwireError,
  createRelay,
  durableObjectRateLimiter,
  TicketwireRateLimitObject,
  verifyMavaWebhook,
  type MavaWebhookEvent,
  type MavaWebhookMessage,
  type MavaWebhookTicket,
  type RelayOptions,
  type TicketwireErrorKind,
  type TicketwireLimiterNamespace,
  type TickitiCreateTicketInput,
  type MavaCreateTicketInput,
  type MavaListTicketsResult,
  type PreparedRequest,
  type RateLimitQuota,
  type RelayHostedProviderOptions,
  type HelpWaveRelayOptions,
  type TickitiRelayOperation,
  type DurableObjectRateLimiterOptions,
  type TicketwireValidationError,
  type TicketwireConversationBatch,
  type TicketwireConversationMessage,
  type Violation,
  type TicketwireRule,
  type TicketwireIssue,
  type TicketwireSchema,
} from 'ticketwire';

const client = new MavaClient({ apiKey: 'sk_test_key', timeoutMs: 10_000, fetch: (input, init) => fetch(input, init) });
const input: MavaCreateTicketInput = {
  customer: { email: 'jane@example.com', name: 'Jane' },
  priority: 3,
  status: 'Open',
  message: { content: 'hi', attachments: [{ url: 'https://s3.amazonaws.com/app.mava.x/a.png', fileName: 'a.png', type: 'Image' }] },
};
const violations: Violation[] = client.validateCreateTicket({ anything: true });
const prepared: PreparedRequest = client.prepareCreateTicket(input);
const body: string | null = prepared.body;
const headers: Record<string, string> = prepared.headers;

async function run(signal: AbortSignal): Promise<string> {
  const { ticket } = await client.createTicket(input, { signal });
  const page: MavaListTicketsResult = await client.listTickets({ startDate: '2026-01-01', endDate: '2026-02-01', csatValues: [5, 'no-rating'] });
  const { customerId } = await client.identify({ emailAddress: 'jane@example.com' });
  const { agents } = await client.listAgents();
  await client.updateTicket({ ticketId: ticket._id, assignedTo: null });
  return `${ticket._id} ${page.pagination.hasMore} ${customerId ?? ''} ${agents[0]?.id}`;
}

try {
  client.prepareCreateTicket(input);
} catch (error) {
  if (error instanceof TicketwireError && error.kind === 'validation') {
    const first: Violation | undefined = error.violations?.[0];
    console.log(first?.path, error.status, error.retryAfterMs);
  }
}

// TicketwireError narrows on `kind`: each kind's fields, and no other kind's.
export function onError(error: unknown): string {
  if (!(error instanceof TicketwireError)) return 'not ours';
  const base: Error = error;
  const provider: 'mava' | 'helpwave' | 'tickiti' | 'relay' = error.provider;
  switch (error.kind) {
    case 'validation': {
      const violations: Violation[] = error.violations;
      const code: string = error.code;
      const typed: TicketwireValidationError = error;
      // @ts-expect-error a validation error has no HTTP status
      const status: number = error.status;
      return `${violations[0]?.path} ${code} ${typed.message} ${status}`;
    }
    case 'api':
    case 'rate_limited': {
      const status: number | undefined = error.status;
      const wait: number | undefined = error.retryAfterMs;
      // @ts-expect-error an answer's error has no violations
      const violations: Violation[] = error.violations;
      return `${status} ${wait} ${violations}`;
    }
    case 'webhook': {
      const code: string = error.code;
      return code;
    }
    case 'config':
      return `${error.violations?.length ?? 0} ${base.message} ${provider}`;
    default:
      // @ts-expect-error only validation, config and webhook errors carry a code for sure
      return error.code.toUpperCase();
  }
}
const thrown = new TicketwireError('m', { kind: 'api', provider: 'mava', operation: 'createTicket', status: 404 });
const asJson: { kind: TicketwireErrorKind; status?: number } = thrown.toJSON();
void asJson;

// Objects are disposed with `using` (or `[Symbol.dispose]()`); `free` is not part of the API.
client[Symbol.dispose]();
// @ts-expect-error free is internal
client.free();

// @ts-expect-error priority is 1 | 2 | 3
client.prepareCreateTicket({ customerId: 'x', priority: 4 });
// @ts-expect-error status is an enum
client.prepareCreateTicket({ customerId: 'x', status: 'Closed' });
// @ts-expect-error the wire name is plaformUserId (sic)
client.prepareIdentify({ platformUserId: 'u' });
// @ts-expect-error startDate and endDate are required
client.prepareListTickets({ limit: 10 });
// @ts-expect-error unknown client option
new MavaClient({ apikey: 'k' });

// HelpWave: ids are strings end to end.
const helpwave = new HelpWaveClient({ baseUrl: 'https://api.helpwave.example', apiKey: 'sk_test_key' });
async function comment(): Promise<number> {
  const { ticket } = await helpwave.createTicket({ customerId: 123, Channel: 'Mail', assigned_to: '45' });
  const id: string = ticket.id;
  await helpwave.sendMessage({ ticketId: id, text: 'Refund sent.' });
  const { comments, totalCount } = await helpwave.listComments(id);
  return comments.length + totalCount;
}
// @ts-expect-error HelpWave needs options with a baseUrl
new HelpWaveClient();
// @ts-expect-error a ticket id is a string, never a JS number
helpwave.prepareSendMessage({ ticketId: 987654321012345678, text: 'x' });

// Tickiti: exactly one payload shape.
const tickiti = new TickitiClient({ baseUrl: 'https://support.sole-provider.example', apiKey: 'sk_test_key' });
const shapeA: TickitiCreateTicketInput = { originator_email_address: 'a@b.co', data: { subject: 's', content: 'c', order: 'SP-1' } };
const shapeB: TickitiCreateTicketInput = { originator_email_address: 'a@b.co', template_identifier: 't', data: { queue_name: 'Returns' } };
const shapeC: TickitiCreateTicketInput = { originator_email_address: 'a@b.co', intervention: 'i', uid: 'u', data: { product: 'x' } };
// @ts-expect-error a template and an intervention at once
const mixed: TickitiCreateTicketInput = { originator_email_address: 'a@b.co', template_identifier: 't', intervention: 'i', uid: 'u', data: {} };
// @ts-expect-error an intervention picks its own queue
const queued: TickitiCreateTicketInput = { originator_email_address: 'a@b.co', intervention: 'i', uid: 'u', data: { queue_name: 'Returns' } };
const key: string | undefined = tickiti.prepareCreateTicket(shapeA, { idempotencyKey: 'crm-1' }).headers['idempotency-key'];

// The relay: options typed, a Request in and a Response out; capabilities on create results.
declare const namespace: TicketwireLimiterNamespace;
const relayOptions: RelayOptions = {
  mava: { apiKey: 'sk_relay_key', operations: ['createTicket', 'identify', 'listCategories'] },
  helpwave: { apiKey: 'sk_relay_key', baseUrl: 'https://hw.example' },
  allowedOrigins: ['https://shop.example'],
  capabilitySecret: 'c'.repeat(32),
  visitorLimit: { requests: 10, windowMs: 60_000 },
  visitorKey: (request) => request.headers.get('cf-connecting-ip') ?? '',
  rateLimit: durableObjectRateLimiter(namespace, { quotas: { mava: { requests: 90, windowMs: 30_000 } } }),
};
const relay = createRelay(relayOptions);
const answered: Promise<Response> = relay.fetch(new Request('https://relay.example/mava/api/ticket'));
// @ts-expect-error helpwave needs its baseUrl
createRelay({ helpwave: { apiKey: 'sk_relay_key' }, allowedOrigins: [] });
// Each provider's `operations` are its own names, and only those a relay can serve.
// @ts-expect-error a misspelt operation
createRelay({ mava: { apiKey: 'sk_relay_key', operations: ['createTiket'] }, allowedOrigins: [] });
// @ts-expect-error a relay never sends a message as a Mava business
createRelay({ mava: { apiKey: 'sk_relay_key', operations: ['sendMessage'] }, allowedOrigins: [] });
// @ts-expect-error createTicketUnified is Tickiti's
createRelay({ helpwave: { apiKey: 'sk_relay_key', baseUrl: 'https://hw.example', operations: ['createTicketUnified'] }, allowedOrigins: [] });
const tickitiOperations: TickitiRelayOperation[] = ['createTicket', 'createTicketUnified', 'sendMessage'];
// A section both hosted providers take, from one helper.
const hosted = (baseUrl: string): RelayHostedProviderOptions => ({ apiKey: 'sk_relay_key', baseUrl, operations: ['createTicket'] });
const helpwaveSection: HelpWaveRelayOptions = hosted('https://hw.example');
createRelay({ helpwave: helpwaveSection, tickiti: { ...hosted('https://t.example'), operations: tickitiOperations }, allowedOrigins: [] });
const quota: RateLimitQuota = { requests: 90, windowMs: 30_000 };
const limiterOptions: DurableObjectRateLimiterOptions = { name: 'shop', quotas: { mava: quota } };
// The namespace alone, as the README writes it.
createRelay({ allowedOrigins: [], rateLimit: durableObjectRateLimiter(namespace) });
createRelay({ allowedOrigins: [], rateLimit: durableObjectRateLimiter(namespace, limiterOptions) });
const limiterObject = new TicketwireRateLimitObject(undefined, undefined);
// Branded as `DurableObject` of `cloudflare:workers` is (Rpc.DurableObjectBranded), for `wrangler types`' Env.
const branded: { __DURABLE_OBJECT_BRAND: never } = limiterObject;
void branded;
async function throughRelay(): Promise<string | undefined> {
  const widget = new MavaClient({ baseUrl: 'https://relay.example/mava' });
  const { ticket, capability } = await widget.createTicket({ customerId: '645abc1234567890abcdef12' });
  await widget.sendMessage({ ticketId: ticket._id, content: 'More' }, { capability });
  await widget.identify({ emailAddress: 'jane@example.com' }, { userHash: 'ab'.repeat(32) });
  return capability;
}

void answered; void limiterObject; void throughRelay;
void violations; void body; void headers; void run; void comment; void shapeB; void shapeC; void mixed; void queued; void key;

// A webhook: its text or bytes and the signing key; narrowed on `type`, each document typed.
async function onWebhook(request: Request, signingKey: string): Promise<string> {
  const event: MavaWebhookEvent = await verifyMavaWebhook(await request.text(), signingKey);
  await verifyMavaWebhook(new Uint8Array(await request.arrayBuffer()), signingKey);
  // @ts-expect-error the parsed body is not the request's exact text or bytes
  await verifyMavaWebhook({ signature: '' }, signingKey);
  if (event.type === 'message.created') {
    const message: MavaWebhookMessage = event.document;
    const fromAgent: boolean = message.fromCustomer === false && message.messageType === 'ExternalMessage';
    return `${event.webhookId} ${fromAgent} ${message.content ?? ''}`;
  }
  if (event.type === 'ticket.created') {
    const ticket: MavaWebhookTicket = event.document;
    return ticket.status ?? '';
  }
  return event.type;
}
void onWebhook;

// The kinds are generated from the core's ErrorKind: a switch over them is exhaustive.
export function describeKind(kind: TicketwireErrorKind): string {
  switch (kind) {
    case 'validation': case 'api': case 'rate_limited': case 'timeout': case 'aborted': case 'network': case 'config': case 'webhook':
      return kind;
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

// A ticket's conversation through the relay: batches of typed messages, for Mava and HelpWave only.
export async function followReplies(ticketId: string, capability: string, signal: AbortSignal): Promise<string[]> {
  const texts: string[] = [];
  const mava = new MavaClient({ baseUrl: 'https://relay.example/mava' });
  for await (const batch of mava.conversation(ticketId, { capability, after: 'c1', signal })) {
    const typed: TicketwireConversationBatch = batch;
    const first: TicketwireConversationMessage | undefined = typed.messages[0];
    if (first?.from === 'agent') texts.push(first.text, first.attachments[0]?.fileName ?? '', typed.cursor);
  }
  new HelpWaveClient({ baseUrl: 'https://relay.example/helpwave' }).conversation('987654321012345678', { capability });
  // @ts-expect-error the capability is required
  mava.conversation(ticketId, {});
  // @ts-expect-error Tickiti tickets have no conversation
  new TickitiClient({ baseUrl: 'https://relay.example/tickiti' }).conversation(ticketId, { capability });
  return texts;
}

// A violation's params narrow on its rule (the union is generated from the core's rules).
export function describeViolation(v: Violation): string {
  switch (v.rule) {
    case 'maxLength': return `at most ${v.params.limit} characters`;
    case 'required': return `fill in ${v.params.missingProperty}`;
    case 'enum': return v.params.allowedValues.join(', ');
    case 'exactlyOne': return v.params.properties.join(' or ');
    default: return v.message;
  }
}
// @ts-expect-error a format's params have no limit
export const noLimit = (v: Violation) => v.rule === 'format' && v.params.limit;
export const rule: TicketwireRule = 'exactlyOne';
// @ts-expect-error rule names are Ajv's keywords, cased as Ajv cases them
export const notARule: TicketwireRule = 'maxlength';

// Each operation with an input has a Standard Schema view, typed with its input.
export function viaStandardSchema(value: unknown): MavaCreateTicketInput | string {
  const schema: TicketwireSchema<MavaCreateTicketInput> = client.schemas.createTicket;
  const result = schema['~standard'].validate(value);
  if (result.issues) {
    const issue: TicketwireIssue | undefined = result.issues[0];
    return `${issue?.path.join('.')} ${issue?.message} ${issue?.rule}`;
  }
  return result.value;
}
// @ts-expect-error Mava has no createTicketUnified
void client.schemas.createTicketUnified;
// As @standard-schema/spec declares the interface (inlined here): the views are assignable to it.
interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown, options?: { readonly libraryOptions?: Record<string, unknown> }) =>
      | { readonly value: Output; readonly issues?: undefined }
      | { readonly issues: ReadonlyArray<{ readonly message: string; readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> }> }
      | Promise<unknown>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}
export const standard: StandardSchemaV1<TickitiCreateTicketInput> = new TickitiClient({ baseUrl: 'https://t.example' }).schemas.createTicket;
