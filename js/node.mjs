// Node, ES modules (Deno and Bun too): the same instance as require('ticketwire'), so there is
// one TicketwireError class. No `__dirname`, no file to find: node.cjs carries its wasm.
import ticketwire from './node.cjs';

export const {
  TicketwireError, MavaClient, HelpWaveClient, TickitiClient, createRelay, durableObjectRateLimiter, TicketwireRateLimitObject,
  verifyMavaWebhook, durableObjectConversations, TicketwireConversationObject,
} = ticketwire;
