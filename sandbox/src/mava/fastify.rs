//! Fastify's content-type parser and body limit, as Mava's server reads bodies, and the error
//! body Fastify answers with when it cannot (its default error handler; whether Mava's own
//! handler rewrites these is not published).

use crate::body::{media_type, RawBody};
use crate::json::s;
use crate::Reply;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use ticketwire::value::{Object, Value};

/// Fastify's default `bodyLimit` (1 MiB).
pub(crate) const BODY_LIMIT: usize = 1 << 20;

/// The headers' value for `name`, as text.
fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Fastify's own error body: `{ statusCode, code, error, message }`.
fn error(status: u16, code: Option<&str>, message: &str) -> Reply {
    let reason = StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error");
    let mut o = Object::new();
    o.insert("statusCode", Value::Number(f64::from(status)));
    if let Some(code) = code {
        o.insert("code", s(code));
    }
    o.insert("error", s(reason));
    o.insert("message", s(message));
    Reply::json(status, Value::Object(o))
}

/// The body as Fastify's parsers read it (`None`: there is none), or Fastify's answer when it
/// cannot be read: `application/json` and `text/plain` only.
pub(super) fn parse_body(headers: &HeaderMap, raw: &RawBody) -> Result<Option<Value>, Reply> {
    let bytes = match raw {
        RawBody::TooLarge => return Err(error(413, Some("FST_ERR_CTP_BODY_TOO_LARGE"), "Request body is too large")),
        RawBody::Bytes(bytes) => bytes,
    };
    let media = media_type(headers);
    let text_body = match media.as_deref() {
        // No content type and no body: Fastify runs the handler with `body` undefined.
        None if bytes.is_empty() => return Ok(None),
        Some("application/json") | Some("text/plain") => text(headers, bytes)?,
        _ => {
            let given = header(headers, "content-type").unwrap_or("undefined");
            return Err(error(
                415,
                Some("FST_ERR_CTP_INVALID_MEDIA_TYPE"),
                &format!("Unsupported Media Type: {given}"),
            ));
        }
    };
    if media.as_deref() == Some("text/plain") {
        return Ok(Some(Value::String(text_body.into()))); // Fastify's default text parser
    }
    if text_body.is_empty() {
        let message = "Body cannot be empty when content-type is set to 'application/json'";
        return Err(error(400, Some("FST_ERR_CTP_EMPTY_JSON_BODY"), message));
    }
    let value = Value::from_json(&text_body)
        .map_err(|e| error(400, None, &format!("Body is not valid JSON: {} at position {}", e.reason, e.offset)))?;
    // secure-json-parse, which Fastify parses with, refuses prototype poisoning.
    if poisoned(&value) {
        return Err(error(400, None, "Object contains forbidden prototype property"));
    }
    Ok(Some(value))
}

/// The body as Fastify's string parsers read it: decoded as UTF-8 with U+FFFD for bad bytes,
/// then `400` when the decoded length no longer matches `content-length` (which is how a body
/// that is not UTF-8 gets its `400`: a replaced byte grows to three).
fn text(headers: &HeaderMap, bytes: &Bytes) -> Result<String, Reply> {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let declared = header(headers, "content-length").and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n != text.len()) {
        let message = "Request body size did not match Content-Length";
        return Err(error(400, Some("FST_ERR_CTP_INVALID_CONTENT_LENGTH"), message));
    }
    Ok(text)
}

/// Whether a value holds a `__proto__` key, or `constructor.prototype`, at any depth.
fn poisoned(value: &Value) -> bool {
    match value {
        Value::Array(items) => items.iter().any(poisoned),
        Value::Object(o) => o.iter().any(|(k, v)| {
            k == "__proto__"
                || (k == "constructor" && v.as_object().is_some_and(|c| c.get("prototype").is_some()))
                || poisoned(v)
        }),
        _ => false,
    }
}
