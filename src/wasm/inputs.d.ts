// Generated from the rule tables by src/typescript.rs; do not edit.
// Regenerate with `UPDATE_TYPES=1 cargo test typescript`.

/** Input of `MavaClient.createTicket`: exactly one of `customerId` / `customer`. */
export interface MavaCreateTicketInput {
    /** An existing customer. 24 hex digits (an ObjectId). */
    customerId?: string;
    /** Find-or-create by email or wallet. */
    customer?: MavaCustomerInput;
    /** Initial status (server default `Open`). */
    status?: MavaTicketStatus;
    /** `1` low, `2` medium, `3` high (server default `2`). */
    priority?: MavaPriority;
    /** Where the ticket came from (server default `web`). */
    sourceType?: "web" | "discord" | "telegram" | "twitter" | "email";
    /** Agent id (from `listAgents`). 24 hex digits (an ObjectId). */
    assignedTo?: string;
    /** A category. 24 hex digits (an ObjectId). */
    category?: string;
    /** Tag ids. At most 20 items; each 24 hex digits (an ObjectId). */
    tags?: string[];
    /** Email subject. At most 998 characters. */
    emailSubjectLine?: string;
    /** Ticket attributes. At most 30 items. */
    attributes?: MavaAttributeInput[];
    /** The first customer message. */
    message?: MavaInitialMessageInput;
    /** Suppresses notifications and automations (forces the next two to false). */
    silent?: boolean;
    /** In-app notification for the assigned agent (server default true). */
    notify?: boolean;
    /** Runs automations with the initial message (server default true). */
    triggerAutomations?: boolean;
}

/** A customer to find or create: `email` or `walletAddress` is required. */
export interface MavaCustomerInput {
    /** Display name, applied only when the customer is created. */
    name?: string;
    /** Looked up first. An email address. */
    email?: string;
    /** Looked up when there is no email. `0x` and 40 hex digits. */
    walletAddress?: string;
    /** Custom attributes. At most 30 items. */
    attributes?: MavaAttributeInput[];
}

/** A custom attribute value: `{ attribute: <ObjectId>, content }`. */
export interface MavaAttributeInput {
    /** The attribute's ObjectId. 24 hex digits (an ObjectId). */
    attribute: string;
    /** Its value. */
    content: string;
}

/** A ticket's status: `Open` (new or reopened), `Pending` (waiting on the team), `Resolved`, `Waiting` (on the customer). */
export type MavaTicketStatus = "Open" | "Pending" | "Resolved" | "Waiting";

/** A ticket priority: 1 low, 2 medium, 3 high. */
export type MavaPriority = 1 | 2 | 3;

/** The first message of a new ticket. */
export interface MavaInitialMessageInput {
    /** The text. At most 10000 characters. */
    content: string;
    /** Files already uploaded to Mava's storage. At most 10 items. */
    attachments?: MavaAttachmentInput[];
}

/** A file in Mava's S3 storage. */
export interface MavaAttachmentInput {
    /** Where the file is. An https URL into Mava's S3 storage. */
    url: string;
    /** The original file name. Not empty. */
    fileName: string;
    /** Size in bytes. ≥ 0. */
    fileSize?: number;
    /** What kind of file it is. */
    type?: "Image" | "Video" | "Audio" | "Voice" | "Animation" | "File";
}

/** Input of `MavaClient.identify`: at least one of the three identities, non-empty. */
export interface MavaIdentifyInput {
    /** The customer's email ("" is allowed and means none). An email address, or "". */
    emailAddress?: string;
    /** Your platform's user id. The wire name is Mava's own spelling. */
    plaformUserId?: string;
    /** The id Mava returned earlier; absent or "" creates a customer. */
    mavaCustomerId?: string;
    /** Attributes to store on the customer. */
    customAttributes?: MavaCustomAttribute[];
}

/** One `{ label, value }` pair pushed to the customer. */
export interface MavaCustomAttribute {
    /** The attribute's label. */
    label: string;
    /** Its value. */
    value: string;
}

/** Input of `MavaClient.sendMessage`: `content` or `attachments` (or both). */
export interface MavaSendMessageInput {
    /** The ticket to write to. */
    ticketId: string;
    /** The message text. */
    content?: string;
    /** `ExternalMessage` (the default) reaches the customer; `InternalNote` stays with the team. */
    messageType?: "ExternalMessage" | "InternalNote";
    /** Files at public URLs. */
    attachments?: MavaMessageAttachment[];
}

/** A file sent with a message. */
export interface MavaMessageAttachment {
    /** The display name. Not empty. */
    fileName: string;
    /** A public absolute http(s) URL. An absolute http(s) URL. */
    url: string;
    /** The MIME type, `type/subtype`. A MIME type, `type/subtype`. */
    fileType: string;
}

