// Node, ES modules: the same instance as require('ticketwire'), so there is one TicketwireError class.
import ticketwire from './node.cjs';

export const {
  TicketwireError, MavaClient, HelpWaveClient, TickitiClient, createRelay, durableObjectRateLimiter, TicketwireRateLimitObject,
  verifyMavaWebhook, durableObjectConversations, TicketwireConversationObject,
} = ticketwire;
