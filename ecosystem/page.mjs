// A bundled page's side of the smoke check: runs it against the sandbox named in `?sandbox=`
// and leaves the outcome in window.smokeResult for browser.mjs to read.
import { smoke } from './smoke.mjs';

export function runSmoke(ticketwire) {
  const sandboxUrl = new URLSearchParams(location.search).get('sandbox');
  window.smokeResult = smoke(ticketwire, sandboxUrl).then(
    (passed) => ({ passed }),
    (error) => ({ error: String(error?.stack ?? error).split('\n')[0] }),
  );
}
