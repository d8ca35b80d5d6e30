// verifyMavaWebhook (CONTRACT §7.1) against envelopes built with node:crypto exactly as Mava's
// sample builds them: RSA-OAEP (SHA-1) for the event's AES key, HMAC-SHA256 keyed with that
// key's base64 text over the payload string, AES-CBC for the payload. Every refusal has its
// kind and code, and no key appears in any error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { constants, createCipheriv, createHmac, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { TicketwireError, verifyMavaWebhook } from 'ticketwire';
import { edgeOnly } from '../../pkg/install.mjs';
import { rejection } from './helpers.mjs';

const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const { publicKey, privateKey } = pair();
const signingKeyOf = (key) => `mava_wh_${key.export({ type: 'pkcs8', format: 'der' }).toString('base64')}`;
const SIGNING_KEY = signingKeyOf(privateKey);

const TICKET = {
  _id: '665f1c2b9d3e4a0012345678',
  status: 'Open',
  priority: 2,
  customer: { _id: '665f1c2b9d3e4a0012345600', name: 'Jane Doe', email: 'jane@example.com', discordRoles: [] },
  tags: [],
  attributes: [{ attribute: { _id: 'a1', name: 'Plan', type: 'text', affiliationType: 'ticket', isArchived: false }, content: 'Pro' }],
  isUserRatingRequested: false,
};
const MESSAGE = {
  _id: '665f1c2b9d3e4a00123456aa',
  messageType: 'ExternalMessage',
  senderReferenceType: 'ClientMember',
  sender: { name: 'Agent Smith', email: 'agent@example.com' },
  fromCustomer: false,
  content: 'Hello Jane, café ☕ — we are on it.',
  ticket: TICKET,
  attachments: [{ url: 'https://cdn.example/a.png', fileName: 'a.png', type: 'image/png' }],
};

/**
 * An envelope as Mava sends it: a fresh AES key (`bits`), the IV written `ivAs`, the payload
 * `payloadAs`; `plaintext` replaces the event's JSON. Returns the body's fields and the AES key.
 */
