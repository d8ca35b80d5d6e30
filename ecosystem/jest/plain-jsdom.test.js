/**
 * @jest-environment jsdom
 */
// Plain jsdom, with no set-up: the package loads (no "Must use import", no "TextDecoder is not
// defined"), and what needs no network works; a call has no fetch to go through.
const { MavaClient, TicketwireError } = require('ticketwire');

test('plain jsdom: load, validate, prepare, a typed error', async () => {
  expect(typeof fetch).toBe('undefined'); // jsdom's own window: the reason for jest-fixed-jsdom
  expect(require.resolve('ticketwire')).toMatch(/\/node_modules\/ticketwire\/browser\.cjs$/);
  const mava = new MavaClient({ baseUrl: 'https://relay.example.com/mava' });
  expect(mava.validateCreateTicket({ customer: { email: 'jane@localhost' } })).toEqual([
    { path: '/customer/email', code: 'VALIDATION_ERROR', message: 'body/customer/email must match format "email"', rule: 'format', params: { format: 'email' } },
  ]);
  expect(mava.prepareCreateTicket({ customer: { email: 'jane@example.com' } })).toMatchObject({
    method: 'POST', url: 'https://relay.example.com/mava/api/ticket', body: '{"customer":{"email":"jane@example.com"}}',
  });
  const error = await mava.createTicket({ customer: {} }).catch((e) => e);
  expect(error).toBeInstanceOf(TicketwireError);
  expect(error.kind).toBe('validation');
  // A key in a page (jsdom is one) is refused unless the caller opts in.
  expect(() => new MavaClient({ apiKey: 'sandbox_mava_acme' })).toThrow(expect.objectContaining({ kind: 'config' }));
});
