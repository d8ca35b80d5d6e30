//! `client.conversation(ticketId, { capability, after })` (CONTRACT §7.3) as a sans-IO state
//! machine, in the shape of [`crate::call::Call`]: [`Follow`] says which long poll to send
//! ([`Follow::poll_transmit`]), when it wants to wake ([`Follow::poll_timeout`]), which batch of
//! messages to yield ([`Follow::poll_batch`]) and how it ended ([`Follow::poll_end`]); it takes
//! what happened with the current time ([`Follow::handle_event`], [`Follow::handle_timeout`]).
//!
//! Its rules: each poll is `GET {baseUrl}/conversations/{ticketId}?after={cursor}&wait=25` with
//! the ticket's capability (§7.2); the cursor of every answer is where the next poll starts; a
//! message id yielded once is never yielded again; a network failure, a timed-out poll, a 408,
//! a 429 or a 5xx is followed by a new poll after `min(0.5·2^n, 8) s` less up to a quarter at
//! random (n: failures in a row), or after the answer's `Retry-After` (at most 60 s, as §4); a
//! 403 (`CAPABILITY_REQUIRED`), a 404 (Tickiti, or a relay without conversations), any other
//! answer and a malformed body end the follow with a typed failure; the caller's abort or
//! `return()` ends it cleanly. The host only fetches, sets timers and listens for the abort.
//!
//! **The WebSocket** (§7.2, where the relay's store keeps sockets): a poll's answer that offers
//! one (`x-ticketwire-socket: offered`) is followed by [`Follow::poll_socket`] instead of the
//! next poll, when the host has WebSockets: the host opens it at the same URL (`ws:`/`wss:`),
//! sends its first message `{ capability, after }`, and hands each frame to
//! [`Follow::handle_socket_message`], read exactly as a poll's answer is (the same cursor and
//! the same dedupe). When it closes ([`Follow::handle_socket_closed`]) the follow polls again:
//! that poll brings what came meanwhile, and its offer opens the next socket, after a backoff
//! if the socket brought nothing (and never after [`MAX_SOCKET_FAILURES`] such in a row).

use crate::call::{CallEvent, Millis, Transmit, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS};
use crate::error::{ErrorKind, Failure, RESPONSE_TOO_LARGE};
use crate::operation::{Input, Method, Operation, Relaying, RetrySafety};
use crate::provider::Provider;
use crate::request::{form_encode, path_encode, PreparedRequest, CAPABILITY_HEADER};
use crate::response::{read_response, Response};
use crate::retry::{self, Jitter, MAX_RETRY_AFTER_MS};
use crate::rules::Shape;
use crate::value::{Object, Unreadable, Value};
use crate::violation::{Keyword, Violation};
use std::collections::{HashSet, VecDeque};

/// How long the relay may hold each poll (`wait`, the most §7.2 allows).
pub const WAIT_SECONDS: u32 = 25;
/// The least time between two polls that brought nothing new: a relay that ignores `wait`
/// (or keeps answering a message already yielded) is not asked in a tight loop.
pub const MIN_EMPTY_POLL_GAP_MS: Millis = 1_000.0;
/// Sockets in a row that closed before their first frame, after which the follow keeps to polls.
pub const MAX_SOCKET_FAILURES: u32 = 3;

/// How many message ids the follow remembers to drop repeats (the oldest forgotten first).
pub const MAX_REMEMBERED_IDS: usize = 10_000;

/// No input table: the relay's route takes the ticket in its path and the rest from options.
const NO_FIELDS: Shape = Shape { name: "TicketwireConversationParams", doc: "", variants: &[], fields: &[] };

/// Mava's conversation, as a failure names it (`operation: "conversation"`).
pub const MAVA_CONVERSATION: Operation = Operation {
    provider: Provider::Mava,
    name: "conversation",
    method: Method::Get,
    path: "/conversations/{ticketId}",
    input: Input::Path(&NO_FIELDS),
    checks: &[],
    safety: RetrySafety::Idempotent,
    idempotency_key: false,
    reshape: None,
    relaying: Relaying::NEVER,
};

/// HelpWave's conversation, as a failure names it.
pub const HELPWAVE_CONVERSATION: Operation = Operation { provider: Provider::HelpWave, ..MAVA_CONVERSATION };

/// The conversation of `provider`'s tickets; `None` for Tickiti, which has none (§7).
pub fn operation(provider: Provider) -> Option<&'static Operation> {
    match provider {
        Provider::Mava => Some(&MAVA_CONVERSATION),
        Provider::HelpWave => Some(&HELPWAVE_CONVERSATION),
        Provider::Tickiti => None,
    }
}

