// Forms through the built package: each violation names the rule it broke and that rule's
// parameters (Ajv's keyword and params where Ajv has the keyword), and each operation with an
// input has a Standard Schema v1 view (`client.schemas.x`), as form libraries take it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HelpWaveClient, MavaClient, TickitiClient, createRelay } from 'ticketwire';
import { CUSTOMER_ID, thrown } from './helpers.mjs';

const mava = new MavaClient();
const helpwave = new HelpWaveClient({ baseUrl: 'https://hw.example' });
const tickiti = new TickitiClient({ baseUrl: 'https://tickiti.example' });
/** [path, rule, params] of each violation. */
const rules = (violations) => violations.map(({ path, rule, params }) => [path, rule, params]);

test('every rule kind names itself and its parameters, from the place the rule is written', () => {
  const cases = [
    // The field table's rules: Ajv's keywords and params.
    [mava.validateCreateTicket({ customerId: CUSTOMER_ID, silent: 'yes' }), [['/silent', 'type', { type: 'boolean' }]]],
    [mava.validateCreateTicket({ customerId: CUSTOMER_ID, emailSubjectLine: 'x'.repeat(999) }), [['/emailSubjectLine', 'maxLength', { limit: 998 }]]],
    [mava.validateCreateTicket({ customerId: CUSTOMER_ID, message: { content: 'hi', attachments: [{ url: 'https://s3.amazonaws.com/app.mava.x/a.png', fileName: '' }] } }),
      [['/message/attachments/0/fileName', 'minLength', { limit: 1 }]]],
    [mava.validateCreateTicket({ customerId: CUSTOMER_ID, priority: 4 }), [['/priority', 'enum', { allowedValues: [1, 2, 3] }]]],
    [mava.validateCreateTicket({ customerId: CUSTOMER_ID, status: 'Closed' }), [['/status', 'enum', { allowedValues: ['Open', 'Pending', 'Resolved', 'Waiting'] }]]],
    [mava.validateCreateTicket({ customerId: CUSTOMER_ID, tags: Array(21).fill(CUSTOMER_ID) }), [['/tags', 'maxItems', { limit: 20 }]]],
    [mava.validateCreateTicket({ customerId: 'nope' }), [['/customerId', 'pattern', { pattern: '^[0-9a-fA-F]{24}$' }]]],
    [mava.validateCreateTicket({ customer: { email: 'jane@localhost' } }), [['/customer/email', 'format', { format: 'email' }]]],
    [mava.validateCreateTicket({ customerId: CUSTOMER_ID, staus: 'Open' }), [['/staus', 'additionalProperties', { additionalProperty: 'staus' }]]],
    [mava.validateCreateTicket({ customerId: CUSTOMER_ID, message: { content: 'x', attachments: [{ fileName: 'a.png' }] } }),
      [['/message/attachments/0/url', 'required', { missingProperty: 'url' }]]],
    [mava.validateCreateTicket({ customerId: CUSTOMER_ID, message: { content: 'x', attachments: [{ url: 'https://s3.amazonaws.com/app.mava.x/a.png', fileName: 'a', fileSize: -1 }] } }),
      [['/message/attachments/0/fileSize', 'minimum', { comparison: '>=', limit: 0 }]]],
    [mava.validateListTickets({ startDate: '2026-01-01', endDate: '2026-02-01', limit: 101 }), [['/limit', 'maximum', { comparison: '<=', limit: 100 }]]],
    [mava.validateListTickets({ startDate: 'soon', endDate: '2026-02-01' }), [['/startDate', 'format', { format: 'date-or-date-time' }]]],
    [helpwave.validateCreateTicket({ customerId: 1, Channel: 'Mail', date: '2026-02-03' }), [['/date', 'format', { format: 'date-time' }]]],
    [helpwave.validateSendMessage({ ticketId: '1', text: ' \n' }), [['/text', 'notBlank', {}]]],
    [tickiti.validateCreateTicket({ originator_email_address: 'a@b.co', template_identifier: 't', data: { total: 10n } }), [['/data/total', 'jsonValue', {}]]],
    // The cross-field rules: each a rule of its own, named where it is written.
    [mava.validateCreateTicket({}), [['', 'exactlyOne', { properties: ['customerId', 'customer'] }]]],
    [mava.validateCreateTicket({ customerId: CUSTOMER_ID, customer: { email: 'a@b.co' } }), [['', 'exactlyOne', { properties: ['customerId', 'customer'] }]]],
    [mava.validateCreateTicket({ customer: { name: 'Jane' } }), [['/customer', 'anyRequired', { properties: ['email', 'walletAddress'] }]]],
    [mava.validateIdentify({ emailAddress: '' }), [['', 'anyNonEmpty', { properties: ['emailAddress', 'plaformUserId', 'mavaCustomerId'] }]]],
    [mava.validateUpdateTicket({ ticketId: 'T' }), [['', 'anyRequired', { properties: ['status', 'priority', 'categoryId', 'assignedTo'] }]]],
    [mava.validateListTickets({ startDate: '2026-02-01', endDate: '2026-01-01' }), [['/endDate', 'dateAfter', { property: 'startDate' }]]],
    [mava.validateListTickets({ startDate: '2024-01-01', endDate: '2026-01-01' }), [['/endDate', 'dateWithinYear', { property: 'startDate' }]]],
    [helpwave.validateIdentify({ full_name: 'Jane' }), [['', 'anyRequired', { properties: ['email', 'phone_number'] }]]],
    [tickiti.validateCreateTicket({ originator_email_address: 'a@b.co', template_identifier: 't', data: {}, uid: 'u' }),
      [['/uid', 'dependentRequired', { property: 'uid', missingProperty: 'intervention', depsCount: 1, deps: 'intervention' }]]],
    [tickiti.validateCreateTicket({ originator_email_address: 'a@b.co', template_identifier: 't', intervention: 'i', uid: 'u', data: {} }),
      [['', 'atMostOne', { properties: ['template_identifier', 'intervention'] }]]],
  ];
  for (const [violations, expected] of cases) assert.deepEqual(rules(violations), expected, JSON.stringify(violations));
});

