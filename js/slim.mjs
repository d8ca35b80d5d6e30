// `ticketwire/slim` for ES modules: the same functions and instance as the CommonJS file.
import slim from './slim.cjs';

export const {
  initSync, init, TicketwireError, MavaClient, HelpWaveClient, TickitiClient, createRelay, durableObjectRateLimiter,
  TicketwireRateLimitObject, verifyMavaWebhook, durableObjectConversations, TicketwireConversationObject,
} = slim;
