//! `ClientOptions` and `CallOptions` from JS, checked by the same rule walker as inputs.

use super::convert;
use super::sys::{get_random_values, random_uuid, reflect_get, AbortSignal};
use crate::error::Failure;
use crate::operation::{CallContext, Operation, Provider};
use crate::request::{check_base_url, uuid_v4, ApiKey, Config};
use crate::rules::{check_input, field, Field, Rule, RuleContext, NON_EMPTY_TEXT, TEXT};
use crate::value::{Object, Value};
use crate::violation::{Pointer, Violations};
use js_sys::Function;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const OPTIONS_TS: &'static str = r#"
/** Options of every client. */
export interface ClientOptions {
    /** The provider's API key. Omit it when calls go through a relay that adds it. */
    apiKey?: string;
    /** Where the API lives. Mava defaults to https://gateway.mava.app; HelpWave and Tickiti need one. */
    baseUrl?: string;
    /** The fetch to call instead of the global one (a Workers service binding, a test double). */
    fetch?: (input: string | Request, init?: RequestInit) => Promise<Response>;
    /** Timeout of each attempt, in milliseconds (default 30000). */
    timeoutMs?: number;
    /** Retries after a failed attempt (default 2). Not applied yet: this release sends each call once. */
    maxRetries?: number;
    /** Allows an `apiKey` in a browser page, where every visitor can read it. */
    dangerouslyAllowBrowser?: boolean;
    /** Mava: attachment URLs must be in an S3 bucket whose name starts with this (default "app.mava."). */
    attachmentBucketPrefix?: string;
}

