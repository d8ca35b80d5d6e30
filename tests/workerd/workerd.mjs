// Runs Workers in the real workerd runtime for the tests: wrangler bundles them exactly as
// `wrangler deploy` does (resolving `ticketwire` through its "workerd" export condition), and
// Miniflare runs the bundle in the workerd binary from npm.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WRANGLER = join(ROOT, 'node_modules/.bin/wrangler');
export const EXAMPLE_WORKER = join(ROOT, 'examples/worker');
export const COMPATIBILITY_DATE = '2026-04-01';

/**
 * Bundles a Worker with `wrangler deploy --dry-run --outdir`, as a deploy would; resolves to
 * { scriptPath, upload } where upload is what wrangler printed ("305.02 KiB / gzip: 121.85 KiB").
 * `args` are extra wrangler arguments (a script path and --name for a Worker without a wrangler.toml).
 */
export function bundle(cwd, args = []) {
  const outdir = mkdtempSync(join(tmpdir(), 'ticketwire-worker-'));
  const printed = execFileSync(WRANGLER, ['deploy', '--dry-run', '--outdir', outdir, ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
  });
  const upload = /Total Upload: (.+)/.exec(printed)?.[1]?.trim();
  const script = readdirSync(outdir).find((f) => f.endsWith('.js'));
  return { scriptPath: join(outdir, script), upload };
}

/** A Miniflare worker entry for a bundle, with `.wasm` imports as compiled modules, answering
 * requests to `http://{name}.example/…`. */
export function worker(name, scriptPath, extra = {}) {
  return {
    name,
    routes: [`${name}.example/*`],
    modules: true,
    scriptPath,
    modulesRoot: dirname(scriptPath),
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: COMPATIBILITY_DATE,
    ...extra,
  };
}

/**
 * Starts workerd with these workers on a free port; resolves to { mf, url, fetch(name, path, init),
 * dispose() }. `fetch` sends through workerd's own HTTP entry, as a visitor's request arrives.
 */
export async function start(workers, options = {}) {
  const mf = new Miniflare({ workers, host: '127.0.0.1', port: 0, ...options });
  const url = (await mf.ready).toString().replace(/\/$/, '');
  const fetchFrom = (name, path, init) => mf.dispatchFetch(`http://${name}.example${path}`, init);
  return { mf, url, fetch: fetchFrom, dispose: () => mf.dispose() };
}