/// The settings a follow runs under (the client's).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FollowPolicy {
    /// How long a poll may take beyond the [`WAIT_SECONDS`] the relay holds it.
    pub timeout_ms: f64,
    /// An answer body longer than this ends the follow (`RESPONSE_TOO_LARGE`).
    pub max_response_bytes: usize,
    /// Whether the host can open a WebSocket where the relay offers one.
    pub sockets: bool,
}

impl Default for FollowPolicy {
    fn default() -> Self {
        FollowPolicy { timeout_ms: DEFAULT_TIMEOUT_MS, max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES, sockets: false }
    }
}

/// A WebSocket to open: where, and the first message to send on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocketOpen {
    /// `ws:` or `wss:`, the conversation's URL without its query.
    pub url: String,
    /// `{"capability":"…","after":"…"}`.
    pub hello: String,
}

/// Messages to yield: those of one answer not yielded before, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// `{"messages":[…],"cursor":"…"}`: the batch as the iterator yields it, as JSON text.
    pub json: String,
    /// Their ids, in order.
    pub ids: Vec<String>,
    /// Where the thread stands after them (`after` for a follow that resumes).
    pub cursor: Option<String>,
}

/// Where the follow is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    /// Free to send the next poll.
    Ready,
    /// A poll is out, sent at `sent_at`.
    Polling { sent_at: Millis, timeout_at: Millis },
    /// Waiting before the next poll (backoff, `Retry-After`, or the gap after an empty one).
    Waiting { until: Millis },
    /// The relay offered a socket: the host is to open it ([`Follow::poll_socket`]).
    SocketOffered,
    /// A socket is open (or opening); `framed`: it has brought a frame.
    Socket { framed: bool },
    /// Ended; [`Follow::poll_end`] has (or had) the end.
    Finished,
}

/// One ticket's conversation, followed poll after poll until it is stopped or refused.
#[derive(Debug)]
pub struct Follow {
    op: &'static Operation,
    base_url: String,
    ticket_id: String,
    capability: String,
    policy: FollowPolicy,
    cursor: Option<String>,
    state: State,
    /// The request of the poll out (or last out).
    request: PreparedRequest,
    polls: u32,
    /// Polls in a row that failed (the backoff's `n` is one less).
    failures: u32,
    seen: HashSet<String>,
    seen_order: VecDeque<String>,
    batches: VecDeque<Batch>,
    end: Option<Result<(), Failure>>,
    random: Jitter,
    /// Sockets in a row that closed before their first frame.
    socket_failures: u32,
}

