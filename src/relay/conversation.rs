//! Live conversations through the relay (CONTRACT §7.2), sans-IO: what a visitor may read of a
//! ticket's thread and how the relay keeps it. Every rule is here, on the clock the caller
//! hands in: which Mava events and HelpWave comments are public messages, each thread (one per
//! ticket, messages numbered in the order the relay stored them, each provider id once),
//! the cursor, the 24 h memory of webhooks already stored (by `webhookId` and by signature),
//! HelpWave's pull throttle (one `listComments` per ticket per 5 s), and the bounds that keep
//! the store's memory fixed. The exchange ([`super::exchange`]) drives it; the host only waits.
//!
//! **The cursor** is `<epoch>-<n>`: the number of messages the relay had stored in the thread
//! when it answered, after the relay's epoch (its start, in base 36). A count needs no id
//! order from the provider (Mava promises none, and a replay may come late), never skips a
//! message stored after it, and stays valid when old messages are dropped from memory. The
//! epoch makes a cursor from another process (a restart emptied the in-memory store) read as
//! no cursor: the visitor then gets the whole thread again, and its client drops the ids it
//! has already shown, rather than waiting for a count the new thread may never reach.

use crate::call::Millis;
use crate::helpwave::TICKET_ID;
use crate::operation::{Input, Method, Operation, Relaying, RetrySafety, TicketRole};
use crate::provider::Provider;
use crate::rules::date::{format_utc, from_unix_millis};
use crate::rules::{kept, required, Shape, OBJECT_ID};
use crate::value::{Object, Value};
use crate::webhook::mava::WebhookEvent;
use std::collections::{HashMap, HashSet, VecDeque};

/// Where Mava posts its webhooks, under the relay's base path.
pub const WEBHOOK_PATH: &str = "/mava/webhooks";
/// The largest webhook body read (1 MiB).
pub const MAX_WEBHOOK_BYTES: usize = 1 << 20;
/// How long a webhook already stored is remembered, by its `webhookId` and by its signature.
pub const SEEN_WINDOW_MS: Millis = 24.0 * 60.0 * 60.0 * 1000.0;
/// The longest a visitor's `wait` may be, in seconds.
pub const MAX_WAIT_SECS: u32 = 25;
/// HelpWave's thread is pulled from `listComments` at most once per this, per ticket.
pub const PULL_INTERVAL_MS: Millis = 5_000.0;
/// A pull not ended after this long (its exchange was dropped: the visitor went away) no
/// longer holds the other visitors back: longer than the relay's 20 s upstream deadline.
pub const PULL_STALE_MS: Millis = 25_000.0;
/// The most threads held; past it the one least recently written is dropped.
pub const MAX_THREADS: usize = 10_000;
/// The most messages each thread holds; past it its oldest are dropped (the cursor still counts them).
pub const MAX_MESSAGES_PER_THREAD: usize = 500;
/// The most bytes of message text, ids and URLs held in all; past it the threads least
/// recently written are dropped.
pub const MAX_STORED_BYTES: usize = 32 << 20;
/// The most webhooks remembered as stored (ids and signatures); past it the oldest are forgotten.
pub const MAX_SEEN: usize = 200_000;

/// The path parameter of a conversation route.
const MAVA_PARAMS: Shape = Shape {
    name: "MavaConversationParams",
    doc: kept("The ticket whose conversation to read."),
    variants: &[],
    fields: &[required("ticketId", OBJECT_ID).doc("The ticket's `_id`, as its create answered.")],
};

const HELPWAVE_PARAMS: Shape = Shape {
    name: "HelpWaveConversationParams",
    doc: kept("The ticket whose conversation to read."),
    variants: &[],
    fields: &[required("ticketId", TICKET_ID).doc("The ticket's `id`, as its create answered.")],
};

const CONVERSATION_RELAYING: Relaying =
    Relaying { ticket: TicketRole::ActsOn("ticketId"), visitor_fields: Some(&["ticketId"]), ..Relaying::WHEN_LISTED };

/// `GET {basePath}/mava/conversations/{ticketId}`: the relay's own route, never a provider
/// call, matched and checked (its ticket's capability) as the relayed operations are.
pub static MAVA_CONVERSATION: Operation = CONVERSATION;

