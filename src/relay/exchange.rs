//! One relayed request as a sans-IO machine, in the shape of [`Call`](crate::call::Call): the
//! host asks [`Exchange::poll`] what to do next (count the visitor in the shared limiter, read
//! the body, verify a signature, make an `Idempotency-Key`, send upstream, sign a capability,
//! run a webhook's Web Crypto step, wait for a conversation's message, wake the others waiting
//! on a thread, answer), does it, and hands back what happened with [`Exchange::handle`].
//! Every step's order and every answer is decided here; the host only does I/O, timers and
//! Web Crypto.

use super::capability::parse_capability;
use super::conversation::object::ReadOrder;
use super::conversation::{
    helpwave_messages, is_conversation, mava_message, read_query, thread_body, thread_key, Cursor, Message,
    MAX_WEBHOOK_BYTES, PULL_INTERVAL_MS,
};
use super::route::Route;
use super::{cors, refusal, relay_error, Admission, Answer, Checked, Mint, Relay, RequestHead, Secret, UpstreamEnd};
use crate::call::{Millis, Sent};
use crate::error::{Failure, RESPONSE_TOO_LARGE, UNEXPECTED_REDIRECT};
use crate::helpwave::LIST_COMMENTS;
use crate::operation::{CallContext, Operation};
use crate::provider::Provider;
use crate::rate_limit::RateLimit;
use crate::request::{PreparedRequest, CAPABILITY_HEADER, SOCKET_HEADER, USER_HASH_HEADER};
use crate::value::{Object, Value};
use crate::webhook::mava::{self as webhook, parse_envelope, Refusal, Verification, WebhookEvent, SIGNATURE_INVALID};

/// The request headers the relay reads, in [`Head`]'s order.
pub const READ_HEADERS: [&str; 9] = [
    "origin",
    "content-type",
    "content-length",
    "access-control-request-method",
    CAPABILITY_HEADER,
    USER_HASH_HEADER,
    "idempotency-key",
    "upgrade",
    "sec-fetch-site",
];

/// A request's head as it arrived, owned: what the relay decides with before its body.
#[derive(Debug, Clone, Default)]
pub struct Head {
    /// The method.
    pub method: String,
    /// The absolute URL.
    pub url: String,
    /// The values of [`READ_HEADERS`], in that order.
    pub headers: [Option<String>; 9],
    /// Who is asking (`visitorKey(request)`, by default the `cf-connecting-ip` header).
    pub visitor: String,
}

impl Head {
    /// Reads the head through `header` (a lookup by lower-case name).
    pub fn read(method: String, url: String, visitor: String, header: impl Fn(&str) -> Option<String>) -> Head {
        Head { method, url, headers: READ_HEADERS.map(header), visitor }
    }

    /// The borrowed view the relay's decisions take.
    pub fn view(&self) -> RequestHead<'_> {
        let h = |i: usize| self.headers[i].as_deref();
        RequestHead {
            method: &self.method,
            url: &self.url,
            origin: h(0),
            content_type: h(1),
            content_length: h(2),
            preflight_method: h(3),
            visitor: &self.visitor,
            capability: h(4),
            user_hash: h(5),
            idempotency_key: h(6),
            websocket: h(7).is_some_and(|u| u.eq_ignore_ascii_case("websocket")),
            fetch_site: h(8),
        }
    }
}

/// How long the host waits for the shared limiter to count a visitor before it answers
/// [`Event::VisitorNotCounted`]: a count is one round trip, never a wait in a line.
pub const VISITOR_COUNT_WAIT_MS: Millis = 2_000.0;

