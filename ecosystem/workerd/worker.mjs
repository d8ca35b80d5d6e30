// A Worker that runs the smoke check per request; wrangler resolves `ticketwire` through its
// "workerd" condition and bundles the .wasm import as a compiled module.
import * as ticketwire from 'ticketwire';
import { smoke } from '../smoke.mjs';

export default {
  async fetch(request, env) {
    try {
      return Response.json({ passed: await smoke(ticketwire, env.SANDBOX_URL) });
    } catch (error) {
      return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
    }
  },
};
