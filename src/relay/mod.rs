//! The edge relay's decisions (CONTRACT §6), sans-IO: which operations a relay enables, which
//! requests it admits and which it refuses, what it checks in a body, what it signs, and what
//! each answer carries. The host layer reads the request, verifies the signatures with Web
//! Crypto, sends the upstream call through the core's [`Call`](crate::call::Call) with the
//! client's own prepare path, and writes the answers this module builds.

pub mod capability;
pub mod conversation;
pub mod exchange;
pub mod route;

use crate::call::Millis;
use crate::catalog;
use crate::error::{ErrorKind, Failure, RESPONSE_TOO_LARGE, UNEXPECTED_REDIRECT};
use crate::operation::{CustomerRole, Operation, RelayAccess, TicketRole};
use crate::provider::Provider;
use crate::rate_limit::shared::VISITOR_LINE;
use crate::rate_limit::{key_hash, LimiterTable, RateLimit};
use crate::redact::Redactor;
use crate::request::{ApiKey, Config, CAPABILITY_HEADER, SOCKET_HEADER};
use crate::response::Response;
use crate::value::{Object, Value};
use crate::violation::{Keyword, Violation};
use capability::{
    capability_message, parse_capability, parse_identity_hash, upstream_fingerprint, Holds, CAPABILITY_LIFETIME_SECS,
};
use conversation::{
    is_conversation, Conversations, HELPWAVE_CONVERSATION, MAVA_CONVERSATION, MAX_WEBHOOK_BYTES, WEBHOOK_PATH,
};
use route::Route;

/// The request headers a browser client sends to a relay, for a preflight's allow list.
pub const CLIENT_HEADERS: &str = "content-type, idempotency-key, x-ticketwire-capability, x-ticketwire-user-hash";
/// The largest body a relay reads unless told otherwise.
pub const DEFAULT_MAX_BODY_BYTES: usize = 65_536;
/// The longest a relay's upstream call may take, retries and waits included: it answers before
/// the browser client's own 30 s attempt timeout gives up on it.
pub const RELAY_UPSTREAM_DEADLINE_MS: u32 = 20_000;
/// The largest upstream answer a relay passes on unless told otherwise (1 MiB): a visitor's
/// request must not cost the relay a provider-sized answer.
pub const DEFAULT_RELAY_MAX_RESPONSE_BYTES: usize = 1 << 20;
/// The share of each provider key's quota visitors may use unless told otherwise: the rest
/// stays for the business's own backend.
pub const DEFAULT_VISITOR_SHARE: f64 = 0.5;
/// Each visitor's limit unless told otherwise: 30 requests per 60 s.
pub const DEFAULT_VISITOR_LIMIT: RateLimit = RateLimit { requests: 30, window_ms: 60_000 };

/// One provider a relay serves: where its API is, the key it adds, what it enables.
#[derive(Debug)]
pub struct Upstream {
    /// The provider.
    pub provider: Provider,
    /// Its base URL and the relay's key for it.
    pub config: Config,
    /// The operations served.
    pub operations: Vec<&'static Operation>,
    /// The business's fields merged into every create (`ticketDefaults`), already checked.
    pub ticket_defaults: Object,
    /// Which upstream this is, as capabilities sign it.
    fingerprint: String,
    redactor: Redactor,
}

/// Which of the relay's secrets are set: what some operations need to be enabled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Secrets {
    /// A `capabilitySecret`.
    pub capability: bool,
    /// An `identitySecret`.
    pub identity: bool,
}

