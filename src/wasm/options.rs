//! `ClientOptions` and `CallOptions` from JS: the host values (`fetch`, a signal, a limiter)
//! are taken apart here; the rest is read by the core's option readers (`src/options/`).

use super::convert;
use super::sys::{get_random_values, random_uuid, AbortSignal};
use crate::error::Failure;
use crate::operation::{CallContext, Operation};
use crate::options::client::{ClientSettings, HostFacts};
use crate::options::{self, HostValues};
use crate::provider::Provider;
use crate::request::uuid_v4;
use crate::rules::{HostKind, Shape};
use crate::value::Value;
use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;

/// The host interfaces the generated option types name (`Rule::Host`).
#[wasm_bindgen(typescript_custom_section)]
const HOST_TS: &'static str = r#"
/** A limiter of your own: `acquire` resolves when the call may be sent, or rejects to refuse it (a rejection with a numeric `retryAfterMs` says when to try again: the error's `retryAfterMs`, a relay's `retry-after`). */
export interface TicketwireRateLimiter {
    /** Asked before each attempt is sent: the attempt waits for its answer. */
    acquire(call: TicketwireRateLimitCall): Promise<void | TicketwireRateLimitSlot>;
}

/** What a call tells its limiter's `acquire`. */
export interface TicketwireRateLimitCall {
    provider: TicketwireProviderId;
    operation: string;
    /** A hash of the client's API key (16 hex digits, never the key): one window per key. Absent without a key. */
    keyHash?: string;
    /** How long the call waits at most from now, in ms (its deadline): a limiter should answer before then, and count a slot it grants as released then at the latest. */
    deadlineMs?: number;
}

/** What a limiter's `acquire` may resolve to, to hear how the call went. */
export interface TicketwireRateLimitSlot {
    /** The call has its answer: count its slot from now (the server saw it no later). */
    release?(): void | Promise<void>;
    /** The server answered 429 anyway: hold every call for this long (a whole window when undefined). */
    penalize?(retryAfterMs?: number): void | Promise<void>;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// `ClientOptions`, as JS passed it.
    #[wasm_bindgen(typescript_type = "ClientOptions")]
    pub type ClientOptions;
    /// `CallOptions`, as JS passed it.
    #[wasm_bindgen(typescript_type = "CallOptions")]
    pub type CallOptions;
}

/// A client's settings: the core's, and the host values it keeps.
pub struct Settings {
    /// What the options chose, defaults filled in.
    pub core: ClientSettings,
    /// `options.fetch`, if given; the global one is looked up per call.
    pub fetch: Option<Function>,
    /// `options.rateLimit` when it is the caller's limiter (`RateLimitChoice::Custom`).
    pub limiter: Option<JsValue>,
}

/// Reads `ClientOptions` for a client of `provider` named `class_name`.
pub fn read_client_options(provider: Provider, class_name: &str, options: &JsValue) -> Result<Settings, Failure> {
    let mut apart = take_apart(options, &options::CLIENT);
    let given = apart.given();
    let origin = page_origin();
    let host = HostFacts {
        values: HostValues { given: &given, other_objects: &apart.other_objects },
        in_browser_page: is_browser_page(),
        page_origin: origin.as_deref(),
    };
    let core = options::client::read(provider, class_name, &apart.value, host)?;
    let fetch = apart.take("fetch").map(JsCast::unchecked_into::<Function>);
    Ok(Settings { core, fetch, limiter: apart.take("rateLimit") })
}

/// The settings of one call.
pub struct CallSettings {
    /// The caller's `AbortSignal`.
    pub signal: Option<AbortSignal>,
    /// What the core needs.
    pub context: CallContext,
    /// The most this call may take, if limited.
    pub deadline_ms: Option<f64>,
}

/// Reads `CallOptions` for one call of `op`.
pub fn read_call_options(op: &Operation, options: &JsValue) -> Result<CallSettings, Failure> {
    let mut apart = take_apart(options, &options::CALL);
    let given = apart.given();
    let host = HostValues { given: &given, other_objects: &apart.other_objects };
    let choices = options::call::read(op, &apart.value, host, new_idempotency_key)?;
    let signal = apart.take("signal").map(JsCast::unchecked_into::<AbortSignal>);
    Ok(CallSettings { signal, context: choices.context, deadline_ms: choices.deadline_ms })
}