/** Input of `MavaClient.updateTicket`: the ticket and at least one change. */
export interface MavaUpdateTicketInput {
    /** The ticket to change. */
    ticketId: string;
    /** The new status. */
    status?: MavaTicketStatus;
    /** The new priority. */
    priority?: MavaPriority;
    /** An active category. 24 hex digits (an ObjectId). */
    categoryId?: string;
    /** An agent id, or `null` to unassign; absent leaves it unchanged. 24 hex digits (an ObjectId). */
    assignedTo?: string | null;
}

/** Query of `MavaClient.listTickets`: a date range of at most one year, and filters. */
export interface MavaListTicketsInput {
    /** Start of the range. `YYYY-MM-DD` or an ISO 8601 date-time. */
    startDate: string;
    /** End of the range (exclusive), after `startDate`, at most one year later. `YYYY-MM-DD` or an ISO 8601 date-time. */
    endDate: string;
    /** Tickets per page (server default 50). An integer from 1 to 100. */
    limit?: number;
    /** Tickets to skip (server default 0). An integer ≥ 0. */
    skip?: number;
    /** Only these statuses. */
    status?: MavaTicketStatus | MavaTicketStatus[];
    /** Only these agent ids, or `Unassigned`. 24 hex digits (an ObjectId), or `Unassigned`. */
    assignedTo?: string | string[];
    /** Only these category ids. 24 hex digits (an ObjectId). */
    category?: string | string[];
    /** Only these tag ids. 24 hex digits (an ObjectId). */
    tags?: string | string[];
    /** Only these CSAT ratings. */
    csatValues?: MavaCsatValue | MavaCsatValue[];
    /** Only these origins. */
    origin?: MavaOrigin | MavaOrigin[];
    /** The sort field (server default `createdAt`). */
    sortBy?: "createdAt" | "status" | "priority" | "sourceType" | "assignedTo" | "category" | "resolutionTime";
    /** The sort direction (server default `desc`). */
    sortOrder?: "asc" | "desc";
    /** Includes each ticket's messages, oldest first. */
    includeMessages?: boolean;
}

/** A CSAT filter value: a rating 1–5 (number or string) or "no-rating". */
export type MavaCsatValue = 1 | 2 | 3 | 4 | 5 | "1" | "2" | "3" | "4" | "5" | "no-rating";

/** Where a ticket came from. */
export type MavaOrigin = "web" | "discord" | "telegram" | "telegram-group" | "email";

/** Input of `HelpWaveClient.createTicket`: a conversation for an existing customer. */
export interface HelpWaveCreateTicketInput {
    /** The customer. An integer ≥ 1, or digits only. */
    customerId: number | string;
    /** `Mail`, `Website`, `Facebook`, `Instagram`, `Helpwave`, … (the list is open). Not empty. */
    Channel: string;
    /** Conversation name or subject. */
    name?: string;
    /** Thread id, for email conversations. */
    threadId?: string;
    /** The email address used. An email address. */
    emailUsed?: string;
    /** When it started (server default: now). An ISO 8601 date-time. */
    date?: string;
    /** The first or latest message. */
    lastMessage?: string;
    /** When `lastMessage` was written (server default: now). An ISO 8601 date-time. */
    lastMessageTime?: string;
    /** Why the customer got in touch. */
    contact_reason?: string;
    /** The user to assign. An integer ≥ 1, or digits only. */
    assigned_to?: number | string;
    /** Whether to open a HumanTicket. */
    isOpenedTicket?: boolean;
    /** Unread message count. An integer ≥ 0. */
    unReadChatCount?: number;
    /** Tags. */
    tags?: string[];
    /** Language code. */
    language_code?: string;
    /** Via field. */
    via?: string;
}

/** Input of `HelpWaveClient.identify`: `email` or `phone_number`, and optional profile ids. */
export interface HelpWaveIdentifyInput {
    /** Looked up first. An email address. */
    email?: string;
    /** Looked up when there is no email. Not empty. */
    phone_number?: string;
    /** First name. */
    first_name?: string;
    /** Last name. */
    last_name?: string;
    /** Full name. */
    full_name?: string;
    /** Shopify customer id. */
    shopify_id?: string;
    /** WordPress user id. */
    wordpress_id?: string;
    /** Facebook user id. */
    fb_user_id?: string;
    /** Instagram user id. */
    ig_user_id?: string;
    /** WhatsApp id. */
    whatsapp_id?: string;
}

