// The widget's scenario in a real browser, by keyboard: field errors as the visitor types and
// nothing sent while the form is invalid, a ticket through the relay into the sandbox, a
// follow-up, a reload that resumes, and a second visitor who forges the ticket and is refused;
// each provider's sentence on where the answer comes; answers arriving (the relay's conversation
// route played by the page's network layer until the relay serves it).
// Chromium runs through playwright-core, Firefox ESR through geckodriver (WebDriver) with
// selenium-webdriver. Screenshots of each state go to target/www/<browser>/.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../tests/chromium.mjs';

const SHOTS = fileURLToPath(new URL('../target/www/', import.meta.url));
const WIDGET = 'ticketwire-widget';
const inWidget = (selector) => `document.querySelector('${WIDGET}').shadowRoot.querySelector(${JSON.stringify(selector)})`;

/** Chromium: a fresh context is a fresh visitor (its own sessionStorage). */
async function chromiumVisitor(browser) {
  const page = await (await browser.newContext({ viewport: { width: 420, height: 900 } })).newPage();
  return {
    goto: (url) => page.goto(url),
    type: (selector, text) => page.locator(`${WIDGET} ${selector}`).pressSequentially(text),
    clear: async (selector) => { await page.locator(`${WIDGET} ${selector}`).fill(''); },
    press: (key) => page.keyboard.press(key),
    focus: (selector) => page.locator(`${WIDGET} ${selector}`).focus(),
    run: (script) => page.evaluate(`(${script})()`),
    screenshot: async (path) => writeFileSync(path, await page.screenshot({ fullPage: true })),
    reload: () => page.reload(),
  };
}

/** Firefox ESR through geckodriver; each visitor is its own session. */
async function firefoxVisitor() {
  const { Builder, Key } = await import('selenium-webdriver');
  const firefox = await import('selenium-webdriver/firefox.js');
  const options = new firefox.Options().setBinary(process.env.FIREFOX ?? '/usr/bin/firefox-esr').addArguments('-headless').windowSize({ width: 420, height: 900 });
  const service = new firefox.ServiceBuilder(process.env.GECKODRIVER ?? `${homedir()}/.cargo/bin/geckodriver`);
  const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
  // Keys go to whatever has focus, as a person's keyboard does (inside the shadow root too).
  const keyboard = (text) => driver.actions().sendKeys(text).perform();
  const focus = (selector) => driver.executeScript(`${inWidget(selector)}.focus()`);
  const keys = { Enter: Key.ENTER, Tab: Key.TAB };
  return {
    goto: (url) => driver.get(url),
    type: async (selector, text) => { await focus(selector); await keyboard(text); },
    clear: async (selector) => {
      await driver.executeScript(`${inWidget(selector)}.select()`); // focus and select all, then delete by key
      await keyboard(Key.BACK_SPACE);
    },
    press: (key) => keyboard(keys[key]),
    focus,
    run: (script) => driver.executeScript(`return (${script})()`),
    screenshot: async (path) => writeFileSync(path, await driver.takeScreenshot(), 'base64'),
    reload: () => driver.navigate().refresh(),
    close: () => driver.quit(),
  };
}

