// `ticketwire/widget`: <ticketwire-widget relay="/support" provider="helpwave">, a support form
// that checks every field as the visitor types (the SDK's validateX, the same compiled rules
// the relay runs), sends through the relay (no key in the page), and then shows the
// conversation: for Mava and HelpWave the business's answers arrive in it as they are written
// (`client.conversation`, CONTRACT §7.3), for Tickiti they come by email. In a shadow root, so
// the host page's CSS cannot reach it; built with `document.createElement` and styled by a
// constructable stylesheet, so it runs under `style-src 'self'` and Trusted Types (no HTML is
// parsed from text, no inline style). It loads the SDK from beside itself (./lite.mjs, the
// visitor's build: its wasm in ./lite/), so it works from any path; where there is no `customElements` (a server
// rendering a page that imports it) it does nothing.
import css from './widget.css'; // inlined as text by the package build (scripts/build-widget.mjs)

const TAG = 'ticketwire-widget';
/** The SDK, loading from the moment a browser imports this module; the widget renders once it is ready. */
const loading = globalThis.customElements ? import('./lite.mjs') : null;
/** The SDK once loaded: `{ MavaClient, HelpWaveClient, TickitiClient, TicketwireError }`. */
let sdk;
/** The widget's styles, one sheet adopted by every widget of the page. */
let sheet;

/** Each provider's form: its fields, where each field sits in the SDK's input, and how it sends. */
const PROVIDERS = {
  mava: {
    title: 'Contact support',
    client: (baseUrl) => new sdk.MavaClient({ baseUrl }),
    fields: [
      { name: 'name', label: 'Your name', autocomplete: 'name', pointers: ['/customer/name'] },
      { name: 'email', label: 'Email', type: 'email', autocomplete: 'email', pointers: ['/customer/email', '/customer'] },
      { name: 'message', label: 'How can we help?', multiline: true, pointers: ['/message/content', '/message'] },
    ],
    violations: (client, v) => [...client.validateCreateTicket(mavaInput(v)), ...needsMessage(v, '/message/content')],
    async send(client, v) {
      const { ticket, capability } = await client.createTicket(mavaInput(v));
      return { ticketId: ticket._id, capability, email: v.email, thread: [{ from: 'you', text: v.message }] };
    },
    // Answers arrive through the relay's conversation; Mava's sendMessage speaks as the
    // business, so the visitor adds to the ticket by answering the email.
    conversation: true,
    howToAnswer: 'To add to your message, reply to the email we send you.',
  },
  helpwave: {
    title: 'Message the shop',
    client: (baseUrl) => new sdk.HelpWaveClient({ baseUrl }),
    fields: [
      { name: 'name', label: 'Your name', autocomplete: 'name', pointers: ['identify:/full_name'] },
      { name: 'email', label: 'Email', type: 'email', autocomplete: 'email', pointers: ['identify:/email', 'identify:'] },
      { name: 'message', label: 'Your message', multiline: true, pointers: ['ticket:/lastMessage'] },
    ],
    violations: (client, v) => [
      ...client.validateIdentify(helpwaveCustomer(v)).map((x) => ({ ...x, path: `identify:${x.path}` })),
      ...client.validateCreateTicket(helpwaveTicket(v, '1')).map((x) => ({ ...x, path: `ticket:${x.path}` })),
      ...needsMessage(v, 'ticket:/lastMessage'),
    ],
    async send(client, v) {
      // The relay names a customer only to whoever holds its capability (from identify).
      const identified = await client.identify(helpwaveCustomer(v));
      const { ticket, capability } = await client.createTicket(helpwaveTicket(v, String(identified.customer.id)), {
        capability: identified.capability,
      });
      return { ticketId: ticket.id, capability, email: v.email, thread: [{ from: 'you', text: v.message }], followUps: true };
    },
    // Answers arrive through the conversation; its comments show them too (on each visit).
    conversation: true,
    answersInComments: true,
  },
  tickiti: {
    title: 'Open a support ticket',
    client: (baseUrl) => new sdk.TickitiClient({ baseUrl }),
    fields: [
      { name: 'email', label: 'Email', type: 'email', autocomplete: 'email', pointers: ['/originator_email_address'] },
      { name: 'subject', label: 'Subject', pointers: ['/subject'] },
      { name: 'message', label: 'What happened?', multiline: true, pointers: ['/content'] },
    ],
    violations: (client, v) => client.validateCreateTicketUnified(tickitiInput(v)),
    async send(client, v) {
      const created = await client.createTicketUnified(tickitiInput(v));
      return { ticketId: String(created.ticket_number), capability: created.capability, email: v.email, thread: [{ from: 'you', text: v.message }] };
    },
    // Tickiti has no call a visitor could read an answer with (CONTRACT §7): no conversation.
  },
};