const CONVERSATION: Operation = Operation {
    provider: Provider::Mava,
    name: "conversation",
    method: Method::Get,
    path: "/conversations/{ticketId}",
    input: Input::Path(&MAVA_PARAMS),
    checks: &[],
    safety: RetrySafety::Idempotent,
    idempotency_key: false,
    reshape: None,
    relaying: CONVERSATION_RELAYING,
};

/// `GET {basePath}/helpwave/conversations/{ticketId}`: answered from the relay's copy of the
/// ticket's comments, pulled upstream at most once per [`PULL_INTERVAL_MS`].
pub static HELPWAVE_CONVERSATION: Operation =
    Operation { provider: Provider::HelpWave, input: Input::Path(&HELPWAVE_PARAMS), ..CONVERSATION };

/// Whether `op` is a conversation route, not a provider's operation.
pub fn is_conversation(op: &Operation) -> bool {
    std::ptr::eq(op, &MAVA_CONVERSATION) || std::ptr::eq(op, &HELPWAVE_CONVERSATION)
}

/// Who wrote a message, as a visitor sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    /// The business (Mava `fromCustomer: false`, HelpWave `isFromShop: true`).
    Agent,
    /// The visitor.
    Customer,
}

/// A file attached to a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Where it is (always `https:`).
    pub url: String,
    /// Its name (empty when the provider gave none).
    pub file_name: String,
    /// Its media type (empty when the provider gave none).
    pub file_type: String,
}

/// One public message of a thread, as a visitor reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The provider's id of it: a thread holds each once.
    pub id: String,
    /// Who wrote it.
    pub from: Author,
    /// Its text.
    pub text: String,
    /// Its files.
    pub attachments: Vec<Attachment>,
    /// When it was written, as the provider said (ISO 8601), or when the relay stored it.
    pub at: String,
}

impl Message {
    /// `{ id, from, text, attachments: [{ url, fileName, fileType }], at }`.
    pub fn to_value(&self) -> Value {
        let text = |s: &str| Value::String(s.into());
        let attachments = self.attachments.iter().map(|a| {
            let mut file = Object::new();
            file.insert("url", text(&a.url));
            file.insert("fileName", text(&a.file_name));
            file.insert("fileType", text(&a.file_type));
            Value::Object(file)
        });
        let mut message = Object::new();
        message.insert("id", text(&self.id));
        message.insert("from", text(if self.from == Author::Agent { "agent" } else { "customer" }));
        message.insert("text", text(&self.text));
        message.insert("attachments", Value::Array(attachments.collect()));
        message.insert("at", text(&self.at));
        Value::Object(message)
    }

    /// Reads a message as [`to_value`](Self::to_value) writes it (a store's answer, the
    /// conversation object's storage): `None` when any field is missing or not what a visitor
    /// may be shown (an id out of shape, an attachment not on `https:`).
    pub fn from_value(value: &Value) -> Option<Message> {
        let o = value.as_object()?;
        let text = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_owned);
        let from = match o.get("from").and_then(Value::as_str)? {
            "agent" => Author::Agent,
            "customer" => Author::Customer,
            _ => return None,
        };
        let Value::Array(files) = o.get("attachments")? else { return None };
        let attachments = attachments_of(o.get("attachments"), "fileType");
        if attachments.len() != files.len() {
            return None;
        }
        Some(Message { id: id_of(o.get("id"))?, from, text: text("text")?, attachments, at: text("at")? })
    }

    fn bytes(&self) -> usize {
        let files: usize = self.attachments.iter().map(|a| a.url.len() + a.file_name.len() + a.file_type.len()).sum();
        self.id.len() + self.text.len() + self.at.len() + files + 64
    }
}

/// A ticket or message id as a thread keys it: 1–128 characters, letters, digits, `_` and `-`.
fn id_of(value: Option<&Value>) -> Option<String> {
    let id = value?.id_text()?;
    let fits = id.len() <= 128 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    fits.then_some(id)
}

/// The time a document gives (`createdAt`, HelpWave's `time`), or `now`.
fn time_of(value: Option<&Value>, now: Millis) -> String {
    match value.and_then(Value::as_str) {
        Some(at) if !at.is_empty() && at.len() <= 64 => at.to_owned(),
        _ => format_utc(from_unix_millis(now as i64)),
    }
}

