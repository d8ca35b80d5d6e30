//! Raw declarations of the JS the host layer calls that js-sys lacks, and nothing else (as
//! workers-rs keeps `worker-sys` apart). Anything that can throw is declared `catch`: a JS exception must
//! never unwind through wasm frames.

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {

    /// `Object.keys(target)`: own enumerable string keys, as `JSON.stringify` walks them.
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    pub fn object_keys(target: &JsValue) -> Result<Array, JsValue>;

    /// `Array.isArray(value)`: throws for a revoked Proxy.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    pub fn is_array(value: &JsValue) -> Result<bool, JsValue>;

    /// `setTimeout(handler, ms, argument)`: a number in browsers, an object in Node. A page
    /// may have replaced it with something that throws.
    #[wasm_bindgen(js_name = setTimeout, catch)]
    pub fn set_timeout(handler: &Function, ms: f64, argument: &JsValue) -> Result<JsValue, JsValue>;

    /// `clearTimeout(id)`.
    #[wasm_bindgen(js_name = clearTimeout, catch)]
    pub fn clear_timeout(id: &JsValue) -> Result<(), JsValue>;

    /// `crypto.randomUUID()`: missing in old hosts and insecure browser contexts.
    #[wasm_bindgen(js_namespace = crypto, js_name = randomUUID, catch)]
    pub fn random_uuid() -> Result<JsValue, JsValue>;

    /// `crypto.getRandomValues(bytes)`.
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues, catch)]
    pub fn get_random_values(bytes: &js_sys::Uint8Array) -> Result<JsValue, JsValue>;

    /// The package glue's input reader (install.mjs), whose methods never throw.
    pub type InputReader;
    /// Writes plain JSON data's `JSON.stringify` text as UTF-8 into this module's memory at
    /// `at`: how many bytes it took; `-1` when `value` is not plain JSON data; when `room` bytes
    /// are not enough, minus the room it needs (the text is kept for `rewrite`).
    #[wasm_bindgen(method, structural)]
    pub fn write(this: &InputReader, value: &JsValue, at: u32, room: u32) -> i32;
    /// Writes the text `write` kept again, with more room.
    #[wasm_bindgen(method, structural)]
    pub fn rewrite(this: &InputReader, at: u32, room: u32) -> i32;
    /// A new `PreparedRequest` object: a copy of `head` (`{ method, url, headers }`) and, as
    /// its body, the text `write` kept (given up).
    #[wasm_bindgen(method, structural)]
    pub fn request(this: &InputReader, head: &JsValue) -> JsValue;
    /// The violations written as `text` at `at` (`length` bytes, error.rs's `write_for_host`),
    /// as an array of `Violation` objects.
    #[wasm_bindgen(method, structural)]
    pub fn violations(this: &InputReader, at: u32, length: u32) -> JsValue;

    /// The host's `TextDecoder` (UTF-8, as `Response.text()` decodes).
    pub type TextDecoder;
    #[wasm_bindgen(constructor, catch)]
    pub fn new(label: &str, options: &js_sys::Object) -> Result<TextDecoder, JsValue>;
    #[wasm_bindgen(method, catch)]
    pub fn decode(this: &TextDecoder, bytes: &js_sys::Uint8Array) -> Result<js_sys::JsString, JsValue>;

    /// The host's `ReadableStream`: only a genuine one is asked for a BYOB reader (a look-alike's
    /// `getReader` may ignore its options and hand over a default reader).
    pub type ReadableStream;

    /// The host's `AbortController`.
    pub type AbortController;
    #[wasm_bindgen(constructor, catch)]
    pub fn new() -> Result<AbortController, JsValue>;
    #[wasm_bindgen(method, getter)]
    pub fn signal(this: &AbortController) -> AbortSignal;
    #[wasm_bindgen(method, catch)]
    pub fn abort(this: &AbortController) -> Result<(), JsValue>;

    /// An `AbortSignal`, the caller's or our own.
    #[derive(Clone)]
    pub type AbortSignal;
    /// `signal.aborted`: a caller's signal may be a Proxy whose getter throws.
    #[wasm_bindgen(method, getter, catch)]
    pub fn aborted(this: &AbortSignal) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, js_name = addEventListener, catch)]
    pub fn add_event_listener(this: &AbortSignal, kind: &str, listener: &Function) -> Result<(), JsValue>;
    #[wasm_bindgen(method, js_name = removeEventListener, catch)]
    pub fn remove_event_listener(this: &AbortSignal, kind: &str, listener: &Function) -> Result<(), JsValue>;
}

/// Calls a JS method by name; any throw comes back as `Err`.
pub fn call_method(target: &JsValue, name: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let method: Function = Reflect::get(target, &JsValue::from_str(name))?.dyn_into()?;
    Reflect::apply(&method, target, &args.iter().copied().collect())
}
