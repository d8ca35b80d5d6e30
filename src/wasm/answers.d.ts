// What the providers answer, declared for TypeScript only: calls resolve to the bodies as the
// provider sent them (`JSON.parse`), so no Rust type mirrors these.

// Mava

/** A category or agent as a ticket references it once populated. */
export interface MavaRef {
    /** Its id. */
    _id: string;
    /** Its display name. */
    name?: string;
}

/** A ticket's custom attribute value. */
export interface MavaAttributeValue {
    /** The attribute's id. */
    attributeId?: string;
    /** Its name. */
    name?: string;
    /** Its value. */
    content: string;
}

/** The customer of a ticket. */
export interface MavaTicketCustomer {
    /** The customer's id. */
    _id: string;
    /** Display name. */
    name?: string;
    /** Email, when known. */
    email?: string;
    /** Custom attributes. */
    attributes?: MavaAttributeValue[];
}

/** One message of a ticket. */
export interface MavaMessage {
    /** The message's id. */
    id: string;
    /** The text. */
    content: string;
    /** `ExternalMessage` or `InternalNote`. */
    messageType: string;
    /** `customer`, `agent` or `system`. */
    senderType: "customer" | "agent" | "system";
    /** A Discord username when known. */
    senderName: string | null;
    /** Files. */
    attachments: unknown[];
    /** When it was written (ISO). */
    createdAt: string;
}

/** A ticket, as create returns it and fetch lists it. */
export interface MavaTicket {
    /** The ticket's id. */
    _id: string;
    /** Its status. */
    status: MavaTicketStatus;
    /** 1 low, 2 medium, 3 high. */
    priority: MavaPriority;
    /** Where it came from. */
    sourceType?: string;
    /** The customer (`null` for telegram-group tickets). */
    customer?: MavaTicketCustomer | string | null;
    /** The assigned agent: an id, or populated. */
    assignedTo?: MavaRef | string | null;
    /** The category: an id, or populated. */
    category?: MavaRef | string | null;
    /** Tags: ids, or populated. */
    tags?: Array<MavaRef | string>;
    /** Ticket attributes. */
    attributes?: MavaAttributeValue[];
    /** Present on create, and on fetch with `includeMessages`; oldest first. */
    messages?: MavaMessage[];
    /** Milliseconds from creation to resolution; `null` while unresolved. */
    resolutionTime?: number | null;
    /** The customer's rating. */
    csat?: { value: number } | null;
    /** AI handling status. */
    aiStatus?: string | null;
    /** When it was created (ISO). */
    createdAt: string;
    /** When it last changed (ISO). */
    updatedAt: string;
}

/** What `createTicket` resolves to. */
export interface MavaCreateTicketResult {
    /** The new ticket, fully populated. */
    ticket: MavaTicket;
    /**
     * Through a relay with ticket capabilities: the token calls on this ticket send as
     * `CallOptions.capability` (CONTRACT §6).
     */
    capability?: string;
}

/** What `sendMessage` resolves to. */
export interface MavaSendMessageResult {
    /** The message written. */
    message: Record<string, unknown>;
    /** The ticket it went to. */
    ticket: Record<string, unknown>;
    /** Who sent it. */
    sender: Record<string, unknown>;
}

/** What `updateTicket` resolves to. */
export interface MavaUpdateTicketResult {
    /** `"Ticket updated"`. */
    message: string;
}

/** An active category. */
export interface MavaCategory {
    /** What `category` and `categoryId` take. */
    _id: string;
    /** Its name. */
    name: string;
}

/** What `listCategories` resolves to. */
export interface MavaListCategoriesResult {
    /** Every active category. */
    categories: MavaCategory[];
}

/** A non-archived agent. */
export interface MavaAgent {
    /** What `assignedTo` takes. */
    id: string;
    /** Email, unless the agent signed up with a wallet. */
    email: string | null;
    /** Username, when set. */
    username: string | null;
    /** Wallet, when the agent has one. */
    walletAddress: string | null;
}

/** What `listAgents` resolves to. */
export interface MavaListAgentsResult {
    /** Every non-archived agent. */
    agents: MavaAgent[];
}

/** Paging facts of one page. */
export interface MavaPagination {
    /** Page size used. */
    limit: number;
    /** Tickets skipped. */
    skip: number;
    /** Whether another page follows (`skip += limit`). */
    hasMore: boolean;
}

/** What `listTickets` resolves to: one page. */
export interface MavaListTicketsResult {
    /** This page's tickets. */
    tickets: MavaTicket[];
    /** All matching tickets, across pages. */
    count: number;
    /** Where this page is. */
    pagination: MavaPagination;
}

/** What `identify` resolves to. */
export interface MavaIdentifyResult {
    /** The customer's id when the response names one: store it and send it next time. */
    customerId: string | null;
    /** The response body as parsed (Mava does not document its shape). */
    response: unknown;
}

// Mava webhooks (CONTRACT §7.1): what `verifyMavaWebhook` resolves to. Mava's schema page shows
// these documents in part ("something like this"), so every field is optional and more may come.

