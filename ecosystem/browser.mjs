// For the bundler rows: serves a built page (or takes a dev server's URL), opens it in headless
// Chromium (playwright-core, Debian's browser) or Firefox ESR (geckodriver + selenium-webdriver),
// and waits for the page's smoke check (page.mjs). A page that never reports throws with what
// went wrong first: an uncaught error (a wasm CompileError), a 404, a console error.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { copyFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { extname, join, normalize } from 'node:path';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
const WAIT_MS = 30_000; // for the page to report, from when it opens

/** Copies the shared checks beside the row's sources, so that every bundler sees them as its own. */
export function copySmoke(into) {
  copyFileSync(new URL('smoke.mjs', import.meta.url), join(into, 'smoke.mjs'));
  copyFileSync(new URL('page.mjs', import.meta.url), join(into, 'page.mjs'));
}

/** Serves `dir` on a free port (index.html at /); resolves to { origin, requests, close() }. */
export async function serve(dir) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    const bytes = file.startsWith(normalize(dir)) ? await readFile(file).catch(() => null) : null;
    requests.push(`${bytes ? 200 : 404} ${path}`);
    if (!bytes) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(bytes);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, requests, close: () => server.close() };
}

const pageUrl = (url) => `${url}${url.includes('?') ? '&' : '?'}sandbox=${encodeURIComponent(process.env.SANDBOX_URL)}`;

function outcome(result, problems, browser) {
  if (result?.passed) return `${browser} (${result.passed.length} checks)`;
  throw new Error(`${browser}: ${result?.error ?? `the page never reported; first problem: ${problems[0] ?? 'none seen'}`}`);
}

/** Opens `url` in headless Chromium; resolves to "chromium: <checks>" or throws. */
export async function inChromium(url) {
  const { launchChromium } = await import('../tests/chromium.mjs');
  const browser = await launchChromium();
  const problems = [];
  try {
    const page = await browser.newPage();
    // An uncaught error says most, then a failed request (but a missing favicon), then the console.
    const seen = { error: [], response: [], console: [] };
    page.on('pageerror', (error) => seen.error.push(`${error.name}: ${error.message}`));
    page.on('response', (response) => response.status() >= 400 && !response.url().endsWith('/favicon.ico') && seen.response.push(`${response.status()} ${response.url()}`));
    page.on('console', (message) => message.type() === 'error' && seen.console.push(message.text()));
    await page.goto(pageUrl(url));
    const started = Date.now();
    let result;
    let failedAt;
    while (!result && Date.now() - started < WAIT_MS && !(failedAt && Date.now() - failedAt > 2000)) {
      // A dev server may reload the page once it has optimised a dependency: keep asking, but
      // not long after an uncaught error.
      if (seen.error.length) failedAt ??= Date.now();
      result = await page.evaluate(() => window.smokeResult).catch(() => undefined);
      if (!result) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    problems.push(...seen.error, ...seen.response, ...seen.console);
    return outcome(result, problems, 'chromium');
  } finally {
    await browser.close();
  }
}

/** Opens `url` in headless Firefox ESR; resolves to "firefox: <checks>" or throws. */
export async function inFirefox(url) {
  const { Builder } = await import('selenium-webdriver');
  const firefox = await import('selenium-webdriver/firefox.js');
  const options = new firefox.Options().setBinary(process.env.FIREFOX ?? '/usr/bin/firefox-esr').addArguments('-headless');
  const service = new firefox.ServiceBuilder(process.env.GECKODRIVER ?? `${homedir()}/.cargo/bin/geckodriver`);
  const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
  try {
    await driver.get(pageUrl(url));
    const started = Date.now();
    let result;
    while (!result && Date.now() - started < WAIT_MS) {
      result = await driver.executeAsyncScript('const done = arguments[0]; Promise.resolve(window.smokeResult).then(done, (e) => done({ error: String(e) }))').catch(() => undefined);
      if (!result) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return outcome(result, [], 'firefox');
  } finally {
    await driver.quit();
  }
}