impl Upstream {
    /// A provider served with `config`, enabling `names` (or the visitor's defaults when
    /// `None`); the error says which name cannot be enabled, and why.
    pub fn new(
        provider: Provider,
        config: Config,
        names: Option<&[String]>,
        secrets: Secrets,
    ) -> Result<Upstream, String> {
        let operations: Vec<&'static Operation> = match names {
            None => catalog::operations(provider).filter(|op| op.relaying.access == RelayAccess::ByDefault).collect(),
            Some(names) => names
                .iter()
                .map(|name| {
                    let op = catalog::operation(provider, name).ok_or_else(|| {
                        let known: Vec<&str> = catalog::operations(provider).map(|op| op.name).collect();
                        format!("{} has no operation '{name}' (it has {})", provider.display_name(), known.join(", "))
                    })?;
                    enableable(op, secrets).map(|()| op)
                })
                .collect::<Result<_, String>>()?,
        };
        let key = config.api_key.as_ref().map_or("", |k| k.expose());
        let (fingerprint, redactor) = (upstream_fingerprint(&config.base_url, key), Redactor::new(key));
        Ok(Upstream { provider, config, operations, ticket_defaults: Object::new(), fingerprint, redactor })
    }

    /// Sets the business's fields merged into every create; the error names a field that is
    /// no create's, a visitor's own, or invalid there.
    pub fn with_ticket_defaults(mut self, defaults: Object) -> Result<Upstream, String> {
        let creates: Vec<&Operation> =
            catalog::operations(self.provider).filter(|op| op.relaying.takes_ticket_defaults).collect();
        for (name, _) in defaults.iter() {
            let Some(op) = creates.iter().copied().find(|op| op.input_fields().iter().any(|f| f.name == name)) else {
                return Err(format!("{} creates take no field '{name}'", self.provider.display_name()));
            };
            let visitors = |f: &&str| *f == name || f.strip_prefix(name).is_some_and(|rest| rest.starts_with('.'));
            if op.relaying.visitor_fields.is_some_and(|fields| fields.iter().any(visitors)) {
                return Err(format!("{name} is the visitor's to send, not a default"));
            }
        }
        for op in &creates {
            let own: Object = defaults
                .iter()
                .filter(|(k, _)| op.input_fields().iter().any(|f| f.name == *k))
                .map(|(k, v)| (k, v.clone()))
                .collect();
            let at_a_default = |v: &Violation| {
                own.iter().any(|(k, _)| v.path == format!("/{k}") || v.path.starts_with(&format!("/{k}/")))
            };
            if let Some(v) = op.validate(&Value::Object(own.clone()), &self.config).iter().find(|v| at_a_default(v)) {
                return Err(format!("ticketDefaults{}", v.message.trim_start_matches("body")));
            }
        }
        self.ticket_defaults = defaults;
        Ok(self)
    }
}

/// Whether a relay may enable `op`: never one that reads everyone's data or acts as the
/// business, one that acts on an existing ticket only with a `capabilitySecret`, and one that
/// reads a customer's record by what the visitor names only with an `identitySecret`.
fn enableable(op: &Operation, secrets: Secrets) -> Result<(), String> {
    let what = format!("{} {}", op.provider.display_name(), op.name);
    if let RelayAccess::Never(why) = op.relaying.access {
        return Err(format!("{what} {why}: a relay never serves it"));
    }
    if matches!(op.relaying.ticket, TicketRole::ActsOn(_)) && !secrets.capability {
        return Err(format!("{what} acts on an existing ticket: enable it only with a capabilitySecret"));
    }
    if op.relaying.access == RelayAccess::WhenListedWithIdentitySecret && !secrets.identity {
        return Err(format!(
            "{what} reads and rewrites a customer's record by what the visitor names: enable it only with an identitySecret"
        ));
    }
    Ok(())
}

/// Everything a relay decides with.
#[derive(Debug)]
pub struct RelayPolicy {
    /// The providers served.
    pub upstreams: Vec<Upstream>,
    /// Exact origins allowed to call (never `*`).
    pub allowed_origins: Vec<String>,
    /// Whether ticket capabilities are minted and required (a `capabilitySecret` is set).
    pub capabilities: bool,
    /// Whether identify needs the app backend's user hash (an `identitySecret` is set).
    pub identity_check: bool,
    /// The largest body read.
    pub max_body_bytes: usize,
    /// Each visitor's limit, if any.
    pub visitor_limit: Option<RateLimit>,
    /// Whether the host counts the visitor limit in a shared limiter (the Durable Object
    /// adapter of `rateLimit`), once for every isolate ([`Admission::CountVisitor`]), instead of
    /// in this relay's own table.
    pub shared_visitors: bool,
    /// Where the relay is mounted (`""` or `/path`, no trailing slash).
    pub base_path: String,
    /// Mava's `webhookSigningKey` (`mava_wh_…`, already read): serves `POST {basePath}/mava/webhooks`
    /// and, with capabilities, Mava's conversation route (CONTRACT §7.2).
    pub mava_webhook_key: Option<ApiKey>,
}

/// An HTTP answer the host writes as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The status.
    pub status: u16,
    /// The headers, lower case.
    pub headers: Vec<(String, String)>,
    /// The body text (empty for none).
    pub body: String,
}

