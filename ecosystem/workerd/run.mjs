// Bundles worker.mjs as `wrangler deploy` would (--dry-run), then runs the bundle in workerd
// (Miniflare) and asks it for the smoke check.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { Miniflare } from 'miniflare';

rmSync('dist', { recursive: true, force: true });
execFileSync('wrangler', ['deploy', '--dry-run', '--outdir', 'dist'], { stdio: 'inherit', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
const script = readdirSync('dist').find((file) => file.endsWith('.js'));
if (!readFileSync(`dist/${script}`, 'utf8').includes('initSync')) throw new Error('the bundle is not the workerd entry');
const mf = new Miniflare({
  modules: true,
  scriptPath: `dist/${script}`,
  modulesRoot: 'dist',
  modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
  compatibilityDate: '2026-04-01',
  bindings: { SANDBOX_URL: process.env.SANDBOX_URL },
});
try {
  const response = await mf.dispatchFetch('http://worker.example/');
  const result = await response.json();
  if (!result.passed) throw new Error(result.error);
  console.log(`workerd (wrangler ${JSON.parse(readFileSync('node_modules/wrangler/package.json', 'utf8')).version}): ${result.passed.join(', ')}`);
} finally {
  await mf.dispose();
}