/// What the host must do next.
#[derive(Debug, Clone)]
pub enum Step {
    /// Count one request against `visitor`'s `limit` in the shared limiter (the Durable Object
    /// adapter's `countVisitor`), then [`Event::VisitorCounted`]; when it cannot say within
    /// `within_ms`, [`Event::VisitorNotCounted`].
    CountVisitor {
        /// Who the visitor is, hashed ([`Relay::visitor_hash`]).
        visitor: String,
        /// Its limit.
        limit: RateLimit,
        /// How long to wait for the count at most.
        within_ms: Millis,
    },
    /// Read the request body as strict UTF-8, at most `max_bytes`, then [`Event::Body`].
    ReadBody {
        /// The most bytes to read; one more is too large.
        max_bytes: usize,
    },
    /// Verify that `mac` is the HMAC-SHA256 of `message` under `secret`, then [`Event::Verified`].
    Verify {
        /// The key.
        secret: Secret,
        /// The signed text.
        message: String,
        /// The MAC the request carries.
        mac: Vec<u8>,
    },
    /// Make a fresh UUID v4 for the `Idempotency-Key`, then [`Event::FreshKey`].
    FreshKey,
    /// Send `request` upstream through the provider's client (its `Call`), then [`Event::Upstream`].
    Send {
        /// The operation.
        op: &'static Operation,
        /// The exact request, with the relay's key.
        request: PreparedRequest,
        /// The call's facts (its idempotency key).
        context: CallContext,
    },
    /// Sign `message` with the capability secret (HMAC-SHA256), then [`Event::Signed`].
    Sign {
        /// The text to sign.
        message: String,
    },
    /// Run the Web Crypto step of Mava's webhook verification that [`Exchange::webhook_step`]
    /// names, then [`Event::Webhook`].
    Webhook,
    /// Hold the answer until `until` (the relay's clock) or until `thread` is woken by another
    /// exchange's [`Step::Wake`], whichever is first, then [`Event::Woke`].
    Wait {
        /// The thread waited on.
        thread: String,
        /// When to wake at the latest.
        until: Millis,
    },
    /// Wake every exchange waiting on `thread` (it has new messages, or its pull ended), then
    /// [`Event::Woken`].
    Wake {
        /// The thread.
        thread: String,
    },
    /// Hand `order` to the relay's `conversations` store, then [`Event::Stored`] with its
    /// answer as JSON text.
    Store(StoreOrder),
    /// Hand the request (a WebSocket upgrade) to the store's `connect` for `thread`, and
    /// answer with what it answers: the exchange is over.
    Connect {
        /// The ticket's thread.
        thread: String,
    },
    /// Write this answer; the exchange is over.
    Answer(Answer),
}

/// What the relay asks of its `conversations` store.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreOrder {
    /// Store a webhook's public messages in `thread`, unless one of `keys` was stored in the
    /// last 24 h (`store.append(thread, messages, keys)`).
    Append {
        /// The ticket's thread.
        thread: String,
        /// The messages, each with its provider id.
        messages: Vec<Message>,
        /// The webhook's `webhookId` and signature.
        keys: Vec<String>,
    },
    /// May HelpWave's thread be pulled now (`store.claim(thread)`): `{ pull: true }` at most
    /// once per 5 s per thread, else `{ pull: false, nextAt }` (Unix ms).
    Claim {
        /// The ticket's thread.
        thread: String,
    },
    /// A visitor's read, its capability verified (`store.read(thread, order)`): answered with
    /// `{ messages, cursor }`, held up to `order.wait_ms` for a message.
    Read {
        /// The ticket's thread.
        thread: String,
        /// The cursor, the wait and the verified capability.
        order: ReadOrder,
    },
}

/// What the host did.
#[derive(Debug)]
pub enum Event {
    /// The shared limiter counted the visitor's request (`Ok`), or the visitor is at its limit
    /// for this many more milliseconds (`Err`).
    VisitorCounted(Result<(), u64>),
    /// The shared limiter could not count it (unreachable, slow, or an answer it cannot read).
    VisitorNotCounted,
    /// The body, or why it could not be read.
    Body(Result<String, BodyProblem>),
    /// Whether the signature verified.
    Verified(bool),
    /// A fresh key, or `None` when the host has no randomness to make one.
    FreshKey(Option<String>),
    /// How the upstream call ended.
    Upstream(Box<Sent>),
    /// The capability's MAC (`None`: signing failed, so the answer carries none).
    Signed(Option<Vec<u8>>),
    /// What the host did for a webhook's Web Crypto step.
    Webhook(webhook::Event),
    /// The wait ended (its time came, or its thread was woken).
    Woke,
    /// The exchanges waiting on the thread were woken.
    Woken,
    /// The store's answer, as JSON text, or why it failed (answered as the relay's own error).
    Stored(Result<String, String>),
    /// Something of the host's failed, in its words (answered as the relay's own error).
    HostFailed(String),
}

/// Why a request body was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyProblem {
    /// It is longer than the limit.
    TooLarge,
    /// It is not UTF-8, broke off, or did not arrive in time.
    Unreadable,
}