/** Input of `HelpWaveClient.sendMessage`: a comment on a ticket. */
export interface HelpWaveSendMessageInput {
    /** The ticket, as the string of digits HelpWave returned. Digits only. */
    ticketId: string;
    /** The comment. Not blank. */
    text: string;
    /** When it was written. An ISO 8601 date-time. */
    time?: string;
    /** Subject. */
    subject?: string;
    /** Sender email. An email address. */
    fromEmail?: string;
    /** Recipient emails. Each an email address. */
    toEmails?: string[];
    /** Tags. */
    tags?: string[];
    /** The channel (defaults to the conversation's). */
    Channel?: string;
    /** Whether the shop wrote it (default true). */
    isFromShop?: boolean;
}

/** Input of `TickitiClient.createTicket`: exactly one of the three payload shapes. */
export type TickitiCreateTicketInput = TickitiSubjectContentTicket | TickitiTemplateTicket | TickitiInterventionTicket;

/** Shape A of `TickitiClient.createTicket`: a subject and content of your own. */
export interface TickitiSubjectContentTicket {
    /** The customer the ticket is filed for (created if unknown). An email address. */
    originator_email_address: string;
    /** `subject` and `content`, an optional `queue_name`, and anything else. */
    data: TickitiSubjectContentData;
    /** Not with this shape. */
    template_identifier?: never;
    /** Not with this shape. */
    intervention?: never;
    /** Not with this shape. */
    uid?: never;
    /** Whether the first response is public (default true). */
    is_public?: boolean;
    /** Shows the originator as the response author. */
    use_passed_originator_as_responder?: boolean;
}

/** Shape A's data. */
export interface TickitiSubjectContentData {
    /** Not empty. */
    subject: string;
    /** Not empty. */
    content: string;
    queue_name?: string;
    /** Anything else, passed through as given. */
    [field: string]: unknown;
}

/** Shape B of `TickitiClient.createTicket`: a template rendered with `data`. */
export interface TickitiTemplateTicket {
    /** The customer the ticket is filed for (created if unknown). An email address. */
    originator_email_address: string;
    /** The template's data, and an optional `queue_name`. */
    data: TickitiTemplateData;
    /** The template to render. Not empty. */
    template_identifier: string;
    /** Not with this shape. */
    intervention?: never;
    /** Not with this shape. */
    uid?: never;
    /** Whether the first response is public (default true). */
    is_public?: boolean;
    /** Shows the originator as the response author. */
    use_passed_originator_as_responder?: boolean;
}

/** Shape B's data. */
export interface TickitiTemplateData {
    queue_name?: string;
    /** Anything else, passed through as given. */
    [field: string]: unknown;
}

/** Shape C of `TickitiClient.createTicket`: an intervention driven by `data` (it picks the queue). */
export interface TickitiInterventionTicket {
    /** The customer the ticket is filed for (created if unknown). An email address. */
    originator_email_address: string;
    /** The intervention's data; no `queue_name`. */
    data: TickitiInterventionData;
    /** Not with this shape. */
    template_identifier?: never;
    /** The intervention to run. Not empty. */
    intervention: string;
    /** Your id for this run. Not empty. */
    uid: string;
    /** Whether the first response is public (default true). */
    is_public?: boolean;
    /** Shows the originator as the response author. */
    use_passed_originator_as_responder?: boolean;
}

/** Shape C's data: the intervention picks the queue. */
export interface TickitiInterventionData {
    queue_name?: never;
    /** Anything else, passed through as given. */
    [field: string]: unknown;
}

/** Input of `TickitiClient.createTicketUnified`: flat fields, and the new ticket's ids back. */
export interface TickitiCreateTicketUnifiedInput {
    /** The customer the ticket is filed for. An email address. */
    originator_email_address: string;
    /** Subject. */
    subject?: string;
    /** The first message. Not empty. */
    content: string;
    /** A non-default queue. */
    queue_name?: string;
    /** Whether the first response is public. */
    is_public?: boolean;
}

/** Input of `TickitiClient.sendMessage`: a response on a ticket. */
export interface TickitiSendMessageInput {
    /** The ticket number. An integer from 100000 to 999999, or digits only, 6 to 6 characters. */
    ticket_number: number | string;
    /** The response (HTML allowed). Not empty. */
    content: string;
    /** Who it is from. An email address. */
    from_email?: string;
    /** A staff-only note (default false). */
    is_internal?: boolean;
}

/** An operation a relay can serve for Mava. */
export type MavaRelayOperation = "createTicket" | "identify" | "listCategories";

/** An operation a relay can serve for HelpWave. */
export type HelpWaveRelayOperation = "createTicket" | "identify" | "sendMessage" | "listComments";

/** An operation a relay can serve for Tickiti. */
export type TickitiRelayOperation = "createTicket" | "createTicketUnified" | "sendMessage";

/** An operation a relay can serve for HelpWave and for Tickiti alike. */
export type RelayHostedOperation = "createTicket" | "sendMessage";

