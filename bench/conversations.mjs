// Live conversations at scale (issue 22): "1,000 visitors waiting on 1,000 tickets through one
// relay in workerd: every reply delivered once; the benchmark prints delivery latency p50/p99
// and the relay's CPU per delivered message."
//
// One relay Worker in workerd (bench/conversations/worker.mjs: `conversations:
// durableObjectConversations(env.TICKETWIRE_CONVERSATIONS)` and `mava.webhookSigningKey`), one
// TicketwireConversationObject per ticket. No Mava and no sandbox: the tickets' capabilities are
// minted here exactly as the relay mints them (src/relay/capability.rs), and Mava's webhooks are
// sealed here exactly as Mava seals them (CONTRACT §7.1: RSA-OAEP SHA-1, HMAC-SHA256, AES-CBC),
// to a key pair made for the run. Creating 1,000 tickets through the relay would take minutes at
// Mava's pace (90 per 30 s) and measure nothing of the conversations.
//
// Sockets (the default): each visitor (its own address, the page's origin) reads its ticket once
// (GET …/mava/conversations/{id}: the relay verifies the capability and hands it to the ticket's
// object; the backlog, and `x-ticketwire-socket: offered`), then opens the WebSocket at the same
// URL and sends `{ capability, after }`; it is open once the object answered. The visitors then
// wait 22 s: each object's 10 s first-message timer runs, and 10 s after that workerd evicts the
// idle object (its sockets hibernate), as happens to a visitor waiting minutes for an agent. Then
// one agent's reply per ticket, a `message.created` webhook POSTed to {relay}/mava/webhooks at a
// steady rate (100/s: each wakes an evicted object, which reads its thread back from storage),
// then a second reply per ticket all at once (a burst). Every 10th delivery is sent
// twice at once (the very same envelope) and every 10th (offset 5) again 300 ms later sealed anew
// (another AES key and IV), both with the same webhookId, as Mava retries. Long polls (`polls`),
// for comparison: fresh tickets and visitors, no sockets; each reads once, then holds
// `GET …?after={cursor}&wait=25` and reads again after each answer; the same webhooks.
//
// A reply's latency runs from the moment its webhook's POST is sent to the moment its visitor
// holds it (a frame, a poll's answer), both in this process. Every reply must reach its own
// ticket's visitor exactly once and no other visitor: "shown twice" counts second copies at a
// visitor, "elsewhere" replies at a visitor not their ticket's.
//
// CPU is workerd's, from outside (bench/workerd-cpu.mjs, as bench/relay-cpu.mjs): the growth of
// its main thread's run time over each phase. That thread runs the relay's isolate and the
// conversation objects (in the same isolate), Web Crypto included (RSA-OAEP decryption of each
// webhook's key, about 0.4 ms of it), the objects' local storage (SQLite), and workerd's own HTTP
// and WebSocket work: an upper bound on what Workers would bill. "per
// msg" divides it by the replies delivered, though every webhook POST of the phase (duplicates
// included) is in it. "waited" is how long that thread was ready to run but had no core (the
// second schedstat field): on a machine shared with other work, that, not the relay, is what the
// latencies show. workerd runs on one thread and closes a keep-alive connection idle for 5 s;
// once that thread falls seconds behind (a burst, a busy machine), it also resets some
// connections with a request it had not read yet (seen as ECONNRESET / "other side closed";
// BENCH_DEBUG=1 shows the accept queue and workerd's lag meanwhile). So a webhook whose POST fails
// is sent again, as Mava does (up to 3 times, same envelope), and a visitor reads again; both are
// counted and printed. Requests go to the relay Worker's own socket (no Miniflare entry Worker).
//
// Needs about 2 file descriptors per visitor, in this process and in workerd: at `ulimit -n 1024`
// workerd dies ("Fatal uncaught kj::Exception: overloaded: accept: Too many open files") near the
// 1,000th socket. scripts/bench.sh raises the limit to the hard one; the script refuses to start
// below what it needs.
//
// Run: bash scripts/bench.sh, or after a build:
//   node bench/conversations.mjs [visitors=1000] [webhooks per second=100] [sockets|polls|both]
// (sockets about 50 s, polls about 55 s, on 2 cores not busy with other work; BENCH_DEBUG=1
// prints workerd's log, every failed POST, and twice a second how long workerd takes to answer a
// fresh connection and its accept queue).
import { constants, createCipheriv, createHmac, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Log, LogLevel } from 'miniflare';
import { Agent, WebSocket, fetch } from 'undici';
import { bundle, start, worker } from '../tests/workerd/workerd.mjs';
import { workerdCpu, workerdPid } from './workerd-cpu.mjs';

