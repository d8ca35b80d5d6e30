// The support widget (www/) in real browsers, as `bash scripts/demo.sh --check` runs it:
// headless Chromium (playwright-core) and Firefox ESR (geckodriver) → the relay in workerd →
// the sandbox. The scenario and its assertions are in www/scenario.mjs. The page is served
// under a strict CSP with Trusted Types (www/demo.mjs): the last test asserts that no page of
// the others reported a violation.
import assert from 'node:assert/strict';
import { test, before, after } from 'node:test';
import { launchChromium } from '../chromium.mjs';
import { startDemo } from '../../www/demo.mjs';
import { runScenario } from '../../www/scenario.mjs';

let demo;
before(async () => { demo = await startDemo(); });
after(() => demo?.stop());

for (const browser of ['chromium', 'firefox']) {
  test(`the widget in ${browser}: errors as you type, nothing sent while invalid, a ticket, a follow-up, a reload, a forged ticket refused`, async () => {
    await runScenario(browser, demo);
  });
}

for (const provider of ['mava', 'tickiti']) {
  test(`the ${provider} form: filled by keyboard, through the relay, filed in the sandbox`, async () => {
    const { runProviderForm } = await import('../../www/scenario.mjs');
    await runProviderForm(provider, demo);
  });
}

test('answers arrive: a reply in the thread, unread and announced; a reload resumes from the cursor; a 404 means by email', async () => {
  const { runLiveReplies } = await import('../../www/scenario.mjs');
  await runLiveReplies(demo);
});

test('failures read as sentences: offline with a retry button that sends, a long rate limit; 320 px wide', async () => {
  const { runFailures } = await import('../../www/scenario.mjs');
  await runFailures(demo);
});

for (const browser of ['chromium', 'firefox']) {
  test(`live conversations in ${browser}, through the relay in workerd and the sandbox's webhooks: Mava's reply within 2 s, no internal note, a duplicate once, a tampered one refused, a reload resumes; another visitor sees nothing; HelpWave's reply within 7 s; Tickiti by email`, async () => {
    const { runConversations } = await import('../../www/scenario.mjs');
    const latencies = await runConversations(browser, demo);
    console.log(`${browser}: ${JSON.stringify(latencies)} (ms from the post to the reply in the widget)`);
  });
}

test('every page above ran under the strict CSP and Trusted Types with no violation reported; a violation would be', async () => {
  // A report is posted just after its violation: the last page's have had time to arrive.
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.deepEqual(demo.cspReports(), []);
  // The control: the same page, and what the widget must never do (HTML from a string, an inline
  // style element), reported through the same channel.
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${demo.url}/?provider=helpwave`);
    const refused = await page.evaluate(() => {
      try {
        document.body.insertAdjacentHTML('beforeend', '<p>x</p>');
        return null;
      } catch (error) {
        return error.name;
      }
    });
    assert.equal(refused, 'TypeError');
    await page.evaluate(() => document.head.append(Object.assign(document.createElement('style'), { textContent: 'p {}' })));
    const started = Date.now();
    while (demo.cspReports().length < 2 && Date.now() - started < 5_000) await new Promise((resolve) => setTimeout(resolve, 50));
    const reports = demo.cspReports().map((r) => [r['effective-directive'] ?? r['violated-directive'], r['blocked-uri']]);
    assert.deepEqual(reports, [['require-trusted-types-for', 'trusted-types-sink'], ['style-src-elem', 'inline']]);
  } finally {
    await browser.close();
  }
});
