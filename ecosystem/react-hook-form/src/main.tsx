// Two support forms validated by ticketwire's Standard Schema views, taken as is: one with
// react-hook-form's standardSchemaResolver, one with TanStack Form's form validator. Each shows
// the SDK's words at the field, and files a ticket in the sandbox named in `?sandbox=`.
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useForm } from 'react-hook-form';
import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { useForm as useTanStackForm } from '@tanstack/react-form';
import { MavaClient, type MavaCreateTicketInput } from 'ticketwire';

const sandbox = new URLSearchParams(location.search).get('sandbox') ?? '';
// A page would call through its relay; the sandbox stands in for Mava here, with its test key.
const client = new MavaClient({ baseUrl: `${sandbox}/mava`, apiKey: 'sandbox_mava_acme', dangerouslyAllowBrowser: true, maxRetries: 0 });

function HookForm() {
  const [filed, setFiled] = useState('');
  const { register, handleSubmit, formState: { errors } } = useForm({
    resolver: standardSchemaResolver(client.schemas.createTicket),
    defaultValues: { customer: { name: '', email: '' }, message: { content: '' } },
  });
  const send = handleSubmit(async (input: MavaCreateTicketInput) => {
    const { ticket } = await client.createTicket(input);
    setFiled(`Ticket ${ticket._id}`);
  });
  return (
    <form id="rhf" onSubmit={send} noValidate>
      <label>Name <input id="rhf-name" {...register('customer.name')} /></label>
      <label>Email <input id="rhf-email" type="email" aria-invalid={errors.customer?.email ? true : undefined} {...register('customer.email')} /></label>
      <p id="rhf-email-error" role="alert">{errors.customer?.email?.message}</p>
      <label>Message <textarea id="rhf-message" {...register('message.content')} /></label>
      <p id="rhf-message-error" role="alert">{errors.message?.content?.message}</p>
      <button id="rhf-send" type="submit">Send</button>
      <output id="rhf-filed">{filed}</output>
    </form>
  );
}

/** TanStack Form's errors, as text: a form validator's are Standard Schema issues. */
const errorText = (errors: unknown[]) =>
  errors.flat().map((e) => (typeof e === 'object' && e !== null && 'message' in e ? String(e.message) : String(e))).join(' ');

function TanStackForm() {
  const [filed, setFiled] = useState('');
  const initial: MavaCreateTicketInput = { customer: { email: '' }, message: { content: '' } };
  const form = useTanStackForm({
    defaultValues: initial,
    validators: { onSubmit: client.schemas.createTicket },
    onSubmit: async ({ value }) => {
      const { ticket } = await client.createTicket(value);
      setFiled(`Ticket ${ticket._id}`);
    },
  });
  return (
    <form id="tanstack" onSubmit={(event) => { event.preventDefault(); void form.handleSubmit(); }} noValidate>
      <form.Field name="customer.email">
        {(field) => (
          <>
            <label>Email <input id="tanstack-email" value={field.state.value ?? ''} onChange={(e) => field.handleChange(e.target.value)} /></label>
            <p id="tanstack-email-error" role="alert">{errorText(field.state.meta.errors)}</p>
          </>
        )}
      </form.Field>
      <form.Field name="message.content">
        {(field) => <label>Message <textarea id="tanstack-message" value={field.state.value ?? ''} onChange={(e) => field.handleChange(e.target.value)} /></label>}
      </form.Field>
      <button id="tanstack-send" type="submit">Send</button>
      <output id="tanstack-filed">{filed}</output>
    </form>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <HookForm />
    <TanStackForm />
  </StrictMode>,
);
