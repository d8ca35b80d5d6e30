// `ticketwire/slim` as a host that brings its own module writes it (checked by
// tests/node/server-entries.test.mjs): the whole package's surface, plus initSync and init.
import { HelpWaveClient, MavaClient, TicketwireError, createRelay, init, initSync } from 'ticketwire/slim';
import type { Relay, Violation } from 'ticketwire/slim';

declare const compiled: WebAssembly.Module;
declare const bytes: Uint8Array;

initSync(compiled);
initSync(bytes);
initSync(bytes.buffer);
await init(compiled);
await init(fetch('/ticketwire.wasm'));
await init(new URL('https://cdn.example/ticketwire.wasm'));
await init(Promise.resolve(bytes));
const done: Promise<void> = init(bytes);

const violations: Violation[] = new MavaClient().validateCreateTicket({ customer: { email: 'jane@example.com' } });
const relay: Relay = createRelay({ helpwave: { apiKey: 'sk_helpwave', baseUrl: 'https://helpwave.example' }, allowedOrigins: [], visitorLimit: false });
const isError: boolean = new Error() instanceof TicketwireError;
new HelpWaveClient({ baseUrl: 'https://helpwave.example' });

// @ts-expect-error init takes one source
await init();
// @ts-expect-error initSync returns nothing to wait for
await initSync(bytes).then(() => {});

export { done, violations, relay, isError };
