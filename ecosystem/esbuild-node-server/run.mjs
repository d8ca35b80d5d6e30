// A Node server bundled by esbuild (platform node), run from its bundle alone: copied into an
// empty temporary folder, with no node_modules on its way up, as a server image would hold it.
// Three bundles: server.mjs with plain `ticketwire` (no option: the wasm is inside the
// package's JavaScript) as one ES module and as CommonJS, and slim-server.mjs with
// `ticketwire/slim` and esbuild's binary loader for `ticketwire/slim.wasm`. Each files a
// ticket in the sandbox through its relay and refuses an invalid one with the exact violation.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { once } from 'node:events';
import { build, version } from 'esbuild';

const SANDBOX = process.env.SANDBOX_URL;
const ORIGIN = 'https://shop.example';
const tickets = async () => (await (await fetch(`${SANDBOX}/_sandbox/counts?org=acme`)).json()).mava_tickets;
function same(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}

async function bundle(entry, options = {}) {
  const format = options.format ?? 'esm';
  const outfile = `dist/${entry.replace(/\.mjs$/, format === 'esm' ? '.mjs' : '.cjs')}`;
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format, outfile, logLevel: 'warning', ...options });
  const code = readFileSync(outfile, 'utf8');
  // Nothing in it looks for a file beside the package (and __dirname would throw in an ES module).
  if (code.includes('__dirname')) throw new Error(`${outfile} uses __dirname`);
  return { outfile, code };
}

async function serveFromBundle({ outfile }) {
  const dir = mkdtempSync(join(tmpdir(), 'ticketwire-esbuild-server-'));
  for (let up = dir; up !== dirname(up); up = dirname(up)) {
    if (existsSync(join(up, 'node_modules'))) throw new Error(`${join(up, 'node_modules')} exists: the bundle would not run alone`);
  }
  const file = `server${extname(outfile)}`;
  copyFileSync(outfile, join(dir, file));
  const child = spawn(process.execPath, [file], {
    cwd: dir,
    env: { ...process.env, MAVA_API_KEY: 'sandbox_mava_acme', MAVA_BASE_URL: `${SANDBOX}/mava`, SHOP_ORIGIN: ORIGIN },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = await Promise.race([
    once(child.stdout, 'data'),
    once(child, 'exit').then(([code]) => { throw new Error(`${outfile} exited with ${code}`); }),
  ]);
  const url = String(line).match(/listening on (\S+)/)?.[1];
  if (!url) throw new Error(`${outfile} printed ${line}`);
  return { url, stop: () => { child.kill(); rmSync(dir, { recursive: true, force: true }); } };
}

const post = (url, body) => fetch(`${url}/support/mava/api/ticket`, {
  method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify(body),
});

async function check(built) {
  const server = await serveFromBundle(built);
  try {
    const before = await tickets();
    const filed = await post(server.url, { customer: { name: 'Jane Doe', email: 'jane@example.com' }, message: { content: 'Where is my order?' } });
    const { ticket } = await filed.json();
    same(filed.status, 201, `${built.outfile}: the relay's answer`);
    if (!/^[0-9a-f]{24}$/.test(ticket?._id)) throw new Error(`${built.outfile}: ticket ${JSON.stringify(ticket)}`);
    same(ticket.messages.map((m) => m.content), ['Where is my order?'], `${built.outfile}: the ticket's message`);
    same(await tickets(), before + 1, `${built.outfile}: tickets in the sandbox`);
    const refused = await post(server.url, { customer: { email: 'jane@localhost' }, message: { content: 'hi' } });
    same([refused.status, await refused.json(), await tickets()],
      [400, { error: 'VALIDATION_ERROR', message: 'body/customer/email must match format "email"' }, before + 1], `${built.outfile}: an invalid ticket`);
  } finally {
    server.stop();
  }
}

rmSync('dist', { recursive: true, force: true });
const plain = await bundle('server.mjs');
const commonjs = await bundle('server.mjs', { format: 'cjs' });
// The binary loader decodes with Uint8Array.fromBase64 unless told the Node it targets.
const slim = await bundle('slim-server.mjs', { loader: { '.wasm': 'binary' }, target: `node${process.versions.node.split('.')[0]}` });
if (slim.code.includes('ticketwire_bg.wasm.base64')) throw new Error('the slim bundle carries the inlined wasm too');
await check(plain);
await check(commonjs);
await check(slim);
const kb = (code) => `${Math.round(code.length / 1024)} KB`;
console.log(`esbuild ${version}, each bundle run alone: --format=esm ${kb(plain.code)}, --format=cjs ${kb(commonjs.code)}, ticketwire/slim + --loader:.wasm=binary ${kb(slim.code)}: relay 201 + a ticket, 400 + the violation`);