const blank = (text) => (text.trim() === '' ? undefined : text);
// The APIs take a ticket without a message; a support form does not.
const needsMessage = (v, path) => (v.message.trim() ? [] : [{ path, code: 'VALIDATION_ERROR', message: 'must NOT be blank', rule: 'notBlank', params: {} }]);
const mavaInput = (v) => ({ customer: { name: blank(v.name), email: v.email }, message: { content: v.message } });
const helpwaveCustomer = (v) => ({ email: v.email, full_name: blank(v.name) });
const helpwaveTicket = (v, customerId) => ({ customerId, Channel: 'Website', name: blank(v.name), lastMessage: v.message });
const tickitiInput = (v) => ({ originator_email_address: v.email, subject: blank(v.subject ?? ''), content: v.message });

/** Where the answer will come, in one sentence: here only where the widget can show it. */
function whereTheAnswerComes({ ticketId, email }, here) {
  if (here) return `Ticket ${ticketId}: we will answer here.`;
  return `Ticket ${ticketId}: we will answer by email to ${email ?? 'the address you gave'}.`;
}

/** What the relay's refusals and the failures mean to a visitor, in one sentence each. */
function sentence(error) {
  if (!isTicketwireError(error)) return 'Something went wrong. Please try again.';
  const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 30_000) / 1000));
  const byCode = {
    ORIGIN_NOT_ALLOWED: 'This site is not set up to reach support. Please contact us another way.',
    NOT_FOUND: 'Support is not available from this page right now.',
    CAPABILITY_REQUIRED: 'This conversation is not yours, or it has expired. Please start a new one.',
    FIELD_NOT_ALLOWED: 'That message could not be sent from this page.',
    IDENTITY_NOT_VERIFIED: 'We could not confirm who you are. Please sign in again.',
    BODY_TOO_LARGE: 'Your message is too long. Please shorten it.',
    UPSTREAM_TIMEOUT: 'Support did not answer in time. Your message may have arrived: please wait a moment before sending it again.',
    UPSTREAM_UNREACHABLE: 'Support could not be reached. Your message may have arrived: please wait a moment before sending it again.',
  };
  if (error.kind === 'rate_limited' || error.code === 'RATE_LIMITED') return `Too many messages right now. Please try again in ${seconds} s.`;
  if (error.kind === 'network') return 'You seem to be offline.';
  if (error.kind === 'timeout') return byCode.UPSTREAM_TIMEOUT;
  return byCode[error.code] ?? 'Support could not take your message. Please try again later.';
}

const isTicketwireError = (error) => error instanceof sdk.TicketwireError;

/** An element: its tag, its attributes (`true` for a boolean one, `text` for its text), its children. */
function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'text') element.textContent = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}

/** The two buttons under a form: send, and try again (after a network failure). */
const actions = () => h('div', { class: 'actions' },
  h('button', { type: 'submit', text: 'Send' }),
  h('button', { type: 'button', class: 'retry', hidden: true, text: 'Try again' }));

/** What the widget shows for `provider`: its form, and the conversation view (hidden). */
const view = (provider) => h('section', { class: 'widget', 'aria-labelledby': 'title' },
  h('h2', { id: 'title', tabindex: '-1', text: provider.title }),
  h('form', { novalidate: true },
    ...provider.fields.map((f) => h('div', { class: 'field' },
      h('label', { for: f.name, text: f.label }),
      f.multiline
        ? h('textarea', { id: f.name, name: f.name, rows: '4' })
        : h('input', { id: f.name, name: f.name, type: f.type ?? 'text', autocomplete: f.autocomplete ?? 'off' }),
      h('p', { class: 'error', id: `${f.name}-error`, hidden: true }))),
    h('p', { class: 'status', role: 'status', 'aria-live': 'polite' }),
    actions()),
  h('div', { class: 'conversation', hidden: true },
    h('p', { class: 'ticket' }),
    h('p', { class: 'how-to-answer', hidden: true }),
    h('p', { class: 'unread-count', hidden: true }),
    h('ol', { class: 'thread', 'aria-label': 'Conversation' }),
    h('p', { class: 'live-status', role: 'status' }),
    h('p', { class: 'announce visually-hidden', 'aria-live': 'polite' }),
    h('form', { class: 'follow-up', novalidate: true, hidden: true },
      h('label', { for: 'follow-up', text: 'Add a message' }),
      h('textarea', { id: 'follow-up', name: 'follow-up', rows: '3' }),
      h('p', { class: 'error', id: 'follow-up-error', hidden: true }),
      h('p', { class: 'status', role: 'status', 'aria-live': 'polite' }),
      actions()),
    h('button', { type: 'button', class: 'restart', text: 'Start a new conversation' })));