/// What to pass on: the provider's own last answer, unless none came, its body was not read
/// whole, or it was a redirect (never followed, never passed on: its body and the ticket it
/// may name are another host's); else the failure.
fn upstream_end(sent: &Sent) -> Option<UpstreamEnd<'_>> {
    let failure = sent.end.as_ref().err();
    let not_the_providers = [RESPONSE_TOO_LARGE, UNEXPECTED_REDIRECT];
    let passed_on = failure
        .is_none_or(|f| f.status.is_some() && !f.code.as_deref().is_some_and(|c| not_the_providers.contains(&c)));
    match (&sent.last, failure) {
        (Some(last), _) if passed_on => Some(UpstreamEnd::Answered(last)),
        (_, Some(failure)) => Some(UpstreamEnd::Failed { failure, attempts: sent.attempts }),
        _ => None, // unreachable: a success always has its answer
    }
}

#[derive(Debug)]
enum Stage {
    CountVisitor {
        route: Route,
        visitor: String,
        limit: RateLimit,
    },
    ReadBody {
        route: Route,
        max_bytes: usize,
    },
    Verify {
        checked: Checked,
        next: usize,
    },
    FreshKey {
        checked: Checked,
    },
    Send {
        op: &'static Operation,
        request: PreparedRequest,
        context: CallContext,
    },
    Sign {
        answer: Answer,
        mint: Mint,
    },
    WebhookBody,
    Webhook {
        verification: Verification,
        signature: String,
    },
    Wait {
        conversation: Conversation,
        until: Millis,
    },
    Pull {
        conversation: Conversation,
        request: PreparedRequest,
        context: CallContext,
    },
    Wake {
        thread: String,
        then: Box<Stage>,
    },
    Store {
        order: StoreOrder,
        then: Box<Stage>,
    },
    /// In a store: may this exchange pull HelpWave's thread now (one per 5 s for all isolates)?
    Claim {
        conversation: Conversation,
    },
    /// In a store: the comments just pulled, handed to it.
    Feed {
        conversation: Conversation,
        messages: Vec<Message>,
    },
    /// In a store: the visitor's read, held there up to `wait_ms` (until `ends_at`).
    Read {
        conversation: Conversation,
        wait_ms: Millis,
        ends_at: Millis,
    },
    Connect {
        thread: String,
    },
    Done(Answer),
}

/// A visitor's read of a thread, until it is answered.
#[derive(Debug, Clone)]
struct Conversation {
    provider: Provider,
    ticket: String,
    thread: String,
    after: Option<Cursor>,
    /// When the answer is due, messages or none.
    until: Millis,
    /// Where the thread is in a store: the verified capability and its expiry, handed over
    /// with each read.
    held: Option<(String, u64)>,
}

/// One request through the relay, from its head to its answer.
#[derive(Debug)]
pub struct Exchange {
    head: Head,
    stage: Stage,
}

impl Relay {
    /// Starts an exchange for a request with this head: decides on the head at once (origin,
    /// preflight, route, the visitor's limit, content type, declared length).
    pub fn start(&mut self, head: Head, now: Millis) -> Exchange {
        let admission = self.admit(&head.view(), now);
        let mut exchange = Exchange { head, stage: Stage::Done(relay_error(None, "")) };
        exchange.admitted(self, admission, now);
        exchange
    }
}