/** Options of one call. */
export interface CallOptions {
    /** Aborts the call, even while it waits. */
    signal?: AbortSignal;
    /** The Idempotency-Key to send (1–255 characters), for operations that take one. */
    idempotencyKey?: string;
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

const CLIENT_FIELDS: &[Field] = &[
    field("apiKey", NON_EMPTY_TEXT),
    field("baseUrl", TEXT),
    field("fetch", TEXT), // checked apart: a function is no JSON value
    field("timeoutMs", Rule::Integer { min: 1, max: MAX_TIMER_MS }),
    field("maxRetries", Rule::Integer { min: 0, max: 10 }),
    field("dangerouslyAllowBrowser", Rule::Bool),
    field("attachmentBucketPrefix", TEXT),
];

const CALL_FIELDS: &[Field] = &[
    field("signal", TEXT), // checked apart: an AbortSignal is no JSON value
    field("idempotencyKey", Rule::Text { min: 1, max: Some(255), format: None }),
];

/// `setTimeout` fires at once for delays past 2^31 − 1 ms.
const MAX_TIMER_MS: i64 = 2_147_483_647;
const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;
const CODE: &str = "INVALID_OPTION";

/// A client's settings.
pub struct Settings {
    /// What the core needs.
    pub config: Config,
    /// `options.fetch`, if given; the global one is looked up per call.
    pub fetch: Option<Function>,
    /// Per-attempt timeout.
    pub timeout_ms: f64,
}

/// Reads `ClientOptions` for a client of `provider` named `class_name`.
pub fn read_client_options(provider: Provider, class_name: &str, options: &JsValue) -> Result<Settings, Failure> {
    let mut out = Violations::new("options", CODE);
    let (object, fetch) = read_with_host_objects(
        options,
        CLIENT_FIELDS,
        &mut out,
        |v| v.dyn_ref::<Function>().cloned(),
        "fetch",
        "function",
    );
    let text = |key| object.get(key).and_then(Value::as_str).map(str::to_owned);
    let number = |key| object.get(key).and_then(|v| if let Value::Number(n) = v { Some(*n) } else { None });

    let base_url = text("baseUrl").or_else(|| provider.default_base_url().map(str::to_owned));
    match &base_url {
        None => out.add_at(
            &Pointer::default().child("baseUrl"),
            &Pointer::default(),
            None,
            "must have required property 'baseUrl'",
        ),
        Some(url) => {
            if let Err(message) = check_base_url(url) {
                let message = message.trim_start_matches("baseUrl ");
                out.add(&Pointer::default().child("baseUrl"), None, message);
            }
        }
    }
    let violations = out.into_vec();
    let api_key = text("apiKey");
    let secret = api_key.clone();
    let fail = |message: String, violations| {
        let mut failure = Failure::config(provider, "constructor", message, violations);
        if let Some(secret) = &secret {
            failure.redact(secret);
        }
        failure
    };
    if !violations.is_empty() {
        let listed: Vec<&str> = violations.iter().map(|v| v.message.as_str()).collect();
        return Err(fail(format!("{class_name} options are invalid: {}", listed.join("; ")), violations));
    }
    if api_key.is_some() && is_browser_page() && object.get("dangerouslyAllowBrowser") != Some(&Value::Bool(true)) {
        return Err(fail(
            format!(
                "{class_name} was given an apiKey in a browser page, where every visitor can read it. \
                 Call through an edge relay that adds the key, or pass dangerouslyAllowBrowser: true \
                 if you accept that risk."
            ),
            Vec::new(),
        ));
    }
    let mut config = Config::new(base_url.as_deref().unwrap_or(""), api_key.map(ApiKey::new));
    if let Some(prefix) = text("attachmentBucketPrefix") {
        config.attachment_bucket_prefix = prefix;
    }
    Ok(Settings { config, fetch, timeout_ms: number("timeoutMs").unwrap_or(DEFAULT_TIMEOUT_MS) })
}

/// The settings of one call.
pub struct CallSettings {
    /// The caller's `AbortSignal`.
    pub signal: Option<AbortSignal>,
    /// What the core needs.
    pub context: CallContext,
}

/// Reads `CallOptions` for one call of `op`.
pub fn read_call_options(op: &Operation, options: &JsValue) -> Result<CallSettings, Failure> {
    let mut out = Violations::new("options", CODE);
    let (object, signal) =
        read_with_host_objects(options, CALL_FIELDS, &mut out, as_abort_signal, "signal", "an AbortSignal");
    let mut idempotency_key = object.get("idempotencyKey").and_then(Value::as_str).map(str::to_owned);
    if idempotency_key.is_some() && !op.idempotency_key {
        out.add(
            &Pointer::default().child("idempotencyKey"),
            None,
            format!("must NOT be given: {} {} takes no idempotency key", op.provider.display_name(), op.name),
        );
    }
    let violations = out.into_vec();
    if !violations.is_empty() {
        let listed: Vec<&str> = violations.iter().map(|v| v.message.as_str()).collect();
        let message = format!("{} {} options are invalid: {}", op.provider.display_name(), op.name, listed.join("; "));
        return Err(Failure::config(op.provider, op.name, message, violations));
    }
    if op.idempotency_key && idempotency_key.is_none() {
        // One key per logical call: what prepareX shows is what X would send.
        idempotency_key = Some(new_idempotency_key().ok_or_else(|| {
            let message =
                "this host has neither crypto.randomUUID nor crypto.getRandomValues: pass options.idempotencyKey";
            Failure::config(op.provider, op.name, message.to_owned(), Vec::new())
        })?);
    }
    Ok(CallSettings { signal, context: CallContext { idempotency_key } })
}

/// A fresh UUID v4 from the host: `crypto.randomUUID()`, or 16 bytes of `getRandomValues`
/// where that is missing (browser pages served over plain http).
fn new_idempotency_key() -> Option<String> {
    if let Some(uuid) = random_uuid().ok().and_then(|v| v.as_string()) {
        return Some(uuid);
    }
    let bytes = js_sys::Uint8Array::new_with_length(16);
    get_random_values(&bytes).ok()?;
    let mut random = [0u8; 16];
    bytes.copy_to(&mut random);
    Some(uuid_v4(random))
}

/// Reads an options object, taking the one host object it may hold (`fetch`, `signal`) apart
/// from the JSON-like rest, which is checked against `fields`.
fn read_with_host_objects<T>(
    options: &JsValue,
    fields: &[Field],
    out: &mut Violations,
    host_object: impl Fn(&JsValue) -> Option<T>,
    key: &str,
    expected: &str,
) -> (Object, Option<T>) {
    if options.is_undefined() || options.is_null() {
        return (Object::new(), None);
    }
    let value = match convert::read(options) {
        Value::Object(object) => object,
        other => {
            check_input(fields, &other, &RuleContext { attachment_bucket_prefix: "" }, out);
            return (Object::new(), None);
        }
    };
    let mut found = None;
    if value.get(key).is_some() {
        let raw = reflect_get(options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
        found = host_object(&raw);
        if found.is_none() {
            out.add(&Pointer::default().child(key), None, format!("must be {expected}"));
        }
    }
    let rest: Object = value.iter().filter(|(k, _)| *k != key).map(|(k, v)| (k.to_owned(), v.clone())).collect();
    check_input(fields, &Value::Object(rest.clone()), &RuleContext { attachment_bucket_prefix: "" }, out);
    (rest, found)
}

/// `value` as an `AbortSignal`, when it looks like one (cross-realm signals included).
fn as_abort_signal(value: &JsValue) -> Option<AbortSignal> {
    let aborted = reflect_get(value, &"aborted".into()).ok()?;
    let listen = reflect_get(value, &"addEventListener".into()).ok()?;
    (aborted.as_bool().is_some() && listen.is_function()).then(|| value.clone().unchecked_into())
}

/// A browser page, told apart from Workers, Deno and Node as openai-node does:
/// `window`, `window.document` and `navigator` all exist.
fn is_browser_page() -> bool {
    let global = js_sys::global();
    let get = |target: &JsValue, key: &str| reflect_get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    let window = get(&global, "window");
    !window.is_undefined() && !get(&window, "document").is_undefined() && !get(&global, "navigator").is_undefined()
}
