// Starts the sandbox binary on a free port for one test file, and stops it afterwards.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BINARY = process.env.TICKETWIRE_SANDBOX_BIN ?? fileURLToPath(new URL('../../target/debug/ticketwire-sandbox', import.meta.url));

/** The seeded keys (see the sandbox's start-up banner). */
export const KEYS = {
  mava: 'sandbox_mava_acme',
  mavaGlobex: 'sandbox_mava_globex',
  helpwave: 'sandbox_helpwave_acme',
  helpwaveGlobex: 'sandbox_helpwave_globex',
  tickiti: 'sandbox_tickiti_acme',
  tickitiReadonly: 'sandbox_tickiti_acme_readonly',
};

/** Starts a sandbox; resolves to { url, control(path, body?), counts(org?), stop() }. */
export async function startSandbox(args = []) {
  const child = spawn(BINARY, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`sandbox did not start: ${seen}`)), 15_000);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}: ${seen}`)));
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  const control = async (path, body, method = 'POST') => {
    const response = await fetch(`${url}/_sandbox/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return response.json();
  };
  return {
    url,
    control,
    counts: async (org = 'acme') => (await fetch(`${url}/_sandbox/counts?org=${org}`)).json(),
    stop: () => new Promise((resolve) => {
      child.removeAllListeners('exit');
      child.on('exit', resolve);
      child.kill('SIGTERM');
    }),
  };
}
