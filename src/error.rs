//! The one error every call can end in (CONTRACT §4), as plain Rust data; the host layer
//! turns it into a `TicketwireError`.

use crate::operation::Operation;

/// The code of an answer whose body was over `maxResponseBytes` (not read past the limit).
pub const RESPONSE_TOO_LARGE: &str = "RESPONSE_TOO_LARGE";
/// The code of a 3xx answer (CONTRACT §6): calls never follow a redirect, since it would take
/// the key and the body to another host.
pub const UNEXPECTED_REDIRECT: &str = "UNEXPECTED_REDIRECT";
use crate::provider::Provider;
/// Scrubs one secret from what a failure carries.
pub use crate::redact::Redactor;
use crate::value::Value;
use crate::violation::Violation;

/// What went wrong, in the stable words of `TicketwireError.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input broke the contract; nothing was sent.
    Validation,
    /// The provider answered with an error.
    Api,
    /// Too many requests: the provider answered `429`, or the local limiter refused.
    RateLimited,
    /// An attempt took longer than the timeout.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// No answer: the connection failed or broke.
    Network,
    /// The client's options are wrong.
    Config,
    /// An incoming webhook was refused: not its envelope, not signed, or not readable once
    /// signed (CONTRACT §7.1; `code` says which).
    Webhook,
}

impl ErrorKind {
    /// Every kind, in the order the TypeScript union lists them (`src/typescript.rs`).
    pub const ALL: [ErrorKind; 8] = [
        ErrorKind::Validation,
        ErrorKind::Api,
        ErrorKind::RateLimited,
        ErrorKind::Timeout,
        ErrorKind::Aborted,
        ErrorKind::Network,
        ErrorKind::Config,
        ErrorKind::Webhook,
    ];

    /// Which of `TicketwireError`'s optional fields an error of this kind carries: what its
    /// TypeScript type narrows to on `kind` (`src/typescript.rs`), and what the host sets
    /// (`Failure::carried`).
    pub const fn fields(self) -> KindFields {
        use Carried::{Always, Maybe, Never};
        let (status, code, violations, retry_after_ms, body) = match self {
            ErrorKind::Validation => (Never, Always, Always, Never, Never),
            ErrorKind::Api | ErrorKind::RateLimited => (Maybe, Maybe, Never, Maybe, Maybe),
            ErrorKind::Timeout | ErrorKind::Aborted | ErrorKind::Network => (Never, Never, Never, Never, Never),
            ErrorKind::Config => (Never, Maybe, Maybe, Never, Never),
            ErrorKind::Webhook => (Never, Always, Never, Never, Never),
        };
        KindFields { status, code, violations, retry_after_ms, body }
    }

    /// The name of the TypeScript interface of an error of this kind (`TicketwireValidationError`).
    pub fn type_name(self) -> &'static str {
        match self {
            ErrorKind::Validation => "TicketwireValidationError",
            ErrorKind::Api => "TicketwireApiError",
            ErrorKind::RateLimited => "TicketwireRateLimitedError",
            ErrorKind::Timeout => "TicketwireTimeoutError",
            ErrorKind::Aborted => "TicketwireAbortedError",
            ErrorKind::Network => "TicketwireNetworkError",
            ErrorKind::Config => "TicketwireConfigError",
            ErrorKind::Webhook => "TicketwireWebhookError",
        }
    }

    /// When an error of this kind is thrown, for its TypeScript interface (after "of kind `x`: ").
    pub fn doc(self) -> &'static str {
        match self {
            ErrorKind::Validation => "the input broke the contract, and nothing was sent; `violations` lists every mistake.",
            ErrorKind::Api => "the provider answered with an error (`status`, and its `code` and `body` when it sent them).",
            ErrorKind::RateLimited => {
                "too many requests (the provider answered 429, or the limiter refused); `retryAfterMs` when known."
            }
            ErrorKind::Timeout => "an attempt took longer than `timeoutMs`, or the call ran past its deadline.",
            ErrorKind::Aborted => "the caller's `AbortSignal` fired.",
            ErrorKind::Network => "no answer (the connection failed or broke).",
            ErrorKind::Config => {
                "the options are wrong (`violations` when the option tables found them), or an object was used after it was disposed."
            }
            ErrorKind::Webhook => "an incoming webhook was refused; `code` says why.",
        }
    }

    /// The value of `kind`: `validation`, `api`, `rate_limited`, …
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Validation => "validation",
            ErrorKind::Api => "api",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Aborted => "aborted",
            ErrorKind::Network => "network",
            ErrorKind::Config => "config",
            ErrorKind::Webhook => "webhook",
        }
    }
}

