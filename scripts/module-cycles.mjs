// Fails when the crate's files import each other in a cycle (README, "Where a rule lives": a
// module imports only from modules below it). Reads every `use crate::…`, `use super::…` and
// `crate::x::y` path outside test code, resolves it to the file that declares it, and reports
// each strongly connected group of files. Usage: node scripts/module-cycles.mjs [src]
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.argv[2] ?? 'src';
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.rs') && name !== 'tests.rs') files.push(path);
  }
})(root);

/** The module path of a file: src/relay/mod.rs -> ['relay'], src/relay/route.rs -> ['relay', 'route']. */
function modulePath(file) {
  const parts = relative(root, file).replace(/\.rs$/, '').split('/');
  if (parts.at(-1) === 'mod' || parts.at(-1) === 'lib') parts.pop();
  return parts;
}

/** The file declaring the longest prefix of `path` that is a module. */
function fileOf(path) {
  for (let n = path.length; n >= 0; n--) {
    const base = join(root, ...path.slice(0, n));
    for (const candidate of n === 0 ? [join(root, 'lib.rs')] : [`${base}.rs`, join(base, 'mod.rs')]) {
      if (existsSync(candidate)) return candidate;
    }
  }
  return null;
}

/** `a::{b, c::{d}}` -> ['a::b', 'a::c::d']. */
function expand(tree) {
  const open = tree.indexOf('{');
  if (open < 0) return [tree.trim()];
  const head = tree.slice(0, open);
  const inner = tree.slice(open + 1, tree.lastIndexOf('}'));
  const items = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= inner.length; i++) {
    const c = inner[i];
    if (c === '{') depth++;
    if (c === '}') depth--;
    if ((c === ',' && depth === 0) || i === inner.length) {
      const item = inner.slice(start, i).trim();
      if (item) items.push(...expand(head + item));
      start = i + 1;
    }
  }
  return items;
}

const edges = new Map(files.map((f) => [f, new Set()]));
for (const file of files) {
  // Test code may reach anywhere: only what the crate itself compiles counts.
  const text = readFileSync(file, 'utf8').split(/#\[cfg\(test\)\]\s*(?:pub(?:\(crate\))?\s+)?mod tests/)[0].replace(/\/\/.*$/gm, '');
  const self = modulePath(file);
  const paths = [];
  for (const m of text.matchAll(/\buse\s+([^;]+);/g)) paths.push(...expand(m[1].replace(/\s+/g, '')));
  for (const m of text.matchAll(/(?<![\w:])crate(::\w+)+/g)) paths.push(m[0]);
  for (let path of paths) {
    path = path.replace(/\bas\s*\w+$/, '').replace(/as\w+$/, '');
    let parts = path.split('::');
    if (parts[0] === 'crate') parts = parts.slice(1);
    else if (parts[0] === 'self') parts = [...self, ...parts.slice(1)];
    else if (parts[0] === 'super') {
      const ups = parts.findIndex((p) => p !== 'super'); // a module's `super` is its parent
      parts = [...self.slice(0, self.length - ups), ...parts.slice(ups)];
    } else continue; // std, js_sys, a child module's own name, …
    const target = fileOf(parts);
    if (target && target !== file && !target.endsWith('lib.rs')) edges.get(file).add(target);
  }
}

// Tarjan's strongly connected components.
let index = 0;
const stack = [];
const info = new Map();
const cycles = [];
function connect(v) {
  info.set(v, { index, low: index, on: true });
  index++;
  stack.push(v);
  for (const w of edges.get(v)) {
    if (!info.has(w)) {
      connect(w);
      info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
    } else if (info.get(w).on) info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
  }
  if (info.get(v).low === info.get(v).index) {
    const group = [];
    let w;
    do {
      w = stack.pop();
      info.get(w).on = false;
      group.push(w);
    } while (w !== v);
    if (group.length > 1) cycles.push(group);
  }
}
for (const f of files) if (!info.has(f)) connect(f);

// The layers the README names: what goes out and the values know nothing of who uses them.
const below = [
  ['operation.rs', 'relay/'],
  ['value.rs', 'json/'],
  ['provider.rs', 'operation.rs'],
];
for (const [low, high] of below) {
  for (const target of edges.get(join(root, low)) ?? []) {
    if (relative(root, target).startsWith(high)) cycles.push([`${join(root, low)} imports ${target}`]);
  }
}

const count = [...edges.values()].reduce((n, s) => n + s.size, 0);
if (cycles.length) {
  for (const group of cycles) {
    if (group.length === 1) {
      console.error(`import from a lower module to a higher one: ${group[0]}`);
      continue;
    }
    console.error(`import cycle among ${group.length} files:`);
    for (const f of group) {
      const inside = [...edges.get(f)].filter((t) => group.includes(t));
      console.error(`  ${f} -> ${inside.join(', ')}`);
    }
  }
  process.exit(1);
}
console.log(`module-cycles: ${files.length} files, ${count} imports between them, no cycle`);
