//! What comes back: a response turned into a success body or a [`Failure`], error bodies read
//! defensively (Mava codes, HelpWave sentences, Tickiti's unpublished shape), and `Retry-After`.

use crate::error::{ErrorKind, Failure, UNEXPECTED_REDIRECT};
use crate::operation::Operation;
use crate::value::Value;

/// The longest raw (non-JSON) error body kept on an error.
const MAX_RAW_BODY: usize = 8 * 1024;

/// The status a host reports for a redirect it did not follow and may not show: a browser's
/// `redirect: "manual"` answer (`type: "opaqueredirect"`, `status: 0`).
pub const OPAQUE_REDIRECT: u16 = 0;

/// One HTTP response the host received, body read whole: what the core reads, and what a
/// relay passes on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The `Retry-After` header, if any.
    pub retry_after: Option<String>,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The `x-ticketwire-capability` header a relay adds to a create's answer.
    pub capability: Option<String>,
    /// Whether a relay's conversation answer offers a WebSocket (`x-ticketwire-socket: offered`).
    pub socket_offered: bool,
    /// The body text.
    pub body: String,
}

impl Response {
    /// A response with this status and body, and no headers the SDK reads.
    pub fn new(status: u16, body: impl Into<String>) -> Response {
        Response { status, body: body.into(), ..Response::default() }
    }

    /// The same, with a `Retry-After` header.
    pub fn with_retry_after(self, retry_after: Option<&str>) -> Response {
        Response { retry_after: retry_after.map(str::to_owned), ..self }
    }
}

/// Reads a response: the JSON text of the result on success, or the typed failure (a 3xx, or
/// an opaque redirect, is `UNEXPECTED_REDIRECT`).
/// `now_ms` (Unix milliseconds) turns an HTTP-date `Retry-After` into a delay.
pub fn read_response(op: &Operation, response: &Response, now_ms: u64) -> Result<String, Failure> {
    let status = response.status;
    if (200..300).contains(&status) {
        return match Value::from_json(&response.body) {
            Ok(value) => Ok(match op.reshape {
                Some(reshape) => reshape(&value, &response.body),
                None => response.body.clone(),
            }),
            Err(_) => {
                let mut failure = api_failure(op, status, &response.body);
                failure.code = Some("INVALID_RESPONSE".to_owned());
                failure.message = format!(
                    "{} {} answered {status} with a body that is not JSON",
                    op.provider.display_name(),
                    op.name
                );
                Err(failure)
            }
        };
    }
    if status == OPAQUE_REDIRECT || (300..400).contains(&status) {
        return Err(redirected(op, status));
    }
    let mut failure = api_failure(op, status, &response.body);
    failure.retry_after_ms = response.retry_after.as_deref().and_then(|v| parse_retry_after(v, now_ms));
    if status == 429 {
        failure.kind = ErrorKind::RateLimited;
    }
    Err(failure)
}

/// A redirect (CONTRACT §6): never followed (the host fetches with `redirect: "manual"`), since
/// it would take the key, and the body, to another host; never retried; its body is not the
/// provider's answer. An opaque one has no status.
fn redirected(op: &Operation, status: u16) -> Failure {
    let what = format!("{} {}", op.provider.display_name(), op.name);
    let (status, message) = match status {
        OPAQUE_REDIRECT => (None, format!("{what} was answered with a redirect: calls never follow one")),
        _ => (Some(status), format!("{what} was answered with a redirect ({status}): calls never follow one")),
    };
    Failure { status, code: Some(UNEXPECTED_REDIRECT.to_owned()), ..Failure::new(ErrorKind::Api, op, message) }
}