/// Whether an error of a kind carries one of `TicketwireError`'s optional fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carried {
    /// Always (required in its TypeScript interface).
    Always,
    /// When known (optional).
    Maybe,
    /// Never (`?: undefined`).
    Never,
}

/// What an error of one kind carries of `status`, `code`, `violations`, `retryAfterMs` and `body`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindFields {
    /// `status`: the HTTP status.
    pub status: Carried,
    /// `code`: the provider's error code or sentence.
    pub code: Carried,
    /// `violations`: every mistake found.
    pub violations: Carried,
    /// `retryAfterMs`: how long to wait.
    pub retry_after_ms: Carried,
    /// `body`: the provider's error body.
    pub body: Carried,
}

/// A failed call, with the fields of `TicketwireError`.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// What went wrong.
    pub kind: ErrorKind,
    /// `mava`, `helpwave` or `tickiti`.
    pub provider: &'static str,
    /// The operation's JS name (`createTicket`); `constructor` for option mistakes.
    pub operation: &'static str,
    /// One line for people.
    pub message: String,
    /// The HTTP status, when there was a response.
    pub status: Option<u16>,
    /// The provider's code or sentence.
    pub code: Option<String>,
    /// Every violation, for `validation`.
    pub violations: Vec<Violation>,
    /// How long to wait before trying again, when known.
    pub retry_after_ms: Option<u64>,
    /// The provider's error body as parsed (or its raw text when it was not JSON).
    pub body: Option<Value>,
    /// Whether `body` is raw text cut for size (so a key cut in half may end it).
    pub body_cut: bool,
}

impl Failure {
    /// A failure of `kind` with only a message.
    pub fn new(kind: ErrorKind, op: &Operation, message: impl Into<String>) -> Self {
        Self::bare(kind, op.provider, op.name, message.into())
    }

    /// The client's options are wrong: thrown by a constructor, nothing is sent.
    pub fn config(provider: Provider, operation: &'static str, message: String, violations: Vec<Violation>) -> Self {
        Failure { violations, ..Self::bare(ErrorKind::Config, provider, operation, message) }
    }

    /// `createRelay`'s options are wrong (`provider: "relay"`): thrown, nothing is served.
    pub fn relay_config(message: String, violations: Vec<Violation>) -> Self {
        Failure {
            provider: "relay",
            violations,
            ..Self::bare(ErrorKind::Config, Provider::Mava, "createRelay", message)
        }
    }

    /// A failure of something the SDK was handed rather than called (a webhook, CONTRACT §7.1):
    /// `kind` with `code`, for `provider`'s `operation`.
    pub fn handed(
        kind: ErrorKind,
        provider: Provider,
        operation: &'static str,
        code: Option<&'static str>,
        message: String,
    ) -> Self {
        Failure { code: code.map(str::to_owned), ..Self::bare(kind, provider, operation, message) }
    }

    fn bare(kind: ErrorKind, provider: Provider, operation: &'static str, message: String) -> Self {
        Failure {
            kind,
            provider: provider.id(),
            operation,
            message,
            status: None,
            code: None,
            violations: Vec::new(),
            retry_after_ms: None,
            body: None,
            body_cut: false,
        }
    }

    /// The input broke these rules; nothing was sent.
    pub fn validation(op: &Operation, violations: Vec<Violation>) -> Self {
        let count = violations.len();
        let listed: Vec<&str> = violations.iter().take(3).map(|v| v.message.as_str()).collect();
        let more = if count > 3 { format!("; and {} more", count - 3) } else { String::new() };
        let noun = if count == 1 { "violation" } else { "violations" };
        let message = format!(
            "{} {} input is invalid ({count} {noun}): {}{more}",
            op.provider.display_name(),
            op.name,
            listed.join("; ")
        );
        Failure {
            code: Some(op.provider.validation_code().to_owned()),
            violations,
            ..Failure::new(ErrorKind::Validation, op, message)
        }
    }

    /// Whether this carries what its kind says (`ErrorKind::fields`): each field its kind
    /// always carries, and none it never does. The TypeScript types promise it.
    pub fn fits_its_kind(&self) -> bool {
        let fields = self.kind.fields();
        [
            (fields.status, self.status.is_some()),
            (fields.code, self.code.is_some()),
            (fields.violations, !self.violations.is_empty()),
            (fields.retry_after_ms, self.retry_after_ms.is_some()),
            (fields.body, self.body.is_some()),
        ]
        .into_iter()
        .all(|(carried, present)| match carried {
            Carried::Always => present,
            Carried::Maybe => true,
            Carried::Never => !present,
        })
    }

