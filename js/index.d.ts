// The public surface of the ticketwire package. The classes and input/output types are
// generated from the Rust sources (wasm-bindgen + tsify), from the Node build, which has
// everything and, unlike the ES module builds' .d.ts, no init function typed with DOM-only
// names (RequestInfo, WebAssembly); TicketwireError is defined in JS.
export type {
  TicketwireErrorKind,
  TicketwireProviderId,
  Violation,
  ViolatedRule,
  TicketwireRule,
  TicketwireSchema,
  TicketwireSchemaResult,
  TicketwireIssue,
  MavaSchemas,
  HelpWaveSchemas,
  TickitiSchemas,
  PreparedRequest,
  ClientOptions,
  CallOptions,
  TicketwireRateLimiter,
  TicketwireRateLimitSlot,
  RelayOptions,
  RelayProviderOptions,
  TicketwireLimiterNamespace,
  MavaTicketStatus,
  MavaPriority,
  MavaCsatValue,
  MavaOrigin,
  MavaCreateTicketInput,
  MavaCustomerInput,
  MavaAttributeInput,
  MavaInitialMessageInput,
  MavaAttachmentInput,
  MavaIdentifyInput,
  MavaCustomAttribute,
  MavaSendMessageInput,
  MavaMessageAttachment,
  MavaUpdateTicketInput,
  MavaListTicketsInput,
  MavaTicket,
  MavaTicketCustomer,
  MavaRef,
  MavaAttributeValue,
  MavaMessage,
  MavaCreateTicketResult,
  MavaIdentifyResult,
  MavaSendMessageResult,
  MavaUpdateTicketResult,
  MavaCategory,
  MavaListCategoriesResult,
  MavaAgent,
  MavaListAgentsResult,
  MavaPagination,
  MavaListTicketsResult,
  MavaWebhookEvent,
  MavaTicketWebhookEvent,
  MavaMessageWebhookEvent,
  MavaCustomerWebhookEvent,
  MavaOtherWebhookEvent,
  MavaWebhookTicket,
  MavaWebhookMessage,
  MavaWebhookCustomer,
  MavaWebhookPerson,
  MavaWebhookAttribute,
  MavaWebhookAttributeValue,
  HelpWaveCreateTicketInput,
  HelpWaveIdentifyInput,
  HelpWaveSendMessageInput,
  HelpWaveTicket,
  HelpWaveCustomer,
  HelpWaveComment,
  HelpWaveCreateTicketResult,
  HelpWaveIdentifyResult,
  HelpWaveSendMessageResult,
  HelpWaveListCommentsResult,
  TickitiCreateTicketInput,
  TickitiSubjectContentTicket,
  TickitiTemplateTicket,
  TickitiInterventionTicket,
  TickitiSubjectContentData,
  TickitiTemplateData,
  TickitiInterventionData,
  TickitiCreateTicketUnifiedInput,
  TickitiSendMessageInput,
  TickitiCreateTicketData,
  TickitiCreateTicketResult,
  TickitiCreateTicketUnifiedResult,
  TickitiSendMessageData,
  TickitiSendMessageResult,
  TicketwireConversationOptions,
  TicketwireConversationBatch,
  TicketwireConversationMessage,
  TicketwireConversationAttachment,
} from './node/ticketwire.js';
export {
  MavaClient, HelpWaveClient, TickitiClient, createRelay, durableObjectRateLimiter, TicketwireRateLimitObject, verifyMavaWebhook,
} from './node/ticketwire.js';
// Made by iterateTickets, conversation, createRelay and the limiter, never constructed: types only, as no entry exports them.
export type { MavaTicketIterator, TicketwireConversation, Relay, DurableObjectRateLimiter, DurableObjectSlot } from './node/ticketwire.js';

import type { Violation, TicketwireErrorKind, TicketwireProviderId } from './node/ticketwire.js';

// The classes declare `[Symbol.dispose]` (for `using`). Declared here too, so that a project
// whose `lib` predates esnext.disposable still compiles; it merges with lib's and @types/node's.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** The helpdesk a call was for (`relay` for `createRelay`'s own options). */
export type TicketwireProvider = TicketwireProviderId | 'relay';

/** Every failure of a ticketwire call. It never carries an API key. */
export declare class TicketwireError extends Error {
  readonly name: 'TicketwireError';
  /** What went wrong. */
  readonly kind: TicketwireErrorKind;
  /** Whose API. */
  readonly provider: TicketwireProvider;
  /** The operation (`createTicket`), or `constructor` for bad client options. */
  readonly operation: string;
  /** The HTTP status, when there was a response. */
  readonly status?: number;
  /** The provider's error code or sentence. */
  readonly code?: string;
  /** Every violation, for `validation` and `config`. */
  readonly violations?: Violation[];
  /** How long to wait before trying again, when known. */
  readonly retryAfterMs?: number;
  /** The provider's error body as parsed (raw text when it was not JSON). */
  readonly body?: unknown;
  /** The error as plain data, for logs. */
  toJSON(): {
    name: 'TicketwireError';
    message: string;
    kind: TicketwireErrorKind;
    provider: TicketwireProvider;
    operation: string;
    status?: number;
    code?: string;
    violations?: Violation[];
    retryAfterMs?: number;
    body?: unknown;
  };
}