impl Answer {
    /// The value of header `name`, if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// The parts of a request the relay reads before its body.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestHead<'a> {
    /// The method.
    pub method: &'a str,
    /// The absolute URL as it arrived.
    pub url: &'a str,
    /// The `Origin` header.
    pub origin: Option<&'a str>,
    /// The `Content-Type` header.
    pub content_type: Option<&'a str>,
    /// The `Content-Length` header.
    pub content_length: Option<&'a str>,
    /// A preflight's `Access-Control-Request-Method`.
    pub preflight_method: Option<&'a str>,
    /// Who is asking (`visitorKey(request)`, by default the `cf-connecting-ip` header).
    pub visitor: &'a str,
    /// The `x-ticketwire-capability` header.
    pub capability: Option<&'a str>,
    /// The `x-ticketwire-user-hash` header.
    pub user_hash: Option<&'a str>,
    /// The `Idempotency-Key` header.
    pub idempotency_key: Option<&'a str>,
    /// Whether it asks for a WebSocket (`upgrade: websocket`).
    pub websocket: bool,
    /// The `Sec-Fetch-Site` header: `same-origin` when a browser sends the request from a page
    /// of the relay's own origin (a header no page can set).
    pub fetch_site: Option<&'a str>,
}

/// What to do with a request once its head is read.
#[derive(Debug)]
pub enum Admission {
    /// Answer this (a refusal, or a preflight's answer); read nothing more.
    Answer(Answer),
    /// Mava's webhook (server to server): read its body, at most [`MAX_WEBHOOK_BYTES`], then
    /// verify it.
    Webhook,
    /// Read the body, at most this many bytes (none for a `GET`), then [`Relay::check`].
    ReadBody {
        /// The route.
        route: Route,
        /// The most bytes to read; one more is [`Relay::body_too_large`].
        max_bytes: usize,
    },
    /// Count the request against `visitor`'s `limit` in the shared limiter, then
    /// [`Relay::admit_counted`] (or, when it is at its limit, [`Relay::visitor_limited`]).
    CountVisitor {
        /// The route.
        route: Route,
        /// Who the visitor is, hashed ([`Relay::visitor_hash`]): never its address.
        visitor: String,
        /// Its limit.
        limit: RateLimit,
    },
}

/// Which of the relay's secrets a signature is checked with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secret {
    /// `capabilitySecret`.
    Capability,
    /// `identitySecret`.
    Identity,
}

/// An HMAC-SHA256 the host must verify before anything goes upstream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The key.
    pub secret: Secret,
    /// The signed text.
    pub message: String,
    /// The MAC the request carries.
    pub mac: Vec<u8>,
    /// The answer when it does not verify.
    pub refusal: Answer,
}

/// A request checked as the SDK checks it, ready to go upstream once its signatures verify.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The operation.
    pub op: &'static Operation,
    /// The SDK's input: the body with the path fields, as the client's `prepareX` takes it.
    pub input: Value,
    /// Signatures to verify first.
    pub signatures: Vec<Signature>,
    /// The `Idempotency-Key` to send, for operations that take one (`None`: generate one).
    pub idempotency_key: Option<String>,
}

/// How the upstream call ended, for the answer.
#[derive(Debug)]
pub enum UpstreamEnd<'a> {
    /// The provider answered (the last attempt's answer, body read whole).
    Answered(&'a Response),
    /// No answer to pass on: the call's failure, and how many attempts went out.
    Failed {
        /// The failure.
        failure: &'a Failure,
        /// Attempts sent upstream (0: nothing was).
        attempts: u32,
    },
}

/// A capability to sign for the answer: the host signs `message` and sends
/// [`capability::format_capability`]`(expiry, mac)` in [`CAPABILITY_HEADER`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mint {
    /// The signed text.
    pub message: String,
    /// When it stops holding (Unix seconds).
    pub expiry: u64,
}

/// One relay: its policy, each visitor's limiter and the conversations it holds.
#[derive(Debug)]
pub struct Relay {
    policy: RelayPolicy,
    visitors: LimiterTable,
    enabled: Vec<&'static Operation>,
    /// What a visitor's hash covers besides who it is: the upstreams served.
    visitor_salt: String,
    /// The threads visitors read (CONTRACT §7.2), in this process's memory.
    conversations: Conversations,
    /// Where Mava's threads live when not here: the relay's `conversations` store.
    store: Option<ThreadStore>,
}

/// A store of Mava's threads outside the relay's memory (`conversations`: the conversation
/// Durable Object, or the app's own): the relay hands it each public message and forwards
/// the visitors' reads to it. HelpWave's threads stay in the relay's memory: the relay pulls
/// them with its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadStore {
    /// Whether it takes a visitor's WebSocket (`connect`).
    pub sockets: bool,
    /// Whether it keeps HelpWave's pull turn for every isolate (`claim`): then HelpWave's
    /// threads live there too.
    pub pulls: bool,
}

