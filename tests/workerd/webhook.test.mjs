// verifyMavaWebhook inside workerd: its Web Crypto does RSA-OAEP (SHA-1), HMAC-SHA256 and
// AES-CBC for envelopes built with node:crypto as Mava builds them (tests/node/webhook.test.mjs
// has every refusal; here the runtime's crypto is what is tested).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { constants, createCipheriv, createHmac, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { bundle, start, worker } from './workerd.mjs';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const SIGNING_KEY = `mava_wh_${privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64')}`;
let workerd;

before(async () => {
  const dir = fileURLToPath(new URL('./webhook/', import.meta.url));
  const receiver = bundle(dir, ['index.mjs', '--name', 'webhook', '--compatibility-date', '2026-04-01']);
  workerd = await start([worker('webhook', receiver.scriptPath, { bindings: { MAVA_SIGNING_KEY: SIGNING_KEY } })]);
});

after(() => workerd?.dispose());

function seal(event, { bits, ivAs, payloadAs }) {
  const aesKey = randomBytes(bits / 8);
  const iv = randomBytes(16);
  const cipher = createCipheriv(`aes-${bits}-cbc`, aesKey, iv);
  const payload = Buffer.concat([cipher.update(JSON.stringify(event)), cipher.final()]).toString(payloadAs);
  const encryptedKey = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, aesKey).toString('base64');
  const signature = createHmac('sha256', aesKey.toString('base64')).update(payload).digest('hex');
  return { signature, payload, key: `${iv.toString(ivAs)}:${encryptedKey}`, webhookId: `wh-${bits}-${ivAs}-${payloadAs}` };
}

const post = async (envelope) => {
  const response = await workerd.fetch('webhook', '/', { method: 'POST', body: JSON.stringify(envelope) });
  return { status: response.status, json: await response.json() };
};

test('workerd verifies and decrypts AES-256, -192 and -128 envelopes in every spelling', async () => {
  const document = { _id: 'm1', messageType: 'ExternalMessage', fromCustomer: false, content: 'Hello from the agent' };
  for (const bits of [256, 192, 128]) {
    for (const [ivAs, payloadAs] of [['hex', 'base64'], ['base64', 'hex']]) {
      const envelope = seal({ type: 'message.created', document }, { bits, ivAs, payloadAs });
      const { status, json } = await post(envelope);
      assert.deepEqual({ status, json }, { status: 200, json: { event: { webhookId: envelope.webhookId, type: 'message.created', document } } });
    }
  }
});

test('workerd refuses a tampered payload as WEBHOOK_SIGNATURE_INVALID, naming no key', async () => {
  const envelope = seal({ type: 'ticket.created', document: { _id: 't1' } }, { bits: 256, ivAs: 'hex', payloadAs: 'base64' });
  const { status, json } = await post({ ...envelope, payload: `A${envelope.payload.slice(1)}` === envelope.payload ? `B${envelope.payload.slice(1)}` : `A${envelope.payload.slice(1)}` });
  assert.deepEqual({ status, kind: json.error.kind, code: json.error.code, isTicketwire: json.error.isTicketwire }, {
    status: 401, kind: 'webhook', code: 'WEBHOOK_SIGNATURE_INVALID', isTicketwire: true,
  });
  assert.ok(!JSON.stringify(json).includes(SIGNING_KEY.slice(8, 60)));
});
