// The widget as a shop embeds it, from the packed tarball: a plain HTML page under a sub-path
// (/shop/support/) loads `ticketwire/widget` with one tag, from the package's files served beside
// it (/shop/support/ticketwire/), under a strict Content-Security-Policy that requires Trusted
// Types and allows no policy; `relay="/support"` is the relay on the page's own origin
// (createRelay behind toNodeHandler, in front of the sandbox). In Chromium (playwright-core) and
// Firefox ESR (geckodriver, selenium-webdriver), each a fresh visitor:
//   - the element renders with its stylesheet, and an invalid email shows its field error while
//     nothing reaches the relay;
//   - a Mava ticket is filed (in the sandbox), its conversation is followed through the
//     same-origin relay, and an agent's reply appears in the thread;
//   - the provider property set to "helpwave": HelpWave's form, a ticket, the comments listed and
//     a follow-up written (in the sandbox);
//   - no CSP or Trusted Types violation (the page's securitypolicyviolation events, and the
//     browser's reports to the server), no uncaught error or console error, no failed request;
//   - the control: an HTML string and an inline <style> are refused and reported in that browser,
//     so the silence above is not a deaf probe.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRelay } from 'ticketwire';
import { toNodeHandler, nodeVisitorKey } from 'ticketwire/node';
import { until } from '../../tests/until.mjs';

const SANDBOX_URL = process.env.SANDBOX_URL;
const SITE = fileURLToPath(new URL('./site/', import.meta.url));
const PACKAGE = fileURLToPath(new URL('./node_modules/ticketwire/', import.meta.url));
const PAGE = '/shop/support/';
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
// The README's policy for the widget, and nothing else allowed; violations reported here too.
const CSP = [
  "default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "connect-src 'self'",
  "img-src 'self'", "require-trusted-types-for 'script'", "trusted-types 'none'", 'report-uri /csp-reports',
].join('; ');
const WIDGET = 'ticketwire-widget';
const inWidget = (selector) => `document.querySelector('${WIDGET}').shadowRoot.querySelector(${JSON.stringify(selector)})`;

// ---- the shop's server: the page and the package's files under /shop/support/, the relay at /support

const log = []; // every request: { method, path, status } (status once answered)
const reports = []; // the browsers' CSP reports
let relayHandler;
const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const entry = { method: req.method, path, status: null };
  log.push(entry);
  res.on('finish', () => { entry.status = res.statusCode; });
  if (path.startsWith('/support/')) return relayHandler(req, res);
  if (req.method === 'POST' && path === '/csp-reports') {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    reports.push(JSON.parse(Buffer.concat(chunks).toString('utf8'))['csp-report'] ?? {});
    return res.writeHead(204).end();
  }
  if (path === '/favicon.ico') return res.writeHead(204).end();
  if (!path.startsWith(PAGE)) return res.writeHead(404).end();
  const rest = path.slice(PAGE.length) || 'index.html';
  const [dir, name] = rest.startsWith('ticketwire/') ? [PACKAGE, rest.slice('ticketwire/'.length)] : [SITE, rest];
  const file = normalize(join(dir, name));
  const bytes = file.startsWith(dir) ? await readFile(file).catch(() => null) : null;
  if (bytes === null) return res.writeHead(404).end();
  const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
  if (extname(file) === '.html') headers['content-security-policy'] = CSP;
  res.writeHead(200, headers).end(bytes);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

// Mava's answers reach the relay as the sandbox's signed webhooks; the previous target is put back.
const sandbox = async (path, body, method = 'POST') => {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.ok(response.ok, `sandbox ${method} ${path}: ${response.status}`);
  return response.json();
};
const hooks = await sandbox('webhooks', undefined, 'GET');
const relay = createRelay({
  mava: { apiKey: 'sandbox_mava_acme', baseUrl: `${SANDBOX_URL}/mava`, webhookSigningKey: hooks.signingKey },
  helpwave: {
    apiKey: 'sandbox_helpwave_acme', baseUrl: `${SANDBOX_URL}/helpwave`, operations: ['createTicket', 'identify', 'sendMessage', 'listComments'],
  },
  allowedOrigins: [origin],
  basePath: '/support',
  capabilitySecret: randomBytes(32).toString('hex'),
  visitorKey: nodeVisitorKey,
  visitorLimit: { requests: 600, windowMs: 60_000 }, // both browsers are one visitor, 127.0.0.1
});
relayHandler = toNodeHandler(relay);
await sandbox('webhooks', { url: `${origin}/support/mava/webhooks` });

