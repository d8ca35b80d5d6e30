//! `ClientOptions`, read: the base URL and its default, the key guard in a browser page, the
//! rate limit mode and every default. The host layer hands over the options as a core value
//! and what it found of its own (`fetch`, a limiter, whether this is a browser page).

use super::{invalid, read_object, HostValues, CLIENT, CODE};
use crate::call::{DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS};
use crate::error::Failure;
use crate::operation::Provider;
use crate::rate_limit::RateLimit;
use crate::redact::{Redactor, MIN_KEY_CHARS};
use crate::request::{check_base_url, ApiKey, Config};
use crate::retry::DEFAULT_MAX_RETRIES;
use crate::value::Value;
use crate::violation::{Pointer, Violations};

/// What the host layer knows that the options do not say.
#[derive(Debug, Clone, Copy, Default)]
pub struct HostFacts<'a> {
    /// What it found at `fetch` and `rateLimit`.
    pub values: HostValues<'a>,
    /// Whether the client is made in a browser page (`window`, `window.document`, `navigator`).
    pub in_browser_page: bool,
}

/// How a client keeps under the provider's rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimitChoice {
    /// Wait for a slot (the default).
    Wait,
    /// Refuse at once with kind `rate_limited`.
    Fail,
    /// Ask the caller's limiter (`acquire({ provider, operation })`), which the host holds.
    Custom,
}

/// A client's settings, defaults filled in.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    /// What the core needs to prepare requests.
    pub config: Config,
    /// Per-attempt timeout, in milliseconds.
    pub timeout_ms: f64,
    /// Retries after a failed attempt, where safe.
    pub max_retries: u32,
    /// The most one call may take, if limited.
    pub deadline_ms: Option<f64>,
    /// Pacing under the rate limit.
    pub rate_limit: RateLimitChoice,
    /// The limit to pace to, instead of the provider's published one.
    pub quota: Option<RateLimit>,
    /// The largest response body read.
    pub max_response_bytes: usize,
}

/// Reads `ClientOptions` for a client of `provider` named `class_name` (`MavaClient`); the
/// error is a `config` failure of operation `constructor`, with the key scrubbed from it.
pub fn read(provider: Provider, class_name: &str, options: &Value, host: HostFacts) -> Result<ClientSettings, Failure> {
    let mut out = Violations::new("options", CODE);
    let object = read_object(&CLIENT, options, host.values, &mut out);
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
    let fail = |message: String, violations| {
        let mut failure = Failure::config(provider, "constructor", message, violations);
        // A key too short to scrub is refused for that, and never quoted.
        if let Some(secret) = api_key.as_deref().filter(|s| s.chars().count() >= MIN_KEY_CHARS) {
            failure.redact(&Redactor::new(secret));
        }
        failure
    };
    if !violations.is_empty() {
        return Err(fail(invalid(class_name, &violations), violations));
    }
    if api_key.is_some() && host.in_browser_page && object.get("dangerouslyAllowBrowser") != Some(&Value::Bool(true)) {
        return Err(fail(
            format!(
                "{class_name} was given an apiKey in a browser page, where every visitor can read it. \
                 Call through an edge relay that adds the key, or pass dangerouslyAllowBrowser: true \
                 if you accept that risk."
            ),
            Vec::new(),
        ));
    }
    let mut config = Config::new(base_url.as_deref().unwrap_or(""), api_key.clone().map(ApiKey::new));
    if let Some(prefix) = text("attachmentBucketPrefix") {
        config.attachment_bucket_prefix = prefix;
    }
    let rate_limit = match (host.values.given.contains(&"rateLimit"), text("rateLimit").as_deref()) {
        (true, _) => RateLimitChoice::Custom,
        (false, Some("fail")) => RateLimitChoice::Fail,
        _ => RateLimitChoice::Wait,
    };
    Ok(ClientSettings {
        config,
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
