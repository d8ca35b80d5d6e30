// Shared by the package tests: a fetch double that records every request and answers from a script.

export const SECRET = 'sk_live_node_secret_7331';
export const CUSTOMER_ID = '645abc1234567890abcdef12';

/**
 * A fetch that answers `status` with `body` (a string, or an object sent as JSON) and records
 * each call as { url, method, headers, body }.
 */
export function fetchDouble(status, body = '', headers = {}) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, method: init.method, headers: { ...init.headers }, body: init.body ?? null, init });
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return new Response(status === 204 ? null : text, { status, headers });
  };
  return { fetch, calls };
}

/** Awaits `promise` and returns what it rejected with (failing if it resolved). */
export async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Runs `fn` and returns what it threw (failing if it returned). */
export function thrown(fn) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
