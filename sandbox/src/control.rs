//! The sandbox's own routes under `/_sandbox/`: faults, row counts, a reset, Mava's rate limit,
//! and backdated Mava tickets. None of them is any provider's; all answer plain JSON.

use crate::faults::{self, Fault};
use crate::pipeline::{lock, Sandbox};
use crate::rate_limit::RateLimiter;
use crate::reply::json_response;
use crate::{dates, db, json, mava};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::Response;
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

/// `POST /_sandbox/reset`: a fresh, seeded database, and no faults.
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