impl Exchange {
    /// What the host must do next; the same until [`handle`](Self::handle) is called.
    pub fn poll(&self) -> Step {
        match &self.stage {
            Stage::CountVisitor { visitor, limit, .. } => {
                Step::CountVisitor { visitor: visitor.clone(), limit: *limit, within_ms: VISITOR_COUNT_WAIT_MS }
            }
            Stage::ReadBody { max_bytes, .. } => Step::ReadBody { max_bytes: *max_bytes },
            Stage::Verify { checked, next } => {
                let signature = &checked.signatures[*next];
                Step::Verify {
                    secret: signature.secret,
                    message: signature.message.clone(),
                    mac: signature.mac.clone(),
                }
            }
            Stage::FreshKey { .. } => Step::FreshKey,
            Stage::Send { op, request, context } => {
                Step::Send { op, request: request.clone(), context: context.clone() }
            }
            Stage::Sign { mint, .. } => Step::Sign { message: mint.message.clone() },
            Stage::WebhookBody => Step::ReadBody { max_bytes: MAX_WEBHOOK_BYTES },
            Stage::Webhook { .. } => Step::Webhook,
            Stage::Wait { conversation, until } => Step::Wait { thread: conversation.thread.clone(), until: *until },
            Stage::Pull { request, context, .. } => {
                Step::Send { op: &LIST_COMMENTS, request: request.clone(), context: context.clone() }
            }
            Stage::Wake { thread, .. } => Step::Wake { thread: thread.clone() },
            Stage::Store { order, .. } => Step::Store(order.clone()),
            Stage::Claim { conversation } => Step::Store(StoreOrder::Claim { thread: conversation.thread.clone() }),
            Stage::Feed { conversation, messages } => Step::Store(StoreOrder::Append {
                thread: conversation.thread.clone(),
                messages: messages.clone(),
                keys: Vec::new(),
            }),
            Stage::Read { conversation, wait_ms, .. } => {
                let (capability, expiry) = conversation.held.clone().unwrap_or_default();
                let order = ReadOrder {
                    after: conversation.after.as_ref().map(Cursor::to_string),
                    wait_ms: wait_ms.max(0.0).floor(),
                    capability,
                    expiry,
                };
                Step::Store(StoreOrder::Read { thread: conversation.thread.clone(), order })
            }
            Stage::Connect { thread } => Step::Connect { thread: thread.clone() },
            Stage::Done(answer) => Step::Answer(answer.clone()),
        }
    }