impl Follow {
    /// A follow of `ticket_id` through the relay at `base_url` (which ends in `/{provider}`),
    /// with `options` as the caller gave them (`capability`, `after`; a host `signal` taken out
    /// beforehand); `seed` spreads its backoff jitter. Every mistake at once, as a `validation`
    /// failure.
    pub fn new(
        op: &'static Operation,
        base_url: &str,
        ticket_id: &Value,
        options: &Value,
        policy: FollowPolicy,
        seed: u64,
    ) -> Result<Follow, Failure> {
        let mut violations = Vec::new();
        let code = op.provider.validation_code();
        // A message names its place without the leading slash: `options/capability must …`.
        let mut refuse = |path: &str, subject: &str, rule: Keyword, words: &str| {
            violations.push(Violation::new(path, code, subject, rule, words))
        };
        let ticket = ticket_id.id_text();
        if ticket.is_none() {
            let rule =
                if ticket_id.as_str().is_some() { Keyword::MinLength(1) } else { Keyword::Type("string".into()) };
            refuse(
                "/ticketId",
                "ticketId",
                rule,
                "must be a non-empty string (the ticket's id as its create answered)",
            );
        }
        let empty = Object::new();
        let options = match options {
            Value::Object(object) => object,
            // Omitted (`undefined`) or `null`: no capability.
            Value::Null | Value::Unreadable(Unreadable::Undefined) => &empty,
            _ => {
                refuse(
                    "/options",
                    "options",
                    Keyword::Type("object".into()),
                    "must be an object with the ticket's capability",
                );
                &empty
            }
        };
        let capability = options.get("capability").and_then(Value::as_str).filter(|c| !c.is_empty());
        if capability.is_none() && options.get("capability").is_none() {
            let rule = Keyword::Required("capability".into());
            refuse("/options/capability", "options", rule.clone(), &rule.words());
        } else if capability.is_none() {
            let given = options.get("capability").and_then(Value::as_str);
            let rule = if given.is_some() { Keyword::MinLength(1) } else { Keyword::Type("string".into()) };
            refuse("/options/capability", "options/capability", rule, "must be a non-empty string");
        }
        let after = match options.get("after") {
            None | Some(Value::Null) => None,
            Some(value) => match cursor_text(value) {
                Some(after) => Some(after),
                None => {
                    refuse(
                        "/options/after",
                        "options/after",
                        Keyword::Format("cursor"),
                        "must be a cursor string (a batch's cursor)",
                    );
                    None
                }
            },
        };
        for (key, _) in options.iter().filter(|(k, _)| !matches!(*k, "capability" | "after")) {
            let path = format!("/options/{key}");
            match key {
                "signal" => {
                    refuse(&path, "options/signal", Keyword::Type("AbortSignal".into()), "must be an AbortSignal")
                }
                _ => {
                    let rule = Keyword::AdditionalProperties { property: key.to_owned().into(), suggestion: None };
                    refuse(&path, "options", rule, &format!("must NOT have additional properties: '{key}'"))
                }
            }
        }
        let (Some(ticket), Some(capability), true) = (ticket, capability, violations.is_empty()) else {
            return Err(Failure::validation(op, violations));
        };
        Ok(Follow {
            op,
            base_url: base_url.trim_end_matches('/').to_owned(),
            ticket_id: ticket,
            capability: capability.to_owned(),
            policy,
            cursor: after,
            state: State::Ready,
            request: PreparedRequest { method: String::new(), url: String::new(), headers: Vec::new(), body: None },
            polls: 0,
            failures: 0,
            seen: HashSet::new(),
            seen_order: VecDeque::new(),
            batches: VecDeque::new(),
            end: None,
            random: Jitter::new(seed),
            socket_failures: 0,
        })
    }

    /// Where the thread stands: the last answer's cursor, or the caller's `after`.
    pub fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    /// How many polls have gone out.
    pub fn polls(&self) -> u32 {
        self.polls
    }

    /// Whether the follow has ended (its end may still be waiting in [`Follow::poll_end`]).
    pub fn is_finished(&self) -> bool {
        self.state == State::Finished
    }

