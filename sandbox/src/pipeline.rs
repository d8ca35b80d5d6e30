//! The way every provider request goes, in the order the servers' lifecycles go: a fault
//! first, then the route, the key, the limit and the abilities, then the body is read and
//! checked, then the endpoint's handler runs in one transaction, committed unless a fault
//! says otherwise.

use crate::body::{self, RawBody};
use crate::endpoints::{self, Request};
use crate::faults::{Drop, Fault, Faults};
use crate::provider::Provider;
use crate::rate_limit::RateLimiter;
use crate::reply::{json_response, respond, Ending};
use crate::webhooks::{Event, Webhooks};
use crate::{db, json, Reply};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use rusqlite::Connection;
use std::cell::RefCell;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The sandbox's state: its database, armed faults and Mava's rate limiter.
pub struct Sandbox {
    pub(crate) db: Mutex<Connection>,
    /// Where the database lives (`None`: in memory), for a reset.
    pub(crate) db_path: Option<String>,
    pub(crate) faults: Mutex<Faults>,
    pub(crate) limiter: Mutex<RateLimiter>,
    /// Mava's webhooks: URL, key pair, delivery faults.
    pub(crate) webhooks: Arc<Webhooks>,
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
            webhooks: Arc::default(),
        }))
    }

    /// Sets (or, with `None`, clears) the URL Mava's webhooks are POSTed to; the error says why
    /// a URL is refused (only `http://` is sent to).
    pub fn set_mava_webhook_url(&self, url: Option<&str>) -> Result<(), String> {
        self.webhooks.set_url(url)
    }

    /// The run's webhook signing key, `mava_wh_<base64 PKCS#8 DER>`, as Mava's dashboard shows
    /// it; the first call makes the key pair (2048-bit RSA, a fraction of a second).
    pub fn mava_webhook_signing_key(&self) -> &str {
        self.webhooks.signing_key()
    }

    /// The database, for tests that count rows.
    pub fn db(&self) -> MutexGuard<'_, Connection> {
        lock(&self.db)
    }

    /// Arms a fault.
    pub fn arm(&self, fault: Fault) {
        lock(&self.faults).push(fault);
    }

    /// The request's ending, and the webhook events of what it committed (none when it
    /// committed nothing).
    fn handle(&self, provider: Provider, http: &Incoming, fault: Option<&Fault>) -> (Ending, Vec<Event>) {
        let events = RefCell::new(Vec::new());
        let mut committed = false;
        let ending = self.run(provider, http, fault, &events, &mut committed);
        (ending, if committed { events.into_inner() } else { Vec::new() })
    }

    fn run(
        &self,
        provider: Provider,
        http: &Incoming,
        fault: Option<&Fault>,
        events: &RefCell<Vec<Event>>,
        committed: &mut bool,
    ) -> Ending {
        let server = provider.server();
        let Incoming { method, path, query, headers, body } = *http;
        let Some((endpoint, params)) = endpoints::find(provider, method, path) else {
            return Ending::Reply((server.not_found)(method, path));
        };
        let mut conn = lock(&self.db);
        let key = (server.key)(headers);
        let Some((org, abilities)) = key.as_deref().and_then(|k| db::key_owner(&conn, provider.id(), k)) else {
            return Ending::Reply((server.unauthorized)(key.is_some()));
        };
        if server.rate_limited {
            if let Err(seconds) = lock(&self.limiter).check(key.as_deref().unwrap_or(""), Instant::now()) {
                let mut reply = (server.error)(429, "Too Many Requests");
                reply.headers.push(("retry-after", seconds.to_string()));
                return Ending::Reply(reply);
            }
        }
        if let Err(reply) = (server.authorize)(&abilities) {
            return Ending::Reply(reply);
        }
        // As the servers' lifecycles go: the route, auth and the limit, then the body is read.
        // Neither server reads a GET's body.
        let body = if method == "GET" { Ok(None) } else { (server.parse_body)(headers, body) };
        let body = match body {
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
            events: self.webhooks.enabled().then_some(events),
        };
        let internal_error = || (server.internal_error)(endpoint.name);
        let Ok(tx) = conn.transaction() else { return Ending::Reply(internal_error()) };
        // Dropping `tx` without commit rolls every write of this request back.
        let reply = match (endpoint.handler)(&tx, &request) {
            Err(reply) => return Ending::Reply(reply),
            Ok(reply) => reply,
        };
        match fault {
            Some(f) if f.after_writes => {
                let status = f.status.unwrap_or(500);
                let mut reply =
                    if status == 500 { internal_error() } else { (server.error)(status, "Injected failure") };
                if let Some(retry_after) = &f.retry_after {
                    reply.headers.push(("retry-after", retry_after.clone()));
                }
                Ending::Reply(reply)
            }
            Some(Fault { drop: Some(Drop::BeforeCommit), .. }) => Ending::Dropped,
            Some(Fault { drop: Some(Drop::AfterCommit), .. }) => match tx.commit() {
                Ok(()) => {
                    *committed = true;
                    Ending::Dropped
                }
                Err(_) => Ending::Reply(internal_error()),
            },
            _ => match tx.commit() {
                Ok(()) => {
                    *committed = true;
                    Ending::Reply(reply)
                }
                Err(_) => Ending::Reply(internal_error()),
            },
        }
    }
}

/// A lock that survives a panic elsewhere: the data is plain rows and counters.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
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

/// Every provider's API: `/mava/…`, `/helpwave/…`, `/tickiti/…`.
pub(crate) async fn serve(
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
    let server = provider.server();
    let path = uri.path().strip_prefix(&format!("/{}", provider.id())).unwrap_or("").to_owned();
    let fault = lock(&sb.faults).take(provider.id(), method.as_str(), &path);
    if let Some(f) = &fault {
        if f.delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(f.delay_ms)).await;
        }
        if let Some(status) = f.status.filter(|_| !f.after_writes) {
            let mut reply: Reply = (server.error)(status, status_text(status));
            if let Some(retry_after) = &f.retry_after {
                reply.headers.push(("retry-after", retry_after.clone()));
            }
            return respond(Ending::Reply(reply), fault.as_ref());
        }
    }
    let body = body::read(&headers, body, server.body_limit).await;
    let http = Incoming {
        method: method.as_str(),
        path: &path,
        query: uri.query().unwrap_or(""),
        headers: &headers,
        body: &body,
    };
    let (ending, events) = sb.handle(provider, &http, fault.as_ref());
    // Committed and the database unlocked: the webhooks go in tasks of their own.
    sb.webhooks.send(events);
    respond(ending, fault.as_ref())
}

/// The message of an injected status answered before the handler runs.
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