async function until(check, what, ms = 15_000) {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What the widget shows: errors, statuses, the thread, where focus is. */
const READ = `() => {
  const root = document.querySelector('${WIDGET}')?.shadowRoot;
  if (!root?.getElementById('email')) return null; // not upgraded yet (the module is loading)
  const email = root.getElementById('email');
  return {
    emailError: root.getElementById('email-error').hidden ? null : root.getElementById('email-error').textContent,
    messageError: root.getElementById('message-error').hidden ? null : root.getElementById('message-error').textContent,
    emailInvalid: email.getAttribute('aria-invalid'),
    emailDescribedBy: email.getAttribute('aria-describedby'),
    focused: root.activeElement?.id ?? null,
    conversation: !root.querySelector('.conversation').hidden,
    ticket: root.querySelector('.ticket').textContent,
    howToAnswer: root.querySelector('.how-to-answer').hidden ? null : root.querySelector('.how-to-answer').textContent,
    liveStatus: root.querySelector('.live-status').textContent,
    unread: root.querySelector('.unread-count').hidden ? null : root.querySelector('.unread-count').textContent,
    thread: [...root.querySelectorAll('.thread li')].map((li) => li.textContent),
    followUpStatus: root.querySelector('.follow-up .status').textContent,
    formStatus: root.querySelector('form .status').textContent,
  };
}`;

/** Runs the scenario in `browserName` against a started demo (www/demo.mjs). */
export async function runScenario(browserName, demo) {
  const shots = `${SHOTS}${browserName}/`;
  mkdirSync(shots, { recursive: true });
  let chromium;
  let visitor;
  if (browserName === 'chromium') {
    chromium = await launchChromium();
    visitor = await chromiumVisitor(chromium);
  } else {
    visitor = await firefoxVisitor();
  }
  const fresh = () => (browserName === 'chromium' ? chromiumVisitor(chromium) : firefoxVisitor());
  const read = () => visitor.run(READ);
  let forger;
  try {
    await demo.sandbox.control('reset');
    const before = await demo.sandbox.counts();
    await visitor.goto(`${demo.url}/?provider=helpwave`);
    await until(read, 'the widget');
    const sentBefore = demo.relayRequests();

    // 1. An invalid email: the error is at the field, and nothing leaves the page.
    await visitor.type('#name', 'Jane Doe');
    await visitor.type('#email', 'jane@localhost');
    await visitor.type('#message', 'Where is my order SP-2412?');
    let shown = await until(async () => { const s = await read(); return s?.emailError && s; }, 'the email error');
    assert.equal(shown.emailError, 'Please enter a valid email address.');
    assert.deepEqual([shown.emailInvalid, shown.emailDescribedBy], ['true', 'email-error']);
    await visitor.focus('#name');
    await visitor.press('Enter'); // submit by keyboard
    shown = await until(async () => { const s = await read(); return s?.focused === 'email' && s; }, 'focus on the invalid field');
    await visitor.screenshot(`${shots}1-invalid-email.png`);
    assert.equal(demo.relayRequests(), sentBefore, 'nothing reached the relay while the form was invalid');

    // 2. Fixed and sent: the ticket is in the sandbox, and the conversation shows.
    await visitor.clear('#email');
    await visitor.type('#email', 'jane@example.com');
    shown = await until(async () => { const s = await read(); return s && s.emailError === null && s; }, 'the error to clear');
    assert.equal(shown.emailInvalid, null);
    await visitor.press('Enter');
    shown = await until(async () => { const s = await read(); return s?.conversation && s.thread.length > 0 && s; }, 'the conversation view');
    assert.match(shown.ticket, /^Ticket \d{18}: we will answer here\.$/);
    assert.deepEqual(shown.thread, ['Where is my order SP-2412?']);
    assert.equal(shown.howToAnswer, null, 'a HelpWave visitor follows up here');
    const created = await demo.sandbox.counts();
    assert.equal(created.helpwave_tickets - before.helpwave_tickets, 1);
    await visitor.screenshot(`${shots}2-conversation.png`);

    // 3. A follow-up with the ticket's capability: in the thread and in the sandbox.
    await visitor.type('#follow-up', 'It was due on Monday.');
    await visitor.run(`() => ${inWidget('.follow-up button[type=submit]')}.focus()`);
    await visitor.press('Enter');
    shown = await until(async () => { const s = await read(); return s?.thread.length === 2 && s; }, 'the follow-up in the thread');
    assert.deepEqual(shown.thread, ['Where is my order SP-2412?', 'It was due on Monday.']);
    assert.equal((await demo.sandbox.counts()).helpwave_comments - before.helpwave_comments, 1);
    // The conversation is followed; a relay without the route is no error to the visitor.
    assert.deepEqual([shown.liveStatus, shown.unread], ['', null]);
    await visitor.screenshot(`${shots}3-follow-up.png`);

    // 4. A reload resumes the conversation (sessionStorage).
    await visitor.reload();
    shown = await until(async () => { const s = await read(); return s?.conversation && s.thread.length === 2 && s; }, 'the resumed conversation');
    await visitor.screenshot(`${shots}4-reloaded.png`);
    const ticketId = /Ticket (\d+)/.exec(shown.ticket)[1];

    // 5. Another visitor forges the ticket id with a made-up capability: refused, nothing written.
    forger = await fresh();
    await forger.goto(`${demo.url}/?provider=helpwave`);
    await until(() => forger.run(READ), 'the widget');
    await forger.run(`() => { sessionStorage.setItem('ticketwire:helpwave:${demo.relayUrl}', JSON.stringify({
      ticketId: '${ticketId}', capability: 'tw1.9999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', thread: [], followUps: true })); }`);
    await forger.reload();
    await until(async () => (await forger.run(READ))?.conversation, 'the forged conversation');
    await forger.type('#follow-up', 'I am not Jane.');
    await forger.run(`() => ${inWidget('.follow-up button[type=submit]')}.click()`);
    const refused = await until(async () => {
      const s = await forger.run(READ);
      return /not yours/.test(s?.followUpStatus) && s;
    }, 'the refusal');
    assert.equal(refused.followUpStatus, 'This conversation is not yours, or it has expired. Please start a new one.');
    assert.equal((await demo.sandbox.counts()).helpwave_comments - before.helpwave_comments, 1, 'the forged comment was not written');
    await forger.screenshot(`${shots}5-forged-refused.png`);
  } finally {
    await forger?.close?.();
    await visitor?.close?.();
    await chromium?.close();
  }
}

/** Each provider's own form, in Chromium: filled by keyboard, sent through the relay, filed in the sandbox. */
export async function runProviderForm(provider, demo) {
  const browser = await launchChromium();
  try {
    const visitor = await chromiumVisitor(browser);
    const before = await demo.sandbox.counts();
    await visitor.goto(`${demo.url}/?provider=${provider}`);
    await until(() => visitor.run(READ), 'the widget');
    // Sent empty: each field says what it needs in words (from the violation's rule), nothing is sent.
    await visitor.focus('#email');
    await visitor.press('Enter');
    const empty = await until(async () => { const s = await visitor.run(READ); return s?.messageError && s; }, 'the empty form\'s errors');
    assert.deepEqual([empty.emailError, empty.messageError], ['Please enter a valid email address.', 'Please fill this in.']);
    const fields = { mava: { name: 'Sam', email: 'sam@example.com', message: 'My parcel is late.' }, tickiti: { email: 'sam@example.com', subject: 'Late parcel', message: 'My parcel is late.' } }[provider];
    for (const [name, text] of Object.entries(fields)) await visitor.type(`#${name}`, text);
    await visitor.focus('#email');
    await visitor.press('Enter');
    const shown = await until(async () => { const s = await visitor.run(READ); return s?.conversation && s; }, 'the conversation view');
    assert.deepEqual(shown.thread, ['My parcel is late.']);
    if (provider === 'tickiti') {
      // No conversation to show: the answer comes by email, and the widget says where.
      assert.match(shown.ticket, /^Ticket \d+: we will answer by email to sam@example\.com\.$/);
      assert.equal(shown.howToAnswer, null);
    } else {
      // Here where the relay serves the conversation (by email where it answers 404); a
      // follow-up by replying to the email, since Mava's send message speaks as the business.
      assert.match(shown.ticket, /^Ticket [0-9a-f]{24}: we will answer (here|by email to sam@example\.com)\.$/);
      assert.equal(shown.howToAnswer, 'To add to your message, reply to the email we send you.');
    }
    assert.equal(shown.liveStatus, '');
    const table = { mava: 'mava_tickets', tickiti: 'tickiti_tickets' }[provider];
    assert.equal((await demo.sandbox.counts())[table] - before[table], 1);
    await visitor.screenshot(`${SHOTS}chromium/${provider}.png`);
  } finally {
    await browser.close();
  }
}

/** Failures as sentences, in Chromium: offline with a retry button that then sends; a long rate limit. */
export async function runFailures(demo) {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
    const page = await context.newPage();
    const read = () => page.evaluate(`(${READ})()`);
    const fill = async () => {
      await page.goto(`${demo.url}/?provider=helpwave`);
      await until(read, 'the widget');
      await page.locator(`${WIDGET} #email`).pressSequentially('kim@example.com');
      await page.locator(`${WIDGET} #message`).pressSequentially('Hello?');
    };
    await fill();
    await context.setOffline(true);
    await page.locator(`${WIDGET} #email`).press('Enter');
    await until(async () => (await read()).formStatus === 'You seem to be offline.', 'the offline sentence');
    assert.equal(await page.locator(`${WIDGET} form:not(.follow-up) .retry`).isVisible(), true, 'a retry button');
    await page.screenshot({ path: `${SHOTS}chromium/offline-320px.png`, fullPage: true });
    const width = await page.evaluate(() => document.querySelector('ticketwire-widget').getBoundingClientRect().width);
    assert.ok(width <= 320, `fits 320 px (${width})`);
    await context.setOffline(false);
    await page.locator(`${WIDGET} form:not(.follow-up) .retry`).click();
    await until(async () => (await read()).conversation, 'sent on retry');

    const limited = await (await browser.newContext()).newPage();
    await limited.route('**/helpwave/api/v1/customers', (route) => route.fulfill({
      status: 429, headers: { 'retry-after': '61', 'access-control-allow-origin': demo.url, 'access-control-expose-headers': 'retry-after', 'content-type': 'application/json' },
      body: '{"error":"Too Many Requests"}',
    }));
    await limited.goto(`${demo.url}/?provider=helpwave`);
    await until(() => limited.evaluate(`(${READ})()`), 'the widget');
    await limited.locator(`${WIDGET} #email`).pressSequentially('kim@example.com');
    await limited.locator(`${WIDGET} #message`).pressSequentially('Hello?');
    await limited.locator(`${WIDGET} #email`).press('Enter');
    const said = await until(async () => {
      const s = await limited.evaluate(`(${READ})()`);
      return /Too many/.test(s.formStatus) && s.formStatus;
    }, 'the rate-limit sentence');
    assert.equal(said, 'Too many messages right now. Please try again in 61 s.');
  } finally {
    await browser.close();
  }
}