impl Relay {
    /// A relay deciding with `policy`. With a `capabilitySecret` it serves the conversation
    /// routes: HelpWave's whenever HelpWave is served, Mava's when webhooks can fill it.
    pub fn new(policy: RelayPolicy) -> Relay {
        let mut enabled: Vec<&'static Operation> =
            policy.upstreams.iter().flat_map(|u| u.operations.iter().copied()).collect();
        let serves = |p: Provider| policy.upstreams.iter().any(|u| u.provider == p);
        if policy.capabilities && serves(Provider::Mava) && policy.mava_webhook_key.is_some() {
            enabled.push(&MAVA_CONVERSATION);
        }
        if policy.capabilities && serves(Provider::HelpWave) {
            enabled.push(&HELPWAVE_CONVERSATION);
        }
        let fingerprints = policy.upstreams.iter().map(|u| format!("\n{}", u.fingerprint));
        let visitor_salt = std::iter::once(VISITOR_LINE.to_owned()).chain(fingerprints).collect();
        let visitors = LimiterTable::new(LimiterTable::DEFAULT_CAPACITY);
        Relay { policy, visitors, enabled, visitor_salt, conversations: Conversations::new(0), store: None }
    }

    /// The same relay, keeping Mava's threads in `store` rather than in its memory.
    pub fn with_store(mut self, store: ThreadStore) -> Relay {
        self.store = Some(store);
        self
    }

    /// Where Mava's threads live, when not in the relay's memory.
    pub fn store(&self) -> Option<ThreadStore> {
        self.store
    }

    /// The same relay, its conversation cursors marked with `epoch` (its start, Unix ms), so
    /// that a cursor from another process is read as none.
    pub fn with_epoch(mut self, epoch: u64) -> Relay {
        self.conversations = Conversations::new(epoch);
        self
    }

    /// The conversations the relay holds.
    pub fn conversations(&mut self) -> &mut Conversations {
        &mut self.conversations
    }

    /// Who a visitor is ([`visitor_identity`]: an IPv6 address by its /64), as the shared
    /// limiter hears it: a [`key_hash`] that also covers the relay's upstreams (base URLs and
    /// keys), so the object never sees an address and relays of other shops sharing it count
    /// their visitors apart.
    pub fn visitor_hash(&self, visitor: &str) -> String {
        key_hash(&self.visitor_salt, &visitor_identity(visitor))
    }

    /// The provider's upstream, if the relay serves it.
    pub fn upstream(&self, provider: Provider) -> Option<&Upstream> {
        self.policy.upstreams.iter().find(|u| u.provider == provider)
    }

    /// Decides on a request from its head alone: origin, preflight, route, the visitor's limit,
    /// content type and declared length.
    pub fn admit(&mut self, head: &RequestHead, now: Millis) -> Admission {
        if let Some(admission) = self.admit_webhook(head) {
            return admission;
        }
        let origin = match head.origin {
            Some(origin) if self.policy.allowed_origins.iter().any(|a| a == origin) => origin,
            // A page on the relay's own origin (`relay="/support"`): a browser sends no `Origin`
            // with its GET, but says `Sec-Fetch-Site: same-origin`. Nothing to answer with CORS.
            None if head.fetch_site == Some("same-origin") && head.method != "OPTIONS" => "",
            _ => {
                let message = "this origin may not call the relay";
                return Admission::Answer(refusal(None, 403, "ORIGIN_NOT_ALLOWED", message, &[]));
            }
        };
        let preflight = head.method == "OPTIONS";
        let method = if preflight { head.preflight_method.unwrap_or("") } else { head.method };
        let Some(route) = route::find(&self.policy.base_path, method, head.url, &self.enabled) else {
            let message =
                "no such route: the relay serves the providers' own paths and methods, for the operations it enables";
            return Admission::Answer(refusal(Some(origin), 404, "NOT_FOUND", message, &[]));
        };
        if preflight {
            let mut answer = Answer { status: 204, headers: cors(origin), body: String::new() };
            answer.headers.extend([
                ("access-control-allow-methods".to_owned(), route.op.method.as_str().to_owned()),
                ("access-control-allow-headers".to_owned(), CLIENT_HEADERS.to_owned()),
                ("access-control-max-age".to_owned(), "600".to_owned()),
            ]);
            return Admission::Answer(answer);
        }
        if let Some(limit) = self.policy.visitor_limit {
            if self.policy.shared_visitors {
                return Admission::CountVisitor { route, visitor: self.visitor_hash(head.visitor), limit };
            }
            if let Err(answer) = self.count_visitor_here(head, limit, now) {
                return Admission::Answer(answer);
            }
        }
        self.admit_counted(head, route)
    }