    /// At [`Step::Webhook`], the Web Crypto step to run (`None` at any other step).
    pub fn webhook_step(&self) -> Option<webhook::Step<'_>> {
        match &self.stage {
            Stage::Webhook { verification, .. } => Some(verification.poll()),
            _ => None,
        }
    }

    /// Takes what the host did for the current step. An event the step did not ask for ends
    /// the exchange with the relay's own error, never a panic.
    pub fn handle(&mut self, relay: &mut Relay, event: Event, now: Millis) {
        let origin = self.head.view().origin.map(str::to_owned);
        let stage = std::mem::replace(&mut self.stage, Stage::Done(relay_error(None, "")));
        self.stage = match (stage, event) {
            (Stage::Pull { conversation, .. }, Event::HostFailed(why)) => {
                if conversation.held.is_none() {
                    relay.conversations().pull_ended(&conversation.thread);
                }
                Stage::Done(relay_error(origin.as_deref(), &why))
            }
            (_, Event::HostFailed(why)) => Stage::Done(relay_error(origin.as_deref(), &why)),
            (Stage::WebhookBody, Event::Body(body)) => match body {
                Ok(text) => {
                    let signature = parse_envelope(text.as_bytes()).map(|e| hex(&e.signature)).unwrap_or_default();
                    let verification = Verification::start(Some(text.as_bytes()), relay.mava_webhook_key());
                    webhook_progress(relay, verification, signature, now)
                }
                Err(BodyProblem::TooLarge) => {
                    Stage::Done(refusal(None, 413, "BODY_TOO_LARGE", "the body is over 1048576 bytes", &[]))
                }
                Err(BodyProblem::Unreadable) => {
                    Stage::Done(webhook_refused(Refusal::Malformed("the body is not UTF-8, or did not arrive whole")))
                }
            },
            (Stage::Webhook { mut verification, signature }, Event::Webhook(event)) => {
                verification.handle(event);
                webhook_progress(relay, verification, signature, now)
            }
            (Stage::Wait { conversation, .. }, Event::Woke) if conversation.held.is_some() => {
                Stage::Claim { conversation }
            }
            (Stage::Wait { conversation, .. }, Event::Woke) => self.converse(relay, conversation, now),
            (Stage::Pull { conversation, .. }, Event::Upstream(sent)) if conversation.held.is_some() => {
                self.pulled_for_store(relay, conversation, &sent, now)
            }
            (Stage::Pull { conversation, .. }, Event::Upstream(sent)) => self.pulled(relay, conversation, &sent, now),
            (Stage::Claim { conversation }, Event::Stored(Ok(body))) => match read_claim(&body) {
                Some(Ok(())) => self.pull(relay, conversation),
                Some(Err(next_at)) => {
                    let wait_ms = conversation.until.min(next_at) - now;
                    Stage::Read { conversation, wait_ms, ends_at: now + wait_ms }
                }
                None => Stage::Done(relay_error(
                    origin.as_deref(),
                    "the conversations store answered a claim with something that is not { pull }",
                )),
            },
            (Stage::Feed { conversation, .. }, Event::Stored(Ok(_))) => {
                let wait_ms = conversation.until.min(now + PULL_INTERVAL_MS) - now;
                Stage::Read { conversation, wait_ms, ends_at: now + wait_ms }
            }
            (Stage::Read { conversation, ends_at, .. }, Event::Stored(Ok(body))) => match read_thread(&body) {
                // Nothing yet, and time left: HelpWave's next turn to pull. A store that answered
                // before the wait it was given is waited out here, never asked again at once.
                Some((messages, _))
                    if messages.is_empty()
                        && now < conversation.until
                        && conversation.provider == Provider::HelpWave =>
                {
                    if now < ends_at {
                        Stage::Wait { until: ends_at, conversation }
                    } else {
                        Stage::Claim { conversation }
                    }
                }
                Some((messages, cursor)) => {
                    Stage::Done(self.thread_answer(relay, &messages.iter().collect::<Vec<_>>(), &cursor))
                }
                None => Stage::Done(relay_error(
                    origin.as_deref(),
                    "the conversations store answered something that is not { messages, cursor }",
                )),
            },
            (Stage::Wake { then, .. }, Event::Woken) => *then,
            (Stage::Store { then, .. }, Event::Stored(Ok(_))) => *then,
            (
                Stage::Store { .. } | Stage::Claim { .. } | Stage::Feed { .. } | Stage::Read { .. },
                Event::Stored(Err(why)),
            ) => Stage::Done(relay_error(origin.as_deref(), &format!("the conversations store failed: {why}"))),
            (Stage::CountVisitor { route, .. }, Event::VisitorCounted(counted)) => {
                let admission = match counted {
                    Ok(()) => relay.admit_counted(&self.head.view(), route),
                    Err(wait_ms) => Admission::Answer(relay.visitor_limited(&self.head.view(), wait_ms)),
                };
                return self.admitted(relay, admission, now);
            }
            // The shared limiter failed: this isolate's own table counts the visitor instead, as
            // a relay without one does (N isolates then allow up to N times the limit), rather
            // than letting every visitor through or refusing them all while the object is down.
            (Stage::CountVisitor { route, limit, .. }, Event::VisitorNotCounted) => {
                let admission = match relay.count_visitor_here(&self.head.view(), limit, now) {
                    Ok(()) => relay.admit_counted(&self.head.view(), route),
                    Err(answer) => Admission::Answer(answer),
                };
                return self.admitted(relay, admission, now);
            }
            (Stage::ReadBody { route, .. }, Event::Body(body)) => match body {
                Ok(text) => {
                    self.stage = Stage::ReadBody { route, max_bytes: 0 };
                    self.checked(relay, Some(&text), now);
                    return;
                }
                Err(BodyProblem::TooLarge) => Stage::Done(relay.body_too_large(&self.head.view())),
                Err(BodyProblem::Unreadable) => Stage::Done(relay.not_json(&self.head.view(), &route)),
            },
            (Stage::Verify { checked, next }, Event::Verified(verified)) => {
                if !verified {
                    Stage::Done(checked.signatures[next].refusal.clone())
                } else if next + 1 < checked.signatures.len() {
                    Stage::Verify { checked, next: next + 1 }
                } else {
                    self.after_checks(relay, checked, now)
                }
            }
            (Stage::FreshKey { mut checked }, Event::FreshKey(key)) => match key {
                Some(key) => {
                    checked.idempotency_key = Some(key);
                    self.after_checks(relay, checked, now)
                }
                None => {
                    Stage::Done(relay_error(origin.as_deref(), "this host has no crypto to make an Idempotency-Key"))
                }
            },
            (Stage::Send { op, .. }, Event::Upstream(sent)) => match upstream_end(&sent) {
                Some(end) => match relay.answer(&self.head.view(), op, end, now) {
                    (answer, Some(mint)) => Stage::Sign { answer, mint },
                    (answer, None) => Stage::Done(answer),
                },
                None => Stage::Done(relay_error(origin.as_deref(), "an answer without a response")),
            },
            (Stage::Sign { mut answer, mint }, Event::Signed(mac)) => {
                if let Some(mac) = mac {
                    let token = super::capability::format_capability(mint.expiry, &mac);
                    answer.headers.push((CAPABILITY_HEADER.to_owned(), token));
                }
                Stage::Done(answer)
            }
            (Stage::Done(answer), _) => Stage::Done(answer),
            (_, _) => Stage::Done(relay_error(origin.as_deref(), "the relay's host did a step out of order")),
        };
    }

    /// Goes on from what the head's checks decided.
    fn admitted(&mut self, relay: &mut Relay, admission: Admission, now: Millis) {
        self.stage = match admission {
            Admission::Answer(answer) => Stage::Done(answer),
            Admission::Webhook => Stage::WebhookBody,
            Admission::CountVisitor { route, visitor, limit } => Stage::CountVisitor { route, visitor, limit },
            Admission::ReadBody { route, max_bytes } => Stage::ReadBody { route, max_bytes },
        };
        if let Stage::ReadBody { max_bytes: 0, .. } = self.stage {
            self.checked(relay, None, now); // a GET has no body to read
        }
    }

    /// Checks the body as the SDK checks it; then the signatures, if any.
    fn checked(&mut self, relay: &mut Relay, body: Option<&str>, now: Millis) {
        let Stage::ReadBody { route, .. } = std::mem::replace(&mut self.stage, Stage::Done(relay_error(None, "")))
        else {
            return;
        };
        self.stage = match relay.check(&self.head.view(), route, body, now) {
            Err(answer) => Stage::Done(answer),
            Ok(checked) if !checked.signatures.is_empty() => Stage::Verify { checked, next: 0 },
            Ok(checked) => self.after_checks(relay, checked, now),
        };
    }

    /// Once every signature verified: a fresh idempotency key where one is needed, then the
    /// exact request, prepared as the client prepares it, with the relay's key.
    fn after_checks(&self, relay: &mut Relay, checked: Checked, now: Millis) -> Stage {
        let op = checked.op;
        if is_conversation(op) {
            return self.conversation(relay, op.provider, &checked.input, now);
        }
        if op.needs_fresh_key(checked.idempotency_key.as_deref()) {
            return Stage::FreshKey { checked };
        }
        let context = CallContext { idempotency_key: checked.idempotency_key.clone(), ..CallContext::default() };
        let origin = self.head.view().origin;
        let Some(upstream) = relay.upstream(op.provider) else {
            return Stage::Done(relay_error(origin, "no client for this provider"));
        };
        match op.prepare(&checked.input, &upstream.config, &context) {
            Ok(request) => Stage::Send { op, request, context },
            Err(violations) => Stage::Done(relay_error(origin, &Failure::validation(op, violations).message)),
        }
    }
}

