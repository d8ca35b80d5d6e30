'use client';
// The visitor's form: the same compiled rules as the relay, on each keystroke; the ticket goes
// through the relay (this app's Route Handler, or its Edge twin with ?relay=edge), which holds
// the key. Rendered on the server too (prerendered by `next build`): the empty form's violation
// count in data-ssr-violations is the wasm at work in the SSR layer.
import { useEffect, useRef, useState } from 'react';
import { MavaClient, TicketwireError } from 'ticketwire';

const EMPTY = { name: '', email: '', content: '' };
const input = ({ name, email, content }) => ({ customer: { name, email }, message: { content } });
// Validation needs no baseUrl; a call does, and that is only ever made in the browser.
const rules = new MavaClient({ baseUrl: 'https://relay.invalid/mava' });
const SSR_VIOLATIONS = rules.validateCreateTicket(input(EMPTY)).length;

export default function TicketForm() {
  const [form, setForm] = useState(EMPTY);
  const [violations, setViolations] = useState([]);
  const [outcome, setOutcome] = useState('');
  const [hydrated, setHydrated] = useState(false);
  const client = useRef(null);
  useEffect(() => setHydrated(true), []);

  const change = (field) => (event) => {
    const next = { ...form, [field]: event.target.value };
    setForm(next);
    setViolations(rules.validateCreateTicket(input(next)));
  };
  const submit = async (event) => {
    event.preventDefault();
    const relay = new URLSearchParams(location.search).get('relay') === 'edge' ? '/edge/support' : '/api/support';
    client.current ??= new MavaClient({ baseUrl: new URL(`${relay}/mava`, location.origin).href, maxRetries: 0 });
    try {
      const { ticket } = await client.current.createTicket(input(form));
      setOutcome(`filed ${ticket._id}`);
    } catch (error) {
      setOutcome(error instanceof TicketwireError ? `${error.kind} ${error.status ?? ''} ${error.message}` : String(error));
    }
  };

  return (
    <form id="visitor" data-ssr-violations={SSR_VIOLATIONS} data-hydrated={hydrated} onSubmit={submit}>
      <input name="name" aria-label="name" value={form.name} onChange={change('name')} />
      <input name="email" aria-label="email" value={form.email} onChange={change('email')} />
      <textarea name="content" aria-label="message" value={form.content} onChange={change('content')} />
      <ul id="violations">
        {violations.map((v) => <li key={v.path}>{`${v.path}: ${v.message}`}</li>)}
      </ul>
      <button type="submit" disabled={violations.length > 0}>Send</button>
      <output id="visitor-outcome">{outcome}</output>
    </form>
  );
}
