// `bun build --compile` of app.mjs, the executable then run alone: copied into an empty
// temporary folder, no node_modules on its way up. It validates, files one ticket with its key
// and one through its relay (Bun.serve): the exact violation, two ticket ids, two more tickets.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const SANDBOX = process.env.SANDBOX_URL;
const tickets = async () => (await (await fetch(`${SANDBOX}/_sandbox/counts?org=acme`)).json()).mava_tickets;
function same(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}

rmSync('dist', { recursive: true, force: true });
execFileSync('bun', ['build', '--compile', 'app.mjs', '--outfile', 'dist/app'], { stdio: 'inherit' });
const dir = mkdtempSync(join(tmpdir(), 'ticketwire-bun-compile-'));
try {
  for (let up = dir; up !== dirname(up); up = dirname(up)) {
    if (existsSync(join(up, 'node_modules'))) throw new Error(`${join(up, 'node_modules')} exists: the executable would not run alone`);
  }
  copyFileSync('dist/app', join(dir, 'app'));
  execFileSync('chmod', ['+x', join(dir, 'app')]);
  const before = await tickets();
  const result = JSON.parse(execFileSync(join(dir, 'app'), { cwd: dir, env: { PATH: process.env.PATH, SANDBOX_URL: SANDBOX }, encoding: 'utf8' }));
  same(result.violations, [{ path: '/customer/email', code: 'VALIDATION_ERROR', message: 'body/customer/email must match format "email"', rule: 'format', params: { format: 'email' } }], 'the violations');
  if (!/^[0-9a-f]{24}$/.test(result.direct)) throw new Error(`the direct call's ticket: ${result.direct}`);
  same(result.relayed.status, 201, "the relay's answer");
  if (!/^[0-9a-f]{24}$/.test(result.relayed.id) || result.relayed.id === result.direct) throw new Error(`the relayed ticket: ${result.relayed.id}`);
  same(await tickets(), before + 2, 'tickets in the sandbox');
  console.log(`bun build --compile (Bun ${result.bun}), the executable run alone: validate, a ticket with the key, a ticket through the relay on Bun.serve (201)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
