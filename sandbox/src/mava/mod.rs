//! Mava (CONTRACT §1, sources/mava-*.md): Fastify with Ajv. Its server behaviour is here: the
//! `x-auth-token` key, the rate limit, Fastify's body parser and limit ([`fastify`]), Ajv's
//! dialect, and its error bodies; its endpoints are rows in [`endpoints`].

mod endpoints;
mod fastify;
mod handlers;

pub(crate) use endpoints::ENDPOINTS;
pub(crate) use fastify::BODY_LIMIT;
pub(crate) use handlers::{agent_message, backdate};

use crate::endpoints::Mistake;
use crate::json::{obj, s};
use crate::provider::Server;
use crate::{schema, Reply};
use ticketwire::value::{Unreadable, Value};

/// Mava's server.
pub(crate) const SERVER: Server = Server {
    key: |headers| headers.get("x-auth-token").and_then(|v| v.to_str().ok()).map(str::to_owned),
    unauthorized: |_| Reply::empty(401),
    authorize: |_| Ok(()),
    rate_limited: true,
    body_limit: BODY_LIMIT,
    parse_body: fastify::parse_body,
    // Fastify validates `undefined` (`body must be object`).
    absent_body: || Value::Unreadable(Unreadable::Undefined),
    dialect: schema::FASTIFY,
    validation_code: "VALIDATION_ERROR",
    refusal,
    error,
    not_found,
    internal_error,
};

/// Mava's error body: `{ error }`.
pub(crate) fn error(status: u16, message: &str) -> Reply {
    Reply::json(status, obj([("error", s(message))]))
}

/// The first mistake: `400 { error: CODE, message: "body/… must …" }`, or the page's sentence.
fn refusal(root: &str, mistakes: &[Mistake]) -> Reply {
    let first = &mistakes[0];
    match first.sentence {
        Some(sentence) => error(400, sentence),
        None => Reply::json(400, obj([("error", s(first.code)), ("message", s(&first.text(root)))])),
    }
}

/// Fastify's own 404: no code, the message first.
fn not_found(method: &str, path: &str) -> Reply {
    Reply::json(
        404,
        obj([
            ("message", s(&format!("Route {method}:{path} not found"))),
            ("error", s("Not Found")),
            ("statusCode", Value::Number(404.0)),
        ]),
    )
}

/// The create page's `500 INTERNAL_ERROR`; the other pages publish none.
fn internal_error(endpoint: &str) -> Reply {
    match endpoint {
        "createTicket" => error(500, "INTERNAL_ERROR"),
        _ => error(500, "Internal server error"),
    }
}
