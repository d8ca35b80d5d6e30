//! A local sandbox of the Mava, HelpWave and Tickiti APIs, side by side on one port
//! (`/mava/api/…`, `/helpwave/api/v1/…`, `/tickiti/api/…`), backed by SQLite.
//!
//! Every request runs in one transaction. It is checked as the provider's server checks it,
//! from the sandbox's own endpoint descriptions ([`endpoints`], `sandbox/schemas/`), never the
//! SDK's tables, and answered in the provider's own error format. Faults can be injected
//! through `/_sandbox/faults`.

pub mod dates;
pub mod db;
pub mod endpoints;
pub mod faults;
mod helpwave;
mod json;
mod mava;
pub mod rate_limit;
mod route;
pub mod schema;
mod tickiti;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{any, get, post};
use axum::Router;
use endpoints::{Endpoint, Provider};
use faults::{Drop, Fault, Faults};
use rate_limit::RateLimiter;
use rusqlite::Connection;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use ticketwire::value::{Object, Value};
use tower_http::cors::CorsLayer;

/// The sandbox's state: its database, armed faults and Mava's rate limiter.
pub struct Sandbox {
    db: Mutex<Connection>,
    db_path: Option<String>,
    faults: Mutex<Faults>,
    limiter: Mutex<RateLimiter>,
}

/// What a request gets back, before faults mangle it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body, if any.
    pub body: Option<String>,
    /// Extra headers (`retry-after`).
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    /// A JSON reply.
    pub fn json(status: u16, value: Value) -> Reply {
        Reply { status, body: Some(value.to_json()), headers: Vec::new() }
    }

    /// A reply with no body.
    pub fn empty(status: u16) -> Reply {
        Reply { status, body: None, headers: Vec::new() }
    }
}

/// The parts of an HTTP request the pipeline reads.
struct Incoming<'a> {
    method: &'a str,
    /// The path under the provider's prefix (`/api/ticket`).
    path: &'a str,
    query: &'a str,
    headers: &'a HeaderMap,
    body: &'a RawBody,
}

/// Fastify's default `bodyLimit` (1 MiB), Mava's; HelpWave and Tickiti publish none.
pub const BODY_LIMIT: usize = 1 << 20;

/// A request body as read off the connection.
pub enum RawBody {
    /// Within the limit.
    Bytes(Bytes),
    /// Over [`BODY_LIMIT`], by its `content-length` or as it streamed (not read further).
    TooLarge,
}

/// What the handler decided: a reply, or a cut connection.
enum Ending {
    Reply(Reply),
    Dropped,
}

/// Facts of one request a provider handler needs.
pub struct Request<'a> {
    /// The caller's organisation.
    pub org: &'a str,
    /// The validated input.
    pub input: &'a Object,
    /// The `Idempotency-Key` header.
    pub idempotency_key: Option<&'a str>,
    /// Now, in Unix milliseconds.
    pub now: i64,
}

impl Sandbox {
    /// A sandbox over the database at `db_path` (in memory when `None`), with Mava's limit of
    /// `requests` per `window` per key.
    pub fn new(db_path: Option<&str>, requests: usize, window: Duration) -> rusqlite::Result<Arc<Sandbox>> {
        Ok(Arc::new(Sandbox {
            db: Mutex::new(db::open(db_path)?),
            db_path: db_path.map(str::to_owned),
            faults: Mutex::new(Faults::default()),
            limiter: Mutex::new(RateLimiter::new(requests, window)),
        }))
    }

