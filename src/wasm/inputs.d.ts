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

/** What went wrong, stable across releases (`TicketwireError.kind`). */
export type TicketwireErrorKind = "validation" | "api" | "rate_limited" | "timeout" | "aborted" | "network" | "config";