/** A custom attribute as Mava's webhooks describe it. */
export interface MavaWebhookAttribute {
    /** Its id. */
    _id?: string;
    /** Its name. */
    name?: string;
    /** Its type. */
    type?: string;
    /** What it belongs to (tickets or customers). */
    affiliationType?: string;
    /** Whether it is archived. */
    isArchived?: boolean;
}

/** A ticket's or customer's value of a custom attribute. */
export interface MavaWebhookAttributeValue {
    /** The attribute, populated or as its id. */
    attribute?: MavaWebhookAttribute | string;
    /** The value. */
    content?: string;
}

/** A person a webhook names (an assigned agent, a message's sender). */
export interface MavaWebhookPerson {
    /** Display name. */
    name?: string;
    /** Email, when known. */
    email?: string;
}

/** A customer, as the `customer.*` events and a ticket's `customer` carry it. */
export interface MavaWebhookCustomer {
    /** Its id (inferred: documents carry their Mongo `_id`). */
    _id?: string;
    /** A crypto wallet address, when known. */
    walletAddress?: string;
    /** Display name. */
    name?: string;
    /** Email, when known. */
    email?: string;
    /** Custom attributes. */
    attributes?: MavaWebhookAttributeValue[];
    /** The customer's Discord user id. */
    discordAuthorId?: string;
    /** The customer's Telegram user id. */
    telegramAuthorId?: string;
    /** The customer's Discord roles. */
    discordRoles?: string[];
}

/** A ticket, as the `ticket.*` events and a message's `ticket` carry it. */
export interface MavaWebhookTicket {
    /** Its id (inferred: documents carry their Mongo `_id`). */
    _id?: string;
    /** Tags: ids, or populated. */
    tags?: Array<MavaRef | string>;
    /** The customer: populated, or as its id. */
    customer?: MavaWebhookCustomer | string | null;
    /** The assigned agent, or none. */
    assignedTo?: MavaWebhookPerson | null;
    /** Its status. */
    status?: MavaTicketStatus;
    /** 1 low, 2 medium, 3 high. */
    priority?: MavaPriority;
    /** Its category, or none. */
    category?: { name?: string; isArchived?: boolean } | null;
    /** Where it came from. */
    sourceType?: string;
    /** AI handling status. */
    aiStatus?: string | null;
    /** The customer's rating (an id). */
    userRating?: string | null;
    /** Whether the customer was asked for a rating. */
    isUserRatingRequested?: boolean;
    /** When the customer first wrote (ISO). */
    firstCustomerMessageCreatedAt?: string;
    /** When an agent first answered (ISO). */
    firstAgentMessageCreatedAt?: string;
    /** Ticket attributes. */
    attributes?: MavaWebhookAttributeValue[];
}

/** A message, as the `message.*` events carry it: an agent's or the customer's. */
export interface MavaWebhookMessage {
    /** Its id (inferred: documents carry their Mongo `_id`). */
    _id?: string;
    /** `ExternalMessage` (seen by the customer), `InternalNote` (never), or another type. */
    messageType?: string;
    /** Who wrote it: an agent (`ClientMember`), the customer, or a Discord user. */
    senderReferenceType?: "ClientMember" | "Customer" | "DiscordUser";
    /** Who wrote it. */
    sender?: MavaWebhookPerson;
    /** Whether the customer wrote it. */
    fromCustomer?: boolean;
    /** The text. */
    content?: string;
    /** Its ticket: populated, or as its id. */
    ticket?: MavaWebhookTicket | string;
    /** Files. */
    attachments?: Array<{ url?: string; fileName?: string; type?: string }>;
}

/** A ticket event (`ticket.created`, …). */
export interface MavaTicketWebhookEvent {
    /** The same on every retry of one webhook: ignore one seen in the last 24 h. */
    webhookId: string;
    /** The event. */
    type: `ticket.${string}`;
    /** The ticket. */
    document: MavaWebhookTicket;
}

/** A message event (`message.created`, …). */
export interface MavaMessageWebhookEvent {
    /** The same on every retry of one webhook: ignore one seen in the last 24 h. */
    webhookId: string;
    /** The event. */
    type: `message.${string}`;
    /** The message. */
    document: MavaWebhookMessage;
}

/** A customer event (`customer.…`). */
export interface MavaCustomerWebhookEvent {
    /** The same on every retry of one webhook: ignore one seen in the last 24 h. */
    webhookId: string;
    /** The event. */
    type: `customer.${string}`;
    /** The customer. */
    document: MavaWebhookCustomer;
}

/** An event of a type this SDK does not know yet. */
export interface MavaOtherWebhookEvent {
    /** The same on every retry of one webhook: ignore one seen in the last 24 h. */
    webhookId: string;
    /** The event. */
    type: string;
    /** Its document, as Mava sent it. */
    document: { [key: string]: unknown };
}

/**
 * A verified, decrypted Mava webhook. Narrow on `type`, then take the document as its type:
 * `if (event.type === "message.created") { const message: MavaWebhookMessage = event.document; }`
 * (the fallback member for other types stays in the union, so read it through the typed name).
 */
