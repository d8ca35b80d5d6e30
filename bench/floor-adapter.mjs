// Not a peer: the floor under a wasm validator that takes its input as text (issue 11). It runs
// JSON.stringify and copies the text into wasm (bench/wasm-floor), and validates nothing.
import { readFileSync } from 'node:fs';
import { initSync, receive } from '../target/wasm-floor/pkg/wasm_floor.js';

initSync({ module: readFileSync(new URL('../target/wasm-floor/pkg/wasm_floor_bg.wasm', import.meta.url)) });
export const name = 'wasm floor';
export const validate = (input) => ({ ok: receive(JSON.stringify(input)) > 0, errors: [] });
export function prepare(input) {
  const body = JSON.stringify(input);
  receive(body);
  return { body };
}
