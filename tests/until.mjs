// What every browser scenario (www/scenario.mjs, the widget-csp row) waits with: `check()` until
// it gives a truthy value, polled every 100 ms; past `ms`, an error naming what never came.
export async function until(check, what, ms = 15_000) {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