const VISITORS = Number(process.argv[2] ?? 1000);
const RATE = Number(process.argv[3] ?? 100); // webhooks per second in the steady phase
const MODES = { sockets: ['sockets'], polls: ['polls'], both: ['sockets', 'polls'] }[process.argv[4] ?? 'sockets'];
if (!MODES || !(VISITORS > 0) || !(RATE > 0)) throw new Error('usage: node bench/conversations.mjs [visitors] [webhooks per second] [sockets|polls|both]');
const DEBUG = Boolean(process.env.BENCH_DEBUG);
const ORIGIN = 'https://shop.example';
const CAPABILITY_SECRET = 'bench-conversations-capability-secret-0123456789';
const MAVA_API_KEY = 'bench_mava_key_0123456789';
const MAVA_BASE_URL = 'https://mava.upstream.example'; // never called: a Mava thread is read from its object
const CONNECTING = 50; // visitors connecting at once
const DELIVERY_TIMEOUT_MS = 30_000; // after a phase's last POST
const EXACT_REPLAY_EVERY = 10;
const RESEALED_EVERY = 10; // at offset 5
const RESEAL_DELAY_MS = 300;
const MAVA_RETRIES = 3;
const IDLE_MS = 2000;
// sockets: each object's 10 s first-message timer runs, then workerd evicts an object idle for
// 10 s (its sockets hibernate), so the steady replies each wake an evicted object, as a visitor
// waiting minutes for an agent does.
const SETTLE_MS = 22_000;
const POLL_CYCLE_MS = 26_000; // long polls: every held read ends (25 s) and is sent again once
// workerd closes a keep-alive connection idle for 5 s; undici keeps one for 4 s by default,
// checked on a coarse timer. Connections are let go after 2 s instead.
const keepAlive = { keepAliveTimeout: 2000, keepAliveMaxTimeout: 2000 };
const mava = new Agent(keepAlive); // the webhooks' connections
const pages = new Agent(keepAlive); // the visitors' reads

const started = performance.now();
const seconds = (since) => ((performance.now() - since) / 1000).toFixed(1);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (text) => console.error(`conversations: ${text} [${seconds(started)} s]`);

// --- file descriptors: a socket or a held poll is one here and one in workerd ---
const needed = 2 * VISITORS + 200;
const openFiles = Number(/Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? Infinity);
if (openFiles < needed) {
  console.error(`conversations: ulimit -n is ${openFiles}; ${VISITORS} visitors need about ${needed} (each socket or held poll is a descriptor here and one in workerd). Run \`ulimit -n ${needed}\` (or more) first, or fewer visitors.`);
  process.exit(2);
}

// --- Mava's side: a key pair, and webhooks sealed as Mava seals them ---
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const SIGNING_KEY = `mava_wh_${privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64')}`;
const hex = (bytes) => randomBytes(bytes).toString('hex');
function seal(event, webhookId) {
  const aesKey = randomBytes(32);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', aesKey, iv);
  const payload = Buffer.concat([cipher.update(JSON.stringify(event)), cipher.final()]).toString('base64');
  const encryptedKey = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, aesKey).toString('base64');
  const signature = createHmac('sha256', aesKey.toString('base64')).update(payload).digest('hex');
  return JSON.stringify({ signature, payload, key: `${iv.toString('hex')}:${encryptedKey}`, webhookId });
}
/** An agent's public reply to `ticketId`: its message id, its webhook, and the same webhook sealed anew. */
function agentReply(ticketId, text) {
  const id = hex(12);
  const event = {
    type: 'message.created',
    document: { _id: id, ticket: { _id: ticketId }, content: text, messageType: 'ExternalMessage', fromCustomer: false, createdAt: new Date().toISOString() },
  };
  const webhookId = `wh_${hex(12)}`;
  return { id, body: seal(event, webhookId), resealed: seal(event, webhookId) };
}

