//! One relayed request as a sans-IO machine, in the shape of [`Call`](crate::call::Call): the
//! host asks [`Exchange::poll`] what to do next (count the visitor in the shared limiter, read
//! the body, verify a signature, make an `Idempotency-Key`, send upstream, sign a capability,
//! answer), does it, and hands back what
//! happened with [`Exchange::handle`]. Every step's order and every answer is decided here;
//! the host only does I/O and Web Crypto.

use super::route::Route;
use super::{relay_error, Admission, Answer, Checked, Mint, Relay, RequestHead, Secret, UpstreamEnd};
use crate::call::{Millis, Sent};
use crate::error::{Failure, RESPONSE_TOO_LARGE, UNEXPECTED_REDIRECT};
use crate::operation::{CallContext, Operation};
use crate::rate_limit::RateLimit;
use crate::request::{PreparedRequest, CAPABILITY_HEADER, USER_HASH_HEADER};

/// The request headers the relay reads, in [`Head`]'s order.
pub const READ_HEADERS: [&str; 7] = [
    "origin",
    "content-type",
    "content-length",
    "access-control-request-method",
    CAPABILITY_HEADER,
    USER_HASH_HEADER,
    "idempotency-key",
];

/// A request's head as it arrived, owned: what the relay decides with before its body.
#[derive(Debug, Clone, Default)]
pub struct Head {
    /// The method.
    pub method: String,
    /// The absolute URL.
    pub url: String,
    /// The values of [`READ_HEADERS`], in that order.
    pub headers: [Option<String>; 7],
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
    /// Write this answer; the exchange is over.
    Answer(Answer),
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
    CountVisitor { route: Route, visitor: String, limit: RateLimit },
    ReadBody { route: Route, max_bytes: usize },
    Verify { checked: Checked, next: usize },
    FreshKey { checked: Checked },
    Send { op: &'static Operation, request: PreparedRequest, context: CallContext },
    Sign { answer: Answer, mint: Mint },
    Done(Answer),
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
            Stage::Done(answer) => Step::Answer(answer.clone()),
        }
    }

    /// Takes what the host did for the current step. An event the step did not ask for ends
    /// the exchange with the relay's own error, never a panic.
    pub fn handle(&mut self, relay: &mut Relay, event: Event, now: Millis) {
        let origin = self.head.view().origin.map(str::to_owned);
        let stage = std::mem::replace(&mut self.stage, Stage::Done(relay_error(None, "")));
        self.stage = match (stage, event) {
            (_, Event::HostFailed(why)) => Stage::Done(relay_error(origin.as_deref(), &why)),
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
                    self.after_checks(relay, checked)
                }
            }
            (Stage::FreshKey { mut checked }, Event::FreshKey(key)) => match key {
                Some(key) => {
                    checked.idempotency_key = Some(key);
                    self.after_checks(relay, checked)
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
    fn admitted(&mut self, relay: &Relay, admission: Admission, now: Millis) {
        self.stage = match admission {
            Admission::Answer(answer) => Stage::Done(answer),
            Admission::CountVisitor { route, visitor, limit } => Stage::CountVisitor { route, visitor, limit },
            Admission::ReadBody { route, max_bytes } => Stage::ReadBody { route, max_bytes },
        };
        if let Stage::ReadBody { max_bytes: 0, .. } = self.stage {
            self.checked(relay, None, now); // a GET has no body to read
        }
    }

    /// Checks the body as the SDK checks it; then the signatures, if any.
    fn checked(&mut self, relay: &Relay, body: Option<&str>, now: Millis) {
        let Stage::ReadBody { route, .. } = std::mem::replace(&mut self.stage, Stage::Done(relay_error(None, "")))
        else {
            return;
        };
        self.stage = match relay.check(&self.head.view(), route, body, now) {
            Err(answer) => Stage::Done(answer),
            Ok(checked) if !checked.signatures.is_empty() => Stage::Verify { checked, next: 0 },
            Ok(checked) => self.after_checks(relay, checked),
        };
    }

    /// Once every signature verified: a fresh idempotency key where one is needed, then the
    /// exact request, prepared as the client prepares it, with the relay's key.
    fn after_checks(&self, relay: &Relay, checked: Checked) -> Stage {
        let op = checked.op;
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

#[cfg(test)]
mod tests;