    /// The database, for tests that count rows.
    pub fn db(&self) -> MutexGuard<'_, Connection> {
        lock(&self.db)
    }

    /// Arms a fault.
    pub fn arm(&self, fault: Fault) {
        lock(&self.faults).push(fault);
    }

    fn handle(&self, provider: Provider, http: &Incoming, fault: Option<&Fault>) -> Ending {
        let Incoming { method, path, query, headers, body } = *http;
        let Some((endpoint, params)) = endpoints::find(provider, method, path) else {
            return Ending::Reply(not_found(provider, method, path));
        };
        let mut conn = lock(&self.db);
        let key = api_key(provider, headers);
        let Some((org, abilities)) = key.as_deref().and_then(|k| db::key_owner(&conn, provider.id(), k)) else {
            return Ending::Reply(unauthorized(provider, key.is_some()));
        };
        if provider == Provider::Mava {
            if let Err(seconds) = lock(&self.limiter).check(key.as_deref().unwrap_or(""), Instant::now()) {
                let mut reply = error(provider, 429, "Too Many Requests");
                reply.headers.push(("retry-after", seconds.to_string()));
                return Ending::Reply(reply);
            }
        }
        if provider == Provider::Tickiti && !abilities.split(',').any(|a| a == "create-ticket") {
            return Ending::Reply(Reply::json(
                403,
                json::obj([("code", json::s("forbidden")), ("message", json::s("This action is unauthorized."))]),
            ));
        }
        // As the servers' lifecycles go: the route, auth and the limit, then the body is read.
        let body = match decode(provider, method, headers, body) {
            Ok(body) => body,
            Err(reply) => return Ending::Reply(reply),
        };
        let input = match endpoints::check(endpoint, &params, query, body) {
            Ok(accepted) => accepted.input,
            Err(refused) => return Ending::Reply(refused.reply),
        };
        let request = Request {
            org: &org,
            input: &input,
            idempotency_key: headers.get("idempotency-key").and_then(|v| v.to_str().ok()),
            now: db::now_ms(),
        };
        let Ok(tx) = conn.transaction() else { return Ending::Reply(internal_error(provider, endpoint)) };
        let result = match provider {
            Provider::Mava => mava::handle(endpoint.name, &tx, &request),
            Provider::HelpWave => helpwave::handle(endpoint.name, &tx, &request),
            Provider::Tickiti => tickiti::handle(endpoint.name, &tx, &request),
        };
        // Dropping `tx` without commit rolls every write of this request back.
        let reply = match result {
            Err(reply) => return Ending::Reply(reply),
            Ok(reply) => reply,
        };
        match fault {
            Some(f) if f.after_writes => {
                let status = f.status.unwrap_or(500);
                let mut reply = if status == 500 {
                    internal_error(provider, endpoint)
                } else {
                    error(provider, status, "Injected failure")
                };
                if let Some(retry_after) = &f.retry_after {
                    reply.headers.push(("retry-after", retry_after.clone()));
                }
                Ending::Reply(reply)
            }
            Some(Fault { drop: Some(Drop::BeforeCommit), .. }) => Ending::Dropped,
            Some(Fault { drop: Some(Drop::AfterCommit), .. }) => match tx.commit() {
                Ok(()) => Ending::Dropped,
                Err(_) => Ending::Reply(internal_error(provider, endpoint)),
            },
            _ => match tx.commit() {
                Ok(()) => Ending::Reply(reply),
                Err(_) => Ending::Reply(internal_error(provider, endpoint)),
            },
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The router: the three APIs, the control routes, and CORS for browser tests.
pub fn app(sandbox: Arc<Sandbox>) -> Router {
    Router::new()
        .route("/{provider}/{*rest}", any(serve))
        .route("/_sandbox/faults", post(add_fault).delete(clear_faults))
        .route("/_sandbox/counts", get(counts))
        .route("/_sandbox/reset", post(reset))
        .route("/_sandbox/rate-limit", post(set_rate_limit).get(rate_limit_counts))
        .route("/_sandbox/mava/tickets", post(backdate_mava_tickets))
        .layer(CorsLayer::very_permissive().expose_headers([axum::http::header::RETRY_AFTER]))
        .with_state(sandbox)
}

/// Every provider's API: `/mava/…`, `/helpwave/…`, `/tickiti/…`.
async fn serve(
    State(sb): State<Arc<Sandbox>>,
    Path((provider, _)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(provider) = Provider::from_id(&provider) else {
        return json_response(
            404,
            json::obj([("error", json::s("no such provider: use /mava, /helpwave or /tickiti"))]),
        );
    };
    let path = uri.path().strip_prefix(&format!("/{}", provider.id())).unwrap_or("").to_owned();
    let fault = lock(&sb.faults).take(provider.id(), method.as_str(), &path);
    if let Some(f) = &fault {
        if f.delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(f.delay_ms)).await;
        }
        if let Some(status) = f.status.filter(|_| !f.after_writes) {
            let mut reply = error(provider, status, status_text(status));
            if let Some(retry_after) = &f.retry_after {
                reply.headers.push(("retry-after", retry_after.clone()));
            }
            return respond(Ending::Reply(reply), fault.as_ref());
        }
    }
    let body = read_body(&headers, body).await;
    let http = Incoming {
        method: method.as_str(),
        path: &path,
        query: uri.query().unwrap_or(""),
        headers: &headers,
        body: &body,
    };
    let ending = sb.handle(provider, &http, fault.as_ref());
    respond(ending, fault.as_ref())
}

/// Reads a body up to [`BODY_LIMIT`]: one whose `content-length` says more is not read at all.
async fn read_body(headers: &HeaderMap, body: Body) -> RawBody {
    let declared = headers.get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        return RawBody::TooLarge;
    }
    match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => RawBody::Bytes(bytes),
        Err(_) => RawBody::TooLarge,
    }
}