/// The attachments with an `https:` URL (a page renders them: never a `javascript:` one),
/// their type read from `type_key`.
fn attachments_of(value: Option<&Value>, type_key: &str) -> Vec<Attachment> {
    let Some(Value::Array(items)) = value else { return Vec::new() };
    let text = |o: &Object, k: &str| o.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    items
        .iter()
        .filter_map(Value::as_object)
        .filter(|o| o.get("url").and_then(Value::as_str).is_some_and(|u| u.starts_with("https://")))
        .map(|o| Attachment {
            url: text(o, "url"),
            file_name: text(o, "fileName"),
            file_type: if o.get(type_key).is_some() { text(o, type_key) } else { text(o, "fileType") },
        })
        .collect()
}

/// The public message a verified Mava event carries, and the ticket it belongs to: only a
/// `message.created` whose `messageType` is `"ExternalMessage"` (an internal note, or any type
/// not known to be public, is never shown), of a ticket named by `document.ticket._id` (or
/// `document.ticket`, an id string). Its id is the message's `_id` (else the webhook's id).
pub fn mava_message(event: &WebhookEvent, now: Millis) -> Option<(String, Message)> {
    let document = &event.document;
    if event.event_type != "message.created"
        || document.get("messageType").and_then(Value::as_str) != Some("ExternalMessage")
    {
        return None;
    }
    let ticket = match document.get("ticket") {
        Some(Value::Object(ticket)) => id_of(ticket.get("_id")),
        other => id_of(other),
    }?;
    let from = match (document.get("fromCustomer"), document.get("senderReferenceType").and_then(Value::as_str)) {
        (Some(Value::Bool(true)), _) | (None, Some("Customer" | "DiscordUser")) => Author::Customer,
        _ => Author::Agent,
    };
    let id = id_of(document.get("_id")).or_else(|| id_of(Some(&Value::String(event.webhook_id.as_str().into()))))?;
    let message = Message {
        id,
        from,
        text: document.get("content").and_then(Value::as_str).unwrap_or("").to_owned(),
        attachments: attachments_of(document.get("attachments"), "type"),
        at: time_of(document.get("createdAt"), now),
    };
    Some((ticket, message))
}

/// The messages of a HelpWave `listComments` answer (`{ comments: [...] }`), in its order:
/// `isFromShop` (HelpWave's default: true) is the agent. A comment marked internal or private
/// (`isInternal`, `isPrivate`: not in HelpWave's public docs, but never shown if present) or
/// without an id is left out. `None` when the answer is not that shape.
pub fn helpwave_messages(body: &str, now: Millis) -> Option<Vec<Message>> {
    let answer = Value::from_json(body).ok()?;
    let Some(Value::Array(comments)) = answer.as_object()?.get("comments") else { return None };
    let marked = |o: &Object, k: &str| o.get(k) == Some(&Value::Bool(true));
    let messages = comments
        .iter()
        .filter_map(Value::as_object)
        .filter(|c| !marked(c, "isInternal") && !marked(c, "isPrivate"))
        .filter_map(|c| {
            Some(Message {
                id: id_of(c.get("id"))?,
                from: if c.get("isFromShop") == Some(&Value::Bool(false)) { Author::Customer } else { Author::Agent },
                text: c.get("text").and_then(Value::as_str).unwrap_or("").to_owned(),
                attachments: attachments_of(c.get("attachments"), "fileType"),
                at: time_of(c.get("time"), now),
            })
        })
        .collect();
    Some(messages)
}

/// A thread's answer, `{ messages, cursor }` (to a read, and on a socket).
pub fn thread_body(messages: &[&Message], cursor: &str) -> String {
    let mut body = Object::new();
    body.insert("messages", Value::Array(messages.iter().map(|m| m.to_value()).collect()));
    body.insert("cursor", Value::String(cursor.into()));
    Value::Object(body).to_json()
}

/// A cursor read apart: the store's epoch and the count of messages seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    epoch: String,
    seen: u64,
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.epoch, self.seen)
    }
}

/// What a conversation request asks, from its query string.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// `after`: the cursor of the last answer (`None`: from the start).
    pub after: Option<Cursor>,
    /// `wait`, in milliseconds: how long to hold the answer for a message.
    pub wait_ms: Millis,
}

