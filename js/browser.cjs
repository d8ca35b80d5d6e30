// CommonJS with the "browser" condition: what Jest's jsdom environment requires. It is Node
// underneath, so the wasm loads from disk as in node.cjs; jsdom's window lacks the
// TextDecoder and TextEncoder that the wasm glue needs when it loads, so Node's fill the gap.
'use strict';
const util = require('node:util');

if (typeof globalThis.TextDecoder === 'undefined') globalThis.TextDecoder = util.TextDecoder;
if (typeof globalThis.TextEncoder === 'undefined') globalThis.TextEncoder = util.TextEncoder;

module.exports = require('./node.cjs');