/// A store's answer to a claim: `Ok` to pull now, else when the next pull may start.
fn read_claim(body: &str) -> Option<Result<(), Millis>> {
    let value = Value::from_json(body).ok()?;
    let answer = value.as_object()?;
    match answer.get("pull")? {
        Value::Bool(true) => Some(Ok(())),
        Value::Bool(false) => Some(Err(answer.get("nextAt").and_then(Value::as_number).filter(|n| n.is_finite())?)),
        _ => None,
    }
}

/// A store's answer to a read, `{ messages, cursor }`, every message one a page may show.
fn read_thread(body: &str) -> Option<(Vec<Message>, String)> {
    let value = Value::from_json(body).ok()?;
    let answer = value.as_object()?;
    let Value::Array(messages) = answer.get("messages")? else { return None };
    let messages = messages.iter().map(Message::from_value).collect::<Option<Vec<_>>>()?;
    let cursor = answer.get("cursor").and_then(Value::as_str).filter(|c| !c.is_empty() && c.len() <= 64)?;
    Some((messages, cursor.to_owned()))
}

impl Exchange {
    /// A conversation's answer: `200 { messages, cursor }`, never cached; with the offer of
    /// a WebSocket where the relay's store takes one for this thread.
    fn thread_answer(&self, relay: &Relay, messages: &[&Message], cursor: &str) -> Answer {
        self.thread_answer_offering(relay.store().is_some_and(|s| s.sockets), messages, cursor)
    }

    fn thread_answer_offering(&self, sockets: bool, messages: &[&Message], cursor: &str) -> Answer {
        let mut headers = cors(self.head.view().origin.unwrap_or_default());
        headers.push(("content-type".to_owned(), "application/json".to_owned()));
        headers.push(("cache-control".to_owned(), "no-store".to_owned()));
        if sockets && self.head.url.contains("/mava/conversations/") {
            headers.push((SOCKET_HEADER.to_owned(), "offered".to_owned()));
        }
        Answer { status: 200, headers, body: thread_body(messages, cursor) }
    }

