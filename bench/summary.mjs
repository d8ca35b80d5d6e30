// The issue-11 table: ticketwire beside zod, valibot and ajv-standalone, one row each.
// Run by scripts/bench-peers.sh inside the copied peer harness (target/bench-peers), after
// `throughput.mjs --json` and `size.mjs` (whose bundles in dist/ it gzips):
//   node summary.mjs <throughput.json> <ticketwire package dir>
// Timings are the harness's medians (µs per call, one process); gzip is what a page downloads
// (for ticketwire: the wasm, its glue and the entry); cold start is a fresh `node` process
// importing the module from source and validating once (median of 7).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { PEERS, table } from './peers.mjs';

const [throughputFile, packageDir] = process.argv.slice(2);
const LIBRARIES = ['zod', 'valibot', 'ajv-standalone', 'ticketwire'];
const { results } = JSON.parse(readFileSync(throughputFile, 'utf8'));
const gzip = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

const micros = (library, scenario) => {
  const row = results.find((r) => r.library === library && r.scenario === scenario);
  return row ? row.ns_per_op / 1000 : NaN;
};
const timings = (library) => {
  const [valid, prepare, invalid] = ['validate(valid)', 'prepare(valid)', 'validate(invalid)'].map((s) => micros(library, s));
  return { valid, prepare, invalid };
};

function coldStartMs(file, runs = 7) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['coldstart-child.mjs', pathToFileURL(file).href], { encoding: 'utf8' });
    times.push(JSON.parse(out).ms);
  }
  return times.sort((a, b) => a - b)[runs >> 1];
}

const PACKAGE_FILES = ['web/ticketwire_bg.wasm', 'web/ticketwire.js', 'browser.mjs', 'web-init.mjs', 'install.mjs'];
const rows = LIBRARIES.map((name) => {
  const file = name === 'ticketwire' ? new URL('../../bench/peers-adapter.mjs', import.meta.url).pathname
    : PEERS.find((p) => p.name === name).file;
  const bytes = name === 'ticketwire'
    ? PACKAGE_FILES.reduce((sum, f) => sum + gzip(join(packageDir, f)), 0)
    : gzip(`dist/${name}.entry.min.mjs`);
  return { name, ...timings(name), bytes, cold: coldStartMs(file) };
});

// Not peers, the floors under them: no validation at all (the harness's baseline: JSON.stringify
// only), and a wasm validator that takes its input as text before it parses a byte of it.
const FLOORS = [
  { name: 'baseline', label: 'floor: JSON.stringify only', file: PEERS.find((p) => p.baseline).file },
  { name: 'wasm floor', label: 'floor: stringify + copy into wasm', file: new URL('../../bench/floor-adapter.mjs', import.meta.url).pathname },
].map(({ name, label, file }) => ({ name: label, ...timings(name), bytes: NaN, cold: coldStartMs(file) }));

const fixed = (x, digits = 1) => (Number.isNaN(x) ? 'n/a' : x.toFixed(digits));
console.log(`\n${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu?'} x${os.cpus().length}`);
console.log('The Mava create-ticket cases of ../shared/bench/peers; timings are medians in µs per call.');
console.log(table(
  ['library', 'validate (valid)', 'validate + prepare', 'validate (invalid)', 'gzip (KB)', 'cold start (ms)'],
  [...rows, ...FLOORS].map((r) => [r.name, fixed(r.valid), fixed(r.prepare), fixed(r.invalid), fixed(r.bytes / 1000), fixed(r.cold)]),
));

// The targets, each against the peers of the same run.
const [zod, valibot, ajv, ticketwire] = rows;
const verdict = (ok) => (ok ? 'met' : 'NOT met');
console.log(`target validate+prepare <= ajv-standalone: ${verdict(ticketwire.prepare <= ajv.prepare)}`);
console.log(`target validate <= zod and valibot (valid and invalid): ${verdict(
  ticketwire.valid <= Math.min(zod.valid, valibot.valid) && ticketwire.invalid <= Math.min(zod.invalid, valibot.invalid))}`);
console.log(`target package <= 48 KB gzip: ${verdict(ticketwire.bytes <= 48_000)}`);
console.log(`target cold start <= 5 ms and below valibot's: ${verdict(ticketwire.cold <= 5 && ticketwire.cold < valibot.cold)}`);