/**
 * Answers arriving, in Chromium, with the relay's conversation route (CONTRACT §7.2) played by
 * the page's network layer: an agent's reply appears in the thread marked unread and is
 * announced, the visitor's own message is not repeated, a reload resumes from the saved cursor,
 * and a relay that answers 404 turns the sentence to "by email" without a word of error.
 */
export async function runLiveReplies(demo) {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 420, height: 900 } });
    const page = await context.newPage();
    const polls = [];
    const cors = { 'access-control-allow-origin': demo.url, 'content-type': 'application/json' };
    await page.route('**/mava/conversations/**', async (route) => {
      const url = new URL(route.request().url());
      const after = url.searchParams.get('after');
      polls.push({ after, wait: url.searchParams.get('wait'), capability: await route.request().headerValue('x-ticketwire-capability') });
      const at = '2026-12-06T10:00:00.000Z';
      const body = after === null
        ? { messages: [{ id: 'm0', from: 'customer', text: 'My parcel is late.', attachments: [], at }, { id: 'm1', from: 'agent', text: 'We shipped it today.', attachments: [], at }], cursor: 'c1' }
        : { messages: [], cursor: after };
      if (after !== null) await new Promise((resolve) => setTimeout(resolve, 1_500)); // a long poll, shortened
      await route.fulfill({ status: 200, headers: cors, body: JSON.stringify(body) }).catch(() => {});
    });
    const read = () => page.evaluate(`(${READ})()`);
    await page.goto(`${demo.url}/?provider=mava`);
    await until(read, 'the widget');
    for (const [name, text] of Object.entries({ name: 'Sam', email: 'sam@example.com', message: 'My parcel is late.' })) {
      await page.locator(`${WIDGET} #${name}`).pressSequentially(text);
    }
    await page.locator(`${WIDGET} #email`).press('Enter');
    let shown = await until(async () => { const s = await read(); return s?.thread.length === 2 && s; }, 'the reply in the thread');
    assert.deepEqual(shown.thread, ['My parcel is late.', 'We shipped it today.']);
    assert.match(shown.ticket, /: we will answer here\.$/);
    assert.equal(shown.unread, '1 new reply');
    const marked = await page.evaluate(`${inWidget('.thread li.unread')}?.textContent`);
    assert.equal(marked, 'We shipped it today.');
    const announced = await page.evaluate(`${inWidget('.announce')}.textContent`);
    assert.equal(announced, 'New reply from support: We shipped it today.');
    assert.equal(await page.evaluate(`${inWidget('.announce')}.getAttribute('aria-live')`), 'polite');
    assert.ok(polls.every((p) => p.wait === '25' && p.capability?.length > 0), 'long polls with the capability');
    await page.screenshot({ path: `${SHOTS}chromium/mava-reply.png`, fullPage: true });
    await page.locator(`${WIDGET} .restart`).focus(); // the visitor is back in the widget
    shown = await until(async () => { const s = await read(); return s.unread === null && s; }, 'the reply marked read');

    // A reload resumes from the saved cursor: the reply is still there, and not fetched again.
    const saved = JSON.parse(await page.evaluate(() => sessionStorage.getItem(Object.keys(sessionStorage).find((k) => k.startsWith('ticketwire:mava:')))));
    assert.equal(saved.cursor, 'c1');
    polls.length = 0;
    await page.reload();
    shown = await until(async () => { const s = await read(); return s?.conversation && polls.length > 0 && s; }, 'the resumed thread');
    assert.deepEqual(shown.thread, ['My parcel is late.', 'We shipped it today.']);
    assert.equal(polls[0].after, 'c1');

    // A relay without conversations (404): the answer comes by email, and no error shows.
    await page.unroute('**/mava/conversations/**');
    await page.route('**/mava/conversations/**', (route) => route.fulfill({ status: 404, headers: cors, body: '{"error":"NOT_FOUND"}' }));
    await page.reload();
    shown = await until(async () => { const s = await read(); return /by email/.test(s?.ticket) && s; }, 'the email sentence');
    assert.match(shown.ticket, /^Ticket [0-9a-f]{24}: we will answer by email to sam@example\.com\.$/);
    assert.equal(shown.liveStatus, '');
  } finally {
    await browser.close();
  }
}