/** The base class: `HTMLElement` in a browser, a stand-in where there is none (a server). */
const Base = globalThis.HTMLElement ?? class {};

/** `<ticketwire-widget relay provider>`: the support form, then the conversation. */
export class TicketwireWidget extends Base {
  static observedAttributes = ['relay', 'provider'];
  #root = this.attachShadow({ mode: 'open' });
  #provider;
  #client;
  #touched = new Set();
  #conversation = null;
  /** HelpWave's comments as last listed (the visitor's follow-ups, and replies). */
  #comments = [];
  /** Ids of replies that arrived since the visitor last looked. */
  #unread = new Set();
  /** Stops following the conversation. */
  #following = null;
  /** False once the relay has said it serves no conversations (404). */
  #relayHasConversations = true;
  #listening = false;
  /** Counts starts: one that finds a later one begun gives way to it. */
  #starts = 0;

  constructor() {
    super();
    // A property set before this element was defined (by a framework) goes through its setter.
    for (const name of ['relay', 'provider']) {
      if (!Object.hasOwn(this, name)) continue;
      const value = this[name];
      delete this[name];
      this[name] = value;
    }
  }

  /** The relay's URL: absolute (`https://relay.shop.example`), or a path on this site (`/support`). */
  get relay() {
    return this.getAttribute('relay') ?? '';
  }

  set relay(value) {
    this.setAttribute('relay', value);
  }

  /** Which helpdesk: `mava`, `helpwave` (the default) or `tickiti`. */
  get provider() {
    return this.getAttribute('provider') ?? 'helpwave';
  }

  set provider(value) {
    this.setAttribute('provider', value);
  }

  connectedCallback() {
    this.#start();
  }

  attributeChangedCallback(name, before, now) {
    // Another relay or provider once shown: that one's form, or its saved conversation.
    if (before === now || !this.#provider) return;
    this.#stopFollowing();
    this.#forget();
    this.#relayHasConversations = true;
    this.#start();
  }

  /** Shows the form (or resumes the saved conversation) once the SDK is ready. */
  async #start() {
    const start = ++this.#starts;
    sdk ??= await loading;
    if (start !== this.#starts || !this.isConnected) return;
    const name = this.provider;
    this.#provider = PROVIDERS[name];
    if (!this.#provider) throw new Error(`${TAG}: provider must be one of ${Object.keys(PROVIDERS).join(', ')}`);
    const relay = this.relay.replace(/\/$/, '');
    if (!relay) throw new Error(`${TAG}: relay must be your relay's URL, or a path on this site such as /support`);
    // A path (`/support/helpwave`) is on the page's origin: the SDK resolves it.
    this.#client = this.#provider.client(`${relay}/${name}`);
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
    }
    this.#root.adoptedStyleSheets = [sheet];
    this.#root.replaceChildren(view(this.#provider));
    const form = this.#root.querySelector('form');
    form.addEventListener('input', (event) => {
      this.#touched.add(event.target.name);
      this.#showViolations(false);
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#submit();
    });
    form.querySelector('.retry').addEventListener('click', () => this.#submit());
    const followUp = this.#root.querySelector('.follow-up');
    followUp.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#followUp();
    });
    followUp.querySelector('.retry').addEventListener('click', () => this.#followUp());
    this.#root.querySelector('.restart').addEventListener('click', () => this.#restart());
    // A reply is read once the visitor is in the widget again.
    if (!this.#listening) {
      for (const kind of ['focusin', 'pointerdown', 'keydown']) this.#root.addEventListener(kind, () => this.#markRead());
      this.#listening = true;
    }
    this.#resume();
  }

  disconnectedCallback() {
    this.#stopFollowing();
  }

  get #storageKey() {
    return `ticketwire:${this.provider}:${this.getAttribute('relay') ?? ''}`;
  }

  #values() {
    const form = this.#root.querySelector('form');
    return Object.fromEntries(this.#provider.fields.map((f) => [f.name, form.elements[f.name].value]));
  }

