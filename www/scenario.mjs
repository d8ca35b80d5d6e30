// The widget's scenario in a real browser, by keyboard: field errors as the visitor types and
// nothing sent while the form is invalid, a ticket through the relay into the sandbox, a
// follow-up, a reload that resumes, and a second visitor who forges the ticket and is refused;
// each provider's sentence on where the answer comes; answers arriving, with the relay's
// conversation route played by the page's network layer (a 404 included), then live through the
// relay in workerd: Mava's webhooks from the sandbox, HelpWave's pull (runConversations).
// Chromium runs through playwright-core, Firefox ESR through geckodriver (WebDriver) with
// selenium-webdriver. Screenshots of each state go to target/www/<browser>/.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../tests/chromium.mjs';
import { until } from '../tests/until.mjs';
import { reply } from './reply.mjs';

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

/** Firefox ESR through geckodriver; each visitor is its own session (or, with `newTab()`, a
 * tab of it: a tab has its own sessionStorage, which is all the widget keeps). */
async function firefoxVisitor() {
  const { Builder } = await import('selenium-webdriver');
  const firefox = await import('selenium-webdriver/firefox.js');
  const options = new firefox.Options().setBinary(process.env.FIREFOX ?? '/usr/bin/firefox-esr').addArguments('-headless').windowSize({ width: 420, height: 900 });
  const service = new firefox.ServiceBuilder(process.env.GECKODRIVER ?? `${homedir()}/.cargo/bin/geckodriver`);
  const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
  const session = { driver, current: await driver.getWindowHandle() };
  return firefoxTab(session, session.current, () => driver.quit());
}