/** Options of every client. */
export interface ClientOptions {
    /** The provider's API key. Omit it when calls go through a relay that adds it. At least 8 characters. */
    apiKey?: string;
    /** Where the API (or your relay) lives: an absolute http(s) URL, or in a browser page a path on the page's origin (`/support/mava`). Mava defaults to https://gateway.mava.app; HelpWave and Tickiti need one. */
    baseUrl?: string;
    /** The fetch to call instead of the global one (a Workers service binding, a test double). */
    fetch?: (input: string | Request, init?: RequestInit) => Promise<Response>;
    /** Timeout of each attempt, in milliseconds (default 30000). An integer from 1 to 2147483647. */
    timeoutMs?: number;
    /** Retries after a failed attempt, where retrying is safe (default 2). An integer from 0 to 10. */
    maxRetries?: number;
    /** The most one call may take, retries and waits included, in milliseconds (default: no limit). An integer from 1 to 2147483647. */
    deadlineMs?: number;
    /** Pacing under the provider's limit (Mava: 90 per 30 s per key), shared by every client with the same key: "wait" (default) waits for a slot, "fail" rejects at once with kind "rate_limited" and `retryAfterMs`, or your own limiter (e.g. backed by a Durable Object). */
    rateLimit?: "wait" | "fail" | TicketwireRateLimiter;
    /** The limit to pace to, when yours differs from the published one (Mava: 90 per 30000 ms). */
    rateLimitQuota?: RateLimitQuota;
    /** Allows an `apiKey` in a browser page, where every visitor can read it. */
    dangerouslyAllowBrowser?: boolean;
    /** Mava: attachment URLs must be in an S3 bucket whose name starts with this (default "app.mava."). */
    attachmentBucketPrefix?: string;
    /** A response body longer than this many bytes is an error (kind "api", code "RESPONSE_TOO_LARGE"); default 16 MiB. An integer from 1 to 1073741824. */
    maxResponseBytes?: number;
}

/** A rate limit: at most `requests` per `windowMs` milliseconds. */
export interface RateLimitQuota {
    /** An integer from 1 to 1000000. */
    requests: number;
    /** An integer from 1 to 2147483647. */
    windowMs: number;
}

/** Options of one call. */
export interface CallOptions {
    /** Aborts the call, even while it waits. */
    signal?: AbortSignal;
    /** The Idempotency-Key to send, for operations that take one. 1 to 255 characters. */
    idempotencyKey?: string;
    /** The most this call may take, retries and waits included, in milliseconds. An integer from 1 to 2147483647. */
    deadlineMs?: number;
    /** Through a relay: the ticket capability its create answered with (`result.capability`). 1 to 512 characters. */
    capability?: string;
    /** Through a relay with identity verification: your backend's HMAC of the user's identity. 1 to 512 characters. */
    userHash?: string;
}

/** Options of `createRelay` (CONTRACT §6). */
export interface RelayOptions {
    /** Serves Mava's operations. */
    mava?: MavaRelayOptions;
    /** Serves HelpWave's operations. */
    helpwave?: HelpWaveRelayOptions;
    /** Serves Tickiti's operations. */
    tickiti?: TickitiRelayOptions;
    /** Exact origins allowed to call, e.g. "https://shop.example"; never "*". Each an origin, `http(s)://host[:port]`, not empty. */
    allowedOrigins: string[];
    /** HMAC key for ticket capabilities: creates answer with one, calls on a ticket need it. At least 32 characters. */
    capabilitySecret?: string;
    /** HMAC key: identify then needs your backend's hash of the identity. At least 32 characters. */
    identitySecret?: string;
    /** The largest request body read, in bytes (default 65536). An integer from 1 to 16777216. */
    maxBodyBytes?: number;
    /** Each visitor's limit (default 30 per 60 s); false for none, true for the default. */
    visitorLimit?: boolean | RateLimitQuota;
    /** The share of each provider key's quota visitors may use together (default 0.5): the rest stays for your own backend's calls with the key. Greater than 0, at most 1. ≥ 0. */
    visitorShare?: number;
    /** The largest upstream answer relayed, in bytes (default 1048576); a larger one is a 502. An integer from 1 to 16777216. */
    maxResponseBytes?: number;
    /** The upstream fetch (default: the global one). */
    fetch?: (input: string | Request, init?: RequestInit) => Promise<Response>;
    /** The provider key's limit shared by every isolate, e.g. `durableObjectRateLimiter(env.TICKETWIRE_LIMITER)`. */
    rateLimit?: TicketwireRateLimiter;
    /** Who a request comes from. In Workers the default is the cf-connecting-ip header (an IPv6 address by its /64); elsewhere it is required unless visitorLimit is false. */
    visitorKey?: (request: Request) => string;
    /** Where Mava's threads live (CONTRACT §7.2): by default the relay's memory (one process); in Workers, `durableObjectConversations(env.TICKETWIRE_CONVERSATIONS)`, which also takes visitors' WebSockets. */
    conversations?: TicketwireConversationStore;
    /** Where the relay is mounted, e.g. "/support" (default ""). */
    basePath?: string;
    /** The clock, in Unix milliseconds (tests). */
    now?: () => number;
}

