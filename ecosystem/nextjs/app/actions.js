'use server';
// A Server Action: the server's own client, with the key (here the sandbox's), no relay.
import { MavaClient, TicketwireError } from 'ticketwire';

export async function fileTicket(previous, formData) {
  const mava = new MavaClient({ apiKey: process.env.MAVA_API_KEY, baseUrl: process.env.MAVA_BASE_URL });
  try {
    const { ticket } = await mava.createTicket({
      customer: { name: formData.get('name'), email: formData.get('email') },
      message: { content: formData.get('content') },
    });
    return { ticketId: ticket._id };
  } catch (error) {
    if (!(error instanceof TicketwireError)) throw error;
    return { error: error.kind, violations: error.violations ?? [] };
  }
}
