// The built package as users load it: ESM and CommonJS in Node with no init call, one error
// class for both, the exports map, and an exact .d.ts (no `any`, strict TypeScript compiles).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as esm from 'ticketwire';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = (file) => readFileSync(new URL(`../../pkg/${file}`, import.meta.url), 'utf8');

test('ESM import gives the public names, ready to use', () => {
  assert.deepEqual(Object.keys(esm).sort(), ['HelpWaveClient', 'MavaClient', 'TicketwireConversationObject', 'TicketwireError', 'TicketwireRateLimitObject', 'TickitiClient', 'createRelay', 'durableObjectConversations', 'durableObjectRateLimiter', 'verifyMavaWebhook']);
  assert.deepEqual(new esm.MavaClient().validateIdentify({ mavaCustomerId: 'c' }), []);
});

test('CommonJS require gives the very same classes (one module instance)', () => {
  const cjs = require('ticketwire');
  assert.equal(cjs.MavaClient, esm.MavaClient);
  assert.equal(cjs.TicketwireError, esm.TicketwireError);
  assert.deepEqual(new cjs.MavaClient().validateIdentify({}).map((v) => v.code), ['VALIDATION_ERROR']);
});

test('the exports map sends each host to its entry', () => {
  const exports = JSON.parse(pkg('package.json')).exports['.'];
  assert.equal(exports.workerd.default, './workerd.mjs');
  assert.equal(exports.browser.default, './browser.mjs');
  assert.equal(exports.node.import.default, './node.mjs');
  assert.equal(exports.node.require.default, './node.cjs');
  assert.match(import.meta.resolve('ticketwire'), /\/node\.mjs$/);
  assert.match(require.resolve('ticketwire'), /\/node\.cjs$/);
});

test('TicketwireError is an Error subclass with the contract fields', () => {
  const error = new esm.TicketwireError('m', { kind: 'api', provider: 'mava', operation: 'createTicket', status: 404, code: 'TAG_NOT_FOUND' });
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'TicketwireError');
  assert.deepEqual(JSON.parse(JSON.stringify(error)), {
    name: 'TicketwireError', message: 'm', kind: 'api', provider: 'mava', operation: 'createTicket', status: 404, code: 'TAG_NOT_FOUND',
  });
});

test('the public .d.ts has no `any`', () => {
  assert.doesNotMatch(pkg('index.d.ts'), /\bany\b/);
  // wasm-bindgen's own InitInput/InitOutput (not re-exported) are the only place it may appear.
  const generated = pkg('edge/ticketwire.d.ts').replace(/export interface InitOutput \{[\s\S]*?\n\}/, '');
  const anyLines = generated.split('\n').filter((line) => /\bany\b/.test(line) && !line.trim().startsWith('*'));
  assert.deepEqual(anyLines, []);
  const exported = [...pkg('index.d.ts').matchAll(/^\s+(\w+),$/gm)].map((m) => m[1]);
  for (const name of exported) assert.match(pkg('edge/ticketwire.d.ts'), new RegExp(`export (interface|type) ${name}\\b`), name);
});

test('strict TypeScript accepts correct use and refuses wrong use', () => {
  execFileSync(`${root}node_modules/.bin/tsc`, ['-p', `${root}tests/types`], { stdio: 'pipe' });
});

// Every type a user may have to name (a parameter's, a result's, a field's) is exported from an
// entry: walks each exported declaration's type references, then those of each type it reaches.
test('every type an exported signature names is exported', async () => {
  const { default: ts } = await import('typescript');
  const entries = ['index.d.ts', 'index.d.cts', 'node-handler.d.ts', 'node-handler.d.cts'].map((file) => `${root}pkg/${file}`);
  const program = ts.createProgram(entries, { strict: true, noEmit: true, types: [], lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'] });
  const checker = program.getTypeChecker();
  const resolve = (symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
  const ours = (symbol) => symbol.declarations?.some((d) => d.getSourceFile().fileName.startsWith(`${root}pkg/`));
  // Public: what any entry exports (`ticketwire/node` names the main entry's Relay).
  const exports = new Map(entries.map((entry) => [entry, checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)))]));
  const publicSymbols = new Set([...exports.values()].flat().map(resolve));
  // `export type X = Y` that only renames (TicketwireError, beside its class): Y is public as X.
  for (const symbol of [...publicSymbols]) {
    const alias = symbol.declarations?.find(ts.isTypeAliasDeclaration);
    if (alias && ts.isTypeReferenceNode(alias.type) && !alias.type.typeArguments) publicSymbols.add(resolve(checker.getSymbolAtLocation(alias.type.typeName)));
  }
  const missing = new Set();
  const seen = new Set();
  const walk = (symbol, via) => {
    if (seen.has(symbol)) return;
    seen.add(symbol);
    for (const declaration of symbol.declarations ?? []) {
      const visit = (node) => {
        // Private members are no one's to call.
        if (ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)) return;
        const name = ts.isTypeReferenceNode(node) ? node.typeName
          : ts.isExpressionWithTypeArguments(node) ? node.expression
            : ts.isTypeQueryNode(node) ? node.exprName : undefined;
        const found = name && checker.getSymbolAtLocation(name);
        if (found) {
          const target = resolve(found);
          if (ours(target) && !(target.flags & ts.SymbolFlags.TypeParameter)) {
            if (publicSymbols.has(target)) walk(target, target.name);
            else missing.add(`${target.name} (named by ${via} in ${declaration.getSourceFile().fileName.slice(root.length)})`);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(declaration);
    }
  };
  for (const symbol of [...exports.values()].flat()) walk(resolve(symbol), symbol.name);
  assert.deepEqual([...missing].sort(), []);
});

test("the package's README is the consumer's: an install line, every quickstart, and no link that breaks on npm", () => {
  const readme = pkg('README.md');
  assert.match(readme, /^npm install ticketwire$/m);
  for (const heading of ['## A support form in the browser', '## The relay: Cloudflare Workers', '## Next.js', '## Express', '## Fastify', '## Hono', '## Content Security Policy']) {
    assert.ok(readme.includes(`${heading}\n`), heading);
  }
  // npm renders a README alone: a link is absolute or to a heading of its own.
  const links = [...readme.matchAll(/\]\(([^)]+)\)/g)].map(([, target]) => target);
  const anchors = new Set([...readme.matchAll(/^#+ (.+)$/gm)].map(([, title]) => `#${title.toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')}`));
  for (const link of links) assert.ok(/^https:\/\//.test(link) || anchors.has(link), `a link npm cannot follow: ${link}`);
  assert.ok(links.length >= 5);
});
