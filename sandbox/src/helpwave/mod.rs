//! HelpWave (CONTRACT §2): an Express server that publishes little of its framework. Its server
//! behaviour is here: the `x-api-key` (or bearer) key, JSON-only bodies, a validator that
//! neither coerces nor lists more than one error, and its `{ error: sentence }` bodies; its
//! endpoints are rows in [`endpoints`].

mod endpoints;
mod handlers;

pub(crate) use endpoints::ENDPOINTS;

use crate::endpoints::Mistake;
use crate::json::{obj, s};
use crate::provider::Server;
use crate::schema::Dialect;
use crate::{body, mava, Reply};
use axum::http::HeaderMap;
use ticketwire::value::{Object, Value};

/// HelpWave's server.
pub(crate) const SERVER: Server = Server {
    key,
    unauthorized: |key_given| error(401, if key_given { "Unauthorized - Invalid API key" } else { "Missing API key" }),
    authorize: |_| Ok(()),
    rate_limited: false,
    // Not published: Mava's.
    body_limit: mava::BODY_LIMIT,
    parse_body: |headers, raw| body::json_only(headers, raw, error),
    // Express reads an absent body as no fields.
    absent_body: || Value::Object(Object::new()),
    // Handlers that pick the fields they know: the rest is ignored, types are not coerced.
    dialect: Dialect { coerce: false, remove_additional: true, all_errors: false },
    validation_code: "VALIDATION_ERROR",
    refusal,
    error,
    not_found: |_, _| error(404, "Not found"),
    internal_error: |_| error(500, "Internal server error"),
};

/// `x-api-key`, or a bearer token.
fn key(headers: &HeaderMap) -> Option<String> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    header("x-api-key").or_else(|| header("authorization").and_then(|v| v.strip_prefix("Bearer ").map(str::to_owned)))
}

/// HelpWave's error body: `{ error: sentence }`.
fn error(status: u16, message: &str) -> Reply {
    Reply::json(status, obj([("error", s(message))]))
}

/// The first mistake, as the page's sentence or worded as Ajv.
fn refusal(root: &str, mistakes: &[Mistake]) -> Reply {
    let first = &mistakes[0];
    error(400, first.sentence.map_or_else(|| first.text(root), str::to_owned).as_str())
}