export type MavaWebhookEvent =
    | MavaTicketWebhookEvent
    | MavaMessageWebhookEvent
    | MavaCustomerWebhookEvent
    | MavaOtherWebhookEvent;

// HelpWave

/** A conversation as HelpWave returns it. */
export interface HelpWaveTicket {
    /** The ticket id: a BigInt serialized as a string (e.g. `"987654321012345678"`). */
    id: string;
    /** The customer (note the spelling). */
    customerID: number | string;
    /** The channel. */
    Channel: string;
    /** Name or subject. */
    name?: string;
    /** Thread id. */
    threadId?: string;
    /** Email used. */
    emailUsed?: string;
    /** Latest message. */
    lastMessage?: string;
    /** Reason for contact. */
    contact_reason?: string;
    /** Assigned user. */
    assigned_to?: number | string | null;
    /** Whether a HumanTicket is open. */
    isOpenedTicket?: boolean;
    /** Tags. */
    tags?: string[];
    /** Language code. */
    language_code?: string;
    /** Via field. */
    via?: string;
}

/** What `createTicket` resolves to. */
export interface HelpWaveCreateTicketResult {
    /** `true`. */
    success: boolean;
    /** The new conversation. */
    ticket: HelpWaveTicket;
    /**
     * Through a relay with ticket capabilities: the token calls on this ticket send as
     * `CallOptions.capability` (CONTRACT §6).
     */
    capability?: string;
}

/** A HelpWave customer (fields beyond these are passed through as sent). */
export interface HelpWaveCustomer {
    /** The customer id, as HelpWave sent it. */
    id: string | number;
    email?: string | null;
    phone_number?: string | null;
    [field: string]: unknown;
}

/** What `identify` resolves to; `existing` is true when the customer was found, not created. */
export interface HelpWaveIdentifyResult {
    success: boolean;
    existing?: boolean;
    customer: HelpWaveCustomer;
}

/** A comment on a ticket (fields beyond these are passed through as sent). */
export interface HelpWaveComment {
    text?: string;
    [field: string]: unknown;
}

/** What `sendMessage` resolves to. */
export interface HelpWaveSendMessageResult {
    success: boolean;
    [field: string]: unknown;
}

/** What `listComments` resolves to. */
export interface HelpWaveListCommentsResult {
    success: boolean;
    comments: HelpWaveComment[];
    totalCount: number;
}

// Tickiti

/** Which path a new ticket took. */
export interface TickitiCreateTicketData {
    /** The queue it landed in. */
    queue: string;
    /** Whether a template was used. */
    used_template: boolean;
    /** Whether an intervention was used. */
    used_intervention: boolean;
    /** Whether a private template was used. */
    used_private_template: boolean;
    /** Whether a public template was used. */
    used_public_template: boolean;
}

/** What `createTicket` resolves to (no ticket ids: use `createTicketUnified` for those). */
export interface TickitiCreateTicketResult {
    /** `true`. */
    ok: boolean;
    /** Which path the ticket took. */
    data: TickitiCreateTicketData;
}

/** What a response did. */
export interface TickitiSendMessageData {
    /** The ticket. */
    ticket_id: number | string;
    /** The new response. */
    response_id: number | string;
    /** Whether the ticket was reopened. */
    reopened: boolean;
}

/** What `sendMessage` resolves to. */
export interface TickitiSendMessageResult {
    /** `true`. */
    ok: boolean;
    /** What happened. */
    data: TickitiSendMessageData;
}

/** What `createTicketUnified` resolves to: the new ticket's references (other fields pass through). */
export interface TickitiCreateTicketUnifiedResult {
    ticket_number: number | string;
    ticket_id: number | string;
    secure_id: string;
    /** Through a relay with ticket capabilities: the token calls on this ticket send as `CallOptions.capability`. */
    capability?: string;
    [field: string]: unknown;
}

// Conversations through the relay (CONTRACT §7.2, §7.3)

/** A file attached to a conversation message. */
export interface TicketwireConversationAttachment {
    /** Where to fetch it. */
    url: string;
    /** Its name. */
    fileName: string;
    /** Its MIME type. */
    fileType: string;
}

/** One public message of a ticket's thread, as the relay serves it. */
export interface TicketwireConversationMessage {
    /** The provider's message id: a message is yielded once, by this id. */
    id: string;
    /** Who wrote it: the business (`agent`) or the visitor (`customer`). */
    from: "agent" | "customer";
    /** Its text. */
    text: string;
    /** Its files. */
    attachments: TicketwireConversationAttachment[];
    /** When it was written (ISO 8601). */
    at: string;
}

/** What each step of `client.conversation(...)` yields: the messages not yielded before, oldest first. */
export interface TicketwireConversationBatch {
    /** At least one new message. */
    messages: TicketwireConversationMessage[];
    /** Where the thread stands after them: keep it to resume later (`after`). */
    cursor: string;
}