/// Reads `after` and `wait` from a URL's query (other parameters are ignored); the error says
/// which is wrong.
pub fn read_query(url: &str) -> Result<Query, &'static str> {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let query = &query[..query.find('#').unwrap_or(query.len())];
    let (mut after, mut wait) = (None, None);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let slot = match key {
            "after" => &mut after,
            "wait" => &mut wait,
            _ => continue,
        };
        if slot.replace(value).is_some() {
            return Err("after and wait may each be given once");
        }
    }
    let after = match after {
        None => None,
        Some(text) => Some(parse_cursor(text).ok_or("after must be a cursor the relay answered with")?),
    };
    let wait_secs = match wait {
        None => 0,
        Some(text) => Some(text)
            .filter(|t| !t.is_empty() && t.len() <= 2 && t.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|t| t.parse::<u32>().ok())
            .filter(|s| *s <= MAX_WAIT_SECS)
            .ok_or("wait must be a whole number of seconds from 0 to 25")?,
    };
    Ok(Query { after, wait_ms: f64::from(wait_secs) * 1000.0 })
}

fn parse_cursor(text: &str) -> Option<Cursor> {
    let (epoch, seen) = text.split_once('-')?;
    let epoch_ok = is_epoch(epoch);
    let seen_ok = !seen.is_empty() && seen.len() <= 15 && seen.bytes().all(|b| b.is_ascii_digit());
    if !epoch_ok || !seen_ok {
        return None;
    }
    Some(Cursor { epoch: epoch.to_owned(), seen: seen.parse().ok()? })
}

/// Whether `text` can be a cursor's epoch: 1–16 digits and lowercase letters (base 36).
fn is_epoch(text: &str) -> bool {
    !text.is_empty() && text.len() <= 16 && text.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
}

/// Base 36, as the epoch is written.
fn base36(mut n: u64) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    String::from_utf8(digits).expect("ASCII")
}

#[derive(Debug, Default)]
struct Thread {
    /// The messages held, each with its number (1 for the thread's first).
    messages: VecDeque<(u64, Message)>,
    /// How many messages the thread has had: the last one's number.
    count: u64,
    /// Every id stored, so a message is held once however often it comes.
    ids: HashSet<String>,
    bytes: usize,
    /// When it was last written (the one least recently written is dropped first).
    written: Millis,
    /// When the last pull upstream started, and whether it is still under way.
    pulled: Option<Millis>,
    pulling: bool,
}

impl Thread {
    /// Stores `messages` in order, each id once (the oldest dropped past
    /// [`MAX_MESSAGES_PER_THREAD`]); the numbers of those that were new.
    fn append(&mut self, messages: Vec<Message>, now: Millis) -> Vec<u64> {
        let mut added = Vec::new();
        for message in messages {
            if !self.ids.insert(message.id.clone()) {
                continue;
            }
            self.count += 1;
            self.bytes += message.bytes();
            self.messages.push_back((self.count, message));
            added.push(self.count);
            if self.messages.len() > MAX_MESSAGES_PER_THREAD {
                let (_, old) = self.messages.pop_front().expect("a front");
                self.bytes -= old.bytes();
            }
        }
        if !added.is_empty() {
            self.written = now;
        }
        added
    }

    /// The messages after `after` (all held when `None`, or a cursor of another epoch or past
    /// the thread's end), and the cursor to ask after them.
    fn after(&self, epoch: &str, after: Option<&Cursor>) -> (Vec<&Message>, String) {
        let seen = after.filter(|c| c.epoch == epoch && c.seen <= self.count).map_or(0, |c| c.seen);
        let messages = self.messages.iter().filter(|(n, _)| *n > seen).map(|(_, m)| m).collect();
        (messages, format!("{epoch}-{}", self.count))
    }
}

/// Where threads live: in this process's memory (one isolate), bounded.
#[derive(Debug)]
pub struct Conversations {
    epoch: String,
    threads: HashMap<String, Thread>,
    bytes: usize,
    /// Webhooks stored (`webhookId`s and signatures), with when.
    seen: HashMap<String, Millis>,
    seen_order: VecDeque<(Millis, String)>,
}

/// A ticket's thread: which provider, which ticket.
pub fn thread_key(provider: Provider, ticket: &str) -> String {
    format!("{}/{ticket}", provider.id())
}