    /// Mava's webhook route, decided before any visitor rule (server to server: no `Origin`,
    /// no CORS, no visitor limit): `None` for any other path.
    fn admit_webhook(&self, head: &RequestHead) -> Option<Admission> {
        let path = route::path_of(head.url);
        if path.strip_prefix(self.policy.base_path.as_str()) != Some(WEBHOOK_PATH) {
            return None;
        }
        let answer = |status, code, message| Some(Admission::Answer(refusal(None, status, code, message, &[])));
        if self.policy.mava_webhook_key.is_none() || head.method != "POST" {
            return answer(
                404,
                "NOT_FOUND",
                "no such route: webhooks are served with a Mava webhookSigningKey, by POST",
            );
        }
        if !head.content_type.is_some_and(is_json) {
            return answer(415, "UNSUPPORTED_MEDIA_TYPE", "the body must be JSON (content-type: application/json)");
        }
        let declared = head.content_length.and_then(|n| n.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > MAX_WEBHOOK_BYTES as u64) {
            return answer(413, "BODY_TOO_LARGE", "the body is over 1048576 bytes");
        }
        Some(Admission::Webhook)
    }

    /// Mava's webhook signing key, if set.
    pub fn mava_webhook_key(&self) -> Option<&str> {
        self.policy.mava_webhook_key.as_ref().map(ApiKey::expose)
    }

    /// Counts the request against the visitor's `limit` in this relay's own table (one
    /// isolate's count): a refusal when the visitor is at its limit.
    pub fn count_visitor_here(&mut self, head: &RequestHead, limit: RateLimit, now: Millis) -> Result<(), Answer> {
        let id = LimiterTable::id(VISITOR_LINE, &visitor_identity(head.visitor), limit);
        let visitor = self.visitors.limiter(id, limit);
        let mut visitor = visitor.borrow_mut();
        match visitor.try_acquire(now) {
            // A visitor's request counts from its arrival.
            Ok(slot) => {
                visitor.release(slot, now);
                Ok(())
            }
            Err(wait) => Err(self.visitor_limited(head, wait)),
        }
    }

    /// The answer to a visitor at its limit, `wait_ms` before it may come back: `429
    /// RATE_LIMITED` with `retry-after`, wherever it was counted.
    pub fn visitor_limited(&self, head: &RequestHead, wait_ms: u64) -> Answer {
        let retry = ("retry-after".to_owned(), wait_ms.div_ceil(1000).to_string());
        refusal(head.origin, 429, "RATE_LIMITED", "too many requests from this visitor", &[retry])
    }

    /// Decides on the rest of the head once the visitor's request counted: content type and
    /// declared length.
    pub fn admit_counted(&self, head: &RequestHead, route: Route) -> Admission {
        let origin = head.origin;
        if route.op.method.as_str() == "GET" {
            return Admission::ReadBody { route, max_bytes: 0 };
        }
        if !head.content_type.is_some_and(is_json) {
            let message = "the body must be JSON (content-type: application/json)";
            return Admission::Answer(refusal(origin, 415, "UNSUPPORTED_MEDIA_TYPE", message, &[]));
        }
        let declared = head.content_length.and_then(|n| n.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.policy.max_body_bytes as u64) {
            return Admission::Answer(self.body_too_large(head));
        }
        Admission::ReadBody { route, max_bytes: self.policy.max_body_bytes }
    }

    /// The answer to a body longer than the limit, however its length was (not) declared.
    pub fn body_too_large(&self, head: &RequestHead) -> Answer {
        let message = format!("the body is over {} bytes", self.policy.max_body_bytes);
        refusal(head.origin, 413, "BODY_TOO_LARGE", &message, &[])
    }

    /// The answer to a body that is not UTF-8 or not JSON, in the provider's own format.
    pub fn not_json(&self, head: &RequestHead, route: &Route) -> Answer {
        let code = route.op.provider.validation_code();
        let violation = Violation::new("", code, "body", Keyword::JsonValue, "must be valid JSON");
        provider_error(head.origin, route.op, &[violation], 400)
    }

    /// The answer to violations, in the provider's own format and status.
    fn violations(&self, head: &RequestHead, op: &Operation, violations: &[Violation]) -> Answer {
        provider_error(head.origin, op, violations, op.provider.validation_status())
    }

