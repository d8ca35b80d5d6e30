//! Raw declarations of the JS the host layer calls, and nothing else (as workers-rs keeps
//! `worker-sys` apart). Anything that can throw is declared `catch`: a JS exception must
//! never unwind through wasm frames.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Reflect.get(target, key)`: getters and Proxy traps may throw.
    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    pub fn reflect_get(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;

    /// `Object.keys(target)`: own enumerable string keys, as `JSON.stringify` walks them.
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    pub fn object_keys(target: &JsValue) -> Result<Array, JsValue>;

    /// `Array.isArray(value)`: throws for a revoked Proxy.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    pub fn is_array(value: &JsValue) -> Result<bool, JsValue>;

    /// `Object.is(a, b)`.
    #[wasm_bindgen(js_namespace = Object, js_name = is)]
    pub fn same_value(a: &JsValue, b: &JsValue) -> bool;

    /// `Date.now()`.
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    pub fn date_now() -> f64;

    /// `JSON.parse(text)`.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &str) -> Result<JsValue, JsValue>;

    /// `setTimeout(handler, ms, argument)`: a number in browsers, an object in Node. A page
    /// may have replaced it with something that throws.
    #[wasm_bindgen(js_name = setTimeout, catch)]
    pub fn set_timeout(handler: &Function, ms: f64, argument: &JsValue) -> Result<JsValue, JsValue>;

    /// `clearTimeout(id)`.
    #[wasm_bindgen(js_name = clearTimeout, catch)]
    pub fn clear_timeout(id: &JsValue) -> Result<(), JsValue>;

    /// `Promise.race(values)`: settles as the first of them does; never throws (a value whose
    /// `then` throws becomes a rejection).
    #[wasm_bindgen(js_namespace = Promise, js_name = race)]
    pub fn promise_race(values: &Array) -> Promise;

    /// `crypto.randomUUID()`: missing in old hosts and insecure browser contexts.
    #[wasm_bindgen(js_namespace = crypto, js_name = randomUUID, catch)]
    pub fn random_uuid() -> Result<JsValue, JsValue>;

    /// `crypto.getRandomValues(bytes)`.
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues, catch)]
    pub fn get_random_values(bytes: &js_sys::Uint8Array) -> Result<JsValue, JsValue>;

    /// `Reflect.apply(method, target, args)`: anything the method throws comes back as `Err`.
    #[wasm_bindgen(js_namespace = Reflect, js_name = apply, catch)]
    pub fn reflect_apply(method: &Function, target: &JsValue, args: &Array) -> Result<JsValue, JsValue>;

    /// `new Class(...args)`, for the registered `TicketwireError` and for `Response`s.
    #[wasm_bindgen(js_namespace = Reflect, js_name = construct, catch)]
    pub fn reflect_construct(class: &Function, args: &Array) -> Result<JsValue, JsValue>;

    /// The host's `TextDecoder` (UTF-8, as `Response.text()` decodes).
    pub type TextDecoder;
    #[wasm_bindgen(constructor, catch)]
    pub fn new(label: &str, options: &js_sys::Object) -> Result<TextDecoder, JsValue>;
    #[wasm_bindgen(method, catch)]
    pub fn decode(this: &TextDecoder, bytes: &js_sys::Uint8Array) -> Result<js_sys::JsString, JsValue>;

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
    let method: Function = reflect_get(target, &JsValue::from_str(name))?.dyn_into()?;
    reflect_apply(&method, target, &args.iter().copied().collect())
}
