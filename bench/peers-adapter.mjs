// ticketwire as a peer of ../shared/bench/peers (its README's five-line adapter): the same Mava
// create-ticket cases, validated and prepared through the built package.
import { MavaClient } from 'ticketwire';

const client = new MavaClient({ apiKey: 'bench-api-key' });
export const name = 'ticketwire';
export function validate(input) {
  const errors = client.validateCreateTicket(input);
  return { ok: errors.length === 0, errors };
}
export const prepare = (input) => client.prepareCreateTicket(input);