    /// A visitor's read of a ticket's thread, once its capability verified: the query read,
    /// then answered from the thread at once or held. A Mava thread in a store is read there
    /// (a WebSocket is handed to it).
    fn conversation(&self, relay: &mut Relay, provider: Provider, input: &Value, now: Millis) -> Stage {
        let head = self.head.view();
        let ticket = input.as_object().and_then(|o| o.get("ticketId")).and_then(Value::id_text).unwrap_or_default();
        let thread = thread_key(provider, &ticket);
        // Mava's threads in the store; HelpWave's too where the store keeps the pull's turn.
        let store = relay.store().filter(|s| provider == Provider::Mava || s.pulls);
        if head.websocket {
            return match store {
                Some(store) if store.sockets && provider == Provider::Mava => Stage::Connect { thread },
                _ => Stage::Done(refusal(
                    head.origin,
                    400,
                    "SOCKET_NOT_SERVED",
                    "this relay answers this conversation by long poll (GET with ?wait=)",
                    &[],
                )),
            };
        }
        let query = match read_query(&self.head.url) {
            Ok(query) => query,
            Err(why) => return Stage::Done(refusal(head.origin, 400, "INVALID_QUERY", why, &[])),
        };
        let until = now + query.wait_ms;
        let mut conversation = Conversation { provider, ticket, thread, after: query.after, until, held: None };
        if store.is_none() {
            return self.converse(relay, conversation, now);
        }
        // The capability verified: the store trusts it for a socket on this ticket.
        let Some(token) = head.capability.and_then(parse_capability) else {
            return Stage::Done(relay_error(head.origin, "a verified capability could not be read again"));
        };
        conversation.held = Some((head.capability.unwrap_or_default().to_owned(), token.expiry));
        match provider {
            Provider::HelpWave => Stage::Claim { conversation },
            _ => Stage::Read { conversation, wait_ms: query.wait_ms, ends_at: now + query.wait_ms },
        }
    }

    /// Answers with the messages after the cursor if there are any; else pulls HelpWave's
    /// thread if it is due; else answers none once the wait is over; else waits, until the
    /// next pull may start at the latest.
    fn converse(&self, relay: &mut Relay, conversation: Conversation, now: Millis) -> Stage {
        let store = relay.conversations();
        let (messages, cursor) = store.after(&conversation.thread, conversation.after.as_ref());
        if !messages.is_empty() {
            return Stage::Done(self.thread_answer_offering(false, &messages, &cursor));
        }
        let helpwave = conversation.provider == Provider::HelpWave;
        if helpwave && store.pull_due(&conversation.thread, now) {
            store.pull_started(&conversation.thread, now);
            return self.pull(relay, conversation);
        }
        if now >= conversation.until {
            return Stage::Done(self.thread_answer_offering(false, &[], &cursor));
        }
        let next_pull = if helpwave { store.next_pull_at(&conversation.thread) } else { None };
        let until = next_pull.map_or(conversation.until, |at| at.min(conversation.until));
        Stage::Wait { conversation, until }
    }

    /// `listComments` for the thread's ticket, with the relay's key.
    fn pull(&self, relay: &mut Relay, conversation: Conversation) -> Stage {
        let mut input = Object::new();
        input.insert("ticketId", Value::String(conversation.ticket.as_str().into()));
        let context = CallContext::default();
        let prepared = relay
            .upstream(Provider::HelpWave)
            .map(|upstream| LIST_COMMENTS.prepare(&Value::Object(input), &upstream.config, &context));
        match prepared {
            Some(Ok(request)) => Stage::Pull { conversation, request, context },
            _ => {
                if conversation.held.is_none() {
                    relay.conversations().pull_ended(&conversation.thread);
                }
                Stage::Done(relay_error(self.head.view().origin, "the ticket's comments could not be asked for"))
            }
        }
    }