/** Mava, as a relay serves it. */
export interface MavaRelayOptions {
    /** The provider's API key: it stays in the relay. At least 8 characters. */
    apiKey: string;
    /** Where the provider's API lives (Mava defaults to https://gateway.mava.app). */
    baseUrl?: string;
    /** The operations served, by their client method names. Default: what a visitor needs (createTicket and identify; Tickiti createTicket and createTicketUnified). Operations on an existing ticket need a capabilitySecret; listTickets, iterateTickets and listAgents are never served. */
    operations?: MavaRelayOperation[];
    /** The provider key's limit, when your plan's is not the published one (Mava: 90 per 30000 ms). */
    rateLimitQuota?: RateLimitQuota;
    /** The business's fields of every ticket a visitor creates (status, priority, assignee, tags, category, …), merged in by the relay: a visitor may send only the customer's own fields. */
    ticketDefaults?: Record<string, unknown>;
    /** The signing key Mava's dashboard shows (`mava_wh_…`): the relay then serves POST {basePath}/mava/webhooks and, with a capabilitySecret, each ticket's conversation to its visitor (CONTRACT §7.2). At least 32 characters. */
    webhookSigningKey?: string;
}

/** HelpWave, as a relay serves it, at the host its customer has. */
export interface HelpWaveRelayOptions {
    /** The provider's API key: it stays in the relay. At least 8 characters. */
    apiKey: string;
    /** Where the provider's API lives. */
    baseUrl: string;
    /** The operations served, by their client method names. Default: what a visitor needs (createTicket and identify; Tickiti createTicket and createTicketUnified). Operations on an existing ticket need a capabilitySecret; listTickets, iterateTickets and listAgents are never served. */
    operations?: HelpWaveRelayOperation[];
    /** The provider key's limit, when your plan's is not the published one. */
    rateLimitQuota?: RateLimitQuota;
    /** The business's fields of every ticket a visitor creates (status, priority, assignee, tags, category, …), merged in by the relay: a visitor may send only the customer's own fields. */
    ticketDefaults?: Record<string, unknown>;
}

/** Tickiti, as a relay serves it, at the host its customer has. */
export interface TickitiRelayOptions {
    /** The provider's API key: it stays in the relay. At least 8 characters. */
    apiKey: string;
    /** Where the provider's API lives. */
    baseUrl: string;
    /** The operations served, by their client method names. Default: what a visitor needs (createTicket and identify; Tickiti createTicket and createTicketUnified). Operations on an existing ticket need a capabilitySecret; listTickets, iterateTickets and listAgents are never served. */
    operations?: TickitiRelayOperation[];
    /** The provider key's limit, when your plan's is not the published one. */
    rateLimitQuota?: RateLimitQuota;
    /** The business's fields of every ticket a visitor creates (status, priority, assignee, tags, category, …), merged in by the relay: a visitor may send only the customer's own fields. */
    ticketDefaults?: Record<string, unknown>;
}

/** A section that serves HelpWave or Tickiti alike (`helpwave` or `tickiti`), at the host its customer has. */
export interface RelayHostedProviderOptions {
    /** The provider's API key: it stays in the relay. At least 8 characters. */
    apiKey: string;
    /** Where the provider's API lives. */
    baseUrl: string;
    /** The operations served, by their client method names. Default: what a visitor needs (createTicket and identify; Tickiti createTicket and createTicketUnified). Operations on an existing ticket need a capabilitySecret; listTickets, iterateTickets and listAgents are never served. */
    operations?: RelayHostedOperation[];
    /** The provider key's limit, when your plan's is not the published one. */
    rateLimitQuota?: RateLimitQuota;
    /** The business's fields of every ticket a visitor creates (status, priority, assignee, tags, category, …), merged in by the relay: a visitor may send only the customer's own fields. */
    ticketDefaults?: Record<string, unknown>;
}