    /// The poll to send now, if the follow is ready for one.
    pub fn poll_transmit(&mut self, now: Millis) -> Option<Transmit<'_>> {
        if self.state != State::Ready {
            return None;
        }
        let timeout = f64::from(WAIT_SECONDS) * 1000.0 + self.policy.timeout_ms;
        self.state = State::Polling { sent_at: now, timeout_at: now + timeout };
        self.polls += 1;
        self.request = self.next_request();
        Some(Transmit {
            request: &self.request,
            attempt: self.polls,
            max_response_bytes: self.policy.max_response_bytes,
        })
    }

    /// The socket to open now, where the relay offered one.
    pub fn poll_socket(&mut self) -> Option<SocketOpen> {
        if self.state != State::SocketOffered {
            return None;
        }
        self.state = State::Socket { framed: false };
        let mut url = format!("{}/conversations/", self.base_url);
        path_encode(&self.ticket_id, &mut url);
        let url = match url.split_once("://") {
            Some(("https", rest)) => format!("wss://{rest}"),
            Some(("http", rest)) => format!("ws://{rest}"),
            _ => url,
        };
        let mut hello = Object::new();
        hello.insert("capability", Value::String(self.capability.as_str().into()));
        hello.insert("after", self.cursor.as_deref().map_or(Value::Null, |c| Value::String(c.into())));
        Some(SocketOpen { url, hello: Value::Object(hello).to_json() })
    }

    /// Whether a socket is open (or opening): no poll goes out meanwhile.
    pub fn is_on_socket(&self) -> bool {
        matches!(self.state, State::Socket { .. })
    }

    /// A frame came on the socket: read as a poll's answer is. One that is not
    /// `{ messages, cursor }` closes it (the follow polls again).
    pub fn handle_socket_message(&mut self, now: Millis, frame: &str) {
        if !self.is_on_socket() {
            return;
        }
        match self.take_messages(frame) {
            Ok(_) => {
                self.socket_failures = 0;
                self.state = State::Socket { framed: true };
            }
            Err(_) => self.handle_socket_closed(now),
        }
    }

    /// The socket closed (or failed to open): poll again, at once when it had brought a
    /// frame, else after a backoff.
    pub fn handle_socket_closed(&mut self, now: Millis) {
        let State::Socket { framed } = self.state else { return };
        if framed {
            self.state = State::Ready;
            return;
        }
        let random = self.random.next();
        let wait = retry::backoff(self.socket_failures, random);
        self.socket_failures = self.socket_failures.saturating_add(1);
        self.state = State::Waiting { until: now + wait as f64 };
    }

    /// When to call [`Follow::handle_timeout`] unless an event comes first; `None` when the
    /// follow needs [`Follow::poll_transmit`] first, or has ended.
    pub fn poll_timeout(&self) -> Option<Millis> {
        match self.state {
            State::Polling { timeout_at, .. } => Some(timeout_at),
            State::Waiting { until } => Some(until),
            State::Ready | State::Finished | State::SocketOffered | State::Socket { .. } => None,
        }
    }

    /// The next batch to yield, oldest first.
    pub fn poll_batch(&mut self) -> Option<Batch> {
        self.batches.pop_front()
    }

    /// The follow's end, once: `Ok` when stopped (abort, `return()`), else the failure. Comes
    /// after every batch.
    pub fn poll_end(&mut self) -> Option<Result<(), Failure>> {
        if self.batches.is_empty() {
            self.end.take()
        } else {
            None
        }
    }

    /// Stops the follow (the caller's abort, `return()`): no further poll. The batches not
    /// yet yielded are dropped.
    pub fn stop(&mut self) {
        self.batches.clear();
        if self.state != State::Finished {
            self.finish(Ok(()));
        }
    }

    /// The time came (or a timer woke early: then nothing happens).
    pub fn handle_timeout(&mut self, now: Millis) {
        match self.state {
            State::Waiting { until } if now >= until => self.state = State::Ready,
            State::Polling { timeout_at, .. } if now >= timeout_at => {
                let message = format!(
                    "{} poll got no answer within {} ms",
                    self.what(),
                    (timeout_at - self.sent_at()).max(0.0) as u64
                );
                self.after_failure(now, Failure::new(ErrorKind::Timeout, self.op, message));
            }
            _ => {}
        }
    }

    /// Something happened. An answer the follow no longer waits for (after its poll timed out,
    /// after a stop) changes nothing; the rate limiter's events do not concern it.
    pub fn handle_event(&mut self, now: Millis, event: CallEvent) {
        match (event, self.state) {
            (CallEvent::Response(response), State::Polling { sent_at, .. }) => self.answered(now, sent_at, response),
            (CallEvent::ResponseTooLarge { status }, State::Polling { .. }) => {
                let message = format!(
                    "{} answered {status} with a body over {} bytes (maxResponseBytes)",
                    self.what(),
                    self.policy.max_response_bytes
                );
                self.finish(Err(Failure {
                    status: Some(status),
                    code: Some(RESPONSE_TOO_LARGE.to_owned()),
                    ..Failure::new(ErrorKind::Api, self.op, message)
                }));
            }
            (CallEvent::TransportFailed(why), State::Polling { .. }) => {
                let failure =
                    Failure::new(ErrorKind::Network, self.op, format!("{} got no response: {why}", self.what()));
                self.after_failure(now, failure);
            }
            (CallEvent::Aborted, _) => self.stop(),
            (CallEvent::HostFailed(why), state) if state != State::Finished => {
                self.batches.clear();
                self.finish(Err(Failure::new(ErrorKind::Config, self.op, format!("{}: {why}", self.what()))));
            }
            _ => {}
        }
    }

    /// `Mava conversation`, as messages start.
    fn what(&self) -> String {
        format!("{} {}", self.op.provider.display_name(), self.op.name)
    }

    fn sent_at(&self) -> Millis {
        match self.state {
            State::Polling { sent_at, .. } => sent_at,
            _ => 0.0,
        }
    }

    /// `GET {base}/conversations/{ticketId}?after={cursor}&wait=25` with the capability.
    fn next_request(&self) -> PreparedRequest {
        let mut url = format!("{}/conversations/", self.base_url);
        path_encode(&self.ticket_id, &mut url);
        url.push('?');
        if let Some(cursor) = &self.cursor {
            url.push_str("after=");
            form_encode(cursor, &mut url);
            url.push('&');
        }
        url.push_str(&format!("wait={WAIT_SECONDS}"));
        PreparedRequest {
            method: "GET".to_owned(),
            url,
            headers: vec![(CAPABILITY_HEADER.to_owned(), self.capability.clone())],
            body: None,
        }
    }

    fn answered(&mut self, now: Millis, sent_at: Millis, response: &Response) {
        let failure = match read_response(self.op, response, now.max(0.0) as u64) {
            Ok(body) => match self.take_messages(&body) {
                Ok(_)
                    if response.socket_offered && self.policy.sockets && self.socket_failures < MAX_SOCKET_FAILURES =>
                {
                    self.failures = 0;
                    self.state = State::SocketOffered;
                    return;
                }
                Ok(fresh) => {
                    self.failures = 0;
                    // Nothing new, and quickly: wait out the gap before asking again.
                    let gap_ends = sent_at + MIN_EMPTY_POLL_GAP_MS;
                    self.state =
                        if fresh == 0 && now < gap_ends { State::Waiting { until: gap_ends } } else { State::Ready };
                    return;
                }
                Err(why) => {
                    let message = format!("{} answered 200 with a body that {why}", self.what());
                    Failure {
                        status: Some(response.status),
                        code: Some("INVALID_RESPONSE".to_owned()),
                        ..Failure::new(ErrorKind::Api, self.op, message)
                    }
                }
            },
            Err(mut failure) => {
                if response.status == 404 && failure.code.is_none() {
                    failure.code = Some("NOT_FOUND".to_owned());
                }
                failure
            }
        };
        match failure.status {
            Some(408 | 429 | 500..=599) => self.after_failure(now, failure),
            _ => self.finish(Err(failure)),
        }
    }

    /// Reads an answer's `messages` and `cursor`: queues the messages not yielded before as a
    /// batch, moves the cursor; how many were new, or what is wrong with the body.
    fn take_messages(&mut self, body: &str) -> Result<usize, &'static str> {
        let value = Value::from_json(body).map_err(|_| "is not JSON")?;
        let answer = value.as_object().ok_or("is not an object")?;
        let Some(Value::Array(messages)) = answer.get("messages") else { return Err("has no messages array") };
        let cursor = match answer.get("cursor") {
            None | Some(Value::Null) => None,
            Some(cursor) => Some(cursor_text(cursor).ok_or("has a cursor that is not a string")?),
        };
        let ids = messages
            .iter()
            .map(|m| m.as_object().and_then(|m| m.get("id")).and_then(Value::id_text))
            .collect::<Option<Vec<String>>>()
            .ok_or("holds a message without an id")?;
        if cursor.is_some() {
            self.cursor = cursor;
        }
        let mut fresh = Vec::new();
        let mut fresh_ids = Vec::new();
        for (message, id) in messages.iter().zip(ids) {
            if self.remember(&id) {
                fresh.push(message.clone());
                fresh_ids.push(id);
            }
        }
        let count = fresh.len();
        if count > 0 {
            let mut batch = Object::new();
            batch.insert("messages", Value::Array(fresh));
            batch.insert("cursor", self.cursor.as_deref().map_or(Value::Null, |c| Value::String(c.into())));
            self.batches.push_back(Batch {
                json: Value::Object(batch).to_json(),
                ids: fresh_ids,
                cursor: self.cursor.clone(),
            });
        }
        Ok(count)
    }

    /// Whether `id` is new (then remembered, the oldest id forgotten past the bound).
    fn remember(&mut self, id: &str) -> bool {
        if !self.seen.insert(id.to_owned()) {
            return false;
        }
        self.seen_order.push_back(id.to_owned());
        if self.seen_order.len() > MAX_REMEMBERED_IDS {
            if let Some(oldest) = self.seen_order.pop_front() {
                self.seen.remove(&oldest);
            }
        }
        true
    }

    /// A poll failed in a way worth trying again: wait (backoff or `Retry-After`), or end
    /// with `failure` when the server asks for more than 60 s.
    fn after_failure(&mut self, now: Millis, failure: Failure) {
        let random = self.random.next();
        let wait = match failure.retry_after_ms {
            Some(ms) if ms > MAX_RETRY_AFTER_MS => return self.finish(Err(failure)),
            Some(ms) => ms,
            None => retry::backoff(self.failures, random),
        };
        self.failures = self.failures.saturating_add(1);
        self.state = State::Waiting { until: now + wait as f64 };
    }

    fn finish(&mut self, end: Result<(), Failure>) {
        debug_assert!(end.as_ref().err().is_none_or(Failure::fits_its_kind), "{end:?} does not fit its kind");
        self.state = State::Finished;
        self.end = Some(end);
    }
}

/// A cursor as text: a non-empty string as given, a whole number in decimal.
fn cursor_text(value: &Value) -> Option<String> {
    value.id_text()
}

#[cfg(test)]
mod tests;
