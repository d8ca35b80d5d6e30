// `ticketwire/node` for ES modules: the same functions as the CommonJS file (one WeakMap).
import handler from './node-handler.cjs';

export const { toNodeHandler, nodeVisitorKey } = handler;
