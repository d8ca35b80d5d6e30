// Typed use of the package as a consumer writes it. Compiled with --strict and no skipLibCheck
// in every resolution mode and lib (see run.mjs), as an ES module (.ts, .mts) and as CommonJS (.cts).
import { MavaClient, TicketwireError, type MavaCreateTicketResult, type MavaTicket, type MavaTicketIterator, type Violation } from 'ticketwire';

const mava = new MavaClient({ apiKey: 'sandbox_mava_acme', maxRetries: 1 });
const violations: Violation[] = mava.validateCreateTicket({ customer: { email: 'jane@example.com' } });
const url: string = mava.prepareCreateTicket({ customer: { email: 'jane@example.com' } }).url;

export async function create(): Promise<string> {
  try {
    const result: MavaCreateTicketResult = await mava.createTicket({ customer: { email: 'jane@example.com' } });
    return result.ticket._id;
  } catch (error) {
    if (error instanceof TicketwireError && error.kind === 'rate_limited') return String(error.retryAfterMs);
    throw error;
  }
}

export function pages(): AsyncIterableIterator<MavaTicket> {
  return mava.iterateTickets({ startDate: '2026-01-01', endDate: '2026-02-01' });
}
export type Next = MavaTicketIterator['next'];

// @ts-expect-error MavaTicketIterator is a type only: no entry exports it at run time.
export const iterator: unknown = MavaTicketIterator;
// @ts-expect-error priority is 1 | 2 | 3
mava.validateCreateTicket({ customer: { email: 'a@b.co' }, priority: 7 } satisfies Parameters<MavaClient['prepareCreateTicket']>[0]);
mava[Symbol.dispose](); // declared whatever `lib` says
console.log(violations.length, url);
