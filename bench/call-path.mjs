// Quick loop for issue 24's call path: validate and validate+prepare per case of the peers'
// cases (../shared/bench/peers/cases.mjs) through the built package (node entry), beside the
// stages it is made of (isPlain-free stringify, stringify + encodeInto into wasm memory), in one
// process, alternating rounds; medians of rounds in µs. `node bench/call-path.mjs [rounds]
// [other package folder]`: with another build's pkg/ (a copy of it), that build's validate and
// prepare too, in the same rounds (an A/B on a noisy machine).
import { MavaClient } from 'ticketwire';
import { valid, invalid } from '../../shared/bench/peers/cases.mjs';

const rounds = Number(process.argv[2] ?? 7);
const client = new MavaClient({ apiKey: 'bench-api-key' });
const other = process.argv[3] && new (await import(`${process.argv[3]}/node.mjs`)).MavaClient({ apiKey: 'bench-api-key' });
const encoder = new TextEncoder();
const buffer = new Uint8Array(1 << 16);
const ways = {
  stringify: (input) => JSON.stringify(input).length,
  'stringify+encodeInto': (input) => encoder.encodeInto(JSON.stringify(input), buffer).written,
  validate: (input) => client.validateCreateTicket(input).length,
  // What the peers' adapter times as validate + prepare: prepare validates first.
  'validate+prepare': (input) => client.prepareCreateTicket(input).body.length,
  ...(other && {
    'B validate': (input) => other.validateCreateTicket(input).length,
    'B validate+prepare': (input) => other.prepareCreateTicket(input).body.length,
  }),
};
let sink = 0;
function time(fn, inputs, ms) {
  let n = 0;
  const start = process.hrtime.bigint();
  let now = start;
  const end = start + BigInt(ms * 1e6);
  while (now < end) {
    for (const input of inputs) sink += fn(input);
    n += inputs.length;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / 1e3 / n;
}
const groups = [
  ['valid (mean)', valid.map((c) => c.input)],
  ['invalid (mean)', invalid.map((c) => c.input)],
  ...valid.map((c) => [`valid: ${c.name}`, [c.input]]),
  ...invalid.map((c) => [`invalid: ${c.name}`, [c.input]]),
];
const results = {};
for (let r = 0; r < rounds; r++) {
  for (const [group, inputs] of groups) {
    for (const [way, fn] of Object.entries(ways)) {
      if (group.startsWith('invalid') && way.endsWith('validate+prepare')) continue;
      ((results[group] ??= {})[way] ??= []).push(time(fn, inputs, r === 0 ? 50 : 120));
    }
  }
}
// The median of the rounds after the first (a warm-up), or their minimum with STAT=min (steadier
// on a shared machine).
const median = (xs) => xs.slice(1).sort((a, b) => a - b)[process.env.STAT === 'min' ? 0 : Math.floor((xs.length - 1) / 2)];
const rows = [['case', ...Object.keys(ways), 'validate/floor']];
for (const [group, byWay] of Object.entries(results)) {
  const m = Object.fromEntries(Object.entries(byWay).map(([w, xs]) => [w, median(xs)]));
  rows.push([group.slice(0, 44), ...Object.keys(ways).map((w) => (m[w] === undefined ? '' : m[w].toFixed(2))), (m.validate / m['stringify+encodeInto']).toFixed(2) + 'x']);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const row of rows) console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
if (sink === 0) console.log('');