    /// Checks the body (`None` for a `GET`) as the SDK checks it, and applies the visitor's
    /// rules: never staff, a capability for an existing ticket, the identity hash.
    pub fn check(&self, head: &RequestHead, route: Route, body: Option<&str>, now: Millis) -> Result<Checked, Answer> {
        let op = route.op;
        let origin = head.origin;
        let input = match body {
            None => Object::new(),
            Some(text) => match Value::from_json(text) {
                Ok(Value::Object(object)) => object,
                Ok(other) => return Err(self.invalid(head, &route, other)),
                Err(_) => return Err(self.not_json(head, &route)),
            },
        };
        for (name, _) in &route.params {
            if input.get(name).is_some() {
                let (path, code) = (format!("/{name}"), op.provider.validation_code());
                let violation = Violation::new(
                    &*path,
                    code,
                    &format!("body{path}"),
                    Keyword::Not,
                    "must NOT be given: it is in the path",
                );
                return Err(self.violations(head, op, &[violation]));
            }
        }
        if let Some(staff) = op.relaying.staff_field {
            let marks_staff = match (input.get(staff.name), staff.staff_text) {
                (Some(Value::String(s)), Some(text)) => s == text,
                (Some(Value::Bool(true)), None) => true,
                _ => false,
            };
            if marks_staff {
                let message =
                    format!("{} may not be set by a visitor: a visitor never writes as the business", staff.name);
                return Err(refusal(origin, 403, "FIELD_NOT_ALLOWED", &message, &[]));
            }
        }
        let params = route.params.iter().map(|(k, v)| ((*k).to_owned(), Value::String(v.as_str().into())));
        let input: Object = params.chain(input.iter().map(|(k, v)| (k.to_owned(), v.clone()))).collect();
        let upstream = self.upstream(op.provider).expect("a route's provider is served");
        let violations = op.validate(&Value::Object(input.clone()), &upstream.config);
        if !violations.is_empty() {
            return Err(self.violations(head, op, &violations));
        }
        if let Some(allowed) = op.relaying.visitor_fields {
            let in_path = |k: &str| route.params.iter().any(|(name, _)| *name == k);
            if let Some(name) =
                input.iter().filter(|(k, _)| !in_path(k)).find_map(|(k, v)| not_a_visitors(allowed, k, v))
            {
                let message = format!(
                    "{name} may not be set by a visitor: it is the business's to set (the relay's ticketDefaults)"
                );
                return Err(refusal(origin, 403, "FIELD_NOT_ALLOWED", &message, &[]));
            }
        }
        let mut input = input;
        if let Some(staff) = op.relaying.staff_field {
            if let (None, Some(value)) = (input.get(staff.name), staff.visitor_value) {
                input.insert(staff.name, Value::Bool(value));
            }
        }
        if op.relaying.takes_ticket_defaults {
            let own = upstream.ticket_defaults.iter().filter(|(k, _)| op.input_fields().iter().any(|f| f.name == *k));
            for (name, value) in own {
                if input.get(name).is_none() {
                    input.insert(name, value.clone());
                }
            }
        }
        let mut signatures = Vec::new();
        // A socket's capability comes in its first message, which the store checks.
        let socket_to_store = head.websocket && is_conversation(op) && self.store.is_some_and(|s| s.sockets);
        if let (TicketRole::ActsOn(field), false) = (op.relaying.ticket, socket_to_store) {
            let refused = refusal(
                origin,
                403,
                "CAPABILITY_REQUIRED",
                "this ticket needs the capability its creation answered with",
                &[],
            );
            let ticket = input.get(field).and_then(Value::id_text).ok_or_else(|| refused.clone())?;
            let token = head.capability.and_then(parse_capability).ok_or_else(|| refused.clone())?;
            if token.expiry as f64 * 1000.0 <= now {
                return Err(refused);
            }
            let message = capability_message(Holds::Ticket, op.provider, &upstream.fingerprint, &ticket, token.expiry);
            signatures.push(Signature { secret: Secret::Capability, message, mac: token.mac, refusal: refused });
        }
        let named_customer = match op.relaying.customer {
            CustomerRole::Names(field) => input.get(field),
            _ => None,
        };
        if let Some(customer) = named_customer {
            let refused = refusal(
                origin,
                403,
                "CAPABILITY_REQUIRED",
                "naming an existing customer needs the capability identify answered with, or your backend's identity hash over its id",
                &[],
            );
            let customer = customer.id_text().ok_or_else(|| refused.clone())?;
            let token = head.capability.and_then(parse_capability).filter(|t| t.expiry as f64 * 1000.0 > now);
            let hash = head.user_hash.and_then(parse_identity_hash).filter(|_| self.policy.identity_check);
            signatures.push(match (token, hash) {
                (Some(token), _) if self.policy.capabilities => Signature {
                    secret: Secret::Capability,
                    message: capability_message(
                        Holds::Customer,
                        op.provider,
                        &upstream.fingerprint,
                        &customer,
                        token.expiry,
                    ),
                    mac: token.mac,
                    refusal: refused,
                },
                (_, Some(mac)) => Signature { secret: Secret::Identity, message: customer, mac, refusal: refused },
                _ => return Err(refused),
            });
        }
        if self.policy.identity_check && !op.relaying.identity.is_empty() {
            let refused = refusal(
                origin,
                403,
                "IDENTITY_NOT_VERIFIED",
                "identify needs the user hash your backend computes over every identity field it sends",
                &[],
            );
            let identity = identity_message(op, &input);
            let mac = head.user_hash.and_then(parse_identity_hash);
            let (Some(identity), Some(mac)) = (identity, mac) else { return Err(refused) };
            signatures.push(Signature { secret: Secret::Identity, message: identity, mac, refusal: refused });
        }
        let idempotency_key = match (op.idempotency_key, head.idempotency_key) {
            (true, Some(key))
                if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| (0x20..0x7f).contains(&b)) =>
            {
                let message = "the idempotency-key header must be 1-255 printable ASCII characters";
                return Err(refusal(origin, 400, "INVALID_IDEMPOTENCY_KEY", message, &[]));
            }
            (true, key) => key.map(str::to_owned),
            (false, _) => None,
        };
        Ok(Checked { op, input: Value::Object(input), signatures, idempotency_key })
    }

    fn invalid(&self, head: &RequestHead, route: &Route, input: Value) -> Answer {
        let upstream = self.upstream(route.op.provider).expect("a route's provider is served");
        self.violations(head, route.op, &route.op.validate(&input, &upstream.config))
    }

    /// The answer to pass on: the provider's status and body as they are, its `content-type`
    /// and `retry-after` only, each without the key in any form (the body as the page's
    /// `JSON.parse` reads it); or the relay's own, in a fixed sentence that never names the
    /// upstream, when nothing came back (or a redirect did). A created ticket's id comes back
    /// as a capability to sign.
    pub fn answer(&self, head: &RequestHead, op: &Operation, end: UpstreamEnd, now: Millis) -> (Answer, Option<Mint>) {
        let origin = head.origin;
        let upstream = self.upstream(op.provider).expect("a route's provider is served");
        match end {
            UpstreamEnd::Answered(Response { status, content_type, retry_after, body, .. }) => {
                let status = *status;
                let mut headers = cors(origin.unwrap_or_default());
                let scrub = |value: &String| upstream.redactor.scrub(value);
                headers.extend(content_type.as_ref().map(|c| ("content-type".to_owned(), scrub(c))));
                headers.extend(retry_after.as_ref().map(|r| ("retry-after".to_owned(), scrub(r))));
                let success = (200..300).contains(&status);
                let mint = if success && self.policy.capabilities { self.mint(upstream, op, body, now) } else { None };
                let body = match op.relaying.unverified_answer {
                    Some(reduce) if success && !self.policy.identity_check => {
                        Value::from_json(body).map_or_else(|_| body.clone(), |value| reduce(&value))
                    }
                    _ => body.clone(),
                };
                (Answer { status, headers, body: upstream.redactor.scrub_json(&body) }, mint)
            }
            UpstreamEnd::Failed { failure, attempts } => {
                let retry = failure.retry_after_ms.map(|ms| ("retry-after".to_owned(), ms.div_ceil(1000).to_string()));
                // The call's own words may name the upstream's host and port (Node's "connect
                // ECONNREFUSED 10.0.0.7:8443"): the relay says what happened in a fixed sentence.
                let (status, code, what) = match (failure.kind, attempts) {
                    // Nothing went upstream: the browser client may safely try again.
                    (ErrorKind::RateLimited | ErrorKind::Timeout, 0) => {
                        (429, "RATE_LIMITED", Some("the provider's rate limit has no room now; nothing was sent"))
                    }
                    _ if failure.code.as_deref() == Some(RESPONSE_TOO_LARGE) => (
                        502,
                        "UPSTREAM_RESPONSE_TOO_LARGE",
                        Some("the provider's answer is larger than the relay relays"),
                    ),
                    _ if failure.code.as_deref() == Some(UNEXPECTED_REDIRECT) => (
                        502,
                        UNEXPECTED_REDIRECT,
                        Some("the provider answered with a redirect, which the relay never follows"),
                    ),
                    (ErrorKind::Timeout, _) => (504, "UPSTREAM_TIMEOUT", Some("the provider did not answer in time")),
                    (ErrorKind::Network, _) => (502, "UPSTREAM_UNREACHABLE", Some("the provider could not be reached")),
                    // The relay's host failed (a missing fetch, a caller value that threw): its words.
                    _ => (500, "RELAY_ERROR", None),
                };
                let message = match what {
                    Some(what) => format!("{} {}: {what}", op.provider.display_name(), op.name),
                    None => upstream.redactor.scrub(&failure.message),
                };
                (refusal(origin, status, code, &message, retry.as_slice()), None)
            }
        }
    }
}

