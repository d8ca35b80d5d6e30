// react-hook-form (standardSchemaResolver) and TanStack Form take ticketwire's Standard Schema
// views as they are: the page type-checks against the libraries' own types, builds with Vite,
// and in headless Chromium an invalid email shows ticketwire's words at the email field with
// nothing sent, and a valid form files a ticket in the sandbox.
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { build } from 'vite';
import { serve } from '../browser.mjs';
import { launchChromium } from '../../tests/chromium.mjs';

execFileSync('tsc', ['-p', '.'], { stdio: 'inherit' });
await build({ logLevel: 'warn' });

const sandbox = process.env.SANDBOX_URL;
const tickets = async () => (await (await fetch(`${sandbox}/_sandbox/counts?org=acme`)).json()).mava_tickets;
const site = await serve('dist');
const browser = await launchChromium();
const checks = [];
try {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`${error.name}: ${error.message}`));
  await page.goto(`${site.origin}/?sandbox=${encodeURIComponent(sandbox)}`);
  const text = (selector) => page.locator(selector).textContent({ timeout: 15_000 });

  for (const form of ['rhf', 'tanstack']) {
    const before = await tickets();
    if (form === 'rhf') await page.fill('#rhf-name', 'Jane Doe');
    await page.fill(`#${form}-email`, 'jane@localhost');
    await page.fill(`#${form}-message`, 'Where is my order SP-2412?');
    await page.click(`#${form}-send`);
    await page.waitForFunction((id) => document.getElementById(id)?.textContent !== '', `${form}-email-error`, { timeout: 15_000 });
    assert.equal(await text(`#${form}-email-error`), 'must match format "email"', `${form}: ticketwire's words at the email field`);
    if (form === 'rhf') {
      assert.equal(await page.getAttribute('#rhf-email', 'aria-invalid'), 'true');
      assert.equal(await text('#rhf-message-error'), '', 'no error where there is none');
    }
    assert.equal(await tickets(), before, `${form}: nothing sent while the form is invalid`);
    checks.push(`${form}: email error`);

    await page.fill(`#${form}-email`, 'jane@example.com');
    await page.click(`#${form}-send`);
    await page.waitForFunction((id) => document.getElementById(id)?.textContent !== '', `${form}-filed`, { timeout: 15_000 });
    assert.match(await text(`#${form}-filed`), /^Ticket [0-9a-f]{24}$/, `${form}: filed`);
    assert.equal(await text(`#${form}-email-error`), '', `${form}: the error cleared`);
    assert.equal(await tickets(), before + 1, `${form}: one ticket in the sandbox`);
    checks.push(`${form}: filed`);
  }
  assert.deepEqual(problems, []);
} finally {
  await browser.close();
  site.close();
}
console.log(`react-hook-form and TanStack Form in chromium: ${checks.join(', ')}`);
