// `ticketwire/lite`: the lite build's own types (wasm-bindgen's, of pkg/lite: the classes with
// only the visitor's methods, and every input, answer and option type from the same tables as
// the main entry's), and the main entry's error class.
/**
 * The clients as a page that calls through a relay uses them: only the operations a relay may
 * serve a visitor (Mava `createTicket`, `identify`, `listCategories`; HelpWave `createTicket`,
 * `identify`, `sendMessage`, `listComments`; Tickiti `createTicket`, `createTicketUnified`,
 * `sendMessage`), each with its `validateX` and `prepareX`, `conversation` and `schemas`, from a
 * smaller wasm. It holds no key: a client given `apiKey` throws a `TicketwireError` of kind
 * `config` (import `ticketwire` for that). `import { HelpWaveClient } from 'ticketwire/lite'`.
 *
 * @module ticketwire/lite
 */
export { MavaClient, HelpWaveClient, TickitiClient } from './lite/ticketwire.js';
export { TicketwireError } from './index.js';
export type * from './lite/ticketwire.js';
export type { TicketwireConversationStore, TicketwireThreadMessage, TicketwireThreadRead } from './index.js';
