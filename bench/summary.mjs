// The one table of issue 24: ticketwire beside zod, valibot and ajv-standalone and the floors,
// as the mean over the harness's cases and per case, the page's bytes by part, and the cold start,
// with each target checked against the peers and floors of the same run. Run by
// scripts/bench-peers.sh inside the copied peer harness (target/bench-peers), after
// `throughput.mjs --json` (the means) and `throughput.mjs --per-case yes --json` (per case):
//   node summary.mjs <throughput.json> <per-case.json> <ticketwire package dir> [widget assets dir]
// Timings are the harness's medians (µs per call, one process); gzip is what a page downloads
// (for ticketwire: the wasm, its glue and the entry); cold start is a fresh `node` process
// importing the module from source and validating once (median of 7).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { invalid, valid } from './cases.mjs';
import { PEERS, table } from './peers.mjs';

const [throughputFile, perCaseFile, packageDir, widgetAssets] = process.argv.slice(2);
const LIBRARIES = ['zod', 'valibot', 'ajv-standalone', 'ticketwire'];
const results = JSON.parse(readFileSync(throughputFile, 'utf8')).results;
const perCase = JSON.parse(readFileSync(perCaseFile, 'utf8')).results;
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

const micros = (library, scenario, from = results) => {
  const row = from.find((r) => r.library === library && r.scenario === scenario);
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

// What a page downloads for `import { MavaClient } from "ticketwire"`, and for `ticketwire/lite`
// (the page build for pages that call through a relay, which the widget loads), as
// scripts/size-report.mjs prints them.
const PAGE_FILES = ['web/ticketwire_bg.wasm', 'web/ticketwire.js', 'browser.mjs', 'web-init.mjs', 'install.mjs'];
const LITE_FILES = ['lite/ticketwire_bg.wasm', 'lite/ticketwire.js', 'lite.mjs', 'install.mjs'];
const pageFile = (f) => readFileSync(join(packageDir, f));
const rows = LIBRARIES.map((name) => {
  const file = name === 'ticketwire' ? new URL('../../bench/peers-adapter.mjs', import.meta.url).pathname
    : PEERS.find((p) => p.name === name).file;
  const bytes = name === 'ticketwire'
    ? PAGE_FILES.reduce((sum, f) => sum + gzip(pageFile(f)), 0)
    : gzip(readFileSync(`dist/${name}.entry.min.mjs`));
  return { name, ...timings(name), bytes, cold: coldStartMs(file) };
});

// Not peers, the floors under them: no validation at all (the harness's baseline: JSON.stringify
// only), and a wasm validator that takes its input as text before it parses a byte of it (an
// empty module: its cold start is the least any wasm module's is).
const FLOORS = [
  { name: 'baseline', label: 'floor: JSON.stringify only', file: PEERS.find((p) => p.baseline).file },
  { name: 'wasm floor', label: 'floor: stringify + copy into wasm', file: new URL('../../bench/floor-adapter.mjs', import.meta.url).pathname },
].map(({ name, label, file }) => ({ name: label, ...timings(name), bytes: NaN, cold: coldStartMs(file) }));

const fixed = (x, digits = 1) => (Number.isNaN(x) ? 'n/a' : x.toFixed(digits));
const [load1] = os.loadavg();
console.log(`\n${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu?'} x${os.cpus().length}, load ${load1.toFixed(1)}`);
console.log('The Mava create-ticket cases of ../shared/bench/peers; timings are medians in µs per call, the mean over the cases.');
console.log(table(
  ['library', 'validate (valid)', 'validate + prepare', 'validate (invalid)', 'gzip (KB)', 'cold start (ms)'],
  [...rows, ...FLOORS].map((r) => [r.name, fixed(r.valid), fixed(r.prepare), fixed(r.invalid), fixed(r.bytes / 1000), fixed(r.cold)]),
));

// Per case (a shorter run: noisier). The harness times `prepare` on each valid case and
// `validate` on each invalid one.
const CASE_LIBRARIES = ['zod', 'valibot', 'ajv-standalone', 'ticketwire', 'wasm floor'];
const caseRows = [
  ...valid.map((c) => [`prepare: ${c.name}`, JSON.stringify(c.input).length]),
  ...invalid.map((c) => [`validate: ${c.name}`, JSON.stringify(c.input).length]),
].map(([scenario, bytes]) => [scenario, bytes, ...CASE_LIBRARIES.map((l) => fixed(micros(l, scenario, perCase)))]);
console.log('\nPer case (µs per call; input bytes as JSON):');
console.log(table(['case', 'bytes', ...CASE_LIBRARIES], caseRows));

// The page's bytes by part: each file, and the wasm's sections (code, data, the rest).
function wasmSections(bytes) {
  const parts = { code: [], data: [], other: [] };
  let at = 8;
  const leb = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const body = bytes.subarray(at, at + size);
    (id === 10 ? parts.code : id === 11 ? parts.data : parts.other).push(body);
    at += size;
  }
  return Object.entries(parts).map(([name, bodies]) => [name, Buffer.concat(bodies)]);
}
const wasm = pageFile(PAGE_FILES[0]);
const liteWasm = pageFile(LITE_FILES[0]);
const build = (files, label) => [
  ...wasmSections(pageFile(files[0])).map(([name, bytes]) => [`  ${label} wasm: ${name} section${name === 'other' ? 's' : ''} (each alone)`, bytes]),
  ...files.map((f) => [f, pageFile(f)]),
];
const inAll = (files, label) => [label, files.reduce((sum, f) => sum + pageFile(f).length, 0), files.reduce((sum, f) => sum + gzip(pageFile(f)), 0)];
const widget = widgetAssets && existsSync(widgetAssets)
  ? readdirSync(widgetAssets).sort().map((f) => [`widget page: ${f}`, readFileSync(join(widgetAssets, f))]) : [];