  /** Every violation at its field (JSON Pointer → field); only touched fields unless `all`. */
  #showViolations(all) {
    const violations = this.#provider.violations(this.#client, this.#values());
    let first = null;
    for (const field of this.#provider.fields) {
      const element = this.#root.getElementById(field.name);
      const error = this.#root.getElementById(`${field.name}-error`);
      const mine = violations.filter((v) => field.pointers.some((p) => v.path === p || v.path.startsWith(`${p}/`)));
      const show = mine.length > 0 && (all || this.#touched.has(field.name));
      error.hidden = !show;
      error.textContent = show ? readable(mine[0]) : '';
      if (show) {
        element.setAttribute('aria-invalid', 'true');
        element.setAttribute('aria-describedby', error.id);
        first ??= element;
      } else {
        element.removeAttribute('aria-invalid');
        element.removeAttribute('aria-describedby');
      }
    }
    return { valid: violations.length === 0, first };
  }

  async #submit() {
    const form = this.#root.querySelector('form');
    const { valid, first } = this.#showViolations(true);
    if (!valid) {
      (first ?? form.elements[0]).focus(); // nothing is sent while the form is invalid
      return;
    }
    await this.#attempt(form, async () => {
      const conversation = await this.#provider.send(this.#client, this.#values());
      this.#conversation = conversation;
      this.#save();
      await this.#showConversation();
    });
  }

  async #followUp() {
    const form = this.#root.querySelector('.follow-up');
    const text = form.elements['follow-up'];
    const { ticketId, capability } = this.#conversation;
    const violations = this.#client.validateSendMessage({ ticketId, text: text.value });
    const error = this.#root.getElementById('follow-up-error');
    error.hidden = violations.length === 0;
    error.textContent = violations.length ? readable(violations[0]) : '';
    if (violations.length) {
      text.setAttribute('aria-invalid', 'true');
      text.setAttribute('aria-describedby', error.id);
      text.focus();
      return;
    }
    text.removeAttribute('aria-invalid');
    await this.#attempt(form, async () => {
      await this.#client.sendMessage({ ticketId, text: text.value }, { capability });
      text.value = '';
      await this.#showConversation();
    });
  }

  /** Runs one send with the form disabled, and says in a sentence what went wrong. */
  async #attempt(form, send) {
    const status = form.querySelector('.status');
    const retry = form.querySelector('.retry');
    const controls = [...form.querySelectorAll('input, textarea, button')];
    controls.forEach((c) => { c.disabled = true; });
    status.textContent = 'Sending…';
    retry.hidden = true;
    try {
      await send();
      status.textContent = '';
    } catch (error) {
      status.textContent = sentence(error);
      retry.hidden = !(isTicketwireError(error) && error.kind === 'network');
    } finally {
      controls.forEach((c) => { c.disabled = false; });
    }
  }

  /** Keeps `{ ticketId, capability, cursor }` (and the thread) for this tab: a reload resumes. */
  #save() {
    sessionStorage.setItem(this.#storageKey, JSON.stringify(this.#conversation));
  }

  async #resume() {
    const saved = sessionStorage.getItem(this.#storageKey);
    if (!saved) return;
    this.#conversation = JSON.parse(saved);
    await this.#showConversation();
  }

  async #showConversation() {
    const { ticketId, capability, followUps } = this.#conversation;
    this.#root.querySelector('form').hidden = true;
    const view = this.#root.querySelector('.conversation');
    view.hidden = false;
    this.#showWhere();
    this.#render();
    if (followUps) {
      const followUp = this.#root.querySelector('.follow-up');
      followUp.hidden = false;
      try {
        ({ comments: this.#comments } = await this.#client.listComments(ticketId, { capability }));
        this.#render();
      } catch (error) {
        followUp.querySelector('.status').textContent = sentence(error);
      }
    }
    this.#root.getElementById('title').focus();
    if (this.#canFollow && !this.#following) this.#follow();
  }

  /** Whether the business's answers arrive through the relay's conversation. */
  get #canFollow() {
    return Boolean(this.#provider.conversation && this.#conversation?.capability && this.#relayHasConversations);
  }

  /** Says where the answer comes, and how the visitor adds to the ticket. */
  #showWhere() {
    const view = this.#root.querySelector('.conversation');
    const here = Boolean(this.#provider.answersInComments) || this.#canFollow;
    view.querySelector('.ticket').textContent = whereTheAnswerComes(this.#conversation, here);
    const how = view.querySelector('.how-to-answer');
    how.hidden = !this.#provider.howToAnswer;
    how.textContent = this.#provider.howToAnswer ?? '';
  }

  /**
   * The thread: what the visitor wrote here, HelpWave's comments, then the replies that came
   * through the conversation (those not among the comments already).
   */
  #render() {
    const { thread } = this.#conversation;
    const listed = new Set(this.#comments.map((c) => c.id ?? c._id).filter((id) => id != null).map(String));
    const messages = [
      ...thread.filter((m) => m.id === undefined),
      ...this.#comments.map((c) => ({ id: c.id == null ? undefined : String(c.id), from: c.isFromShop ? 'shop' : 'you', text: c.text })),
      ...thread.filter((m) => m.id !== undefined && !listed.has(m.id)),
    ];
    this.#root.querySelector('.thread').replaceChildren(...messages.map(({ id, from, text }) => {
      const item = document.createElement('li');
      item.className = from;
      if (id !== undefined && this.#unread.has(id)) item.classList.add('unread');
      item.textContent = text;
      return item;
    }));
    const unread = this.#root.querySelector('.unread-count');
    unread.hidden = this.#unread.size === 0;
    unread.textContent = this.#unread.size === 1 ? '1 new reply' : `${this.#unread.size} new replies`;
  }

  /**
   * Follows the conversation through the relay: each reply from the business is added to the
   * thread, marked unread and announced. A relay without conversations (404) ends it quietly.
   */
  async #follow() {
    const conversation = this.#conversation;
    const controller = new AbortController();
    this.#following = controller;
    const status = this.#root.querySelector('.live-status');
    try {
      const replies = this.#client.conversation(conversation.ticketId, {
        capability: conversation.capability, after: conversation.cursor, signal: controller.signal,
      });
      for await (const { messages, cursor } of replies) {
        const known = new Set(conversation.thread.map((m) => m.id));
        const fresh = messages.filter((m) => m.from === 'agent' && !known.has(m.id));
        conversation.thread.push(...fresh.map((m) => ({ id: m.id, from: 'shop', text: m.text })));
        conversation.cursor = cursor;
        this.#save();
        if (fresh.length === 0) continue;
        for (const m of fresh) this.#unread.add(m.id);
        this.#render();
        const last = fresh[fresh.length - 1];
        this.#root.querySelector('.announce').textContent = fresh.length === 1
          ? `New reply from support: ${last.text}`
          : `${fresh.length} new replies from support. The last one: ${last.text}`;
      }
    } catch (error) {
      if (this.#conversation !== conversation) return; // a new conversation started meanwhile
      if (isTicketwireError(error) && error.status === 404) {
        // This relay serves no conversations: quietly say where the answer comes instead.
        this.#relayHasConversations = false;
        this.#showWhere();
      } else if (isTicketwireError(error) && error.code === 'CAPABILITY_REQUIRED') {
        status.textContent = sentence(error);
      } else {
        status.textContent = 'Replies cannot be shown here right now: we will also answer by email.';
      }
    } finally {
      if (this.#following === controller) this.#following = null;
    }
  }

  #stopFollowing() {
    this.#following?.abort();
    this.#following = null;
  }

  #markRead() {
    if (this.#unread.size === 0) return;
    this.#unread.clear();
    this.#render();
  }

  #restart() {
    this.#stopFollowing();
    sessionStorage.removeItem(this.#storageKey);
    this.#forget();
    this.#start();
  }

  /** Forgets the conversation shown (what is saved stays). */
  #forget() {
    this.#conversation = null;
    this.#comments = [];
    this.#unread.clear();
    this.#touched.clear();
  }
}

/** A violation as a visitor reads it: words for the rule it broke and its parameters (never the
 * SDK's sentence, which is for developers). */
function readable({ rule, params }) {
  switch (rule) {
    case 'required': case 'anyRequired': case 'anyNonEmpty': case 'notBlank':
      return 'Please fill this in.';
    case 'minLength':
      return params.limit <= 1 ? 'Please fill this in.' : `Please use at least ${params.limit} characters.`;
    case 'maxLength':
      return `Please keep it to ${params.limit} characters or fewer.`;
    case 'format':
      return params.format === 'email' ? 'Please enter a valid email address.' : 'Please check the format.';
    case 'pattern':
      return 'Please check the format.';
    case 'enum':
      return 'Please choose one of the options.';
    default:
      return 'Please check this field.';
  }
}

if (globalThis.customElements && !customElements.get(TAG)) customElements.define(TAG, TicketwireWidget);
