// The Next.js rows (nextjs-turbopack, nextjs-webpack) run this from their own folder, with
// `turbopack` or `webpack`: it copies the app in ecosystem/nextjs/app there, runs `next build`
// and `next start` (no next.config: nothing to configure for ticketwire), and checks, against
// the sandbox:
// - the Client Component was prerendered with the wasm (the SSR layer: data-ssr-violations);
// - in Chromium, the form validates on each keystroke: an invalid email shows its violation,
//   a valid one clears it; the visitor's ticket goes through the relay Route Handler (Node.js
//   runtime): 201, a ticket id, one more ticket in the sandbox;
// - the Server Action files a ticket with the server's key: its id, one more ticket;
// - the relay refuses another origin (403 ORIGIN_NOT_ALLOWED);
// - with Turbopack, the same relay on the Edge runtime (built as an edge function) files one too.
// webpack builds no Edge Route Handler at all in Next 16.5 (`next build --webpack` fails with
// ENOENT route_client-reference-manifest.js for a two-line `runtime = 'edge'` route with no
// dependency), so its app leaves app/edge out.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { MavaClient } from 'ticketwire';
import { launchChromium } from '../../tests/chromium.mjs';

const bundler = process.argv[2];
if (!['turbopack', 'webpack'].includes(bundler)) throw new Error('usage: node ../nextjs/run.mjs turbopack|webpack');
const withEdge = bundler === 'turbopack';
const SANDBOX = process.env.SANDBOX_URL;
const TICKET_ID = /^filed [0-9a-f]{24}$/;

const configs = readdirSync('.').filter((file) => file.startsWith('next.config'));
if (configs.length) throw new Error(`a Next.js config (${configs}) in the row: the README promises none`);
rmSync('app', { recursive: true, force: true });
rmSync('.next', { recursive: true, force: true });
cpSync('../nextjs/app', 'app', { recursive: true, filter: (source) => withEdge || !source.endsWith('/app/edge') });

const port = await new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address();
    probe.close(() => resolve(free));
  });
});
const origin = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  MAVA_API_KEY: 'sandbox_mava_acme', // the sandbox's key for its "acme" organisation
  MAVA_BASE_URL: `${SANDBOX}/mava`,
  SHOP_ORIGIN: origin,
};

let started = Date.now();
execFileSync('next', ['build', ...(bundler === 'webpack' ? ['--webpack'] : [])], { stdio: 'inherit', env });
const buildSeconds = Math.round((Date.now() - started) / 1000);
if (withEdge) {
  const functions = JSON.parse(readFileSync('.next/server/middleware-manifest.json', 'utf8')).functions;
  if (!functions['/edge/support/[...path]/route']) throw new Error(`the Edge route is not an edge function: ${Object.keys(functions)}`);
}

const tickets = async () => (await (await fetch(`${SANDBOX}/_sandbox/counts?org=acme`)).json()).mava_tickets;
function same(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}

