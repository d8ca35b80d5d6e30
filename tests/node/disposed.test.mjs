// A disposed object ([Symbol.dispose](), `using`, or wasm-bindgen's free()): every method of
// every class, as its .d.ts declares it, is then a `config` TicketwireError that says so (a
// rejection where the method returns a Promise), never wasm-bindgen's `null pointer passed to
// rust`; disposing twice does nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  HelpWaveClient, MavaClient, TickitiClient, TicketwireError, TicketwireRateLimitObject, createRelay, durableObjectRateLimiter,
  TicketwireConversationObject, durableObjectConversations,
} from 'ticketwire';
import { CUSTOMER_ID, thrown } from './helpers.mjs';

// Each class's methods and whether each returns a Promise, from the package's own .d.ts.
const declared = new Map();
for (const [, name, body] of readFileSync(new URL('../../pkg/node/ticketwire.d.ts', import.meta.url), 'utf8')
  .matchAll(/^export class (\w+) \{\n([\s\S]*?)^\}/gm)) {
  const methods = [...body.matchAll(/^ {4}(\w+)\(.*\): (.*);$/gm)].map(([, method, result]) => [method, result.startsWith('Promise<')]);
  declared.set(name, new Map(methods));
}

// A limiter whose namespace sends each order to a real limiter object in this process.
const object = new TicketwireRateLimitObject(undefined, undefined);
const namespace = { idFromName: (name) => name, get: () => ({ fetch: (url, init) => object.fetch(new Request(url, init)) }) };

const mava = () => new MavaClient({ baseUrl: 'https://relay.example/mava' });
const helpwave = () => new HelpWaveClient({ baseUrl: 'https://relay.example/helpwave' });
// One fresh instance of every class, and the provider its errors name.
const INSTANCES = {
  MavaClient: [mava, 'mava'],
  HelpWaveClient: [helpwave, 'helpwave'],
  TickitiClient: [() => new TickitiClient({ baseUrl: 'https://relay.example/tickiti' }), 'tickiti'],
  MavaTicketIterator: [() => mava().iterateTickets({ startDate: '2026-01-01', endDate: '2026-02-01' }), 'mava'],
  TicketwireConversation: [() => helpwave().conversation('987654321012345678', { capability: 'c' }), 'helpwave'],
  Relay: [() => createRelay({ allowedOrigins: ['https://shop.example'], visitorLimit: false, mava: { apiKey: 'sk_relay_key_1' } }), 'relay'],
  DurableObjectRateLimiter: [() => durableObjectRateLimiter(namespace), 'relay'],
  DurableObjectSlot: [() => durableObjectRateLimiter(namespace).acquire({ provider: 'mava', operation: 'createTicket', keyHash: '0123456789abcdef' }), 'relay'],
  TicketwireRateLimitObject: [() => new TicketwireRateLimitObject(undefined, undefined), 'relay'],
  TicketwireConversationObject: [() => new TicketwireConversationObject(undefined, undefined), 'relay'],
  DurableObjectConversations: [() => durableObjectConversations(namespace), 'relay'],
};

test('the .d.ts declares the classes this test makes, and no free()', () => {
  assert.deepEqual([...declared.keys()].sort(), Object.keys(INSTANCES).sort());
  for (const [name, methods] of declared) assert.equal(methods.has('free'), false, name);
});

for (const [name, [make, provider]] of Object.entries(INSTANCES)) {
  for (const how of ['[Symbol.dispose]()', 'free()']) {
    test(`${name}: every method after ${how} is a config TicketwireError`, async () => {
      const instance = await make();
      assert.equal(instance.constructor.name, name);
      const dispose = how === 'free()' ? instance.free : instance[Symbol.dispose];
      dispose.call(instance);
      dispose.call(instance); // twice: nothing
      instance[Symbol.dispose]();
      // What the .d.ts declares, and what it leaves out (the relay's countVisitor): every method there is.
      const methods = new Map(declared.get(name));
      const proto = Object.getPrototypeOf(instance);
      // Getters (a client's `schemas`): reading one is the same config error.
      const getters = Object.getOwnPropertyNames(proto).filter((p) => typeof Object.getOwnPropertyDescriptor(proto, p).get === 'function');
      for (const method of Object.getOwnPropertyNames(proto)) {
        if (!['constructor', 'free', '__destroy_into_raw', ...getters].includes(method) && !methods.has(method)) methods.set(method, true);
      }
      for (const getter of getters) {
        const error = thrown(() => instance[getter]);
        assert.ok(error instanceof TicketwireError && error.kind === 'config', `${name}.${getter}: ${error}`);
        assert.equal(error.message, `${name}.${getter} was read after the ${name} was disposed ([Symbol.dispose]() or free()): it can no longer be used; create another`);
      }
      assert.ok(methods.size > 0);
      for (const [method, returnsPromise] of methods) {
        if (getters.includes(method)) continue;
        let error;
        const args = [{}, {}];
        if (returnsPromise) {
          const result = instance[method](...args);
          assert.ok(result instanceof Promise, `${name}.${method} returns a Promise`);
          error = await result.then(() => assert.fail(`${name}.${method} resolved`), (e) => e);
        } else {
          error = thrown(() => instance[method](...args));
        }
        assert.ok(error instanceof TicketwireError, `${name}.${method}: ${error}`);
        assert.deepEqual(
          { message: error.message, ...error.toJSON(), name: error.name },
          {
            name: 'TicketwireError',
            message: `${name}.${method}() was called after the ${name} was disposed ([Symbol.dispose]() or free()): it can no longer be used; create another`,
            kind: 'config',
            provider,
            operation: method,
            status: undefined, code: undefined, violations: undefined, retryAfterMs: undefined, body: undefined,
          },
        );
      }
    });
  }
}

test('an object not disposed still works, and one made by a disposed client keeps working', async () => {
  const client = mava();
  const iterator = client.iterateTickets({ startDate: '2026-01-01', endDate: '2026-02-01' });
  client[Symbol.dispose]();
  assert.deepEqual(await iterator.return(), { done: true, value: undefined });
  assert.deepEqual(new MavaClient().validateIdentify({ mavaCustomerId: CUSTOMER_ID }), []);
});