fn api_failure(op: &Operation, status: u16, text: &str) -> Failure {
    let (code, detail, body) = read_error_body(text);
    let code = code.or_else(|| op.provider.code_for_status(status).map(str::to_owned));
    let mut message = format!("{} {} failed: {status}", op.provider.display_name(), op.name);
    match (&code, &detail) {
        (Some(code), Some(detail)) if code != detail => message.push_str(&format!(" {code}: {detail}")),
        (Some(code), _) => message.push_str(&format!(" {code}")),
        (None, Some(detail)) => message.push_str(&format!(" {detail}")),
        (None, None) => message.push_str(&format!(" {}", status_text(status))),
    }
    let body_cut = matches!(&body, Some(Value::String(raw)) if raw.len() < text.len());
    Failure { status: Some(status), code, body, body_cut, ..Failure::new(ErrorKind::Api, op, message) }
}

/// Reads an error body: (code or sentence, detail message, the body to keep).
/// JSON objects give `error`/`code` and `message`; anything else is kept as raw text, cut
/// at [`MAX_RAW_BODY`] characters.
pub fn read_error_body(text: &str) -> (Option<String>, Option<String>, Option<Value>) {
    if text.trim().is_empty() {
        return (None, None, None);
    }
    let Ok(value) = Value::from_json(text) else {
        let raw: String = text.chars().take(MAX_RAW_BODY).collect();
        return (None, None, Some(Value::String(raw.into())));
    };
    let Some(object) = value.as_object() else {
        return (None, None, Some(value));
    };
    let text_of = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    // Tickiti's shape is unpublished: `error` may itself be an object holding the code.
    let nested = object.get("error").and_then(Value::as_object);
    let code = text_of(object.get("error"))
        .or_else(|| text_of(object.get("code")))
        .or_else(|| nested.and_then(|n| text_of(n.get("code"))));
    let detail = text_of(object.get("message")).or_else(|| nested.and_then(|n| text_of(n.get("message"))));
    (code, detail, Some(value))
}

/// `Retry-After` as milliseconds: delta-seconds or an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn parse_retry_after(value: &str, now_ms: u64) -> Option<u64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse::<u64>().ok().map(|s| s.saturating_mul(1000));
    }
    let at_ms = parse_imf_fixdate(value)?;
    Some(at_ms.saturating_sub(now_ms))
}

fn parse_imf_fixdate(value: &str) -> Option<u64> {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let parts: Vec<&str> = value.split(' ').collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = MONTHS.iter().position(|m| m == month)? + 1;
    let iso = format!("{year}-{month:02}-{day}T{time}Z");
    let at = crate::rules::date::parse(&iso, false)?;
    u64::try_from(at.secs).ok().map(|s| s * 1000)
}

