//! Tickiti (CONTRACT §3): a Laravel server. Its server behaviour is here: the bearer key and
//! its `create-ticket` ability, JSON-only bodies, a validator that lists every field's errors,
//! and its `{ message }` and `{ code, message }` bodies; its endpoints are rows in
//! [`endpoints`].

mod endpoints;
mod handlers;

pub(crate) use endpoints::ENDPOINTS;

use crate::endpoints::Mistake;
use crate::json::{obj, s};
use crate::provider::Server;
use crate::schema::Dialect;
use crate::{body, mava, Reply};
use ticketwire::value::{Object, Value};

/// Tickiti's server.
pub(crate) const SERVER: Server = Server {
    key: |headers| {
        let authorization = headers.get("authorization").and_then(|v| v.to_str().ok());
        authorization.and_then(|v| v.strip_prefix("Bearer ").map(str::to_owned))
    },
    unauthorized: |_| Reply::json(401, obj([("code", s("unauthenticated")), ("message", s("Unauthenticated."))])),
    authorize: |abilities| match abilities.split(',').any(|a| a == "create-ticket") {
        true => Ok(()),
        false => Err(Reply::json(403, obj([("code", s("forbidden")), ("message", s("This action is unauthorized."))]))),
    },
    rate_limited: false,
    // Not published: Mava's.
    body_limit: mava::BODY_LIMIT,
    parse_body: |headers, raw| body::json_only(headers, raw, error),
    // Laravel reads an absent body as no fields.
    absent_body: || Value::Object(Object::new()),
    // Handlers that pick the fields they know: the rest is ignored, types are not coerced.
    dialect: Dialect { coerce: false, remove_additional: true, all_errors: true },
    validation_code: "validation_failed",
    refusal,
    error,
    not_found: |_, _| error(404, "Not found"),
    internal_error: |_| error(500, "Server Error"),
};

/// Tickiti's error body: `{ message }`.
fn error(status: u16, message: &str) -> Reply {
    Reply::json(status, obj([("message", s(message))]))
}

/// Laravel's shape: `422`, every field with its messages, keyed by dotted path.
fn refusal(root: &str, mistakes: &[Mistake]) -> Reply {
    let mut errors = Object::new();
    for m in mistakes {
        let key = m.path.trim_start_matches('/').replace('/', ".");
        let key = if key.is_empty() { "payload".to_owned() } else { key };
        let mut list = match errors.get(&key) {
            Some(Value::Array(list)) => list.clone(),
            _ => Vec::new(),
        };
        list.push(s(&m.text(root)));
        errors.insert(key, Value::Array(list));
    }
    Reply::json(
        422,
        obj([
            ("code", s("validation_failed")),
            ("message", s("The given data was invalid.")),
            ("errors", Value::Object(errors)),
        ]),
    )
}