const widgetGzip = widget.reduce((sum, [, bytes]) => sum + gzip(bytes), 0);
console.log('\nWhat a page downloads (bytes):');
console.log(table(['part', 'raw', 'gzip'], [
  ...build(PAGE_FILES, 'full').map(([name, bytes]) => [name, bytes.length, gzip(bytes)]),
  inAll(PAGE_FILES, 'ticketwire (the full page build), in all'),
  ...build(LITE_FILES, 'lite').map(([name, bytes]) => [name, bytes.length, gzip(bytes)]),
  inAll(LITE_FILES, 'ticketwire/lite (pages through a relay), in all'),
  ...widget.map(([name, bytes]) => [name, bytes.length, gzip(bytes)]),
  ...(widget.length ? [['widget page, in all (node www/build.mjs)', widget.reduce((s, [, b]) => s + b.length, 0), widgetGzip]] : []),
]));

// The issue's targets, each against the peers and floors of the same run.
const [zod, valibot, , ticketwire] = rows;
const [, wasmFloor] = FLOORS;
const verdict = (ok) => (ok ? 'met' : 'NOT met');
const [wasmGzip, liteGzip] = [gzip(wasm), gzip(liteWasm)];
console.log(`target validate+prepare <= zod's and valibot's (${fixed(ticketwire.prepare)} vs ${fixed(zod.prepare)}, ${fixed(valibot.prepare)}): ${verdict(
  ticketwire.prepare <= Math.min(zod.prepare, valibot.prepare))}`);
console.log(`target validate (valid) <= 2x the wasm floor (${fixed(ticketwire.valid)} vs ${fixed(2 * wasmFloor.valid)}): ${verdict(
  ticketwire.valid <= 2 * wasmFloor.valid)}`);
console.log(`target validate (invalid) <= valibot's (${fixed(ticketwire.invalid)} vs ${fixed(valibot.invalid)}): ${verdict(
  ticketwire.invalid <= valibot.invalid)}`);
console.log(`target page wasm <= 56 KB gzip (ticketwire/lite ${fixed(liteGzip / 1000)} KB; the full page build ${fixed(wasmGzip / 1000)} KB): ${verdict(liteGzip <= 56_000)}`);
console.log(`target widget page <= 66 KB gzip in all (${widget.length ? `${fixed(widgetGzip / 1000)} KB` : 'not built'}): ${
  widget.length ? verdict(widgetGzip <= 66_000) : 'n/a'}`);
console.log(`target cold start <= 2x the empty module's (${fixed(ticketwire.cold)} vs ${fixed(2 * wasmFloor.cold)} ms): ${verdict(
  ticketwire.cold <= 2 * wasmFloor.cold)}`);
