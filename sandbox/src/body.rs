//! Request bodies: read off the connection up to a provider's limit, and the plain JSON parser
//! of the providers that publish none of their own (HelpWave, Tickiti).

use crate::Reply;
use axum::body::{Body, Bytes};
use axum::http::HeaderMap;
use ticketwire::value::Value;

/// A request body as read off the connection.
pub(crate) enum RawBody {
    /// Within the limit.
    Bytes(Bytes),
    /// Over the provider's limit, by its `content-length` or as it streamed (not read further).
    TooLarge,
}

/// Reads a body up to `limit`: one whose `content-length` says more is not read at all.
pub(crate) async fn read(headers: &HeaderMap, body: Body, limit: usize) -> RawBody {
    let declared = headers.get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return RawBody::TooLarge;
    }
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => RawBody::Bytes(bytes),
        Err(_) => RawBody::TooLarge,
    }
}

/// The media type of a `content-type` (lower case, parameters dropped); `None` when absent.
pub(crate) fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("content-type")?.to_str().unwrap_or("");
    Some(value.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

/// JSON only, answered in the provider's `error` format: an empty body is none, any other
/// media type `415`, bad UTF-8 or JSON `400`, too large `413` (none of it published).
pub(crate) fn json_only(
    headers: &HeaderMap,
    raw: &RawBody,
    error: fn(u16, &str) -> Reply,
) -> Result<Option<Value>, Reply> {
    let bytes = match raw {
        RawBody::TooLarge => return Err(error(413, "Payload Too Large")),
        RawBody::Bytes(bytes) => bytes,
    };
    if bytes.is_empty() {
        return Ok(None);
    }
    if media_type(headers).as_deref() != Some("application/json") {
        let given = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("none");
        return Err(error(415, &format!("Unsupported Media Type: {given}")));
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(error(400, "The request body is not valid UTF-8"));
    };
    match Value::from_json(text) {
        Ok(value) => Ok(Some(value)),
        Err(_) => Err(error(400, "The request body is not valid JSON")),
    }
}