/// The first field of `key: value` a visitor may not send, as a dotted path: `allowed` names a
/// field whole (`message`), or only some of an object's fields (`customer.email`).
fn not_a_visitors(allowed: &[&str], key: &str, value: &Value) -> Option<String> {
    if allowed.contains(&key) {
        return None;
    }
    let prefix = format!("{key}.");
    let some_of_it: Vec<&str> = allowed.iter().filter_map(|a| a.strip_prefix(&prefix)).collect();
    match value {
        Value::Object(object) if !some_of_it.is_empty() => {
            object.iter().find(|(k, _)| !some_of_it.contains(k)).map(|(k, _)| format!("{key}.{k}"))
        }
        _ => Some(key.to_owned()),
    }
}

/// What an identity hash covers: every identity field the call sends (non-empty), in the
/// operation's order, joined by a newline, since the provider may look a customer up by any.
fn identity_message(op: &Operation, input: &Object) -> Option<String> {
    let sent: Vec<&str> = op
        .relaying
        .identity
        .iter()
        .filter_map(|f| input.get(f).and_then(Value::as_str).filter(|s| !s.is_empty()))
        .collect();
    (!sent.is_empty()).then(|| sent.join("\n"))
}

impl Relay {
    /// The capability a success answer carries: its new ticket's (a create) or its customer's
    /// (an identify), valid for 24 h.
    fn mint(&self, upstream: &Upstream, op: &Operation, body: &str, now: Millis) -> Option<Mint> {
        let answer = Value::from_json(body).ok()?;
        let (holds, id) = match (op.relaying.ticket, op.relaying.customer) {
            (TicketRole::Creates(path), _) => {
                let found = path.iter().try_fold(&answer, |at, key| at.as_object()?.get(key))?;
                (Holds::Ticket, found.id_text()?)
            }
            (_, CustomerRole::Identifies(customer_id)) => (Holds::Customer, customer_id(&answer)?),
            _ => return None,
        };
        let expiry = (now / 1000.0) as u64 + CAPABILITY_LIFETIME_SECS;
        Some(Mint { message: capability_message(holds, op.provider, &upstream.fingerprint, &id, expiry), expiry })
    }
}

