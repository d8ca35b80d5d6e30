// The business answers a ticket of the running demo (bash scripts/demo.sh), as its agent would:
//
//   node www/reply.mjs [--internal] [TICKET_ID] "text"
//
// Without a ticket id, the latest Mava ticket. A Mava ticket (24 hex digits) is answered in the
// sandbox's Mava dashboard (POST /_sandbox/mava/tickets/{id}/messages: its webhook reaches the
// relay, and the widget shows the reply within a second); `--internal` writes an internal note,
// which the visitor never sees. A HelpWave ticket (digits) is answered through HelpWave's API as
// the shop (a comment with isFromShop: true), which the relay pulls within 5 s. The sandbox is
// the demo's (target/www/demo.json), or SANDBOX_URL.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HelpWaveClient, MavaClient } from 'ticketwire';
import { KEYS } from '../tests/e2e/sandbox.mjs';

const STATE = fileURLToPath(new URL('../target/www/demo.json', import.meta.url));

/** The latest Mava ticket's id in the sandbox at `sandbox`, or null when there is none. */
export async function latestMavaTicket(sandbox) {
  const mava = new MavaClient({ apiKey: KEYS.mava, baseUrl: `${sandbox}/mava` });
  const day = 86_400_000;
  const { tickets } = await mava.listTickets({
    startDate: new Date(Date.now() - 300 * day).toISOString(),
    endDate: new Date(Date.now() + day).toISOString(),
    sortBy: 'createdAt',
    sortOrder: 'desc',
    limit: 1,
  });
  return tickets[0]?._id ?? null;
}

/**
 * Answers `ticketId` (Mava: 24 hex digits; HelpWave: digits) with `text`; `internal` (Mava only)
 * makes it an internal note. Resolves to the sandbox's or HelpWave's answer.
 */
export async function reply(sandbox, ticketId, text, { internal = false } = {}) {
  if (/^[0-9a-f]{24}$/.test(ticketId)) {
    const response = await fetch(`${sandbox}/_sandbox/mava/tickets/${ticketId}/messages`, {
      method: 'POST', body: JSON.stringify({ content: text, internal }),
    });
    const answer = await response.json();
    if (response.status !== 201) throw new Error(`the sandbox answered ${response.status}: ${answer.error}`);
    return answer.message;
  }
  if (/^[0-9]+$/.test(ticketId)) {
    if (internal) throw new Error('HelpWave has no internal notes: leave out --internal');
    const helpwave = new HelpWaveClient({ apiKey: KEYS.helpwave, baseUrl: `${sandbox}/helpwave` });
    return helpwave.sendMessage({ ticketId, text, isFromShop: true });
  }
  throw new Error(`${ticketId} is neither a Mava ticket id (24 hex digits) nor a HelpWave one (digits)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const internal = args.includes('--internal');
  const rest = args.filter((a) => a !== '--internal');
  const [ticketArg, text] = rest.length === 2 ? rest : [null, rest[0]];
  if (!text || rest.length > 2) {
    console.error('usage: node www/reply.mjs [--internal] [TICKET_ID] "text"   (no id: the latest Mava ticket)');
    process.exit(2);
  }
  let sandbox = process.env.SANDBOX_URL;
  try {
    sandbox ??= JSON.parse(readFileSync(STATE, 'utf8')).sandbox;
  } catch {
    console.error('No demo is running (start it with: bash scripts/demo.sh), and SANDBOX_URL is not set.');
    process.exit(1);
  }
  try {
    const ticketId = ticketArg ?? await latestMavaTicket(sandbox);
    if (!ticketId) throw new Error('there is no Mava ticket yet: send one from the widget (?provider=mava) first');
    await reply(sandbox, ticketId, text, { internal });
    console.log(`${internal ? 'An internal note' : 'A reply'} on ticket ${ticketId}: ${JSON.stringify(text)}`);
  } catch (error) {
    console.error(`Not sent: ${error.message}`);
    process.exit(1);
  }
}