// `next start` in a process group of its own, so that its server child stops with it.
const server = spawn('next', ['start', '-p', String(port), '-H', '127.0.0.1'], { env, detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
const stopServer = () => { try { process.kill(-server.pid, 'SIGTERM'); } catch {} };
let browser;
try {
  started = Date.now();
  let html;
  while (!html) {
    if (Date.now() - started > 30_000) throw new Error('next start did not answer in 30 s');
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
    html = await fetch(`${origin}/`).then((response) => (response.ok ? response.text() : undefined), () => undefined);
    if (!html) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const passed = [];

  // The SSR layer ran the wasm at build time: the empty form's violations, as Node counts them.
  const empty = new MavaClient({ baseUrl: 'https://relay.invalid/mava' }).validateCreateTicket({ customer: { name: '', email: '' }, message: { content: '' } });
  same(html.match(/data-ssr-violations="(\d+)"/)?.[1], String(empty.length), 'the prerendered form (SSR layer)');
  passed.push('SSR prerendered');

  browser = await launchChromium();
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`${error.name}: ${error.message}`));
  const violations = () => page.locator('#violations li').allTextContents();

  // Each keystroke is validated: typed one key at a time, the list follows the field.
  // Once React has hydrated the form (before, a click would submit it as plain HTML).
  const open = async (query = '') => {
    await page.goto(`${origin}/${query}`);
    await page.locator('#visitor[data-hydrated="true"]').waitFor();
  };
  await open();
  await page.getByLabel('name', { exact: true }).pressSequentially('Jane Doe');
  await page.getByLabel('message', { exact: true }).pressSequentially('Where is my order?');
  const email = page.getByLabel('email', { exact: true });
  const seen = [];
  for (const key of 'jane@localhost') {
    await email.press(key);
    seen.push((await violations()).length);
  }
  same(await violations(), ['/customer/email: body/customer/email must match format "email"'], 'the violations of jane@localhost');
  if (seen.some((count) => count !== 1)) throw new Error(`a keystroke was not validated: violations after each key ${seen}`);
  await email.fill('');
  await email.pressSequentially('jane@example.com');
  same(await violations(), [], 'the violations of jane@example.com');
  passed.push('each keystroke validated');

  // Through the relay Route Handler (Node.js runtime), from the page as a visitor would.
  async function fileThroughRelay(path, query) {
    if (query) {
      await open(query);
      await page.getByLabel('name', { exact: true }).fill('Jane Doe');
      await page.getByLabel('email', { exact: true }).fill('jane@example.com');
      await page.getByLabel('message', { exact: true }).fill('Where is my order?');
    }
    const before = await tickets();
    const answered = page.waitForResponse((response) => response.url() === `${origin}${path}` && response.request().method() === 'POST');
    await page.getByRole('button', { name: 'Send' }).click();
    same((await answered).status(), 201, `the relay's answer at ${path}`);
    await page.locator('#visitor-outcome').filter({ hasText: /\S/ }).waitFor();
    const outcome = await page.locator('#visitor-outcome').textContent();
    if (!TICKET_ID.test(outcome)) throw new Error(`the page after filing through ${path}: ${outcome}`);
    same(await tickets(), before + 1, `tickets in the sandbox after ${path}`);
  }
  await fileThroughRelay('/api/support/mava/api/ticket');
  passed.push('relay Route Handler 201');

  // The Server Action files with the server's key.
  let before = await tickets();
  await page.getByLabel('action name').fill('Jane Doe');
  await page.getByLabel('action email').fill('jane@example.com');
  await page.getByLabel('action message').fill('Filed by a Server Action');
  await page.getByRole('button', { name: 'File from the server' }).click();
  await page.locator('#action-outcome').filter({ hasText: /\S/ }).waitFor();
  const actionOutcome = await page.locator('#action-outcome').textContent();
  if (!TICKET_ID.test(actionOutcome)) throw new Error(`the Server Action answered: ${actionOutcome}`);
  same(await tickets(), before + 1, 'tickets in the sandbox after the Server Action');
  passed.push('Server Action filed');

  // The relay refuses a page of another origin, and files nothing.
  before = await tickets();
  const refused = await fetch(`${origin}/api/support/mava/api/ticket`, {
    method: 'POST',
    headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
    body: JSON.stringify({ customer: { name: 'Jane Doe', email: 'jane@example.com' }, message: { content: 'hi' } }),
  });
  same([refused.status, (await refused.json()).error, await tickets()], [403, 'ORIGIN_NOT_ALLOWED', before], 'another origin');
  passed.push('other origin 403');

  if (withEdge) {
    await fileThroughRelay('/edge/support/mava/api/ticket', '?relay=edge');
    passed.push('Edge runtime relay 201');
  }
  if (problems.length) throw new Error(`the page threw: ${problems[0]}`);
  const next = JSON.parse(readFileSync('node_modules/next/package.json', 'utf8')).version;
  console.log(`Next.js ${next} ${bundler}, build ${buildSeconds} s, no next.config: ${passed.join(', ')}`);
} finally {
  await browser?.close();
  stopServer();
}
