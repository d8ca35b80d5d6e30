//! The sandbox's own routes under `/_sandbox/`: faults, row counts, a reset, Mava's rate limit,
//! backdated Mava tickets, Mava's webhooks and an agent's messages in Mava's dashboard. None of
//! them is any provider's; all answer plain JSON.

use crate::faults::{self, Fault};
use crate::pipeline::{lock, Sandbox};
use crate::rate_limit::RateLimiter;
use crate::reply::json_response;
use crate::{dates, db, json, mava};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use ticketwire::value::Value;

/// `POST /_sandbox/faults`: arms the fault the body describes.
pub(crate) async fn add_fault(State(sb): State<Arc<Sandbox>>, body: Bytes) -> Response {
    let parsed = Value::from_json(&String::from_utf8_lossy(&body)).map_err(|e| e.reason.to_owned());
    match parsed.and_then(|v| Fault::from_json(&v)) {
        Ok(fault) => {
            sb.arm(fault);
            json_response(201, faults::armed(&lock(&sb.faults)))
        }
        Err(why) => json_response(400, json::obj([("error", json::s(&why))])),
    }
}

/// `DELETE /_sandbox/faults`: disarms them all.
pub(crate) async fn clear_faults(State(sb): State<Arc<Sandbox>>) -> Response {
    lock(&sb.faults).clear();
    json_response(200, faults::armed(&lock(&sb.faults)))
}

/// `GET /_sandbox/counts?org=acme`: rows per table.
pub(crate) async fn counts(State(sb): State<Arc<Sandbox>>, Query(query): Query<HashMap<String, String>>) -> Response {
    let org = query.get("org").map_or("acme", String::as_str);
    match db::counts(&sb.db(), org) {
        Ok(rows) => json_response(
            200,
            Value::Object(rows.into_iter().map(|(t, n)| (t.to_owned(), Value::Number(n as f64))).collect()),
        ),
        Err(e) => json_response(500, json::obj([("error", json::s(&e.to_string()))])),
    }
}

/// `POST /_sandbox/reset`: a fresh, seeded database, no faults and an empty delivery log (the
/// webhook URL and key stay).
pub(crate) async fn reset(State(sb): State<Arc<Sandbox>>) -> Response {
    let fresh = match &sb.db_path {
        Some(path) => {
            let _ = std::fs::remove_file(path);
            db::open(Some(path))
        }
        None => db::open(None),
    };
    match fresh {
        Ok(conn) => {
            *sb.db() = conn;
            lock(&sb.faults).clear();
            sb.webhooks.clear_faults();
            json_response(200, json::obj([("reset", Value::Bool(true))]))
        }
        Err(e) => json_response(500, json::obj([("error", json::s(&e.to_string()))])),
    }
}

/// `{ requests, windowMs, admitted, refused }`: Mava's limit, and what it admitted and answered
/// 429 since it was set (for benchmarks of client-side pacing).
pub(crate) async fn rate_limit_counts(State(sb): State<Arc<Sandbox>>) -> Response {
    let limiter = lock(&sb.limiter);
    let n = |v: u64| Value::Number(v as f64);
    json_response(
        200,
        json::obj([
            ("requests", n(limiter.requests as u64)),
            ("windowMs", n(limiter.window.as_millis() as u64)),
            ("admitted", n(limiter.admitted)),
            ("refused", n(limiter.refused)),
        ]),
    )
}

/// `POST /_sandbox/rate-limit {"requests":90,"windowMs":30000}`: a new limit, counts from zero.
pub(crate) async fn set_rate_limit(State(sb): State<Arc<Sandbox>>, body: Bytes) -> Response {
    let value = Value::from_json(&String::from_utf8_lossy(&body)).unwrap_or(Value::Null);
    let number = |k: &str| {
        value.as_object().and_then(|o| o.get(k)).and_then(|v| if let Value::Number(n) = v { Some(*n) } else { None })
    };
    match (number("requests"), number("windowMs")) {
        (Some(requests), Some(window)) if requests >= 1.0 && window >= 1.0 => {
            *lock(&sb.limiter) = RateLimiter::new(requests as usize, Duration::from_millis(window as u64));
            json_response(200, value)
        }
        _ => json_response(400, json::obj([("error", json::s("send { requests, windowMs }, both at least 1"))])),
    }
}