// ---- the visitors

/** Chromium: a page, and what its console and network say beside the page's own probe. */
async function chromiumVisitor() {
  const { launchChromium } = await import('../../tests/chromium.mjs');
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
  const seen = [];
  page.on('console', (message) => message.type() === 'error' && seen.push(`console: ${message.text()}`));
  page.on('pageerror', (error) => seen.push(`pageerror: ${error.message}`));
  // A long poll the widget stops (it follows another conversation) is aborted, not failed.
  const stopped = (request) => request.failure()?.errorText === 'net::ERR_ABORTED' && request.url().includes('/conversations/');
  page.on('requestfailed', (request) => stopped(request) || seen.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  return {
    name: `chromium ${browser.version()}`,
    goto: (url) => page.goto(url),
    type: (selector, text) => page.locator(`${WIDGET} ${selector}`).pressSequentially(text),
    clear: (selector) => page.locator(`${WIDGET} ${selector}`).fill(''),
    enter: (selector) => page.locator(`${WIDGET} ${selector}`).press('Enter'),
    run: (code) => page.evaluate(`(${code})()`),
    browserSaw: () => seen,
    close: () => browser.close(),
  };
}

/** Firefox ESR through geckodriver; its console through WebDriver BiDi. */
async function firefoxVisitor() {
  const { Builder, Key } = await import('selenium-webdriver');
  const firefox = await import('selenium-webdriver/firefox.js');
  const { default: LogInspector } = await import('selenium-webdriver/bidi/logInspector.js');
  const options = new firefox.Options().setBinary(process.env.FIREFOX ?? '/usr/bin/firefox-esr')
    .addArguments('-headless').windowSize({ width: 420, height: 900 }).enableBidi();
  const service = new firefox.ServiceBuilder(process.env.GECKODRIVER ?? `${homedir()}/.cargo/bin/geckodriver`);
  const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
  const seen = [];
  const inspector = await LogInspector(driver);
  await inspector.onConsoleEntry((entry) => entry.level === 'error' && seen.push(`console: ${entry.text}`));
  await inspector.onJavascriptException((entry) => seen.push(`exception: ${entry.text}`));
  const script = (code) => driver.executeScript(code);
  const focus = (selector) => script(`${inWidget(selector)}.focus()`);
  const version = (await driver.getCapabilities()).get('browserVersion');
  return {
    name: `firefox ${version}`,
    goto: (url) => driver.get(url),
    type: async (selector, text) => { await focus(selector); await driver.actions().sendKeys(text).perform(); },
    clear: async (selector) => { await script(`${inWidget(selector)}.select()`); await driver.actions().sendKeys(Key.BACK_SPACE).perform(); },
    enter: async (selector) => { await focus(selector); await driver.actions().sendKeys(Key.ENTER).perform(); },
    run: (code) => script(`return (${code})()`),
    browserSaw: () => seen,
    close: async () => { await inspector.close?.(); await driver.quit(); },
  };
}

/** What the widget shows, and whether its stylesheet is applied. */
const READ = `() => {
  const widget = document.querySelector('${WIDGET}');
  const root = widget?.shadowRoot;
  if (!root?.getElementById('email')) return null;
  const text = (selector) => root.querySelector(selector)?.textContent ?? null;
  const shown = (selector) => (root.querySelector(selector)?.hidden ? null : text(selector));
  return {
    title: text('h2'),
    fields: [...root.querySelectorAll('form:not(.follow-up) [name]')].map((f) => f.name),
    sheets: root.adoptedStyleSheets.length,
    styleElements: root.querySelectorAll('style').length + document.querySelectorAll('style').length,
    borderRadius: getComputedStyle(root.querySelector('.widget')).borderRadius,
    emailError: shown('#email-error'),
    emailInvalid: root.getElementById('email').getAttribute('aria-invalid'),
    conversation: !root.querySelector('.conversation').hidden,
    ticket: text('.ticket'),
    thread: [...root.querySelectorAll('.thread li')].map((li) => li.textContent),
    liveStatus: text('.live-status'),
    formStatus: text('form .status'),
    followUpStatus: text('.follow-up .status'),
    problems: window.__problems,
    trustedTypes: typeof trustedTypes,
  };
}`;

const relayRequests = () => log.filter((r) => r.path.startsWith('/support/') && r.path !== '/support/mava/webhooks').length;
const counts = async () => (await fetch(`${SANDBOX_URL}/_sandbox/counts?org=acme`)).json();

async function visit(visitor) {
  const read = () => visitor.run(READ);
  const checks = [];
  const before = await counts();
  // 1. The page under the sub-path: the widget renders, styled by its adopted stylesheet.
  await visitor.goto(`${origin}${PAGE}`);
  let shown = await until(read, 'the widget');
  assert.equal(shown.trustedTypes, 'object', 'this browser implements Trusted Types');
  assert.deepEqual([shown.title, shown.fields], ['Contact support', ['name', 'email', 'message']]);
  assert.deepEqual([shown.sheets, shown.styleElements, shown.borderRadius], [1, 0, '12px']);
  checks.push('renders styled');

  // 2. An invalid email: its error at the field, and nothing sent (Enter submits the form).
  const sent = relayRequests();
  await visitor.type('#name', 'Jane Doe');
  await visitor.type('#email', 'jane@localhost');
  await visitor.type('#message', 'Where is my order SP-2412?');
  shown = await until(async () => { const s = await read(); return s.emailError && s; }, 'the email error');
  assert.deepEqual([shown.emailError, shown.emailInvalid], ['Please enter a valid email address.', 'true']);
  await visitor.enter('#name');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(relayRequests(), sent, 'nothing reached the relay while the form was invalid');
  checks.push('field error, nothing sent');

  // 3. Fixed and sent through /support: a Mava ticket, followed; an agent's reply arrives.
  await visitor.clear('#email');
  await visitor.type('#email', 'jane@example.com');
  await visitor.enter('#email');
  shown = await until(async () => { const s = await read(); return s.conversation && s; }, 'the Mava conversation');
  const mavaTicket = /^Ticket ([0-9a-f]{24}): we will answer here\.$/.exec(shown.ticket)?.[1];
  assert.ok(mavaTicket, shown.ticket);
  assert.equal((await counts()).mava_tickets - before.mava_tickets, 1);
  await until(() => log.some((r) => r.method === 'GET' && r.path === `/support/mava/conversations/${mavaTicket}`), 'the conversation followed');
  await sandbox(`mava/tickets/${mavaTicket}/messages`, { content: 'It ships today.', internal: false });
  shown = await until(async () => { const s = await read(); return s.thread.includes('It ships today.') && s; }, 'the agent\'s reply');
  assert.deepEqual([shown.thread, shown.liveStatus], [['Where is my order SP-2412?', 'It ships today.'], '']);
  checks.push('Mava ticket filed, reply in the thread');

  // 4. The provider property set: HelpWave's form; a ticket, its comments, a follow-up.
  await visitor.run(`() => { document.querySelector('${WIDGET}').provider = 'helpwave'; }`);
  shown = await until(async () => { const s = await read(); return s?.title === 'Message the shop' && s; }, 'the HelpWave form');
  await visitor.type('#email', 'kim@example.com');
  await visitor.type('#message', 'Did my parcel leave?');
  await visitor.enter('#email');
  shown = await until(async () => { const s = await read(); return s.conversation && s; }, 'the HelpWave conversation');
  assert.match(shown.ticket, /^Ticket \d+: we will answer here\.$/);
  await visitor.type('#follow-up', 'It was due on Monday.');
  await visitor.run(`() => ${inWidget('.follow-up button[type=submit]')}.click()`);
  shown = await until(async () => { const s = await read(); return s.thread.length === 2 && s; }, 'the follow-up in the thread');
  assert.deepEqual([shown.thread, shown.followUpStatus, shown.liveStatus], [['Did my parcel leave?', 'It was due on Monday.'], '', '']);
  const after = await counts();
  assert.deepEqual([after.helpwave_tickets - before.helpwave_tickets, after.helpwave_comments - before.helpwave_comments], [1, 1]);
  checks.push('HelpWave ticket and follow-up');

  // 5. Nothing refused, thrown or failed: the page's probe, the browser, the server.
  await new Promise((resolve) => setTimeout(resolve, 500)); // reports are posted just after their violation
  assert.deepEqual(shown.problems, [], 'the page saw no violation or error');
  assert.deepEqual(visitor.browserSaw(), [], 'the browser logged no error');
  assert.deepEqual(reports, [], 'no CSP report reached the server');
  const failed = log.filter((r) => r.status !== null && r.status >= 400);
  assert.deepEqual(failed, [], 'no request failed');
  const relayGets = log.filter((r) => r.method === 'GET' && r.path.startsWith('/support/'));
  assert.ok(relayGets.some((r) => r.path.includes('/comments')), 'the comments were read through the same-origin relay');
  checks.push('no violation, error or failed request');

  // 6. The control: what the widget must never do is refused and reported in this browser.
  const refused = await visitor.run(`() => {
    let html = 'not refused';
    try { document.body.insertAdjacentHTML('beforeend', '<p>x</p>'); } catch (error) { html = error.name; }
    const style = document.createElement('style');
    style.textContent = 'p { color: red }';
    document.head.append(style);
    return html;
  }`);
  assert.equal(refused, 'TypeError');
  const probe = await until(async () => { const p = await visitor.run('() => window.__problems'); return p.length >= 2 && p; }, 'the control\'s violations');
  assert.deepEqual(probe.map((p) => p.split(' refused ')[0]), ['csp: require-trusted-types-for', 'csp: style-src-elem']);
  await until(() => reports.length >= 2, 'the control\'s reports');
  // Two reports are two POSTs, which may arrive in either order.
  assert.deepEqual(reports.map((r) => r['effective-directive'] ?? r['violated-directive']).sort(), ['require-trusted-types-for', 'style-src-elem']);
  reports.length = 0;
  // The browser's own log heard them too (so its silence above was not a deaf listener).
  await until(() => visitor.browserSaw().length > 0, 'the control in the browser\'s log');
  console.log(`${visitor.name} logged the control as: ${JSON.stringify(visitor.browserSaw())}`);
  checks.push('control refused and reported');
  return checks;
}

const lines = [];
try {
  for (const open of [chromiumVisitor, firefoxVisitor]) {
    const started = Date.now();
    const visitor = await open();
    try {
      const checks = await visit(visitor);
      lines.push(`${visitor.name}: ${checks.join(', ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      // What the widget showed and what the server answered last, to say why.
      const state = await visitor.run(READ).catch(() => null);
      console.log(`${visitor.name} failed; the widget showed ${JSON.stringify(state)}`);
      console.log(`the last requests: ${JSON.stringify(log.slice(-10))}`);
      throw error;
    } finally {
      await visitor.close();
    }
  }
} finally {
  await sandbox('webhooks', { url: hooks.url ?? null });
  server.closeAllConnections?.();
  server.close();
}
const version = JSON.parse(readFileSync(`${PACKAGE}package.json`, 'utf8')).version;
console.log(`ticketwire ${version} widget at ${PAGE} under ${CSP.split('; ').slice(0, -1).join('; ')}:`);
for (const line of lines) console.log(`  ${line}`);
console.log(`widget-csp: the widget in ${lines.map((l) => l.split(':')[0]).join(' and ')}: renders, field error, tickets filed, reply shown, no CSP or Trusted Types violation`);