// --- the relay's side: capabilities minted as src/relay/capability.rs mints them ---
/** FNV-1a, 64 bits, over `${baseUrl}\n${apiKey}`, as 16 hex digits. */
function upstreamFingerprint(baseUrl, key) {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(`${baseUrl}\n${key}`)) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  return hash.toString(16).padStart(16, '0');
}
const FINGERPRINT = upstreamFingerprint(MAVA_BASE_URL, MAVA_API_KEY);
const capability = (ticketId, expiry) => `tw1.${expiry}.${createHmac('sha256', CAPABILITY_SECRET)
  .update(`ticketwire capability v2\nticket\nmava\n${FINGERPRINT}\n${ticketId}\n${expiry}`).digest('base64url')}`;

// --- workerd ---
const { scriptPath } = bundle(fileURLToPath(new URL('./conversations/', import.meta.url)), ['worker.mjs', '--name', 'bench-conversations', '--compatibility-date', '2026-04-01']);
const workerd = await start([worker('relay', scriptPath, {
  bindings: { ALLOWED_ORIGIN: ORIGIN, CAPABILITY_SECRET, MAVA_API_KEY, MAVA_BASE_URL, MAVA_WEBHOOK_SIGNING_KEY: SIGNING_KEY },
  durableObjects: { TICKETWIRE_CONVERSATIONS: 'TicketwireConversationObject' },
  unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
})], {
  stripCfConnectingIp: false,
  ...(DEBUG ? { verbose: true, log: new Log(LogLevel.DEBUG), handleRuntimeStdio: (out, err) => { out.pipe(process.stderr); err.pipe(process.stderr); } } : {}),
});
const relay = (await workerd.mf.unsafeGetDirectURL('relay')).toString().replace(/\/$/, '');
const pid = workerdPid();
const ready = performance.now();
if (DEBUG) { // how long workerd takes to answer a fresh connection, and its listening socket's accept queue
  const probes = new Agent({ keepAliveTimeout: 1, keepAliveMaxTimeout: 1 });
  setInterval(async () => {
    const at = seconds(ready);
    const queue = execFileSync('ss', ['-ltnH', `sport = :${new URL(relay).port}`], { encoding: 'utf8' }).trim().split(/\s+/).slice(1, 3).join('/');
    const sent = performance.now();
    try {
      await (await fetch(`${relay}/mava/conversations/x`, { headers: { origin: ORIGIN, 'cf-connecting-ip': '192.168.0.1' }, dispatcher: probes })).arrayBuffer();
      console.error(`probe at ${at} s: accept queue ${queue}, answered in ${(performance.now() - sent).toFixed(0)} ms`);
    } catch (error) { console.error(`probe at ${at} s: accept queue ${queue}, failed after ${(performance.now() - sent).toFixed(0)} ms: ${error.cause?.code}`); }
  }, 500).unref();
}

/** A phase's cost: call to start, call the result to end. workerd's main thread ran and
 * waited for a core, its other threads ran, and this process ran (all ms). */
const costSince = () => {
  const a = workerdCpu(pid);
  const own = process.cpuUsage();
  return () => {
    const b = workerdCpu(pid);
    const used = process.cpuUsage(own);
    return { main: (b.main - a.main) / 1e6, waited: (b.waited - a.waited) / 1e6, helpers: (b.helpers - a.helpers) / 1e6, bench: (used.user + used.system) / 1000 };
  };
};

/** Nearest-rank percentile of sorted numbers. */
const pct = (sorted, p) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];

