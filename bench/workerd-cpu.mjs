// The CPU workerd's threads have run, read from outside (bench/relay-cpu.mjs explains why): the
// open-source runtime reports no CPU of its own (tail events' cpuTime is 0 offline), so each
// workerd thread's `sum_exec_runtime` is read from /proc/<pid>/task/<tid>/schedstat
// (nanoseconds). The main thread runs the isolates (JavaScript and wasm, and here the Durable
// Objects too) and workerd's own HTTP and WebSocket work; the others are V8's helpers
// (concurrent GC, compilation).
import { readFileSync, readdirSync } from 'node:fs';

/** The workerd process among this process's children (Miniflare starts it). */
export function workerdPid() {
  const children = readdirSync(`/proc/${process.pid}/task`).flatMap((t) => readFileSync(`/proc/${process.pid}/task/${t}/children`, 'utf8').split(/\s+/).filter(Boolean));
  const pid = children.find((child) => readFileSync(`/proc/${child}/comm`, 'utf8').trim() === 'workerd');
  if (!pid) throw new Error('no workerd process among this process\'s children');
  try { readFileSync(`/proc/${pid}/task/${pid}/schedstat`); } catch { throw new Error('this kernel has no /proc/<pid>/task/<tid>/schedstat (CONFIG_SCHED_INFO): no CPU figure for workerd'); }
  return pid;
}

/** Nanoseconds each thread of `pid` has run: { main: the isolate's (main) thread, helpers: all
 * the others, waited: how long the main thread was ready to run but waiting for a core (the
 * second schedstat field: what a machine shared with other work costs it) }. */
export function workerdCpu(pid) {
  let main = 0, helpers = 0, waited = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let fields;
    try { fields = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ').map(Number); } catch { continue; } // a thread that ended
    if (tid === pid) [main, waited] = fields; else helpers += fields[0];
  }
  return { main, helpers, waited };
}