/** One tab of a Firefox session: each call first makes it the session's current tab. */
async function firefoxTab(session, handle, close) {
  const { Key } = await import('selenium-webdriver');
  const { driver } = session;
  const here = async () => {
    if (session.current === handle) return;
    await driver.switchTo().window(handle);
    session.current = handle;
  };
  // Keys go to whatever has focus, as a person's keyboard does (inside the shadow root too).
  const keyboard = async (text) => { await here(); await driver.actions().sendKeys(text).perform(); };
  const script = async (code) => { await here(); return driver.executeScript(code); };
  const focus = (selector) => script(`${inWidget(selector)}.focus()`);
  const keys = { Enter: Key.ENTER, Tab: Key.TAB };
  return {
    goto: async (url) => { await here(); await driver.get(url); },
    type: async (selector, text) => { await focus(selector); await keyboard(text); },
    clear: async (selector) => {
      await script(`${inWidget(selector)}.select()`); // focus and select all, then delete by key
      await keyboard(Key.BACK_SPACE);
    },
    press: (key) => keyboard(keys[key]),
    focus,
    run: (code) => script(`return (${code})()`),
    screenshot: async (path) => { await here(); writeFileSync(path, await driver.takeScreenshot(), 'base64'); },
    reload: async () => { await here(); await driver.navigate().refresh(); },
    newTab: async () => {
      await driver.switchTo().newWindow('tab');
      session.current = await driver.getWindowHandle();
      return firefoxTab(session, session.current, async () => {});
    },
    close,
  };
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
    // Faults disarmed, but no reset: the relay outlives it, and a fresh database would hand out
    // the same HelpWave ticket ids again, whose threads the relay still holds.
    await demo.sandbox.control('faults', undefined, 'DELETE');
    await demo.sandbox.control('webhooks', { faults: {} });
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
      // Here, since the demo's relay serves the conversation (by email where it answers 404:
      // runLiveReplies); a follow-up by replying to the email, since Mava's send message speaks
      // as the business.
      assert.match(shown.ticket, /^Ticket [0-9a-f]{24}: we will answer here\.$/);
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

/**
 * Records, in the page, each state of the widget's thread as it changes: `{ at, thread, unread,
 * unreadItems, announce, live }`, so the time a reply appeared (the browser's clock, the same
 * machine's as the test's) and what the widget said then are read whatever happens after.
 */
const RECORD = `() => {
  const root = document.querySelector('${WIDGET}').shadowRoot;
  const seen = window.__threads = [];
  let last = null;
  const note = () => {
    const thread = [...root.querySelectorAll('.thread li')].map((li) => li.textContent);
    if (JSON.stringify(thread) === last) return;
    last = JSON.stringify(thread);
    const unread = root.querySelector('.unread-count');
    const announce = root.querySelector('.announce');
    seen.push({
      at: Date.now(), thread, unread: unread.hidden ? null : unread.textContent,
      unreadItems: [...root.querySelectorAll('.thread li.unread')].map((li) => li.textContent),
      announce: announce.textContent, live: announce.getAttribute('aria-live'),
    });
  };
  note();
  new MutationObserver(note).observe(root, { childList: true, subtree: true, characterData: true });
}`;

/** The first recorded state whose thread holds `text`, once there is one. */
const arrival = (visitor, text, ms) => until(
  () => visitor.run(`() => (window.__threads ?? []).find((s) => s.thread.includes(${JSON.stringify(text)})) ?? null`),
  `"${text}" in the thread`, ms,
);

/**
 * Live conversations through the relay in workerd and the sandbox (CONTRACT §7, issue 22's
 * acceptance), in `browserName`: each visitor is a fresh Chromium context, or a Firefox tab.
 * Mava: an agent's reply posted in the sandbox is in the widget within 2 s (unread, announced),
 * an internal note never is, a duplicated webhook shows once, a tampered one is refused (the
 * sandbox's delivery log: 401) and shows nothing, a reload resumes the thread with each reply
 * once and goes on receiving. A second visitor sees only their own thread, and one who forges a
 * ticket id (with their own, real capability) reads nothing. HelpWave: a reply the shop writes
 * appears within the relay's 5 s pull (≤ 7 s), and once after a reload. Tickiti: the answer
 * comes by email to the address given, and no conversation is asked for.
 * Resolves to the measured latencies in ms.
 */
export async function runConversations(browserName, demo) {
  const shots = `${SHOTS}${browserName}/`;
  mkdirSync(shots, { recursive: true });
  const chromium = browserName === 'chromium' ? await launchChromium() : null;
  const first = chromium ? await chromiumVisitor(chromium) : await firefoxVisitor();
  const another = () => (chromium ? chromiumVisitor(chromium) : first.newTab());
  const read = (visitor) => visitor.run(READ);
  const latencies = {};
  const followed = (provider, ticketId) => until(
    () => demo.relayLog().some((r) => r.method === 'GET' && r.path === `/${provider}/conversations/${ticketId}`),
    `the ${provider} conversation followed`,
  );
  const stored = (visitor, provider) => visitor.run(`() => JSON.parse(sessionStorage.getItem('ticketwire:${provider}:${demo.relayUrl}'))`);
  const deliveries = async (documentId) => (await demo.sandbox.control('webhooks', undefined, 'GET')).deliveries
    .filter((d) => d.documentId === documentId).map((d) => d.status);
  const file = async (visitor, provider, fields) => {
    await visitor.goto(`${demo.url}/?provider=${provider}`);
    await until(() => read(visitor), 'the widget');
    for (const [name, text] of Object.entries(fields)) await visitor.type(`#${name}`, text);
    await visitor.focus('#email');
    await visitor.press('Enter');
    return until(async () => { const s = await read(visitor); return s?.conversation && s; }, `the ${provider} conversation`);
  };
  const SORRY = 'This conversation is not yours, or it has expired. Please start a new one.';
  try {
    // Tampered deliveries are tried 4 times: a short gap, so they are over quickly.
    await demo.sandbox.control('webhooks', { retryMs: 100 });

    // HelpWave first: its reply comes with the relay's next pull (every 5 s), meanwhile Mava.
    const shopper = first;
    let shown = await file(shopper, 'helpwave', { name: 'Kim', email: 'kim@example.com', message: 'Did my parcel leave?' });
    const helpwaveTicket = /^Ticket (\d+): we will answer here\.$/.exec(shown.ticket)?.[1];
    assert.ok(helpwaveTicket, shown.ticket);
    await shopper.run(RECORD);
    await followed('helpwave', helpwaveTicket);
    const shopSaid = 'It left the warehouse this morning.';
    const shopAt = Date.now();
    await reply(demo.sandbox.url, helpwaveTicket, shopSaid);

    // Mava: the visitor files a ticket, and follows it.
    const jane = await another();
    shown = await file(jane, 'mava', { name: 'Jane', email: 'jane@example.com', message: 'My parcel is late.' });
    const mavaTicket = /^Ticket ([0-9a-f]{24}): we will answer here\.$/.exec(shown.ticket)?.[1];
    assert.ok(mavaTicket, shown.ticket);
    assert.equal(shown.howToAnswer, 'To add to your message, reply to the email we send you.');
    await jane.run(RECORD);
    await followed('mava', mavaTicket);

    // An internal note, then the agent's reply: the reply within 2 s, unread and announced.
    const note = await reply(demo.sandbox.url, mavaTicket, 'Internal: refund approved by Dana.', { internal: true });
    const replyAt = Date.now();
    await reply(demo.sandbox.url, mavaTicket, 'It ships today.');
    let seen = await arrival(jane, 'It ships today.', 10_000);
    latencies.mavaReply = seen.at - replyAt;
    assert.ok(latencies.mavaReply <= 2_000, `the reply appeared ${latencies.mavaReply} ms after it was posted`);
    assert.deepEqual(seen.thread, ['My parcel is late.', 'It ships today.']);
    // It came over the ticket object's WebSocket, which the relay offered after the first read.
    const upgrades = demo.relayLog().filter((r) => r.upgrade && r.path === `/mava/conversations/${mavaTicket}`);
    assert.deepEqual(upgrades.map((r) => r.status), [101], 'one socket, taken by the conversation object');
    assert.deepEqual([seen.unread, seen.unreadItems], ['1 new reply', ['It ships today.']]);
    assert.deepEqual([seen.announce, seen.live], ['New reply from support: It ships today.', 'polite']);
    // The note's webhook was taken (200) and stored, and is not in the thread.
    await until(async () => (await deliveries(note._id)).includes(200), "the note's webhook taken");
    await jane.screenshot(`${shots}mava-live-reply.png`);

    // A duplicated webhook (the same webhookId twice, both acknowledged): shown once.
    await demo.sandbox.control('webhooks', { faults: { duplicate: 1 } });
    const duplicateAt = Date.now();
    const duplicated = await reply(demo.sandbox.url, mavaTicket, 'Your tracking number is SP-2412-0489.');
    seen = await arrival(jane, 'Your tracking number is SP-2412-0489.', 10_000);
    latencies.mavaDuplicated = seen.at - duplicateAt;
    await until(async () => (await deliveries(duplicated._id)).length === 2, 'both copies delivered');
    assert.deepEqual(await deliveries(duplicated._id), [200, 200]);
    assert.deepEqual([seen.unread, seen.unreadItems], ['2 new replies', ['It ships today.', 'Your tracking number is SP-2412-0489.']]);
    assert.equal(seen.announce, 'New reply from support: Your tracking number is SP-2412-0489.');

    // A tampered webhook: the relay answers 401 to it and to each of its 3 retries; nothing shows.
    await demo.sandbox.control('webhooks', { faults: { tampered: 1 } });
    const tampered = await reply(demo.sandbox.url, mavaTicket, 'Tampered: this must not show.');
    await until(async () => (await deliveries(tampered._id)).length === 4, 'the tampered webhook tried 4 times');
    assert.deepEqual(await deliveries(tampered._id), [401, 401, 401, 401]);
    shown = await read(jane);
    const janeThread = ['My parcel is late.', 'It ships today.', 'Your tracking number is SP-2412-0489.'];
    assert.deepEqual(shown.thread, janeThread);
    assert.deepEqual([shown.unread, shown.liveStatus], ['2 new replies', '']);

    // A second visitor: their own empty form, then their own thread only.
    const sam = await another();
    await sam.goto(`${demo.url}/?provider=mava`);
    shown = await until(() => read(sam), 'the widget');
    assert.deepEqual([shown.conversation, shown.thread], [false, []]);
    shown = await file(sam, 'mava', { name: 'Sam', email: 'sam@example.com', message: 'Is my order here?' });
    assert.deepEqual(shown.thread, ['Is my order here?']);
    await sam.run(RECORD);
    const samOwn = await stored(sam, 'mava');
    // In another tab, Sam forges Jane's ticket id with Sam's own real capability (for another
    // ticket): the relay refuses it (403), and the widget shows nothing of Jane's thread.
    const forger = await another();
    const forge = async (provider, ticketId, extra = {}) => {
      await forger.goto(`${demo.url}/?provider=${provider}`);
      await until(() => read(forger), 'the widget');
      const forged = { ticketId, capability: samOwn.capability, email: 'sam@example.com', thread: [], ...extra };
      await forger.run(`() => sessionStorage.setItem('ticketwire:${provider}:${demo.relayUrl}', ${JSON.stringify(JSON.stringify(forged))})`);
      await forger.reload();
      return until(async () => { const s = await read(forger); return s?.liveStatus === SORRY && s; }, `the forged ${provider} conversation refused`);
    };
    shown = await forge('mava', mavaTicket);
    assert.deepEqual([shown.thread, shown.unread], [[], null], "nothing of Jane's thread");
    // The relay's 403 to the long poll; over a WebSocket (where the relay offers one) the refusal
    // is a close with code 4003 inside the upgraded socket, which the proxy does not read.
    const refused = (path) => demo.relayLog().some((r) => r.path === path && (r.status === 403 || r.upgrade));
    assert.ok(refused(`/mava/conversations/${mavaTicket}`), 'the relay refused the forged capability (403)');
    await forger.screenshot(`${shots}mava-forged-refused.png`);
    // Kim's HelpWave ticket with that Mava capability: refused too; the shop's reply unseen.
    shown = await forge('helpwave', helpwaveTicket, { followUps: true });
    assert.deepEqual([shown.thread, shown.followUpStatus], [[], SORRY]);
    assert.ok(refused(`/helpwave/conversations/${helpwaveTicket}`), 'the relay refused it (403)');

    // Tickiti: no conversation; the answer comes by email, to the address given.
    shown = await file(forger, 'tickiti', { email: 'sam@example.com', subject: 'Late parcel', message: 'Still nothing.' });
    assert.match(shown.ticket, /^Ticket \d+: we will answer by email to sam@example\.com\.$/);
    assert.deepEqual([shown.howToAnswer, shown.liveStatus, shown.unread], [null, '', null]);

    // Jane reloads: the thread resumes, each reply once, and the next reply still arrives.
    await jane.reload();
    shown = await until(async () => { const s = await read(jane); return s?.conversation && s.thread.length >= 3 && s; }, 'the resumed thread');
    assert.deepEqual(shown.thread, janeThread);
    await jane.run(RECORD);
    const resumedAt = Date.now();
    await reply(demo.sandbox.url, mavaTicket, 'After the reload.');
    seen = await arrival(jane, 'After the reload.', 10_000);
    latencies.mavaAfterReload = seen.at - resumedAt;
    assert.ok(latencies.mavaAfterReload <= 2_000, `the reply after the reload appeared after ${latencies.mavaAfterReload} ms`);
    assert.deepEqual(seen.thread, [...janeThread, 'After the reload.']);
    assert.deepEqual([seen.unread, seen.announce], ['1 new reply', 'New reply from support: After the reload.']);
    assert.ok(!(await read(jane)).thread.some((t) => t.startsWith('Internal') || t.startsWith('Tampered')));
    await jane.screenshot(`${shots}mava-resumed.png`);
    // Sam's own thread, open all along, never showed any of Jane's.
    assert.deepEqual(await sam.run('() => window.__threads.map((s) => s.thread)'), [['Is my order here?']]);
    assert.equal(demo.relayLog().filter((r) => r.path.includes('/tickiti/conversations/')).length, 0, 'no Tickiti conversation asked for');

    // HelpWave: the shop's reply came with a pull, within 5 s + slack.
    seen = await arrival(shopper, shopSaid, 10_000);
    latencies.helpwaveReply = seen.at - shopAt;
    assert.ok(latencies.helpwaveReply <= 7_000, `the shop's reply appeared ${latencies.helpwaveReply} ms after it was written`);
    assert.deepEqual(seen.thread, ['Did my parcel leave?', shopSaid]);
    assert.deepEqual([seen.unread, seen.unreadItems], ['1 new reply', [shopSaid]]);
    assert.deepEqual([seen.announce, seen.live], [`New reply from support: ${shopSaid}`, 'polite']);
    await shopper.screenshot(`${shots}helpwave-live-reply.png`);
    // A reload: the reply is listed among the comments and kept from the conversation: once.
    const comments = `/helpwave/api/v1/tickets/${helpwaveTicket}/comments`;
    const listed = () => demo.relayLog().filter((r) => r.method === 'GET' && r.path === comments && r.status === 200).length;
    const listedBefore = listed();
    await shopper.reload();
    await until(() => listed() > listedBefore, 'the comments listed again');
    shown = await until(async () => { const s = await read(shopper); return s?.conversation && s.thread.length >= 2 && s; }, 'the resumed HelpWave thread');
    assert.deepEqual(shown.thread, ['Did my parcel leave?', shopSaid]);
    return latencies;
  } finally {
    await demo.sandbox.control('webhooks', { retryMs: 1_000, faults: {} });
    await first?.close?.();
    await chromium?.close();
  }
}
