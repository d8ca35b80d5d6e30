'use client';
import { useActionState } from 'react';
import { fileTicket } from './actions';

export default function ActionForm() {
  const [state, action, pending] = useActionState(fileTicket, null);
  return (
    <form id="action" action={action}>
      <input name="name" aria-label="action name" />
      <input name="email" aria-label="action email" />
      <textarea name="content" aria-label="action message" />
      <button type="submit" disabled={pending}>File from the server</button>
      <output id="action-outcome">
        {state?.ticketId ? `filed ${state.ticketId}` : state ? `${state.error}: ${state.violations.map((v) => v.path).join(' ')}` : ''}
      </output>
    </form>
  );
}
