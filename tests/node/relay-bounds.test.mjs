// What one relayed request may cost (CONTRACT §6, revised 2026-12-06): a visitor who stored a
// large thread cannot make the relay copy a provider-sized answer into wasm memory, which
// never shrinks. Past maxResponseBytes the answer is a 502 and nothing of it is read further.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createRelay } from 'ticketwire';

const wasm = createRequire(import.meta.url)(fileURLToPath(new URL('../../node_modules/ticketwire/node/ticketwire.js', import.meta.url)));
const ORIGIN = 'https://shop.example';
const MB = 1 << 20;

/** An upstream that answers every call with `bytes` of JSON comments, streamed. */
function comments(bytes) {
  const chunk = new TextEncoder().encode(`{"text":"${'x'.repeat(64 * 1024 - 12)}"},`);
  return async () => new Response(new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"success":true,"comments":['));
      for (let sent = 0; sent < bytes; sent += chunk.length) controller.enqueue(chunk);
      controller.enqueue(new TextEncoder().encode('{}]}'));
      controller.close();
    },
  }), { status: 200, headers: { 'content-type': 'application/json' } });
}

test('a 4 MB thread (past the relay default of 1 MiB) is a 502, and wasm memory stays flat', async () => {
  const relay = createRelay({
    helpwave: { apiKey: 'sk_helpwave_bounds_key', baseUrl: 'https://helpwave.upstream.example', operations: ['listComments'] },
    allowedOrigins: [ORIGIN],
    capabilitySecret: 'b'.repeat(32),
    visitorLimit: false,
    fetch: comments(4 * MB),
  });
  // The capability check comes first: sign one as the relay would, through a create's answer.
  const list = (token) => relay.fetch(new Request('https://relay.example/helpwave/api/v1/tickets/12/comments', {
    headers: { origin: ORIGIN, 'x-ticketwire-capability': token },
  }));
  const { createHmac } = await import('node:crypto');
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from('https://helpwave.upstream.example\nsk_helpwave_bounds_key')) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  const expiry = Math.floor(Date.now() / 1000) + 3600;
  const signed = `ticketwire capability v2\nticket\nhelpwave\n${hash.toString(16).padStart(16, '0')}\n12\n${expiry}`;
  const token = `tw1.${expiry}.${createHmac('sha256', 'b'.repeat(32)).update(signed).digest('base64url')}`;
  await (await list(token)).text(); // warm up
  const before = wasm.__wasmMemoryBytes();
  for (let i = 0; i < 3; i++) {
    const response = await list(token);
    const body = await response.json();
    assert.deepEqual([response.status, body.error], [502, 'UPSTREAM_RESPONSE_TOO_LARGE']);
  }
  assert.ok(wasm.__wasmMemoryBytes() - before <= 0, `wasm memory grew by ${wasm.__wasmMemoryBytes() - before} bytes`);
  assert.ok(wasm.__wasmMemoryBytes() < 8 * MB, `wasm memory is ${wasm.__wasmMemoryBytes()} bytes`);
});