/// A fresh UUID v4 from the host: `crypto.randomUUID()`, or 16 bytes of `getRandomValues`
/// where that is missing (browser pages served over plain http).
pub(super) fn new_idempotency_key() -> Option<String> {
    if let Some(uuid) = random_uuid().ok().and_then(|v| v.as_string()) {
        return Some(uuid);
    }
    let bytes = js_sys::Uint8Array::new_with_length(16);
    get_random_values(&bytes).ok()?;
    let mut random = [0u8; 16];
    bytes.copy_to(&mut random);
    Some(uuid_v4(random))
}

/// An options object taken apart: the core value, and what stood at the host options.
pub(super) struct Apart {
    /// The options as a core value (`Value::Null` for `undefined` or `null`).
    pub value: Value,
    /// Host values of the kind their option asks for, in the shape's field order (a few at
    /// most: a list, not a hash map, which would bring hashing code into the page's wasm).
    pub found: Vec<(&'static str, JsValue)>,
    /// Host options holding some other object or function.
    pub other_objects: Vec<&'static str>,
}

impl Apart {
    pub fn given(&self) -> Vec<&'static str> {
        self.found.iter().map(|(name, _)| *name).collect()
    }

    /// Takes out the host value found at `name`, if any.
    pub fn take(&mut self, name: &str) -> Option<JsValue> {
        let at = self.found.iter().position(|(found, _)| *found == name)?;
        Some(self.found.remove(at).1)
    }
}

pub(super) fn take_apart(options: &JsValue, shape: &Shape) -> Apart {
    let mut apart = Apart { value: Value::Null, found: Vec::new(), other_objects: Vec::new() };
    if options.is_undefined() || options.is_null() {
        return apart;
    }
    apart.value = convert::read(options);
    let Value::Object(object) = &apart.value else { return apart };
    for field in shape.fields.iter().filter(|f| object.get(f.name).is_some()) {
        let Some(host) = field.rule.host_value() else { continue };
        let raw = Reflect::get(options, &JsValue::from_str(field.name)).unwrap_or(JsValue::UNDEFINED);
        if is_host_value(host.kind, &raw) {
            apart.found.push((field.name, raw));
        } else if raw.is_object() || raw.is_function() {
            apart.other_objects.push(field.name);
        }
    }
    apart
}

fn is_host_value(kind: HostKind, value: &JsValue) -> bool {
    match kind {
        HostKind::Function => value.is_function(),
        HostKind::AbortSignal => is_abort_signal(value),
        HostKind::RateLimiter => has_acquire(value),
        HostKind::ConversationStore => has_methods(value, &["append", "read"]),
    }
}

/// Whether `value` looks like an `AbortSignal` (cross-realm signals included).
pub(super) fn is_abort_signal(value: &JsValue) -> bool {
    let aborted = Reflect::get(value, &"aborted".into()).ok();
    let listen = Reflect::get(value, &"addEventListener".into()).ok();
    aborted.is_some_and(|a| a.as_bool().is_some()) && listen.is_some_and(|l| l.is_function())
}

/// Whether `value` is an object with these methods.
pub(super) fn has_methods(value: &JsValue, names: &[&str]) -> bool {
    value.is_object() && names.iter().all(|name| Reflect::get(value, &(*name).into()).is_ok_and(|f| f.is_function()))
}

/// Whether `value` is a limiter: an object with an `acquire` method.
pub(super) fn has_acquire(value: &JsValue) -> bool {
    value.is_object() && Reflect::get(value, &"acquire".into()).is_ok_and(|f| f.is_function())
}

/// A browser page, told apart from Workers, Deno and Node as openai-node does:
/// `window`, `window.document` and `navigator` all exist.
pub(super) fn is_browser_page() -> bool {
    let global = js_sys::global();
    let get = |target: &JsValue, key: &str| Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    let window = get(&global, "window");
    !window.is_undefined() && !get(&window, "document").is_undefined() && !get(&global, "navigator").is_undefined()
}

/// The page's origin (`location.origin`), in a browser page only.
pub(super) fn page_origin() -> Option<String> {
    if !is_browser_page() {
        return None;
    }
    let location = Reflect::get(&js_sys::global(), &JsValue::from_str("location")).ok()?;
    Reflect::get(&location, &JsValue::from_str("origin")).ok()?.as_string()
}
