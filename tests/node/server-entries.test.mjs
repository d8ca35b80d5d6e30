// The entries for servers and workers as their hosts load them, each in a fresh Node process:
// the Node entries read the edge wasm beside them, or, bundled, the copy inside the package's
// JavaScript (so a bundled server keeps it), the "worker" condition gets the edge build with the real relay, and
// `ticketwire/slim` waits for the host's module (initSync, init) and then is the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXPORTS } from '../../ecosystem/smoke.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = (file) => new URL(`../../pkg/${file}`, import.meta.url);
const INVALID = { customer: { email: 'jane@localhost' }, message: { content: 'hi' } };
const VIOLATIONS = [{ path: '/customer/email', code: 'VALIDATION_ERROR', message: 'body/customer/email must match format "email"', rule: 'format', params: { format: 'email' } }];

/** Runs `code` as an ES module in a new Node (from the repository root, where `ticketwire` is pkg/); its printed JSON. */
function inNode(code, ...flags) {
  const out = execFileSync(process.execPath, [...flags, '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out);
}

test('unbundled, the Node entries read the edge wasm beside them once and never load its base64 copy', () => {
  assert.equal(existsSync(pkg('node/ticketwire_bg.wasm')), false);
  assert.doesNotMatch(readFileSync(pkg('node/ticketwire.js'), 'utf8'), /__dirname|readFileSync/);
  const result = inNode(`
    import fs from 'node:fs';
    import { createRequire } from 'node:module';
    const read = [];
    for (const name of ['readFileSync', 'openSync', 'readFile', 'open']) {
      const original = fs[name];
      fs[name] = (path, ...rest) => { if (String(path).endsWith('.wasm')) read.push(String(path).replace(/.*\\/pkg\\//, '')); return original(path, ...rest); };
    }
    const require = createRequire(import.meta.url);
    const { MavaClient } = require('ticketwire');
    const esm = await import('ticketwire');
    const base64 = Object.keys(require.cache).filter((file) => file.includes('base64'));
    console.log(JSON.stringify({ read: [...new Set(read)], base64, one: esm.MavaClient === MavaClient, violations: new MavaClient().validateCreateTicket(${JSON.stringify(INVALID)}) }));
  `);
  assert.deepEqual(result, { read: ['edge/ticketwire_bg.wasm'], base64: [], one: true, violations: VIOLATIONS });
});

test('where the file beside them is missing or not this build (a bundle), the Node entries take the base64 copy', () => {
  for (const change of ['truncate', 'remove']) {
    const copy = mkdtempSync(join(tmpdir(), 'ticketwire-node-'));
    cpSync(fileURLToPath(pkg('')), copy, { recursive: true });
    const wasmFile = join(copy, 'edge/ticketwire_bg.wasm');
    if (change === 'truncate') writeFileSync(wasmFile, readFileSync(wasmFile).subarray(0, 1000));
    else rmSync(wasmFile);
    const out = execFileSync(process.execPath, ['-e', `
      const { MavaClient } = require(${JSON.stringify(join(copy, 'node.cjs'))});
      const base64 = Object.keys(require.cache).filter((file) => file.endsWith('ticketwire_bg.wasm.base64.cjs')).length;
      console.log(JSON.stringify({ base64, violations: new MavaClient().validateCreateTicket(${JSON.stringify(INVALID)}) }));
    `], { encoding: 'utf8' });
    rmSync(copy, { recursive: true });
    assert.deepEqual(JSON.parse(out), { base64: 1, violations: VIOLATIONS }, change);
  }
});

test('the "worker" condition gets the edge build: its relay is the real one, not the page stub', () => {
  const result = inNode(`
    import * as ticketwire from 'ticketwire';
    const relay = ticketwire.createRelay({ mava: { apiKey: 'sk_worker' }, allowedOrigins: ['https://shop.example'], visitorKey: () => '203.0.113.7' });
    const answer = await relay.fetch(new Request('https://relay.example/mava/api/ticket', {
      method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{}',
    }));
    console.log(JSON.stringify({
      entry: import.meta.resolve('ticketwire').replace(/.*\\//, ''),
      inline: import.meta.resolve('ticketwire/inline').replace(/.*\\//, ''),
      exports: Object.keys(ticketwire).sort(),
      status: answer.status,
      error: (await answer.json()).error,
      violations: new ticketwire.MavaClient().validateCreateTicket(${JSON.stringify(INVALID)}),
    }));
  `, '--conditions=worker');
  assert.deepEqual(result, {
    entry: 'worker.mjs',
    inline: 'worker.mjs',
    exports: EXPORTS,
    status: 403,
    error: 'ORIGIN_NOT_ALLOWED',
    violations: VIOLATIONS,
  });
});

test('edge-light.mjs, which only Next and Vercel can load, exports what every entry does', () => {
  // Its export lines, read as text: a name added to the other entries must be added here too.
  const source = readFileSync(pkg('edge-light.mjs'), 'utf8');
  const names = [...source.matchAll(/^export (?:const )?\{([^}]*)\}/gm)].flatMap(([, list]) => list.split(',').map((name) => name.trim()).filter(Boolean));
  assert.deepEqual(names.sort(), EXPORTS);
});

test('the exports map: edge-light and worker before browser, slim and its wasm', () => {
  const { exports } = JSON.parse(readFileSync(pkg('package.json'), 'utf8'));
  for (const entry of ['.', './inline']) {
    assert.deepEqual(Object.keys(exports[entry]).slice(0, 4), ['workerd', 'edge-light', 'worker', 'browser'], entry);
    assert.equal(exports[entry]['edge-light'].default, './edge-light.mjs');
    assert.equal(exports[entry].worker.default, './worker.mjs');
  }
  assert.equal(exports['./slim.wasm'], './edge/ticketwire_bg.wasm');
  // The edge-light entry imports its wasm as Next's and Vercel's bundlers compile it (`?module`).
  assert.match(readFileSync(pkg('edge-light.mjs'), 'utf8'), /from '\.\/edge\/ticketwire_bg\.wasm\?module'/);
});

test('every server entry has the glue build its violations from counted text: the list never goes through JSON.parse', () => {
  // In a fresh process each: the violations of an invalid input, and what JSON.parse was given.
  const parsedBy = (setup, ...flags) => inNode(`
    ${setup}
    const parsed = [];
    const parse = JSON.parse;
    JSON.parse = (text, reviver) => { parsed.push(text); return parse(text, reviver); };
    const violations = new ticketwire.MavaClient().validateCreateTicket(${JSON.stringify(INVALID)});
    JSON.parse = parse;
    console.log(JSON.stringify({ violations, parsed }));
  `, ...flags);
  const counted = { violations: VIOLATIONS, parsed: ['{"format":"email"}'] };
  assert.deepEqual(parsedBy("import * as ticketwire from 'ticketwire';"), counted, 'node.cjs');
  assert.deepEqual(parsedBy("import * as ticketwire from 'ticketwire';", '--conditions=worker'), counted, 'worker.mjs');
  assert.deepEqual(parsedBy(`
    import { readFileSync } from 'node:fs';
    import { fileURLToPath } from 'node:url';
    import * as ticketwire from 'ticketwire/slim';
    ticketwire.initSync(readFileSync(fileURLToPath(import.meta.resolve('ticketwire/slim.wasm'))));
  `), counted, 'slim.cjs');
  // workerd.mjs and edge-light.mjs load only in their hosts (tests/workerd runs workerd.mjs's
  // violations past the same check): each gives install the same reader.
  for (const entry of ['workerd.mjs', 'edge-light.mjs', 'worker.mjs', 'node.cjs', 'slim.cjs']) {
    assert.match(readFileSync(pkg(entry), 'utf8'), /install\(wasm, violationsReader\(\)\)/, entry);
  }
});

test('ticketwire/slim: nothing works before initSync; a module from another realm will do; then it is the package', () => {
  const result = inNode(`
    import { readFileSync } from 'node:fs';
    import { createRequire } from 'node:module';
    import { fileURLToPath } from 'node:url';
    import vm from 'node:vm';
    import * as slim from 'ticketwire/slim';
    let before;
    try { new slim.MavaClient(); } catch (error) { before = error.message; }
    const bytes = readFileSync(fileURLToPath(import.meta.resolve('ticketwire/slim.wasm')));
    const module = vm.runInNewContext('new WebAssembly.Module(bytes)', { bytes });
    const foreign = !(module instanceof WebAssembly.Module);
    slim.initSync(module);
    slim.initSync(new Uint8Array(8)); // once instantiated, later calls do nothing
    const main = await import('ticketwire');
    const cjs = createRequire(import.meta.url)('ticketwire/slim');
    let error;
    try { await new slim.MavaClient({ apiKey: 'sk_test_key' }).createTicket(${JSON.stringify(INVALID)}); } catch (e) { error = { ticketwire: e instanceof main.TicketwireError, kind: e.kind }; }
    console.log(JSON.stringify({
      before, foreign, error,
      violations: new slim.MavaClient().validateCreateTicket(${JSON.stringify(INVALID)}),
      oneInstance: main.MavaClient === slim.MavaClient && main.TicketwireError === slim.TicketwireError && cjs.initSync === slim.initSync,
      exports: Object.keys(slim).sort(),
    }));
  `);
  assert.deepEqual(result, {
    before: 'ticketwire/slim: call initSync(module) or await init(source) before using the package',
    foreign: true,
    error: { ticketwire: true, kind: 'validation' },
    violations: VIOLATIONS,
    oneInstance: true,
    exports: [...EXPORTS, 'init', 'initSync'].sort(),
  });
});

test('ticketwire/slim: init takes a Response, or a promise of the bytes, and compiles asynchronously', () => {
  for (const source of ['new Response(bytes, { headers: { "content-type": "application/wasm" } })', 'Promise.resolve(bytes.buffer)']) {
    const result = inNode(`
      import { readFileSync } from 'node:fs';
      import { fileURLToPath } from 'node:url';
      import { MavaClient, init } from 'ticketwire/slim';
      const bytes = new Uint8Array(readFileSync(fileURLToPath(import.meta.resolve('ticketwire/slim.wasm'))));
      await init(${source});
      await init(new Uint8Array(8)); // once instantiated, later calls do nothing
      console.log(JSON.stringify(new MavaClient().validateCreateTicket(${JSON.stringify(INVALID)})));
    `);
    assert.deepEqual(result, VIOLATIONS, source);
  }
});

test('ticketwire/slim: a failed fetch of the wasm says so', () => {
  const result = inNode(`
    import { init } from 'ticketwire/slim';
    try { await init(new Response('not found', { status: 404 })); } catch (error) { console.log(JSON.stringify(error.message)); }
  `);
  assert.equal(result, 'ticketwire/slim: fetching the wasm answered 404');
});

test('ticketwire/slim: its types compile under strict TypeScript (tests/types/slim)', () => {
  execFileSync(`${root}node_modules/.bin/tsc`, ['-p', `${root}tests/types/slim`], { stdio: 'pipe' });
});