let addresses = 0; // every visitor its own address: the visitor limit (30 a minute) counts each alone
const newAddress = () => { const n = ++addresses; return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`; };

/** `count` tickets, each with its visitor. */
function visitors(count) {
  const expiry = Math.floor(Date.now() / 1000) + 24 * 60 * 60;
  return Array.from({ length: count }, (_, index) => {
    const ticketId = hex(12);
    return { index, ticketId, capability: capability(ticketId, expiry), address: newAddress(), cursor: null, stray: 0 };
  });
}

/** Each reply: whose it is, when its webhook was sent, when it reached a visitor. */
const replies = new Map(); // message id → { visitor, sentAt, arrivedAt: [] }
let elsewhere = 0;
/** A visitor holds `messages` (a frame, a poll's answer). */
function received(visitor, messages) {
  const now = performance.now();
  for (const m of messages) {
    const expected = replies.get(m.id);
    if (!expected || expected.visitor !== visitor) { elsewhere++; visitor.stray++; continue; }
    expected.arrivedAt.push(now);
  }
}

const conversationUrl = (v) => `${relay}/mava/conversations/${v.ticketId}`;
const visitorHeaders = (v) => ({ origin: ORIGIN, 'cf-connecting-ip': v.address });
const failed = { webhooks: 0, reads: 0, sockets: 0, reasons: {} };
const failure = (kind, why) => { failed[kind]++; failed.reasons[why] = (failed.reasons[why] ?? 0) + 1; };
const why = (error) => error.cause?.code ?? error.message.replace(/[0-9a-f]{24}/g, '…').slice(0, 80);

/** The visitor's read through the relay (which verifies its capability and hands it to the object). */
async function read(v, { wait = 0, signal } = {}) {
  const query = new URLSearchParams({ ...(v.cursor ? { after: v.cursor } : {}), ...(wait ? { wait: String(wait) } : {}) });
  const response = await fetch(`${conversationUrl(v)}${query.size ? `?${query}` : ''}`, {
    headers: { ...visitorHeaders(v), 'x-ticketwire-capability': v.capability }, signal, dispatcher: pages,
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET conversation: ${response.status} ${text}`);
  return { ...JSON.parse(text), offered: response.headers.get('x-ticketwire-socket') };
}

/** Runs `task` over `items`, `width` at a time. */
async function pool(items, width, task) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await task(items[next++]);
  }));
}

/** A visitor's socket: a read, then the socket offered and `{ capability, after }`; resolves once the object answered. */
async function openSocket(v) {
  const first = await read(v);
  if (first.offered !== 'offered') throw new Error(`no socket offered (x-ticketwire-socket: ${first.offered})`);
  received(v, first.messages);
  v.cursor = first.cursor;
  await new Promise((resolve, reject) => {
    const socket = new WebSocket(conversationUrl(v).replace('http://', 'ws://'), { headers: visitorHeaders(v) });
    v.socket = socket;
    let hello = true;
    socket.onopen = () => socket.send(JSON.stringify({ capability: v.capability, after: v.cursor }));
    socket.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      received(v, frame.messages);
      v.cursor = frame.cursor;
      if (hello) { hello = false; resolve(); }
    };
    socket.onerror = () => {};
    socket.onclose = (event) => { v.closed = event.code; if (hello) reject(new Error(`socket closed before its first frame: ${event.code} ${event.reason}`)); };
  });
}

/** A visitor's long poll: reads with wait=25, and again after each answer, until stopped. */
let pollReads = 0;
function startPolling(v, stop) {
  v.loop = (async () => {
    while (!stop.signal.aborted) {
      v.polling = true;
      pollReads++;
      try {
        const answer = await read(v, { wait: 25, signal: stop.signal });
        v.polling = false;
        received(v, answer.messages);
        v.cursor = answer.cursor;
      } catch (error) {
        v.polling = false;
        if (stop.signal.aborted) return;
        if (DEBUG) console.error(`read failed at ${seconds(ready)} s: ${why(error)} ${JSON.stringify({ w: error.cause?.socket?.bytesWritten, r: error.cause?.socket?.bytesRead })}`);
        failure('reads', why(error));
        await sleep(500);
      }
    }
  })();
}

