// A pass-through in front of the sandbox for bench/relay-cpu.mjs, in a process of its own (so
// none of its CPU is counted as the relay's). It forwards every request as it came; after
// `POST /_replay/freeze` it answers each GET it has seen before (the stored threads, which no
// longer change) with the bytes and headers the sandbox first gave, as a provider would answer
// at speed: the debug sandbox takes about 0.4 s to write a 16 MB thread, which would make the
// benchmark's hundreds of calls minutes long without changing what the relay does with them.
// After `POST /_replay/chunked` it replays them without `content-length`, in 16 KiB writes (as
// an answer compressed on the fly arrives), until `POST /_replay/length`.
// Run: node bench/relay-cpu/replay.mjs <upstream URL>; prints "listening on http://…".
import { createServer } from 'node:http';

const upstream = process.argv[2].replace(/\/$/, '');
const kept = new Map(); // path -> { status, headers, body }
let frozen = false;
let chunked = false;

const server = createServer(async (req, res) => {
  if (req.method === 'POST' && req.url.startsWith('/_replay/')) {
    const order = req.url.slice('/_replay/'.length);
    if (order === 'freeze') frozen = true;
    else chunked = order === 'chunked';
    res.end('{}');
    return;
  }
  const copy = frozen && req.method === 'GET' ? kept.get(req.url) : undefined;
  if (copy && chunked) {
    const { 'content-length': _, ...headers } = copy.headers;
    res.writeHead(copy.status, headers);
    for (let at = 0; at < copy.body.length; at += 16_384) {
      if (res.destroyed) return;
      if (!res.write(copy.body.subarray(at, at + 16_384))) await new Promise((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
    }
    res.end();
    return;
  }
  if (copy) {
    res.writeHead(copy.status, copy.headers);
    res.end(copy.body);
    return;
  }
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length', 'transfer-encoding'].includes(name)));
  try {
    const answer = await fetch(`${upstream}${req.url}`, {
      method: req.method, headers, redirect: 'manual', body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const body = Buffer.from(await answer.arrayBuffer());
    const out = { 'content-length': String(body.length) };
    for (const name of ['content-type', 'retry-after', 'location']) if (answer.headers.has(name)) out[name] = answer.headers.get(name);
    if (frozen && req.method === 'GET') kept.set(req.url, { status: answer.status, headers: out, body });
    res.writeHead(answer.status, out);
    res.end(body);
  } catch (error) {
    res.writeHead(502).end(String(error));
  }
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