/** The rule a violation broke and its parameters: Ajv's keyword and `params` where Ajv has the keyword, else a rule of ticketwire's own. Narrow `params` on `rule`. */
export type ViolatedRule =
    /** Not of the JSON type (or types: `integer,string`) or host value (`AbortSignal`) named. */
    | { rule: "type"; params: { type: string } }
    /** A required property is absent (the path points at it). */
    | { rule: "required"; params: { missingProperty: string } }
    /** A property the object does not have (the path points at it). */
    | { rule: "additionalProperties"; params: { additionalProperty: string } }
    /** Fewer characters (code points) than `limit`. */
    | { rule: "minLength"; params: { limit: number } }
    /** More characters (code points) than `limit`. */
    | { rule: "maxLength"; params: { limit: number } }
    /** Less than `limit`. */
    | { rule: "minimum"; params: { comparison: ">="; limit: number } }
    /** Not more than `limit`. */
    | { rule: "exclusiveMinimum"; params: { comparison: ">"; limit: number } }
    /** More than `limit`. */
    | { rule: "maximum"; params: { comparison: "<="; limit: number } }
    /** More items than `limit`. */
    | { rule: "maxItems"; params: { limit: number } }
    /** Text not matching the regular expression `pattern` (JavaScript's, with the `u` flag). */
    | { rule: "pattern"; params: { pattern: string } }
    /** Text not in the format named: `email`, `date-time`, or one of ticketwire's own. */
    | { rule: "format"; params: { format: string } }
    /** None of `allowedValues`. */
    | { rule: "enum"; params: { allowedValues: Array<string | number> } }
    /** Given where it must not be. */
    | { rule: "not"; params: Record<string, never> }
    /** `property` (the path points at it) is given without `missingProperty`. */
    | { rule: "dependentRequired"; params: { property: string; missingProperty: string; depsCount: number; deps: string } }
    /** Not exactly one of `properties`: none, or both (a customer by id and inline, say). */
    | { rule: "exactlyOne"; params: { properties: string[] } }
    /** More than one of `properties`. */
    | { rule: "atMostOne"; params: { properties: string[] } }
    /** None of `properties`. */
    | { rule: "anyRequired"; params: { properties: string[] } }
    /** None of `properties` with a non-empty value. */
    | { rule: "anyNonEmpty"; params: { properties: string[] } }
    /** Text that is empty once white space is trimmed. */
    | { rule: "notBlank"; params: Record<string, never> }
    /** A date not after the one in `property`. */
    | { rule: "dateAfter"; params: { property: string } }
    /** A date more than a year after the one in `property`. */
    | { rule: "dateWithinYear"; params: { property: string } }
    /** A value that could not be read: a getter or `Proxy` threw. */
    | { rule: "readable"; params: Record<string, never> }
    /** Nested deeper than `limit`. */
    | { rule: "maxDepth"; params: { limit: number } }
    /** A value that contains itself. */
    | { rule: "acyclic"; params: Record<string, never> }
    /** An input of more than `values` values or `characters` characters in all. */
    | { rule: "maxSize"; params: { values: number; characters: number } }
    /** A string or key with a lone surrogate: it cannot be sent as given. */
    | { rule: "wellFormed"; params: Record<string, never> }
    /** An integer past 2^53, which a double does not hold exactly. */
    | { rule: "safeInteger"; params: Record<string, never> }
    /** What JSON cannot carry (a bigint, a function, `NaN`), or a body not JSON. */
    | { rule: "jsonValue"; params: Record<string, never> };

/** A rule's name: Ajv's keyword (`maxLength`), or ticketwire's own (`exactlyOne`). */
export type TicketwireRule = ViolatedRule["rule"];

/** One mistake in an input: where, the provider's code, Ajv's message, and the rule broken with its parameters. */
export type Violation = {
    /** JSON Pointer into the input (`""` for the whole input, `/customer/email`). */
    path: string;
    /** The error code the provider would answer (`VALIDATION_ERROR`, `INVALID_CUSTOMER_MODE`, …). */
    code: string;
    /** Ajv's wording: `body/priority must be equal to one of the allowed values`. */
    message: string;
} & ViolatedRule;

/**
 * A Standard Schema v1 view (https://standardschema.dev) of one operation's input, which
 * react-hook-form's `standardSchemaResolver`, TanStack Form and other form libraries take as is:
 * `useForm({ resolver: standardSchemaResolver(client.schemas.createTicket) })`. `validate` runs the
 * rules `validateX` runs; an issue's `message` is the violation's without the place, which `path`
 * gives as keys (a number for an array index).
 */
export interface TicketwireSchema<Input> {
    readonly "~standard": {
        readonly version: 1;
        readonly vendor: "ticketwire";
        /** `{ value }` (the input as given) when it is valid, else `{ issues }`, every violation. Never throws. */
        readonly validate: (value: unknown) => TicketwireSchemaResult<Input>;
        /** For type inference only: never set. */
        readonly types?: { readonly input: Input; readonly output: Input } | undefined;
    };
}

/** What `TicketwireSchema`'s `validate` returns (Standard Schema's `Result`). */
export type TicketwireSchemaResult<Output> =
    | { readonly value: Output; readonly issues?: undefined }
    | { readonly issues: ReadonlyArray<TicketwireIssue> };