    /// HelpWave's comments came back for a thread in a store: handed to it, then the read; a
    /// failure is answered as the relay answers failures.
    fn pulled_for_store(&self, relay: &mut Relay, conversation: Conversation, sent: &Sent, now: Millis) -> Stage {
        let origin = self.head.view().origin;
        match (&sent.end, upstream_end(sent)) {
            (Ok(body), _) => match helpwave_messages(body, now) {
                Some(messages) => Stage::Feed { conversation, messages },
                None => {
                    let message = "HelpWave listComments answered something that is not { comments }";
                    Stage::Done(refusal(origin, 502, "UPSTREAM_INVALID", message, &[]))
                }
            },
            (Err(_), Some(end)) => Stage::Done(relay.answer(&self.head.view(), &LIST_COMMENTS, end, now).0),
            (Err(_), None) => Stage::Done(relay_error(origin, "an answer without a response")),
        }
    }

    /// HelpWave's comments came back (or did not): the thread takes the new ones, and every
    /// exchange waiting on it is woken; this one answers as [`converse`](Self::converse) says,
    /// or with the failure.
    fn pulled(&self, relay: &mut Relay, conversation: Conversation, sent: &Sent, now: Millis) -> Stage {
        let origin = self.head.view().origin;
        let thread = conversation.thread.clone();
        relay.conversations().pull_ended(&thread);
        let then = match (&sent.end, upstream_end(sent)) {
            (Ok(body), _) => match helpwave_messages(body, now) {
                Some(messages) => {
                    relay.conversations().append(&thread, messages, now);
                    self.converse(relay, conversation, now)
                }
                None => {
                    let message = "HelpWave listComments answered something that is not { comments }";
                    Stage::Done(refusal(origin, 502, "UPSTREAM_INVALID", message, &[]))
                }
            },
            (Err(_), Some(end)) => Stage::Done(relay.answer(&self.head.view(), &LIST_COMMENTS, end, now).0),
            (Err(_), None) => Stage::Done(relay_error(origin, "an answer without a response")),
        };
        Stage::Wake { thread, then: Box::new(then) }
    }
}

/// Where a webhook's verification stands: still running, refused, or done, then stored once
/// (unless its `webhookId` or its signature was stored in the last 24 h) and acknowledged.
fn webhook_progress(relay: &mut Relay, verification: Verification, signature: String, now: Millis) -> Stage {
    if !verification.is_done() {
        return Stage::Webhook { verification, signature };
    }
    match verification.poll() {
        webhook::Step::Done(Ok(event)) => stored(relay, event, &signature, now),
        webhook::Step::Done(Err(why)) => Stage::Done(webhook_refused(why)),
        _ => Stage::Done(relay_error(None, "the webhook's verification stopped half way")),
    }
}

/// A verified event, stored. Mava signs only the payload, so a delivery captured and replayed
/// under another `webhookId` is known by its signature.
fn stored(relay: &mut Relay, event: &WebhookEvent, signature: &str, now: Millis) -> Stage {
    let ok = Answer {
        status: 200,
        headers: vec![("content-type".to_owned(), "application/json".to_owned())],
        body: r#"{"ok":true}"#.to_owned(),
    };
    let keys = [format!("webhookId {}", event.webhook_id), format!("signature {signature}")];
    if relay.store().is_some() {
        let Some((ticket, message)) = mava_message(event, now) else { return Stage::Done(ok) };
        let thread = thread_key(Provider::Mava, &ticket);
        let order = StoreOrder::Append { thread, messages: vec![message], keys: keys.to_vec() };
        return Stage::Store { order, then: Box::new(Stage::Done(ok)) };
    }
    let store = relay.conversations();
    if store.seen(&keys, now) {
        return Stage::Done(ok);
    }
    store.remember(&keys, now);
    let Some((ticket, message)) = mava_message(event, now) else { return Stage::Done(ok) };
    let thread = thread_key(Provider::Mava, &ticket);
    if store.append(&thread, vec![message], now) == 0 {
        return Stage::Done(ok);
    }
    Stage::Wake { thread, then: Box::new(Stage::Done(ok)) }
}

/// A webhook refused: `401 WEBHOOK_SIGNATURE_INVALID`, `400 WEBHOOK_MALFORMED` or
/// `400 WEBHOOK_PAYLOAD_INVALID` with the verification's own sentence (never a key); the
/// relay's own error when its host cannot verify.
fn webhook_refused(why: Refusal) -> Answer {
    match why.code() {
        Some(code) => refusal(None, if code == SIGNATURE_INVALID { 401 } else { 400 }, code, why.reason(), &[]),
        None => relay_error(None, &format!("the relay cannot verify webhooks: {}", why.reason())),
    }
}

/// Lowercase hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests;
