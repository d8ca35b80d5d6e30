// A Server Component page with the two forms a shop would have: the visitor's form (a Client
// Component that validates on each keystroke and files through the relay) and a form whose
// Server Action files with the key.
import ActionForm from './action-form';
import TicketForm from './ticket-form';

export default function Page() {
  return (
    <main>
      <h1>Support</h1>
      <TicketForm />
      <ActionForm />
    </main>
  );
}
