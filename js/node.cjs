// Node, CommonJS: the wasm module loads synchronously from disk, so nothing needs an init call.
'use strict';
const wasm = require('./node/ticketwire.js');
const { TicketwireError, install } = require('./install.cjs');

install(wasm);

module.exports = {
  TicketwireError,
  MavaClient: wasm.MavaClient,
  HelpWaveClient: wasm.HelpWaveClient,
  TickitiClient: wasm.TickitiClient,
  createRelay: wasm.createRelay,
  durableObjectRateLimiter: wasm.durableObjectRateLimiter,
  TicketwireRateLimitObject: wasm.TicketwireRateLimitObject,
  verifyMavaWebhook: wasm.verifyMavaWebhook,
  durableObjectConversations: wasm.durableObjectConversations,
  TicketwireConversationObject: wasm.TicketwireConversationObject,
};