/// The media type of a `content-type` (lower case, parameters dropped); `None` when absent.
fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("content-type")?.to_str().unwrap_or("");
    Some(value.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

/// Fastify's own error body (its default error handler): `{ statusCode, code, error, message }`.
fn fastify_error(status: u16, code: Option<&str>, message: &str) -> Reply {
    let reason = StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error");
    let mut o = Object::new();
    o.insert("statusCode", Value::Number(f64::from(status)));
    if let Some(code) = code {
        o.insert("code", json::s(code));
    }
    o.insert("error", json::s(reason));
    o.insert("message", json::s(message));
    Reply::json(status, Value::Object(o))
}

/// The body as the provider's server reads it (`None`: there is none), or its answer when it
/// cannot be read. Mava is Fastify's content-type parser; HelpWave and Tickiti publish nothing,
/// so they take JSON only, in their own error format.
fn decode(provider: Provider, method: &str, headers: &HeaderMap, raw: &RawBody) -> Result<Option<Value>, Reply> {
    if method == "GET" {
        return Ok(None); // neither server reads a GET's body
    }
    let bytes = match raw {
        RawBody::TooLarge if provider == Provider::Mava => {
            return Err(fastify_error(413, Some("FST_ERR_CTP_BODY_TOO_LARGE"), "Request body is too large"))
        }
        RawBody::TooLarge => return Err(error(provider, 413, "Payload Too Large")),
        RawBody::Bytes(bytes) => bytes,
    };
    let media = media_type(headers);
    if provider != Provider::Mava {
        if bytes.is_empty() {
            return Ok(None);
        }
        if media.as_deref() != Some("application/json") {
            let given = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("none");
            return Err(error(provider, 415, &format!("Unsupported Media Type: {given}")));
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Err(error(provider, 400, "The request body is not valid UTF-8"));
        };
        return match Value::from_json(text) {
            Ok(value) => Ok(Some(value)),
            Err(_) => Err(error(provider, 400, "The request body is not valid JSON")),
        };
    }
    let text_body = match media.as_deref() {
        // No content type and no body: Fastify runs the handler with `body` undefined.
        None if bytes.is_empty() => return Ok(None),
        Some("application/json") | Some("text/plain") => fastify_text(headers, bytes)?,
        _ => {
            let given = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("undefined");
            return Err(fastify_error(
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
        return Err(fastify_error(400, Some("FST_ERR_CTP_EMPTY_JSON_BODY"), message));
    }
    let value = Value::from_json(&text_body).map_err(|e| {
        fastify_error(400, None, &format!("Body is not valid JSON: {} at position {}", e.reason, e.offset))
    })?;
    // secure-json-parse, which Fastify parses with, refuses prototype poisoning.
    if poisoned(&value) {
        return Err(fastify_error(400, None, "Object contains forbidden prototype property"));
    }
    Ok(Some(value))
}

/// The body as Fastify's string parsers read it: decoded as UTF-8 with U+FFFD for bad bytes,
/// then `400` when the decoded length no longer matches `content-length` (which is how a body
/// that is not UTF-8 gets its `400`: a replaced byte grows to three).
fn fastify_text(headers: &HeaderMap, bytes: &Bytes) -> Result<String, Reply> {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let declared = headers.get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n != text.len()) {
        let message = "Request body size did not match Content-Length";
        return Err(fastify_error(400, Some("FST_ERR_CTP_INVALID_CONTENT_LENGTH"), message));
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

/// An unknown route: Fastify's own answer on Mava, the provider's format elsewhere.
fn not_found(provider: Provider, method: &str, path: &str) -> Reply {
    match provider {
        // Fastify's 404 body has no code and puts the message first.
        Provider::Mava => Reply::json(
            404,
            json::obj([
                ("message", json::s(&format!("Route {method}:{path} not found"))),
                ("error", json::s("Not Found")),
                ("statusCode", Value::Number(404.0)),
            ]),
        ),
        _ => error(provider, 404, "Not found"),
    }
}

/// A body that fails at once: hyper then cuts the connection.
struct BrokenBody;

impl http_body::Body for BrokenBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        let cut = std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "sandbox fault: connection dropped");
        std::task::Poll::Ready(Some(Err(cut)))
    }
}

fn respond(ending: Ending, fault: Option<&Fault>) -> Response {
    let reply = match ending {
        Ending::Dropped => {
            let mut response = Response::new(Body::new(BrokenBody));
            *response.status_mut() = StatusCode::OK;
            return response;
        }
        Ending::Reply(reply) => reply,
    };
    let mut body = reply.body.unwrap_or_default();
    let mut content_type = "application/json";
    if fault.is_some_and(|f| f.non_json) {
        body = "<html><body><h1>502 Bad Gateway</h1></body></html>".to_owned();
        content_type = "text/html";
    }
    if fault.is_some_and(|f| f.truncate) {
        let mut half = body.len() / 2;
        while !body.is_char_boundary(half) {
            half -= 1;
        }
        body.truncate(half);
    }
    let mut builder = Response::builder().status(reply.status);
    if !body.is_empty() {
        builder = builder.header("content-type", content_type);
    }
    for (name, value) in reply.headers {
        builder = builder.header(name, value);
    }
    builder.body(Body::from(body)).unwrap_or_else(|e| {
        // Never a silent empty 200: say what could not be sent.
        let mut response =
            Response::new(Body::from(format!(r#"{{"error":"the sandbox could not build its answer: {e}"}}"#)));
        *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        response
    })
}

/// The key each provider reads: `x-auth-token`, `x-api-key` (or a bearer token), bearer.
fn api_key(provider: Provider, headers: &HeaderMap) -> Option<String> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let bearer = || header("authorization").and_then(|v| v.strip_prefix("Bearer ").map(str::to_owned));
    match provider {
        Provider::Mava => header("x-auth-token"),
        Provider::HelpWave => header("x-api-key").or_else(bearer),
        Provider::Tickiti => bearer(),
    }
}

fn unauthorized(provider: Provider, key_given: bool) -> Reply {
    match provider {
        Provider::Mava => Reply::empty(401),
        Provider::HelpWave => {
            error(provider, 401, if key_given { "Unauthorized - Invalid API key" } else { "Missing API key" })
        }
        Provider::Tickiti => Reply::json(
            401,
            json::obj([("code", json::s("unauthenticated")), ("message", json::s("Unauthenticated."))]),
        ),
    }
}

/// An error in the provider's own format: Mava `{ error }`, HelpWave `{ error: sentence }`,
/// Tickiti `{ message }`.
pub fn error(provider: Provider, status: u16, message: &str) -> Reply {
    match provider {
        Provider::Mava | Provider::HelpWave => Reply::json(status, json::obj([("error", json::s(message))])),
        Provider::Tickiti => Reply::json(status, json::obj([("message", json::s(message))])),
    }
}

fn internal_error(provider: Provider, op: &Endpoint) -> Reply {
    match (provider, op.name) {
        (Provider::Mava, "createTicket") => Reply::json(500, json::obj([("error", json::s("INTERNAL_ERROR"))])),
        (Provider::Tickiti, _) => error(provider, 500, "Server Error"),
        _ => error(provider, 500, "Internal server error"),
    }
}

fn status_text(status: u16) -> &'static str {
    match status {
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal server error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Injected failure",
    }
}

async fn add_fault(State(sb): State<Arc<Sandbox>>, body: Bytes) -> Response {
    let parsed = Value::from_json(&String::from_utf8_lossy(&body)).map_err(|e| e.reason.to_owned());
    match parsed.and_then(|v| Fault::from_json(&v)) {
        Ok(fault) => {
            sb.arm(fault);
            json_response(201, faults::armed(&lock(&sb.faults)))
        }
        Err(why) => json_response(400, json::obj([("error", json::s(&why))])),
    }
}

async fn clear_faults(State(sb): State<Arc<Sandbox>>) -> Response {
    lock(&sb.faults).clear();
    json_response(200, faults::armed(&lock(&sb.faults)))
}

async fn counts(State(sb): State<Arc<Sandbox>>, Query(query): Query<HashMap<String, String>>) -> Response {
    let org = query.get("org").map_or("acme", String::as_str);
    match db::counts(&sb.db(), org) {
        Ok(rows) => json_response(
            200,
            Value::Object(rows.into_iter().map(|(t, n)| (t.to_owned(), Value::Number(n as f64))).collect()),
        ),
        Err(e) => json_response(500, json::obj([("error", json::s(&e.to_string()))])),
    }
}

async fn reset(State(sb): State<Arc<Sandbox>>) -> Response {
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
async fn rate_limit_counts(State(sb): State<Arc<Sandbox>>) -> Response {
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

async fn set_rate_limit(State(sb): State<Arc<Sandbox>>, body: Bytes) -> Response {
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
async fn backdate_mava_tickets(State(sb): State<Arc<Sandbox>>, body: Bytes) -> Response {
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

fn json_response(status: u16, value: Value) -> Response {
    respond(Ending::Reply(Reply::json(status, value)), None)
}
