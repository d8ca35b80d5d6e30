//! `ClientOptions` and `CallOptions` from JS, checked against their tables (`src/options.rs`)
//! by the same rule walker as inputs.

use super::convert;
use super::sys::{get_random_values, random_uuid, reflect_get, AbortSignal};
use crate::call::{DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS};
use crate::error::Failure;
use crate::operation::{CallContext, Operation};
use crate::options;
use crate::provider::Provider;
use crate::rate_limit::RateLimit;
use crate::redact::{Redactor, MIN_KEY_CHARS};
use crate::request::{check_base_url, uuid_v4, ApiKey, Config};
use crate::rules::{check_input, HostKind, Rule, RuleContext, Shape};
use crate::value::{Object, Value};
use crate::violation::{Pointer, Violations};
use js_sys::Function;
use wasm_bindgen::prelude::*;

/// The host interfaces the generated option types name (`Rule::Host`).
#[wasm_bindgen(typescript_custom_section)]
const HOST_TS: &'static str = r#"
/** A limiter of your own: `acquire` resolves when the call may be sent, or rejects to refuse it. */
export interface TicketwireRateLimiter {
    acquire(call: { provider: "mava" | "helpwave" | "tickiti"; operation: string }): Promise<void | TicketwireRateLimitSlot>;
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

const DEFAULT_MAX_RETRIES: u32 = crate::retry::DEFAULT_MAX_RETRIES;
const CODE: &str = "INVALID_OPTION";

/// How a client keeps under the provider's rate limit.
pub enum RateLimitMode {
    /// Wait for a slot (the default).
    Wait,
    /// Refuse at once with kind `rate_limited`.
    Fail,
    /// Ask the caller's limiter (`acquire({ provider, operation })`).
    Custom(JsValue),
}

/// A client's settings.
pub struct Settings {
    /// What the core needs.
    pub config: Config,
    /// `options.fetch`, if given; the global one is looked up per call.
    pub fetch: Option<Function>,
    /// Per-attempt timeout.
    pub timeout_ms: f64,
    /// Retries after a failed attempt, where safe.
    pub max_retries: u32,
    /// The most one call may take, if limited.
    pub deadline_ms: Option<f64>,
    /// Pacing under the rate limit.
    pub rate_limit: RateLimitMode,
    /// The limit to pace to, instead of the provider's published one.
    pub quota: Option<RateLimit>,
    /// The largest response body read.
    pub max_response_bytes: usize,
}

/// Reads `ClientOptions` for a client of `provider` named `class_name`.
pub fn read_client_options(provider: Provider, class_name: &str, options: &JsValue) -> Result<Settings, Failure> {
    let mut out = Violations::new("options", CODE);
    let (object, mut host) = read_with_host_objects(options, &options::CLIENT, &mut out);
    let fetch = host.remove("fetch").map(JsCast::unchecked_into::<Function>);
    let limiter = host.remove("rateLimit");
    let text = |key| object.get(key).and_then(Value::as_str).map(str::to_owned);
    let number = |key| object.get(key).and_then(Value::as_number);

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
        // A key too short to scrub is refused for that, and never quoted.
        if let Some(secret) = secret.as_deref().filter(|s| s.chars().count() >= MIN_KEY_CHARS) {
            failure.redact(&Redactor::new(secret));
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
    let rate_limit = match (limiter, text("rateLimit").as_deref()) {
        (Some(custom), _) => RateLimitMode::Custom(custom),
        (None, Some("fail")) => RateLimitMode::Fail,
        _ => RateLimitMode::Wait,
    };
    Ok(Settings {
        config,
        fetch,
        timeout_ms: number("timeoutMs").unwrap_or(DEFAULT_TIMEOUT_MS),
        max_retries: number("maxRetries").map_or(DEFAULT_MAX_RETRIES, |n| n as u32),
        deadline_ms: number("deadlineMs"),
        rate_limit,
        quota: object.get("rateLimitQuota").and_then(Value::as_object).map(|q| {
            let get = |k| q.get(k).and_then(Value::as_number).unwrap_or(1.0);
            RateLimit { requests: get("requests") as u32, window_ms: get("windowMs") as u64 }
        }),
        max_response_bytes: number("maxResponseBytes").map_or(DEFAULT_MAX_RESPONSE_BYTES, |n| n as usize),
    })
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
    let mut out = Violations::new("options", CODE);
    let (object, mut host) = read_with_host_objects(options, &options::CALL, &mut out);
    let signal = host.remove("signal").map(JsCast::unchecked_into::<AbortSignal>);
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
    let deadline_ms = object.get("deadlineMs").and_then(Value::as_number);
    let text = |key| object.get(key).and_then(Value::as_str).map(str::to_owned);
    let context = CallContext { idempotency_key, capability: text("capability"), user_hash: text("userHash") };
    Ok(CallSettings { signal, context, deadline_ms })
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

/// Reads an options object: the host values its table allows (`fetch`, `signal`, a limiter)
/// are taken apart, and the JSON-like rest is checked against the table.
pub(super) fn read_with_host_objects(
    options: &JsValue,
    shape: &Shape,
    out: &mut Violations,
) -> (Object, std::collections::HashMap<&'static str, JsValue>) {
    let mut found = std::collections::HashMap::new();
    if options.is_undefined() || options.is_null() {
        return (Object::new(), found);
    }
    let value = match convert::read(options) {
        Value::Object(object) => object,
        other => {
            check_input(shape.fields, &other, &RuleContext { attachment_bucket_prefix: "" }, out);
            return (Object::new(), found);
        }
    };
    let mut taken = Vec::new();
    for field in shape.fields.iter().filter(|f| value.get(f.name).is_some()) {
        let Some(host) = field.rule.host_value() else { continue };
        let raw = reflect_get(options, &JsValue::from_str(field.name)).unwrap_or(JsValue::UNDEFINED);
        // Where JSON is also allowed (`rateLimit: "wait"`), the table checks what is not an object.
        let json_also = !matches!(field.rule, Rule::Host(_));
        if is_host_value(host.kind, &raw) {
            found.insert(field.name, raw);
            taken.push(field.name);
        } else if !(json_also && !raw.is_object() && !raw.is_function()) {
            out.add(&Pointer::default().child(field.name), None, must_be(&field.rule));
            taken.push(field.name);
        }
    }
    let rest: Object =
        value.iter().filter(|(k, _)| !taken.contains(k)).map(|(k, v)| (k.to_owned(), v.clone())).collect();
    check_input(shape.fields, &Value::Object(rest.clone()), &RuleContext { attachment_bucket_prefix: "" }, out);
    (rest, found)
}

fn is_host_value(kind: HostKind, value: &JsValue) -> bool {
    match kind {
        HostKind::Function => value.is_function(),
        HostKind::AbortSignal => is_abort_signal(value),
        HostKind::RateLimiter => has_acquire(value),
    }
}

/// What a host option must be: the strings it also takes, then its host value.
fn must_be(rule: &Rule) -> String {
    let mut message = String::from("must be ");
    if let Rule::Either(Rule::Enum(values), _) = rule {
        for (i, value) in values.iter().enumerate() {
            message.push_str(if i == 0 { "\"" } else { ", \"" });
            message.push_str(value);
            message.push('"');
        }
        message.push_str(" or ");
    }
    message.push_str(rule.host_value().map_or("", |host| host.expected));
    message
}

/// Whether `value` looks like an `AbortSignal` (cross-realm signals included).
pub(super) fn is_abort_signal(value: &JsValue) -> bool {
    let aborted = reflect_get(value, &"aborted".into()).ok();
    let listen = reflect_get(value, &"addEventListener".into()).ok();
    aborted.is_some_and(|a| a.as_bool().is_some()) && listen.is_some_and(|l| l.is_function())
}

/// Whether `value` is a limiter: an object with an `acquire` method.
pub(super) fn has_acquire(value: &JsValue) -> bool {
    value.is_object() && reflect_get(value, &"acquire".into()).is_ok_and(|f| f.is_function())
}

/// A browser page, told apart from Workers, Deno and Node as openai-node does:
/// `window`, `window.document` and `navigator` all exist.
fn is_browser_page() -> bool {
    let global = js_sys::global();
    let get = |target: &JsValue, key: &str| reflect_get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    let window = get(&global, "window");
    !window.is_undefined() && !get(&window, "document").is_undefined() && !get(&global, "navigator").is_undefined()
}