/// `{ "org": "acme", "createdAt": ["2023-05-01T00:00:00Z", …] }`: Mava tickets created at those
/// moments (the API itself always creates them now), for tests of date ranges and paging.
pub(crate) async fn backdate_mava_tickets(State(sb): State<Arc<Sandbox>>, body: Bytes) -> Response {
    let value = Value::from_json(&String::from_utf8_lossy(&body)).unwrap_or(Value::Null);
    let object = value.as_object().cloned().unwrap_or_default();
    let org = json::text(&object, "org").unwrap_or("acme").to_owned();
    let moments: Vec<i64> = match object.get("createdAt") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().and_then(|t| dates::parse(t, true)))
            .map(|nanos| (nanos / 1_000_000) as i64)
            .collect(),
        _ => Vec::new(),
    };
    let mut conn = sb.db();
    match mava::backdate(&mut conn, &org, &moments) {
        Ok(ids) => json_response(201, json::obj([("ids", Value::Array(ids.iter().map(|id| json::s(id)).collect()))])),
        Err(e) => json_response(400, json::obj([("error", json::s(&e.to_string()))])),
    }
}

/// `GET /_sandbox/webhooks`: `{ url, signingKey, faults, retryMs, deliveries }`, so a test or a
/// relay can read the run's signing key, and a test what each try got (the receiver's status).
pub(crate) async fn webhooks(State(sb): State<Arc<Sandbox>>) -> Response {
    json_response(200, sb.webhooks.to_json())
}

/// `POST /_sandbox/webhooks {"url": "http://…" | null, "faults": {"duplicate": 1, "tampered": 1,
/// "delayed": 1, "delayMs": 2000}, "retryMs": 1000}`: sets the URL (null: none), the delivery
/// faults (each a count of the next events it applies to) and the gap between tries (Mava's is
/// about a second); a field left out is kept.
pub(crate) async fn set_webhooks(State(sb): State<Arc<Sandbox>>, body: Bytes) -> Response {
    let value = Value::from_json(&String::from_utf8_lossy(&body)).unwrap_or(Value::Null);
    let Some(object) = value.as_object() else {
        return json_response(400, json::obj([("error", json::s("send { url, faults, retryMs }"))]));
    };
    match sb.webhooks.configure(object) {
        Ok(()) => json_response(200, sb.webhooks.to_json()),
        Err(why) => json_response(400, json::obj([("error", json::s(&why))])),
    }
}

/// `POST /_sandbox/mava/tickets/{ticketId}/messages {"content": "…", "internal": false}`: an
/// agent answers in Mava's dashboard (`internal`: an internal note), which the API cannot do
/// (its send message speaks as the business). Answers `201 { message }`, the message as its
/// `message.created` webhook carries it; the webhook is sent once the message is committed.
pub(crate) async fn agent_message(State(sb): State<Arc<Sandbox>>, Path(ticket): Path<String>, body: Bytes) -> Response {
    let value = Value::from_json(&String::from_utf8_lossy(&body)).unwrap_or(Value::Null);
    let object = value.as_object().cloned().unwrap_or_default();
    let content = match object.get("content") {
        Some(Value::String(text)) if !text.is_empty() => text.to_string(),
        _ => {
            return json_response(400, json::obj([("error", json::s("send { content, internal? }: content is text"))]))
        }
    };
    let internal = match object.get("internal") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return json_response(400, json::obj([("error", json::s("'internal' is a boolean"))])),
    };
    let events = RefCell::new(Vec::new());
    let written = {
        let mut conn = sb.db();
        let input = ticketwire::value::Object::new();
        let request = crate::endpoints::Request {
            org: "",
            input: &input,
            idempotency_key: None,
            now: db::now_ms(),
            events: sb.webhooks.enabled().then_some(&events),
        };
        let written = match conn.transaction() {
            Ok(tx) => match mava::agent_message(&tx, &request, &ticket, &content, internal) {
                Ok(Some(message)) => tx.commit().map(|()| Some(message)).map_err(|e| e.to_string()),
                Ok(None) => Ok(None),
                Err(reply) => Err(reply.body.unwrap_or_default()),
            },
            Err(e) => Err(e.to_string()),
        };
        written
    };
    match written {
        Ok(Some(message)) => {
            sb.webhooks.send(events.into_inner());
            json_response(201, json::obj([("message", message)]))
        }
        Ok(None) => json_response(404, json::obj([("error", json::s("no such Mava ticket"))])),
        Err(why) => json_response(500, json::obj([("error", json::s(&why))])),
    }
}