/// Who a visitor key stands for: an IPv6 address by its /64 (one subscriber's whole prefix:
/// a single host can take any of its 2^64 addresses), anything else as it is.
fn visitor_identity(key: &str) -> std::borrow::Cow<'_, str> {
    match key.trim_start_matches('[').trim_end_matches(']').parse::<std::net::Ipv6Addr>() {
        Ok(address) if address.to_ipv4_mapped().is_none() => {
            let s = address.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3]).into()
        }
        _ => key.into(),
    }
}

/// Whether a content type is JSON (`application/json`, parameters allowed).
fn is_json(content_type: &str) -> bool {
    content_type.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/json")
}

/// The CORS headers every answer to an allowed origin carries.
fn cors(origin: &str) -> Vec<(String, String)> {
    if origin.is_empty() {
        return Vec::new();
    }
    vec![
        ("access-control-allow-origin".to_owned(), origin.to_owned()),
        ("vary".to_owned(), "origin".to_owned()),
        ("access-control-expose-headers".to_owned(), format!("retry-after, {CAPABILITY_HEADER}, {SOCKET_HEADER}")),
    ]
}

/// A refusal of the relay's own: `{ error: CODE, message }`.
fn refusal(origin: Option<&str>, status: u16, code: &str, message: &str, extra: &[(String, String)]) -> Answer {
    let mut headers = cors(origin.unwrap_or_default());
    headers.push(("content-type".to_owned(), "application/json".to_owned()));
    headers.extend(extra.iter().cloned());
    let mut body = Object::new();
    body.insert("error", Value::String(code.into()));
    body.insert("message", Value::String(message.into()));
    Answer { status, headers, body: Value::Object(body).to_json() }
}

/// The relay's own error for something that went wrong in it or its host (500 `RELAY_ERROR`).
pub fn relay_error(origin: Option<&str>, why: &str) -> Answer {
    refusal(origin, 500, "RELAY_ERROR", why, &[])
}

/// Violations in the provider's own error body ([`Provider::write_error_body`]), so the browser
/// client maps them as it maps the provider's.
fn provider_error(origin: Option<&str>, op: &Operation, violations: &[Violation], status: u16) -> Answer {
    let mut headers = cors(origin.unwrap_or_default());
    headers.push(("content-type".to_owned(), "application/json".to_owned()));
    Answer { status, headers, body: op.provider.write_error_body(violations) }
}

#[cfg(test)]
mod tests;