function seal(event, { bits = 256, ivAs = 'hex', payloadAs = 'base64', plaintext, rsaKey = publicKey, webhookId = 'wh_1' } = {}) {
  const aesKey = randomBytes(bits / 8);
  const iv = randomBytes(16);
  const cipher = createCipheriv(`aes-${bits}-cbc`, aesKey, iv);
  const payload = Buffer.concat([cipher.update(plaintext ?? JSON.stringify(event), 'utf8'), cipher.final()]).toString(payloadAs);
  const encryptedKey = publicEncrypt({ key: rsaKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, aesKey).toString('base64');
  const signature = createHmac('sha256', aesKey.toString('base64')).update(payload).digest('hex');
  return { fields: { signature, payload, key: `${iv.toString(ivAs)}:${encryptedKey}`, webhookId }, aesKey };
}

const body = (fields) => JSON.stringify(fields);

/** Every key's every spelling that must never reach an error. */
function secretsOf(aesKey) {
  const der = SIGNING_KEY.slice('mava_wh_'.length);
  return [SIGNING_KEY, der, der.slice(40, 80), ...(aesKey ? [aesKey.toString('base64'), aesKey.toString('hex')] : [])];
}

function assertRefused(error, kind, code, aesKey) {
  assert.ok(error instanceof TicketwireError, inspect(error));
  assert.deepEqual(
    { kind: error.kind, code: error.code, provider: error.provider, operation: error.operation },
    { kind, code, provider: 'mava', operation: 'verifyWebhook' },
    error.message,
  );
  for (const text of [JSON.stringify(error), error.message, inspect(error, { depth: 5 }), error.stack]) {
    for (const secret of secretsOf(aesKey)) assert.ok(!text.includes(secret), `a key in: ${text}`);
  }
}

test('a ticket event: AES-256, IV in hex, ciphertext in base64', async () => {
  const { fields } = seal({ type: 'ticket.created', document: TICKET });
  const event = await verifyMavaWebhook(body(fields), SIGNING_KEY);
  assert.deepEqual(event, { webhookId: 'wh_1', type: 'ticket.created', document: TICKET });
});

test('a message event: AES-128, IV in base64, ciphertext in hex', async () => {
  const { fields } = seal({ type: 'message.created', document: MESSAGE }, { bits: 128, ivAs: 'base64', payloadAs: 'hex' });
  const event = await verifyMavaWebhook(body(fields), SIGNING_KEY);
  assert.deepEqual(event, { webhookId: 'wh_1', type: 'message.created', document: MESSAGE });
});

test('every key size and spelling of the IV and the ciphertext', async () => {
  const document = { name: 'Jane', email: 'jane@example.com', discordRoles: ['vip'] };
  for (const bits of [128, 192, 256]) {
    for (const ivAs of ['hex', 'base64']) {
      for (const payloadAs of ['base64', 'hex']) {
        const { fields } = seal({ type: 'customer.updated', document }, { bits, ivAs, payloadAs, webhookId: `w${bits}` });
        const event = await verifyMavaWebhook(body(fields), SIGNING_KEY);
        assert.deepEqual(event, { webhookId: `w${bits}`, type: 'customer.updated', document }, `${bits} ${ivAs} ${payloadAs}`);
      }
    }
  }
});

test('the body may be the exact text, a Buffer, a Uint8Array or an ArrayBuffer', async () => {
  const { fields } = seal({ type: 'ticket.created', document: TICKET });
  const bytes = Buffer.from(body(fields));
  const forms = [body(fields), bytes, new Uint8Array(bytes), new Uint8Array(bytes).buffer, new DataView(new Uint8Array(bytes).buffer)];
  for (const form of forms) {
    const event = await verifyMavaWebhook(form, SIGNING_KEY);
    assert.equal(event.type, 'ticket.created', inspect(form).slice(0, 40));
  }
  // A view of part of a larger buffer is read as that part only.
  const larger = Buffer.concat([Buffer.from('xx'), bytes, Buffer.from('yy')]);
  assert.equal((await verifyMavaWebhook(larger.subarray(2, 2 + bytes.length), SIGNING_KEY)).type, 'ticket.created');
  // The key as pasted (a trailing newline) still reads; other event types pass through.
  const other = seal({ type: 'conversation.rated', document: { score: 5 } }).fields;
  assert.deepEqual(await verifyMavaWebhook(body(other), `${SIGNING_KEY}\n`), { webhookId: 'wh_1', type: 'conversation.rated', document: { score: 5 } });
});

test('a tampered payload is WEBHOOK_SIGNATURE_INVALID', async () => {
  const { fields, aesKey } = seal({ type: 'ticket.created', document: TICKET });
  const flipped = fields.payload[5] === 'A' ? 'B' : 'A';
  const tampered = { ...fields, payload: fields.payload.slice(0, 5) + flipped + fields.payload.slice(6) };
  assertRefused(await rejection(verifyMavaWebhook(body(tampered), SIGNING_KEY)), 'webhook', 'WEBHOOK_SIGNATURE_INVALID', aesKey);
});

test('a tampered signature is WEBHOOK_SIGNATURE_INVALID', async () => {
  const { fields, aesKey } = seal({ type: 'ticket.created', document: TICKET });
  const flipped = fields.signature[0] === '0' ? '1' : '0';
  const tampered = { ...fields, signature: flipped + fields.signature.slice(1) };
  assertRefused(await rejection(verifyMavaWebhook(body(tampered), SIGNING_KEY)), 'webhook', 'WEBHOOK_SIGNATURE_INVALID', aesKey);
});

test('an envelope for another key is WEBHOOK_SIGNATURE_INVALID', async () => {
  const other = pair();
  const { fields, aesKey } = seal({ type: 'ticket.created', document: TICKET }, { rsaKey: other.publicKey });
  assertRefused(await rejection(verifyMavaWebhook(body(fields), SIGNING_KEY)), 'webhook', 'WEBHOOK_SIGNATURE_INVALID', aesKey);
  // And the right envelope under the wrong signing key.
  const right = seal({ type: 'ticket.created', document: TICKET });
  const error = await rejection(verifyMavaWebhook(body(right.fields), signingKeyOf(other.privateKey)));
  assertRefused(error, 'webhook', 'WEBHOOK_SIGNATURE_INVALID', right.aesKey);
});

test('a body that is not JSON, or not an object, is WEBHOOK_MALFORMED', async () => {
  for (const text of ['', 'not json', '{"signature":', '[1,2]', '"text"', 'null']) {
    const error = await rejection(verifyMavaWebhook(text, SIGNING_KEY));
    assertRefused(error, 'webhook', 'WEBHOOK_MALFORMED');
  }
  assertRefused(await rejection(verifyMavaWebhook(new Uint8Array([0x7b, 0xff, 0x7d]), SIGNING_KEY)), 'webhook', 'WEBHOOK_MALFORMED');
  // The parsed object instead of the request's text or bytes.
  const { fields } = seal({ type: 'ticket.created', document: TICKET });
  const error = await rejection(verifyMavaWebhook(fields, SIGNING_KEY));
  assertRefused(error, 'webhook', 'WEBHOOK_MALFORMED');
  assert.match(error.message, /exact text or bytes/);
});

test('a missing, empty or odd field is WEBHOOK_MALFORMED', async () => {
  const { fields, aesKey } = seal({ type: 'ticket.created', document: TICKET });
  for (const name of ['signature', 'payload', 'key', 'webhookId']) {
    for (const odd of [undefined, '', 42, null, { nested: true }]) {
      const error = await rejection(verifyMavaWebhook(body({ ...fields, [name]: odd }), SIGNING_KEY));
      assertRefused(error, 'webhook', 'WEBHOOK_MALFORMED', aesKey);
      assert.ok(error.message.includes(`\`${name}\``), error.message);
    }
  }
  const short = { ...fields, signature: fields.signature.slice(2) };
  assertRefused(await rejection(verifyMavaWebhook(body(short), SIGNING_KEY)), 'webhook', 'WEBHOOK_MALFORMED', aesKey);
});

test('a key with no `:`, a bad IV or an encrypted key that is not base64 is WEBHOOK_MALFORMED', async () => {
  const { fields, aesKey } = seal({ type: 'ticket.created', document: TICKET });
  const [iv, encrypted] = fields.key.split(':');
  const keys = {
    'no colon': encrypted,
    'IV of 15 bytes': `${iv.slice(2)}:${encrypted}`,
    'IV not hex or base64': `${'z'.repeat(32)}:${encrypted}`,
    'encrypted key not base64': `${iv}:${encrypted.slice(0, 20)}!*${encrypted.slice(22)}`,
    'encrypted key empty': `${iv}:`,
  };
  for (const [what, key] of Object.entries(keys)) {
    const error = await rejection(verifyMavaWebhook(body({ ...fields, key }), SIGNING_KEY));
    assertRefused(error, 'webhook', 'WEBHOOK_MALFORMED', aesKey);
    assert.match(error.message, /`key`/, what);
  }
});

test('a signed payload that does not decrypt to the JSON event is WEBHOOK_PAYLOAD_INVALID', async () => {
  const cases = {
    'not JSON': 'this is not JSON',
    'JSON but no document': JSON.stringify({ type: 'ticket.created' }),
    'a document that is not an object': JSON.stringify({ type: 'ticket.created', document: 'id' }),
    'no type': JSON.stringify({ document: TICKET }),
  };
  for (const [what, plaintext] of Object.entries(cases)) {
    const { fields, aesKey } = seal(null, { plaintext });
    const error = await rejection(verifyMavaWebhook(body(fields), SIGNING_KEY));
    assertRefused(error, 'webhook', 'WEBHOOK_PAYLOAD_INVALID', aesKey);
    assert.ok(error.message.startsWith('Mava webhook refused (WEBHOOK_PAYLOAD_INVALID): '), `${what}: ${error.message}`);
  }
  // Signed with the right key, encrypted under another: the padding does not hold (or the text is garbage).
  const { fields, aesKey } = seal({ type: 'ticket.created', document: TICKET });
  const stranger = seal({ type: 'ticket.created', document: TICKET }).fields.payload;
  const resigned = { ...fields, payload: stranger, signature: createHmac('sha256', aesKey.toString('base64')).update(stranger).digest('hex') };
  assertRefused(await rejection(verifyMavaWebhook(body(resigned), SIGNING_KEY)), 'webhook', 'WEBHOOK_PAYLOAD_INVALID', aesKey);
});

test('a signing key that is not mava_wh_ + a PKCS#8 RSA key is a config error', async () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const der = SIGNING_KEY.slice('mava_wh_'.length);
  const keys = {
    'no prefix': der,
    'not base64': 'mava_wh_not*base64',
    'an EC key': signingKeyOf(ec),
    'PKCS#1, not PKCS#8': `mava_wh_${privateKey.export({ type: 'pkcs1', format: 'der' }).toString('base64')}`,
    'cut short': SIGNING_KEY.slice(0, -8),
    'not a string': 42,
  };
  const { fields, aesKey } = seal({ type: 'ticket.created', document: TICKET });
  for (const [what, key] of Object.entries(keys)) {
    const error = await rejection(verifyMavaWebhook(body(fields), key));
    assertRefused(error, 'config', undefined, aesKey);
    assert.ok(error.message.startsWith('verifyMavaWebhook: '), `${what}: ${error.message}`);
  }
});

test('a browser page has no verifyMavaWebhook: it rejects with a config error', async () => {
  const error = await rejection(edgeOnly.verifyMavaWebhook('{}', SIGNING_KEY));
  assert.deepEqual(
    { kind: error.kind, provider: error.provider, operation: error.operation, message: error.message },
    {
      kind: 'config', provider: 'mava', operation: 'verifyWebhook',
      message: 'verifyMavaWebhook runs at the edge (a Worker, Deno, Bun or Node), where the provider keys are: never in a browser page',
    },
  );
});
