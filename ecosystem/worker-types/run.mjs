// The README's Worker quickstart in TypeScript, as a new user follows it, from the packed
// tarball, under current wrangler (Node 22): `wrangler types` gives an Env whose limiter binding
// is DurableObjectNamespace<TicketwireRateLimitObject>; strict tsc with no skipLibCheck accepts
// the Worker and those types; `wrangler dev` (secrets from .dev.vars, the SQLite-backed Durable
// Object) serves the relay, which files a ticket in the sandbox through the limiter.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

const SANDBOX_URL = process.env.SANDBOX_URL;
const ORIGIN = 'https://shop.example';
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', CI: '1' };
const run = (command, args) => execFileSync(command, args, { encoding: 'utf8', env });

function same(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: got ${a}, expected ${e}`);
}

// Local secrets, as the README's .dev.vars (here the sandbox's key and URL).
writeFileSync('.dev.vars', `MAVA_API_KEY=sandbox_mava_acme\nMAVA_BASE_URL=${SANDBOX_URL}/mava\nCAPABILITY_SECRET=${'c0ffee'.repeat(11)}\n`);
rmSync('worker-configuration.d.ts', { force: true });
run('wrangler', ['types']);
const generated = readFileSync('worker-configuration.d.ts', 'utf8');
const envLines = generated.slice(generated.indexOf('interface __BaseEnv_Env {'), generated.indexOf('}')).split('\n').slice(1).map((l) => l.trim()).filter(Boolean);
same(envLines, [
  'ALLOWED_ORIGINS: "https://shop.example";',
  'MAVA_API_KEY: string;',
  'MAVA_BASE_URL: string;',
  'CAPABILITY_SECRET: string;',
  'TICKETWIRE_LIMITER: DurableObjectNamespace<import("./src/index").TicketwireRateLimitObject>;',
], 'the Env wrangler types generated');

// Strict, and the generated .d.ts checked too (tsconfig.json: skipLibCheck false), by the
// TypeScript a new project installs (7) and by the last of 5.
if (JSON.parse(readFileSync('tsconfig.json', 'utf8')).compilerOptions.skipLibCheck !== false) throw new Error('tsconfig.json must not skip lib checks');
run('tsc', ['-p', '.']);
run('node', ['node_modules/typescript-5/bin/tsc', '-p', '.']);

const port = await new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address();
    probe.close(() => resolve(free));
  });
});
const dev = spawn('wrangler', ['dev', '--ip', '127.0.0.1', '--port', String(port)], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
let printed = '';
dev.stdout.on('data', (chunk) => { printed += chunk; });
dev.stderr.on('data', (chunk) => { printed += chunk; });
try {
  const started = Date.now();
  while (!printed.includes(`Ready on http://127.0.0.1:${port}`)) {
    if (dev.exitCode !== null || Date.now() - started > 120_000) throw new Error(`wrangler dev did not start:\n${printed}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const counts = async () => (await (await fetch(`${SANDBOX_URL}/_sandbox/counts?org=acme`)).json()).mava_tickets;
  const before = await counts();
  const email = `worker-types-${Date.now()}@example.com`;
  const response = await fetch(`http://127.0.0.1:${port}/mava/api/ticket`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json' },
    body: JSON.stringify({ customer: { email, name: 'Jane Doe' }, message: { content: 'Where is my order?' } }),
  });
  const body = await response.json();
  same(
    { status: response.status, origin: response.headers.get('access-control-allow-origin'), email: body.ticket?.customer?.email, capability: /^tw1\.\d+\.[\w-]{43}$/.test(response.headers.get('x-ticketwire-capability')) },
    { status: 201, origin: ORIGIN, email, capability: true },
    'a ticket through `wrangler dev`',
  );
  same(await counts(), before + 1, 'tickets in the sandbox');
} finally {
  try { process.kill(-dev.pid, 'SIGTERM'); } catch {}
}
const version = (name) => JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).version;
console.log(`wrangler ${version('wrangler')} on Node ${process.versions.node}: wrangler types; tsc ${version('typescript')} and ${version('typescript-5')} --strict with no skipLibCheck; wrangler dev with .dev.vars: a ticket filed`);