fn status_text(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized (check the API key)",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        409 => "Conflict",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mava;

    fn fail(status: u16, body: &str) -> Failure {
        read_response(&mava::CREATE_TICKET, &Response::new(status, body), 0).unwrap_err()
    }

    #[test]
    fn a_success_body_passes_through_byte_for_byte() {
        let body = r#"{ "ticket": {"_id":"6650a1b2c3d4e5f678901234"} }"#;
        let ok = read_response(&mava::CREATE_TICKET, &Response::new(201, body), 0);
        assert_eq!(ok, Ok(body.to_owned()));
    }

    #[test]
    fn a_mava_code_and_message_are_read() {
        let f = fail(
            400,
            r#"{"error":"VALIDATION_ERROR","message":"body/priority must be equal to one of the allowed values"}"#,
        );
        assert_eq!(f.kind, ErrorKind::Api);
        assert_eq!(f.status, Some(400));
        assert_eq!(f.code.as_deref(), Some("VALIDATION_ERROR"));
        assert_eq!(
            f.message,
            "Mava createTicket failed: 400 VALIDATION_ERROR: body/priority must be equal to one of the allowed values"
        );
    }

    #[test]
    fn a_sentence_error_is_the_code() {
        let f = fail(400, r#"{"error":"Ticket not found"}"#);
        assert_eq!(f.code.as_deref(), Some("Ticket not found"));
        assert_eq!(f.message, "Mava createTicket failed: 400 Ticket not found");
    }

    #[test]
    fn an_empty_401_still_says_what_happened() {
        let f = fail(401, "");
        assert_eq!((f.status, f.code.clone(), f.body.clone()), (Some(401), None, None));
        assert_eq!(f.message, "Mava createTicket failed: 401 Unauthorized (check the API key)");
    }

    #[test]
    fn non_json_and_truncated_bodies_are_kept_as_raw_text() {
        let f = fail(502, "<html>Bad Gateway</html>");
        assert_eq!(f.body, Some(Value::String("<html>Bad Gateway</html>".into())));
        assert_eq!(f.code, None);
        assert_eq!(f.message, "Mava createTicket failed: 502 Bad Gateway");
        let f = fail(500, r#"{"error":"INTERNAL_ER"#);
        assert_eq!(f.body, Some(Value::String(r#"{"error":"INTERNAL_ER"#.into())));
        let huge = "x".repeat(100_000);
        assert_eq!(fail(500, &huge).body, Some(Value::String("x".repeat(8 * 1024).into())));
    }

    #[test]
    fn nested_and_code_shaped_bodies_are_read_defensively() {
        let f = fail(422, r#"{"error":{"code":"validation_failed","message":"queue unknown"},"errors":{"q":["x"]}}"#);
        assert_eq!(f.code.as_deref(), Some("validation_failed"));
        assert_eq!(f.message, "Mava createTicket failed: 422 validation_failed: queue unknown");
        let f = fail(409, r#"{"code":"idempotency_key_conflict"}"#);
        assert_eq!(f.code.as_deref(), Some("idempotency_key_conflict"));
    }

    #[test]
    fn a_429_is_rate_limited_with_its_retry_after() {
        let f =
            read_response(&mava::CREATE_TICKET, &Response::new(429, "").with_retry_after(Some("7")), 0).unwrap_err();
        assert_eq!((f.kind, f.retry_after_ms), (ErrorKind::RateLimited, Some(7000)));
    }

    #[test]
    fn a_2xx_body_that_is_not_json_is_an_api_error() {
        let f = fail(201, "<html>");
        assert_eq!((f.kind, f.code.as_deref()), (ErrorKind::Api, Some("INVALID_RESPONSE")));
        assert_eq!(f.message, "Mava createTicket answered 201 with a body that is not JSON");
    }

    #[test]
    fn a_redirect_is_unexpected_whatever_it_says_and_an_opaque_one_has_no_status() {
        for status in [300, 301, 302, 303, 304, 307, 308] {
            let response = Response::new(status, r#"{"ticket":{"_id":"6650a1b2c3d4e5f678901234"}}"#);
            let f = read_response(&mava::CREATE_TICKET, &response, 0).unwrap_err();
            assert_eq!(
                (f.kind, f.status, f.code.as_deref()),
                (ErrorKind::Api, Some(status), Some("UNEXPECTED_REDIRECT")),
                "{status}"
            );
            assert_eq!(
                f.message,
                format!("Mava createTicket was answered with a redirect ({status}): calls never follow one")
            );
            assert_eq!(f.body, None, "{status}: a redirect's body is not the provider's answer");
        }
        // A browser's `redirect: "manual"` hides the redirect: `type: "opaqueredirect"`, status 0.
        let f = read_response(&mava::CREATE_TICKET, &Response::new(OPAQUE_REDIRECT, ""), 0).unwrap_err();
        assert_eq!((f.kind, f.status, f.code.as_deref()), (ErrorKind::Api, None, Some("UNEXPECTED_REDIRECT")));
        assert_eq!(f.message, "Mava createTicket was answered with a redirect: calls never follow one");
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(parse_retry_after("30", 0), Some(30_000));
        assert_eq!(parse_retry_after(" 0 ", 0), Some(0));
        let now = 784_111_777_000 - 5_000; // five seconds before the date below
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), Some(5_000));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now + 60_000), Some(0));
        for bad in ["", "-1", "1.5", "soon", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 31 Feb 1994 08:49:37 GMT"] {
            assert_eq!(parse_retry_after(bad, 0), None, "{bad}");
        }
    }
}
