// The support widget (www/) in real browsers, as `bash scripts/demo.sh --check` runs it:
// headless Chromium (playwright-core) and Firefox ESR (geckodriver) → the relay in workerd →
// the sandbox. The scenario and its assertions are in www/scenario.mjs.
import { test, before, after } from 'node:test';
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