impl Conversations {
    /// An empty store whose cursors carry `epoch` (the relay's start, in Unix ms).
    pub fn new(epoch: u64) -> Conversations {
        Conversations {
            epoch: base36(epoch),
            threads: HashMap::new(),
            bytes: 0,
            seen: HashMap::new(),
            seen_order: VecDeque::new(),
        }
    }

    /// Whether any of `keys` (a webhook's id and signature) was stored in the last 24 h.
    pub fn seen(&self, keys: &[String], now: Millis) -> bool {
        keys.iter().any(|k| self.seen.get(k).is_some_and(|at| now - at < SEEN_WINDOW_MS))
    }

    /// Remembers `keys` as stored at `now`, for 24 h (the oldest forgotten past [`MAX_SEEN`]).
    pub fn remember(&mut self, keys: &[String], now: Millis) {
        for key in keys {
            self.seen.insert(key.clone(), now);
            self.seen_order.push_back((now, key.clone()));
        }
        while let Some((at, _)) = self.seen_order.front() {
            if now - at < SEEN_WINDOW_MS && self.seen_order.len() <= MAX_SEEN {
                break;
            }
            let (at, key) = self.seen_order.pop_front().expect("a front");
            if self.seen.get(&key) == Some(&at) {
                self.seen.remove(&key);
            }
        }
    }

    /// Stores `messages` in `thread`, in order, each id once; how many were new.
    pub fn append(&mut self, thread: &str, messages: Vec<Message>, now: Millis) -> usize {
        if !self.threads.contains_key(thread) && self.threads.len() >= MAX_THREADS {
            self.drop_least_recent(None);
        }
        let t = self.threads.entry(thread.to_owned()).or_default();
        let before = t.bytes;
        let added = t.append(messages, now).len();
        self.bytes = self.bytes + t.bytes - before;
        while self.bytes > MAX_STORED_BYTES && self.threads.len() > 1 {
            self.drop_least_recent(Some(thread));
        }
        added
    }

    fn drop_least_recent(&mut self, keep: Option<&str>) {
        let oldest = self
            .threads
            .iter()
            .filter(|(k, _)| Some(k.as_str()) != keep)
            .min_by(|a, b| a.1.written.total_cmp(&b.1.written))
            .map(|(k, _)| k.clone());
        if let Some(t) = oldest.and_then(|k| self.threads.remove(&k)) {
            self.bytes -= t.bytes;
        }
    }

    /// The messages of `thread` after `after` (all held when `None`, or a cursor of another
    /// epoch or past the thread's end), oldest first, and the cursor to ask after them.
    pub fn after(&self, thread: &str, after: Option<&Cursor>) -> (Vec<&Message>, String) {
        match self.threads.get(thread) {
            Some(t) => t.after(&self.epoch, after),
            None => (Vec::new(), format!("{}-0", self.epoch)),
        }
    }

    /// Whether `thread` may be pulled upstream now: never pulled, or its last pull started
    /// [`PULL_INTERVAL_MS`] ago and ended (or was left [`PULL_STALE_MS`] ago).
    pub fn pull_due(&self, thread: &str, now: Millis) -> bool {
        self.next_pull_at(thread).is_none_or(|at| now >= at)
    }

    /// When `thread` may next be pulled (`None`: now).
    pub fn next_pull_at(&self, thread: &str) -> Option<Millis> {
        let t = self.threads.get(thread)?;
        let started = t.pulled?;
        Some(started + if t.pulling { PULL_STALE_MS } else { PULL_INTERVAL_MS })
    }

    /// A pull of `thread` starts: no other starts before it ends and 5 s have passed.
    pub fn pull_started(&mut self, thread: &str, now: Millis) {
        if !self.threads.contains_key(thread) && self.threads.len() >= MAX_THREADS {
            self.drop_least_recent(None);
        }
        let t = self.threads.entry(thread.to_owned()).or_default();
        t.pulled = Some(now);
        t.pulling = true;
        if t.written == 0.0 {
            t.written = now;
        }
    }

    /// The pull of `thread` ended (answered or failed).
    pub fn pull_ended(&mut self, thread: &str) {
        if let Some(t) = self.threads.get_mut(thread) {
            t.pulling = false;
        }
    }
}

pub mod object;

#[cfg(test)]
mod tests;