/** One violation as a Standard Schema issue: the message without the place, the place as keys, and the violation's code, rule and parameters. */
export type TicketwireIssue = {
    /** What is wrong, without where (`must match format "email"`). */
    readonly message: string;
    /** Where: the violation's JSON Pointer as keys (`["customer", "email"]`; a number for an array index). */
    readonly path: ReadonlyArray<string | number>;
    /** The error code the provider would answer. */
    readonly code: string;
} & ViolatedRule;

/** `MavaClient.schemas`: a Standard Schema view of each operation's input, with the client's own settings. */
export interface MavaSchemas {
    readonly createTicket: TicketwireSchema<MavaCreateTicketInput>;
    readonly identify: TicketwireSchema<MavaIdentifyInput>;
    readonly sendMessage: TicketwireSchema<MavaSendMessageInput>;
    readonly updateTicket: TicketwireSchema<MavaUpdateTicketInput>;
    readonly listTickets: TicketwireSchema<MavaListTicketsInput>;
}

/** `MavaClient.schemas` in `ticketwire/lite`: only the operations a relay may serve a visitor. */
export type MavaVisitorSchemas = Pick<MavaSchemas, "createTicket" | "identify">;

/** `HelpWaveClient.schemas`: a Standard Schema view of each operation's input, with the client's own settings. */
export interface HelpWaveSchemas {
    readonly createTicket: TicketwireSchema<HelpWaveCreateTicketInput>;
    readonly identify: TicketwireSchema<HelpWaveIdentifyInput>;
    readonly sendMessage: TicketwireSchema<HelpWaveSendMessageInput>;
}

/** `HelpWaveClient.schemas` in `ticketwire/lite`: only the operations a relay may serve a visitor. */
export type HelpWaveVisitorSchemas = Pick<HelpWaveSchemas, "createTicket" | "identify" | "sendMessage">;

/** `TickitiClient.schemas`: a Standard Schema view of each operation's input, with the client's own settings. */
export interface TickitiSchemas {
    readonly createTicket: TicketwireSchema<TickitiCreateTicketInput>;
    readonly createTicketUnified: TicketwireSchema<TickitiCreateTicketUnifiedInput>;
    readonly sendMessage: TicketwireSchema<TickitiSendMessageInput>;
}

/** `TickitiClient.schemas` in `ticketwire/lite`: only the operations a relay may serve a visitor. */
export type TickitiVisitorSchemas = Pick<TickitiSchemas, "createTicket" | "createTicketUnified" | "sendMessage">;

/** A helpdesk the SDK speaks, by the id its options, routes and errors use. */
export type TicketwireProviderId = "mava" | "helpwave" | "tickiti";

/** What went wrong, stable across releases (`TicketwireError.kind`). */
export type TicketwireErrorKind = "validation" | "api" | "rate_limited" | "timeout" | "aborted" | "network" | "config" | "webhook";

/** Whose call failed: a provider, or `relay` for `createRelay`'s options and the relay's own objects. */
export type TicketwireProvider = TicketwireProviderId | "relay";

/** What every `TicketwireError` carries, whatever its kind. It never carries an API key. */
export interface TicketwireErrorBase extends Error {
    readonly name: "TicketwireError";
    /** Whose call failed. */
    readonly provider: TicketwireProvider;
    /** The operation (`createTicket`), or `constructor` for bad client options. */
    readonly operation: string;
    /** The error as plain data, for logs: `JSON.stringify(error)`. */
    toJSON(): TicketwireErrorJSON;
}

/** A `TicketwireError` of kind `validation`: the input broke the contract, and nothing was sent; `violations` lists every mistake. */
export interface TicketwireValidationError extends TicketwireErrorBase {
    readonly kind: "validation";
    /** Never set for this kind. */
    readonly status?: undefined;
    /** The provider's error code or sentence (`VALIDATION_ERROR`, `WEBHOOK_MALFORMED`, …). */
    readonly code: string;
    /** Every violation found. */
    readonly violations: Violation[];
    /** Never set for this kind. */
    readonly retryAfterMs?: undefined;
    /** Never set for this kind. */
    readonly body?: undefined;
}

/** A `TicketwireError` of kind `api`: the provider answered with an error (`status`, and its `code` and `body` when it sent them). */
export interface TicketwireApiError extends TicketwireErrorBase {
    readonly kind: "api";
    /** The HTTP status of the answer. When known. */
    readonly status?: number;
    /** The provider's error code or sentence (`VALIDATION_ERROR`, `WEBHOOK_MALFORMED`, …). When known. */
    readonly code?: string;
    /** Never set for this kind. */
    readonly violations?: undefined;
    /** How long to wait before trying again, in milliseconds. When known. */
    readonly retryAfterMs?: number;
    /** The provider's error body as parsed (raw text when it was not JSON). When known. */
    readonly body?: unknown;
}