/** One reply per visitor as webhooks, `rate` a second (all at once when Infinity), some sent
 * twice; waits for every reply to arrive (or DELIVERY_TIMEOUT_MS after the last POST). */
async function deliver(mode, list, rate) {
  const batch = list.map((v, i) => ({ v, i, ...agentReply(v.ticketId, `The answer to ticket ${v.ticketId}.`) }));
  for (const r of batch) replies.set(r.id, { visitor: r.v, sentAt: 0, arrivedAt: [] });
  const acks = [];
  const statuses = {};
  let posts = 0;
  const post = async (body) => {
    posts++;
    const sent = performance.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await fetch(`${relay}/mava/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, dispatcher: mava });
        await response.arrayBuffer();
        acks.push(performance.now() - sent);
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        return;
      } catch (error) {
        if (DEBUG) console.error(`webhook attempt ${attempt} failed after ${(performance.now() - sent).toFixed(0)} ms: ${why(error)}`);
        if (attempt === MAVA_RETRIES) { statuses.failed = (statuses.failed ?? 0) + 1; return; }
        failure('webhooks', why(error));
      }
    }
  };
  const strayBefore = elsewhere;
  const cost = costSince();
  const phaseStart = performance.now();
  const sends = [];
  for (const r of batch) {
    const early = phaseStart + (r.i * 1000) / rate - performance.now();
    if (early > 1) await sleep(early);
    replies.get(r.id).sentAt = performance.now();
    sends.push(post(r.body));
    if (r.i % EXACT_REPLAY_EVERY === 0) sends.push(post(r.body));
    if (r.i % RESEALED_EVERY === 5) sends.push(sleep(RESEAL_DELAY_MS).then(() => post(r.resealed)));
  }
  await Promise.all(sends);
  const lastAck = performance.now();
  const arrived = (r) => replies.get(r.id).arrivedAt.length > 0;
  while (!batch.every(arrived) && performance.now() - lastAck < DELIVERY_TIMEOUT_MS) await sleep(20);
  const wall = (performance.now() - phaseStart) / 1000;
  const used = cost();
  await sleep(500); // a late second copy would show here
  const latencies = batch.filter(arrived).map((r) => { const e = replies.get(r.id); return e.arrivedAt[0] - e.sentAt; }).sort((a, b) => a - b);
  const sortedAcks = acks.sort((a, b) => a - b);
  const row = {
    mode, phase: Number.isFinite(rate) ? `steady ${rate}/s` : 'burst', expected: batch.length, delivered: latencies.length,
    duplicates: posts - batch.length, twice: batch.reduce((n, r) => n + Math.max(0, replies.get(r.id).arrivedAt.length - 1), 0),
    elsewhere: elsewhere - strayBefore, statuses, wall, cost: used,
    latency: { p50: pct(latencies, 50), p99: pct(latencies, 99), max: latencies.at(-1) },
    ack: { p50: pct(sortedAcks, 50), p99: pct(sortedAcks, 99) },
  };
  log(`${mode}, ${row.phase}: ${row.delivered}/${row.expected} delivered in ${wall.toFixed(1)} s; workerd ran ${(used.main / 1000).toFixed(1)} s and waited for a core ${(used.waited / 1000).toFixed(1)} s`);
  return row;
}

/** workerd's CPU while every visitor waits and nothing happens for `ms`. */
async function idle(ms) {
  const cost = costSince();
  await sleep(ms);
  return cost();
}

/** workerd's resident memory, the relay isolate's wasm memory, and how many conversation objects were constructed. */
const MIB = 1 << 20;
async function memory() {
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
  const stats = await (await fetch(`${relay}/__bench/stats`, { dispatcher: pages })).json();
  return { text: `workerd ${(rss / MIB).toFixed(0)} MiB resident, wasm ${(stats.wasmBytes / MIB).toFixed(1)} MiB, ${stats.constructed} objects constructed so far`, constructed: stats.constructed };
}

const rows = [];
const facts = [];
const fact = (text) => { facts.push(text); log(text); };

const atStart = await memory();
fact(`before any visitor: ${atStart.text}`);

/** A phase of replies, with how many objects were constructed during it (new, or woken after an eviction). */
async function replyPhase(mode, list, rate) {
  const before = (await memory()).constructed;
  const row = await deliver(mode, list, rate);
  const after = await memory();
  row.woken = after.constructed - before;
  fact(`${mode}, ${row.phase}: ${row.woken} objects woken; workerd's other threads ran ${row.cost.helpers.toFixed(0)} ms, this process ${row.cost.bench.toFixed(0)} ms; ${after.text}`);
  return row;
}

if (MODES.includes('sockets')) {
  const list = visitors(VISITORS);
  const cost = costSince();
  const t = performance.now();
  await pool(list, CONNECTING, async (v) => {
    for (let attempt = 0; attempt < 2; attempt++) { // a visitor whose socket failed opens another, once (as client.conversation would after a backoff)
      try { return await openSocket(v); } catch (error) { failure('sockets', why(error)); v.socket?.close(); await sleep(1000); }
    }
  });
  const connect = { ...cost(), wall: (performance.now() - t) / 1000 };
  const open = list.filter((v) => v.socket?.readyState === WebSocket.OPEN).length;
  fact(`sockets: ${open}/${VISITORS} open after ${connect.wall.toFixed(1)} s (${CONNECTING} visitors at a time: a read, then the socket and its first message); workerd ran ${(connect.main / 1000).toFixed(1)} s (${(connect.main / VISITORS).toFixed(2)} ms a visitor) and waited for a core ${(connect.waited / 1000).toFixed(1)} s; ${(await memory()).text}`);
  const settling = await idle(SETTLE_MS);
  const asleep = await idle(IDLE_MS);
  fact(`sockets: all ${open} waiting: workerd ran ${settling.main.toFixed(0)} ms in the next ${SETTLE_MS / 1000} s (each object's 10 s first-message timer and alarm, then its eviction, its sockets hibernating), then ${asleep.main.toFixed(1)} ms in ${IDLE_MS / 1000} s; ${(await memory()).text}`);
  const steady = await replyPhase('sockets', list, RATE);
  const burst = await replyPhase('sockets', list, Infinity);
  const stillOpen = list.filter((v) => v.socket?.readyState === WebSocket.OPEN).length;
  for (const row of [steady, burst]) rows.push({ ...row, open });
  fact(`sockets: ${stillOpen}/${VISITORS} still open at the end`);
  for (const v of list) v.socket?.close(1000);
}

if (MODES.includes('polls')) {
  const list = visitors(VISITORS);
  const stops = list.map(() => new AbortController()); // one each: a signal shared by 1,000 reads warns of a leak
  const cost = costSince();
  const t = performance.now();
  await pool(list, CONNECTING, async (v) => {
    try { const first = await read(v); received(v, first.messages); v.cursor = first.cursor; } catch (error) { failure('reads', why(error)); }
    startPolling(v, stops[v.index]);
  });
  await sleep(1000); // the last held reads reach their objects
  const connect = { ...cost(), wall: (performance.now() - t) / 1000 };
  const holding = () => list.filter((v) => v.polling).length;
  fact(`long polls: ${holding()}/${VISITORS} held after ${connect.wall.toFixed(1)} s (${CONNECTING} visitors at a time: a read, then GET ?wait=25); workerd ran ${(connect.main / 1000).toFixed(1)} s (${(connect.main / VISITORS).toFixed(2)} ms a visitor) and waited for a core ${(connect.waited / 1000).toFixed(1)} s; ${(await memory()).text}`);
  const allHeld = async () => {
    for (const waited = performance.now(); holding() < VISITORS && performance.now() - waited < 10_000;) await sleep(20);
    await sleep(500);
  };
  const steady = await replyPhase('long polls', list, RATE);
  await allHeld(); // every visitor polls again
  const burst = await replyPhase('long polls', list, Infinity);
  await allHeld();
  const readsBefore = pollReads;
  const quiet = await idle(POLL_CYCLE_MS);
  const again = pollReads - readsBefore;
  for (const row of [steady, burst]) rows.push({ ...row, open: VISITORS });
  fact(`long polls: all ${holding()} waiting with nothing to send for ${POLL_CYCLE_MS / 1000} s, in which each held read ended and was sent again (${again} reads): workerd ran ${quiet.main.toFixed(0)} ms (${(quiet.main / Math.max(1, again)).toFixed(2)} ms a read), i.e. ${(quiet.main / VISITORS / (POLL_CYCLE_MS / 1000) * 60).toFixed(1)} ms a minute per waiting visitor`);
  for (const stop of stops) stop.abort();
  await Promise.all(list.map((v) => v.loop));
}

await workerd.dispose();

const f = (n, w, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '—').padStart(w);
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`conversations: ${VISITORS} visitors on ${VISITORS} Mava tickets, one relay Worker in workerd with one conversation Durable Object per ticket; each reply a sealed message.created webhook`);
console.log(`conversations: steady = ${RATE} webhooks/s, burst = all at once; dup POSTs = deliveries sent twice with the same webhookId (every ${EXACT_REPLAY_EVERY}th at once, same envelope; every ${RESEALED_EVERY}th, offset 5, ${RESEAL_DELAY_MS} ms later sealed anew)`);
console.log('conversations: woken = objects constructed during the phase (workerd evicts an object idle for 10 s; the next reply constructs it again and it reads its thread back from storage)');
console.log('conversations: latency = webhook POST sent → the reply at its visitor, ack = POST sent → its 200 (ms); workerd = its main thread over the phase (relay + objects + HTTP/WebSocket work, /proc schedstat): ran (ms), per msg (ms per reply delivered), waited for a core (s)');
console.log(`conversations: ${'mode'.padEnd(10)} ${'phase'.padEnd(12)} ${'visitors'.padStart(8)} ${'open'.padStart(5)} | delivered  dup POSTs  shown twice  elsewhere | woken | latency p50     p99     max | ack p50     p99 | workerd ran  per msg  waited s | wall s | answers`);
for (const r of rows) {
  console.log(`conversations: ${r.mode.padEnd(10)} ${r.phase.padEnd(12)} ${f(VISITORS, 8)} ${f(r.open, 5)} | ${`${r.delivered}/${r.expected}`.padStart(9)} ${f(r.duplicates, 10)} ${f(r.twice, 12)} ${f(r.elsewhere, 10)} | ${f(r.woken, 5)} | ${f(r.latency.p50, 11, 1)} ${f(r.latency.p99, 7, 1)} ${f(r.latency.max, 7, 1)} | ${f(r.ack.p50, 7, 1)} ${f(r.ack.p99, 7, 1)} | ${f(r.cost.main, 11)} ${f(r.cost.main / r.delivered, 8, 2)} ${f(r.cost.waited / 1000, 9, 1)} | ${f(r.wall, 6, 1)} | ${Object.entries(r.statuses).map(([s, n]) => `${n}×${s}`).join(' ')}`);
}
for (const text of facts) console.log(`conversations: ${text}`);
const reasons = Object.entries(failed.reasons).map(([k, n]) => `${n}× ${k}`).join(', ');
console.log(`conversations: connections that failed and were tried again: ${failed.webhooks} webhook POSTs (same envelope, as Mava retries), ${failed.sockets} sockets, ${failed.reads} reads${reasons ? ` (${reasons})` : ''}`);
console.log(`conversations: replies at a visitor not their ticket's: ${elsewhere}; ran in ${seconds(started)} s (${seconds(ready)} s after the bundle and workerd's start); load average at the end ${load} on ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores`);
