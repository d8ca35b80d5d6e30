// The public surface of the ticketwire package. The classes and input/output types are
// generated from the Rust sources (wasm-bindgen + tsify), from the Node build, which has
// everything and, unlike the ES module builds' .d.ts, no init function typed with DOM-only
// names (RequestInfo, WebAssembly); TicketwireError is defined in JS.
/**
 * The clients of Mava, HelpWave and Tickiti, the relay, the Durable Object limiter and
 * conversations, webhook verification, and the types of every input, answer and error:
 * `import { MavaClient } from 'ticketwire'`.
 *
 * @module ticketwire
 */
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
  TicketwireProvider,
  TicketwireErrorBase,
  TicketwireValidationError,
  TicketwireApiError,
  TicketwireRateLimitedError,
  TicketwireTimeoutError,
  TicketwireAbortedError,
  TicketwireNetworkError,
  TicketwireConfigError,
  TicketwireWebhookError,
  TicketwireErrorFields,
  TicketwireErrorJSON,
  TicketwireErrorConstructor,
  RateLimitQuota,
  TicketwireRateLimiter,
  TicketwireRateLimitCall,
  TicketwireRateLimitSlot,
  RelayOptions,
  MavaRelayOptions,
  HelpWaveRelayOptions,
  TickitiRelayOptions,
  RelayHostedProviderOptions,
  MavaRelayOperation,
  HelpWaveRelayOperation,
  TickitiRelayOperation,
  RelayHostedOperation,
  TicketwireLimiterNamespace,
  DurableObjectRateLimiterOptions,
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
  durableObjectConversations, TicketwireConversationObject,
} from './node/ticketwire.js';
// Made by iterateTickets, conversation, createRelay and the limiter, never constructed: types only, as no entry exports them.
export type {
  MavaTicketIterator, TicketwireConversation, Relay, DurableObjectRateLimiter, DurableObjectSlot, DurableObjectConversations,
  TicketwireConversationStore, TicketwireConversationNamespace, TicketwireThreadMessage, TicketwireThreadRead,
} from './node/ticketwire.js';

import type { MavaRelayOptions, TicketwireError as AnyTicketwireError, TicketwireErrorConstructor } from './node/ticketwire.js';

// The classes declare `[Symbol.dispose]` (for `using`). Declared here too, so that a project
// whose `lib` predates esnext.disposable still compiles; it merges with lib's and @types/node's.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** Mava's section of `createRelay`'s options. @deprecated Named `MavaRelayOptions` now. */
export type RelayProviderOptions = MavaRelayOptions;

// `@useDeclaredType` (TypeDoc): the reference shows this alias as the union of the kinds'
// interfaces; the Node build's union it names has no export of its own (the class has the name).
/**
 * Every failure of a ticketwire call: one class, `error instanceof TicketwireError`, whose
 * other fields narrow on `kind` (after `error.kind === 'validation'`, `error.violations` is a
 * `Violation[]`). It never carries an API key.
 *
 * @useDeclaredType
 */
export type TicketwireError = AnyTicketwireError;
/** The class of every failure (an `Error` subclass): `error instanceof TicketwireError`. */
export declare const TicketwireError: TicketwireErrorConstructor;