    /// Scrubs every form of the key (CONTRACT §4, redaction) from everything this carries.
    pub fn redact(&mut self, redactor: &Redactor) {
        self.message = redactor.scrub(&self.message);
        if let Some(code) = &mut self.code {
            *code = redactor.scrub(code);
        }
        match &mut self.body {
            Some(Value::String(raw)) if self.body_cut => *raw = redactor.scrub_cut(raw).into(),
            Some(body) => redact_value(body, redactor),
            None => {}
        }
        for violation in &mut self.violations {
            violation.redact(redactor);
        }
    }
}

fn redact_value(value: &mut Value, redactor: &Redactor) {
    match value {
        Value::String(s) => *s = redactor.scrub(s).into(),
        Value::Array(items) => items.iter_mut().for_each(|v| redact_value(v, redactor)),
        Value::Object(object) => {
            let redacted = object
                .iter()
                .map(|(k, v)| {
                    let mut v = v.clone();
                    redact_value(&mut v, redactor);
                    (redactor.scrub(k), v)
                })
                .collect();
            *object = redacted;
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mava;

    #[test]
    fn a_validation_failure_lists_the_first_violations() {
        let v = |m: &str| Violation::new("/x", "VALIDATION_ERROR", "", crate::violation::Keyword::Not, m);
        let failure = Failure::validation(&mava::CREATE_TICKET, vec![v("a"), v("b"), v("c"), v("d")]);
        assert_eq!(failure.kind.as_str(), "validation");
        assert_eq!(failure.message, "Mava createTicket input is invalid (4 violations): a; b; c; and 1 more");
        assert_eq!(failure.code.as_deref(), Some("VALIDATION_ERROR"));
        assert_eq!(failure.violations.len(), 4);
    }

    #[test]
    fn each_constructor_gives_what_its_kind_carries() {
        let v = Violation::new("/x", "VALIDATION_ERROR", "", crate::violation::Keyword::NotBlank, "m");
        let op = &mava::CREATE_TICKET;
        let fitting = [
            Failure::validation(op, vec![v.clone()]),
            Failure::config(Provider::Mava, "constructor", "bad".into(), vec![v.clone()]),
            Failure::relay_config("bad".into(), Vec::new()),
            Failure::handed(ErrorKind::Webhook, Provider::Mava, "verifyWebhook", Some("WEBHOOK_MALFORMED"), "m".into()),
            Failure::handed(ErrorKind::Config, Provider::Mava, "verifyWebhook", None, "m".into()),
            Failure::new(ErrorKind::Timeout, op, "slow"),
            Failure {
                status: Some(500),
                code: Some("X".into()),
                retry_after_ms: Some(1),
                ..Failure::new(ErrorKind::Api, op, "m")
            },
        ];
        for failure in &fitting {
            assert!(failure.fits_its_kind(), "{failure:?}");
        }
        let misfits = [
            Failure { violations: Vec::new(), ..Failure::validation(op, vec![v.clone()]) },
            Failure { status: Some(429), ..Failure::new(ErrorKind::Network, op, "m") },
            Failure::handed(ErrorKind::Webhook, Provider::Mava, "verifyWebhook", None, "m".into()),
            Failure { violations: vec![v], ..Failure::new(ErrorKind::Api, op, "m") },
        ];
        for failure in &misfits {
            assert!(!failure.fits_its_kind(), "{failure:?}");
        }
    }

    #[test]
    fn redaction_removes_the_key_from_message_code_and_body() {
        let mut failure = Failure::new(ErrorKind::Api, &mava::CREATE_TICKET, "bad token sk/12345 rejected");
        failure.code = Some("SK/12345".into());
        failure.body = Some(Value::from_json(r#"{"echo":{"sk/12345":["token sk%2f12345"]}}"#).unwrap());
        failure.redact(&Redactor::new("sk/12345"));
        assert_eq!(failure.message, "bad token [redacted] rejected");
        assert_eq!(failure.code.as_deref(), Some("[redacted]"));
        assert_eq!(failure.body.unwrap().to_json(), r#"{"echo":{"[redacted]":["token [redacted]"]}}"#);
    }

    #[test]
    fn a_raw_body_cut_for_size_loses_a_key_cut_in_half() {
        let mut failure = Failure::new(ErrorKind::Api, &mava::CREATE_TICKET, "failed");
        failure.body = Some(Value::String("<html>echo sk_123".into()));
        failure.body_cut = true;
        failure.redact(&Redactor::new("sk_12345"));
        assert_eq!(failure.body, Some(Value::String("<html>echo ".into())));
    }
}