/** A `TicketwireError` of kind `rate_limited`: too many requests (the provider answered 429, or the limiter refused); `retryAfterMs` when known. */
export interface TicketwireRateLimitedError extends TicketwireErrorBase {
    readonly kind: "rate_limited";
    /** The HTTP status of the answer. When known. */
    readonly status?: number;
    /** The provider's error code or sentence (`VALIDATION_ERROR`, `WEBHOOK_MALFORMED`, …). When known. */
    readonly code?: string;
    /** Never set for this kind. */
    readonly violations?: undefined;
    /** How long to wait before trying again, in milliseconds. When known. */
    readonly retryAfterMs?: number;
    /** The provider's error body as parsed (raw text when it was not JSON). When known. */
    readonly body?: unknown;
}

/** A `TicketwireError` of kind `timeout`: an attempt took longer than `timeoutMs`, or the call ran past its deadline. */
export interface TicketwireTimeoutError extends TicketwireErrorBase {
    readonly kind: "timeout";
    /** Never set for this kind. */
    readonly status?: undefined;
    /** Never set for this kind. */
    readonly code?: undefined;
    /** Never set for this kind. */
    readonly violations?: undefined;
    /** Never set for this kind. */
    readonly retryAfterMs?: undefined;
    /** Never set for this kind. */
    readonly body?: undefined;
}

/** A `TicketwireError` of kind `aborted`: the caller's `AbortSignal` fired. */
export interface TicketwireAbortedError extends TicketwireErrorBase {
    readonly kind: "aborted";
    /** Never set for this kind. */
    readonly status?: undefined;
    /** Never set for this kind. */
    readonly code?: undefined;
    /** Never set for this kind. */
    readonly violations?: undefined;
    /** Never set for this kind. */
    readonly retryAfterMs?: undefined;
    /** Never set for this kind. */
    readonly body?: undefined;
}

/** A `TicketwireError` of kind `network`: no answer (the connection failed or broke). */
export interface TicketwireNetworkError extends TicketwireErrorBase {
    readonly kind: "network";
    /** Never set for this kind. */
    readonly status?: undefined;
    /** Never set for this kind. */
    readonly code?: undefined;
    /** Never set for this kind. */
    readonly violations?: undefined;
    /** Never set for this kind. */
    readonly retryAfterMs?: undefined;
    /** Never set for this kind. */
    readonly body?: undefined;
}

/** A `TicketwireError` of kind `config`: the options are wrong (`violations` when the option tables found them), or an object was used after it was disposed. */
export interface TicketwireConfigError extends TicketwireErrorBase {
    readonly kind: "config";
    /** Never set for this kind. */
    readonly status?: undefined;
    /** The provider's error code or sentence (`VALIDATION_ERROR`, `WEBHOOK_MALFORMED`, …). When known. */
    readonly code?: string;
    /** Every violation found. When known. */
    readonly violations?: Violation[];
    /** Never set for this kind. */
    readonly retryAfterMs?: undefined;
    /** Never set for this kind. */
    readonly body?: undefined;
}

/** A `TicketwireError` of kind `webhook`: an incoming webhook was refused; `code` says why. */
export interface TicketwireWebhookError extends TicketwireErrorBase {
    readonly kind: "webhook";
    /** Never set for this kind. */
    readonly status?: undefined;
    /** The provider's error code or sentence (`VALIDATION_ERROR`, `WEBHOOK_MALFORMED`, …). */
    readonly code: string;
    /** Never set for this kind. */
    readonly violations?: undefined;
    /** Never set for this kind. */
    readonly retryAfterMs?: undefined;
    /** Never set for this kind. */
    readonly body?: undefined;
}

/**
 * Every failure of a ticketwire call: one class (`instanceof TicketwireError`), narrowed on `kind`.
 * @inline
 */
export type TicketwireError = TicketwireValidationError | TicketwireApiError | TicketwireRateLimitedError | TicketwireTimeoutError | TicketwireAbortedError | TicketwireNetworkError | TicketwireConfigError | TicketwireWebhookError;

/** What `new TicketwireError(message, fields)` takes: its fields but `name` and `message`. */
export interface TicketwireErrorFields {
    kind: TicketwireErrorKind;
    provider: TicketwireProvider;
    operation: string;
    status?: number;
    code?: string;
    violations?: Violation[];
    retryAfterMs?: number;
    body?: unknown;
}

/** A `TicketwireError` as plain data (`toJSON()`). */
export interface TicketwireErrorJSON extends TicketwireErrorFields {
    name: "TicketwireError";
    message: string;
}

/** The `TicketwireError` class: `error instanceof TicketwireError` narrows to the union of its kinds. */
export interface TicketwireErrorConstructor {
    /** A `TicketwireError` of `fields.kind` with `message`, as the SDK makes them. */
    new (message: string, fields: TicketwireErrorFields): TicketwireError;
    readonly prototype: TicketwireError;
}