test('a violation keeps its code and message beside its rule', () => {
  assert.deepEqual(mava.validateCreateTicket({ customerId: CUSTOMER_ID, staus: 'Open' }), [{
    path: '/staus', code: 'VALIDATION_ERROR', message: "body must NOT have additional properties 'staus'; did you mean 'status'?",
    rule: 'additionalProperties', params: { additionalProperty: 'staus' },
  }]);
  assert.deepEqual(mava.validateCreateTicket({}), [{
    path: '', code: 'INVALID_CUSTOMER_MODE', message: "body must have exactly one of 'customerId' or 'customer'",
    rule: 'exactlyOne', params: { properties: ['customerId', 'customer'] },
  }]);
});

test('options name their rules too', () => {
  const error = thrown(() => createRelay({ mava: { apiKey: 'sk_test_forms_1' }, allowedOrigins: ['https://shop.example'], visitorLimit: false, visitorShare: 0 }));
  assert.deepEqual(rules(error.violations), [['/visitorShare', 'exclusiveMinimum', { comparison: '>', limit: 0 }]]);
  const none = thrown(() => createRelay({ allowedOrigins: ['https://shop.example'], visitorLimit: false }));
  assert.deepEqual(rules(none.violations), [['', 'anyRequired', { properties: ['mava', 'helpwave', 'tickiti'] }]]);
  const idempotency = thrown(() => mava.prepareCreateTicket({ customerId: CUSTOMER_ID }, { idempotencyKey: 'k' }));
  assert.deepEqual(rules(idempotency.violations), [['/idempotencyKey', 'not', {}]]);
});

test('each client has a Standard Schema view of each operation that takes an input, made once', () => {
  assert.deepEqual(Object.keys(mava.schemas), ['createTicket', 'identify', 'sendMessage', 'updateTicket', 'listTickets']);
  assert.deepEqual(Object.keys(helpwave.schemas), ['createTicket', 'identify', 'sendMessage']);
  assert.deepEqual(Object.keys(tickiti.schemas), ['createTicket', 'createTicketUnified', 'sendMessage']);
  assert.equal(mava.schemas, mava.schemas, 'the same object each time (a stable resolver for a form)');
  assert.notEqual(new MavaClient().schemas, mava.schemas, 'each client its own, with its own settings');
  const props = mava.schemas.createTicket['~standard'];
  assert.deepEqual([props.version, props.vendor, typeof props.validate], [1, 'ticketwire', 'function']);
});

test('validate answers { value } (the input itself) or every issue: the words, the path as keys, the rule', () => {
  const { validate } = mava.schemas.createTicket['~standard']; // a form library may call it detached
  const good = { customer: { email: 'jane@example.com', name: '' }, message: { content: 'hi' } };
  const ok = validate(good);
  assert.deepEqual(Object.keys(ok), ['value']);
  assert.equal(ok.value, good);
  const bad = { customer: { email: 'jane' }, message: { content: 'hi', attachments: [{ url: 'https://s3.amazonaws.com/app.mava.x/a.png', fileName: '' }] }, 'a/b~c': 1 };
  assert.deepEqual(validate(bad), {
    issues: [
      { message: 'must match format "email"', path: ['customer', 'email'], code: 'VALIDATION_ERROR', rule: 'format', params: { format: 'email' } },
      {
        message: 'must NOT have fewer than 1 characters', path: ['message', 'attachments', 0, 'fileName'], code: 'VALIDATION_ERROR',
        rule: 'minLength', params: { limit: 1 },
      },
      {
        message: "must NOT have additional properties 'a/b~c'", path: ['a/b~c'], code: 'VALIDATION_ERROR',
        rule: 'additionalProperties', params: { additionalProperty: 'a/b~c' },
      },
    ],
  });
  // Ajv names a missing property on its parent; the issue points at the field itself.
  assert.deepEqual(validate({ customerId: CUSTOMER_ID, message: { content: 'x', attachments: [{ fileName: 'a' }] } }).issues, [{
    message: "must have required property 'url'", path: ['message', 'attachments', 0, 'url'], code: 'VALIDATION_ERROR',
    rule: 'required', params: { missingProperty: 'url' },
  }]);
  assert.deepEqual(validate({}).issues.map((i) => [i.path, i.code]), [[[], 'INVALID_CUSTOMER_MODE']]);
});

test('a schema validates with its client\'s settings, and never throws', () => {
  const input = { customerId: CUSTOMER_ID, message: { content: 'x', attachments: [{ url: 'https://acme-files.s3.amazonaws.com/a.png', fileName: 'a.png' }] } };
  assert.deepEqual(mava.schemas.createTicket['~standard'].validate(input).issues.map((i) => i.params), [{ format: 'mava-attachment-url' }]);
  assert.equal(new MavaClient({ attachmentBucketPrefix: 'acme-' }).schemas.createTicket['~standard'].validate(input).value, input);
  const hostile = new Proxy({}, { ownKeys() { throw new Error('boom'); } });
  for (const value of [undefined, null, 5, 'x', [], hostile]) {
    const { issues } = tickiti.schemas.createTicketUnified['~standard'].validate(value);
    assert.ok(issues.length > 0 && issues.every((i) => typeof i.message === 'string' && Array.isArray(i.path)), String(value));
  }
});
