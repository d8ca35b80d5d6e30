// `ticketwire/widget` as the package ships it: where the exports map sends it, what a server
// that imports it gets (nothing defined, no wasm), that a page loading it and the SDK meets no
// string-to-DOM sink and no inline style, and its types (tests/types/widget). The element itself
// runs in browsers: tests/www (the demo, under a strict CSP) and ecosystem/widget-csp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = (file) => readFileSync(new URL(`../../pkg/${file}`, import.meta.url), 'utf8');

test('the exports map: ticketwire/widget is widget.mjs, with its types', () => {
  assert.deepEqual(JSON.parse(pkg('package.json')).exports['./widget'], { types: './widget.d.ts', default: './widget.mjs' });
  assert.match(import.meta.resolve('ticketwire/widget'), /\/widget\.mjs$/);
});

test('on a server (no customElements) importing it defines nothing and loads no SDK', async () => {
  assert.equal(globalThis.customElements, undefined);
  const widget = await import('ticketwire/widget');
  assert.deepEqual(Object.keys(widget), ['TicketwireWidget']);
  assert.equal(typeof widget.TicketwireWidget, 'function');
  assert.equal(globalThis.HTMLElement, undefined);
  // The SDK is imported only where there are custom elements.
  assert.match(pkg('widget.mjs'), /=globalThis\.customElements\?import\("\.\/lite\.mjs"\):null[,;]/);
});

test('it loads the SDK from beside itself (./lite.mjs, the visitor\'s build), the one import it has, and its CSS is inside', () => {
  const source = pkg('widget.mjs');
  assert.deepEqual([...source.matchAll(/\bimport\s*\(?\s*["'`]([^"'`]+)["'`]/g)].map((m) => m[1]), ['./lite.mjs']);
  assert.doesNotMatch(source, /\bfrom\s*["'`]/);
  assert.match(source, /:host\{all:initial;display:block;/);
  assert.match(pkg('lite.mjs'), /new URL\('\.\/lite\/ticketwire_bg\.wasm', import\.meta\.url\)/);
});

// What Trusted Types guards (HTML and script from strings) and what `style-src 'self'` refuses
// (style attributes, <style> elements), in every file a page loads for the widget.
const SINKS = [
  /\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/, /createContextualFragment/,
  /setHTMLUnsafe/, /parseFromString/, /\beval\s*\(/, /new Function\b/, /\bFunction\s*\(\s*["'`]/, /srcdoc/,
  /setAttribute\(\s*["'`](style|on\w+)["'`]/, /\.style\s*=[^=]/, /cssText/, /createElement\(\s*["'`](style|script)["'`]/,
  /<style/, /<script/,
];

test('no file a page loads for the widget has a string-to-DOM sink or an inline style', () => {
  for (const file of ['widget.mjs', 'lite.mjs', 'install.mjs', 'lite/ticketwire.js']) {
    const source = pkg(file);
    for (const sink of SINKS) assert.doesNotMatch(source, sink, `${file}: ${sink}`);
  }
  // The wasm's imports from its glue: setTimeout is only ever given a function.
  assert.match(pkg('lite/ticketwire.js'), /__wbg_setTimeout_\w+:function\(\)\{return handleError\(function\(arg0,arg1,arg2\)\{return setTimeout\(arg0,arg1,arg2\)\}/);
  assert.match(readFileSync(`${root}src/wasm/sys.rs`, 'utf8'), /pub fn set_timeout\(handler: &Function,/);
});

test('its types compile under strict TypeScript without React (tests/types/widget)', () => {
  execFileSync(`${root}node_modules/.bin/tsc`, ['-p', `${root}tests/types/widget`], { stdio: 'pipe' });
});

test("the package's README shows the one tag, where the files go, and the policy the widget runs under", () => {
  const readme = pkg('README.md');
  assert.ok(readme.includes('## The support widget, one tag\n'));
  assert.ok(readme.includes('<script type="module" src="/shop/support/ticketwire/widget.mjs"></script>\n<ticketwire-widget relay="/support" provider="helpwave"></ticketwire-widget>'));
  assert.ok(readme.includes("express.static('node_modules/ticketwire')"));
  assert.ok(readme.includes("require-trusted-types-for 'script'; trusted-types 'none'"));
});
