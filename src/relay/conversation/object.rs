//! The conversation object's decisions (CONTRACT §7.2, in Workers): one Durable Object per
//! ticket holds that ticket's thread and the visitors' WebSockets. This is everything it
//! decides, sans-IO: the thread (each message once, numbered, the oldest dropped past
//! [`MAX_MESSAGES_PER_THREAD`]), the webhooks already stored (24 h), the capabilities the relay
//! verified for this ticket, what a socket's first message must be, and the storage entries
//! that keep it all across an eviction. The host (`src/wasm/conversation_object.rs`) keeps the
//! sockets, the timers and the storage I/O.
//!
//! **Why the object trusts capabilities the relay verified** rather than checking them itself:
//! checking one needs `capabilitySecret`, which then would have to travel to the object. The
//! relay verifies a capability on every read of the thread it forwards and hands the object
//! the token with its expiry; a socket's first message must carry one of those, unexpired. The
//! client always reads once (the backlog, and the relay's offer of a socket) before it opens one.

#[cfg(doc)]
use super::MAX_MESSAGES_PER_THREAD;
use super::{
    base36, is_epoch, parse_cursor, thread_body, Message, Thread, MAX_WAIT_SECS, PULL_INTERVAL_MS, SEEN_WINDOW_MS,
};
use crate::call::Millis;
use crate::value::{Object, Value};
use std::collections::HashMap;

/// How long a socket may stay open without a valid first message (then it closes, 4003).
pub const HELLO_WITHIN_MS: Millis = 10_000.0;
/// The close code of a socket whose first message was missing, late or not valid.
pub const CLOSE_NOT_ALLOWED: u16 = 4003;
/// The most capabilities remembered per ticket (the oldest expiry forgotten first).
pub const MAX_TOKENS: usize = 1_000;
/// The most webhook keys remembered per ticket (the oldest forgotten first).
pub const MAX_SEEN_PER_THREAD: usize = 4_000;
/// The largest order body the object reads (an append of one webhook's message, a read).
pub const MAX_ORDER_BYTES: usize = 2 << 20;

const EPOCH: &str = "epoch";
const COUNT: &str = "count";
const MESSAGE: &str = "message:";
const SEEN: &str = "seen:";
const TOKEN: &str = "token:";
const PULLED: &str = "pulled";

/// What to change in the object's storage (no key is in both lists).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Writes {
    /// Entries to put: key and JSON text.
    pub put: Vec<(String, String)>,
    /// Keys to delete.
    pub delete: Vec<String>,
}

/// A relay's read of the thread, forwarded: `{ after?, waitMs, capability, expiry }`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOrder {
    /// The visitor's cursor.
    pub after: Option<String>,
    /// How long to hold the answer for a message.
    pub wait_ms: Millis,
    /// The capability the relay verified for this ticket.
    pub capability: String,
    /// When it stops holding (Unix seconds).
    pub expiry: u64,
}

/// One ticket's thread, as its conversation object holds it.
#[derive(Debug)]
pub struct ThreadObject {
    epoch: String,
    thread: Thread,
    /// Webhook keys stored, with when.
    seen: HashMap<String, Millis>,
    /// Capabilities the relay verified, with their expiry (Unix seconds).
    tokens: HashMap<String, u64>,
    /// When a relay last took the turn to pull the thread upstream (HelpWave).
    pulled: Option<Millis>,
}

fn text(value: &str) -> String {
    Value::String(value.into()).to_json()
}

impl ThreadObject {
    /// The object as its storage holds it (`entries`: key and JSON text, as [`Writes`] put
    /// them); a fresh one (its epoch from `now`) when empty. Entries it cannot read are left
    /// out. The writes make a fresh object's epoch last.
    pub fn restore(entries: impl IntoIterator<Item = (String, String)>, now: Millis) -> (ThreadObject, Writes) {
        let mut object = ThreadObject {
            epoch: String::new(),
            thread: Thread::default(),
            seen: HashMap::new(),
            tokens: HashMap::new(),
            pulled: None,
        };
        let mut messages = Vec::new();
        for (key, json) in entries {
            let Ok(value) = Value::from_json(&json) else { continue };
            if key == EPOCH {
                object.epoch = value.as_str().unwrap_or_default().to_owned();
            } else if key == PULLED {
                object.pulled = value.as_number();
            } else if key == COUNT {
                object.thread.count = value.as_number().map_or(0, |n| n as u64);
            } else if let Some(n) = key.strip_prefix(MESSAGE).and_then(|n| n.parse::<u64>().ok()) {
                messages.extend(Message::from_value(&value).map(|m| (n, m)));
            } else if let (Some(k), Some(at)) = (key.strip_prefix(SEEN), value.as_number()) {
                object.seen.insert(k.to_owned(), at);
            } else if let (Some(token), Some(expiry)) = (key.strip_prefix(TOKEN), value.as_number()) {
                object.tokens.insert(token.to_owned(), expiry as u64);
            }
        }
        messages.sort_by_key(|(n, _)| *n);
        for (n, message) in messages {
            object.thread.count = object.thread.count.max(n);
            object.thread.ids.insert(message.id.clone());
            object.thread.messages.push_back((n, message));
        }
        let mut writes = Writes::default();
        // None stored, or one no cursor could carry (its cursors would read as none, forever).
        if !is_epoch(&object.epoch) {
            object.epoch = base36(now.max(0.0) as u64);
            writes.put.push((EPOCH.to_owned(), text(&object.epoch)));
        }
        (object, writes)
    }

    /// Stores a webhook's messages unless one of `keys` (its `webhookId`, its signature) was
    /// stored in the last 24 h: each message once by id, numbered in arrival order. The new
    /// messages (to send to the open sockets), the cursor after them, and the writes.
    pub fn append(&mut self, messages: Vec<Message>, keys: &[String], now: Millis) -> (Vec<Message>, String, Writes) {
        let mut writes = Writes::default();
        let fresh = |at: &Millis| now - at < SEEN_WINDOW_MS;
        if keys.iter().any(|k| self.seen.get(k).is_some_and(fresh)) {
            return (Vec::new(), self.cursor(), writes);
        }
        let stale: Vec<String> =
            self.seen.iter().filter(|(k, at)| !fresh(at) && !keys.contains(k)).map(|(k, _)| k.clone()).collect();
        for key in stale {
            self.seen.remove(&key);
            writes.delete.push(format!("{SEEN}{key}"));
        }
        for key in keys {
            self.seen.insert(key.clone(), now);
            writes.put.push((format!("{SEEN}{key}"), Value::Number(now).to_json()));
        }
        while self.seen.len() > MAX_SEEN_PER_THREAD {
            let oldest = self.seen.iter().min_by(|a, b| a.1.total_cmp(b.1)).map(|(k, _)| k.clone());
            let Some(oldest) = oldest else { break };
            self.seen.remove(&oldest);
            writes.delete.push(format!("{SEEN}{oldest}"));
        }
        let oldest_before = self.thread.messages.front().map_or(1, |(n, _)| *n);
        let added = self.thread.append(messages, now);
        let oldest_after = self.thread.messages.front().map_or(1, |(n, _)| *n);
        writes.delete.extend((oldest_before..oldest_after).map(|n| format!("{MESSAGE}{n:012}")));
        let new: Vec<Message> = self
            .thread
            .messages
            .iter()
            .filter(|(n, _)| added.contains(n))
            .map(|(n, m)| {
                writes.put.push((format!("{MESSAGE}{n:012}"), m.to_value().to_json()));
                m.clone()
            })
            .collect();
        if !added.is_empty() {
            writes.put.push((COUNT.to_owned(), Value::Number(self.thread.count as f64).to_json()));
        }
        (new, self.cursor(), writes)
    }

    /// A relay's claim of the turn to pull the thread upstream: granted at most once per
    /// [`PULL_INTERVAL_MS`] for every isolate (`Ok`, with the write), else when the next turn comes.
    pub fn claim(&mut self, now: Millis) -> Result<Writes, Millis> {
        if let Some(next) = self.pulled.map(|at| at + PULL_INTERVAL_MS).filter(|next| now < *next) {
            return Err(next);
        }
        self.pulled = Some(now);
        Ok(Writes { put: vec![(PULLED.to_owned(), Value::Number(now).to_json())], delete: Vec::new() })
    }

    /// The cursor after every message the thread has had.
    pub fn cursor(&self) -> String {
        format!("{}-{}", self.epoch, self.thread.count)
    }

    /// The messages after `after` (a cursor this object answered; anything else reads as
    /// none, so the whole thread), and the cursor after them.
    pub fn read(&self, after: Option<&str>) -> (Vec<&Message>, String) {
        self.thread.after(&self.epoch, after.and_then(parse_cursor).as_ref())
    }

    /// `{ messages, cursor }` of [`read`](Self::read), as a socket or a read is answered.
    pub fn read_body(&self, after: Option<&str>) -> String {
        let (messages, cursor) = self.read(after);
        thread_body(&messages, &cursor)
    }

    /// Remembers a capability the relay verified for this ticket, until its expiry; the
    /// expired ones are forgotten (and past [`MAX_TOKENS`], the soonest to expire).
    pub fn trust(&mut self, capability: &str, expiry: u64, now: Millis) -> Writes {
        let mut writes = Writes::default();
        let now_secs = (now / 1000.0) as u64;
        if self.tokens.get(capability) == Some(&expiry) || expiry <= now_secs {
            return writes;
        }
        self.tokens.insert(capability.to_owned(), expiry);
        writes.put.push((format!("{TOKEN}{capability}"), Value::Number(expiry as f64).to_json()));
        let expired: Vec<String> =
            self.tokens.iter().filter(|(_, e)| **e <= now_secs).map(|(t, _)| t.clone()).collect();
        let over = self.tokens.len().saturating_sub(MAX_TOKENS);
        let mut soonest: Vec<(u64, String)> = self.tokens.iter().map(|(t, e)| (*e, t.clone())).collect();
        soonest.sort();
        for token in expired.into_iter().chain(soonest.into_iter().take(over).map(|(_, t)| t)) {
            if self.tokens.remove(&token).is_some() {
                writes.delete.push(format!("{TOKEN}{token}"));
            }
        }
        writes
    }

    /// A socket's first message, `{ capability, after? }`: the cursor to send the backlog after
    /// when the capability is one the relay verified for this ticket and unexpired; else why
    /// the socket closes.
    pub fn hello(&self, message: &str, now: Millis) -> Result<Option<String>, &'static str> {
        let value = Value::from_json(message).map_err(|_| "the first message must be { capability, after }")?;
        let hello = value.as_object().ok_or("the first message must be { capability, after }")?;
        let capability =
            hello.get("capability").and_then(Value::as_str).ok_or("the first message needs a capability")?;
        let trusted = self.tokens.get(capability).is_some_and(|expiry| (*expiry as f64) * 1000.0 > now);
        if !trusted {
            return Err("this ticket needs the capability its creation answered with, read once from the relay");
        }
        match hello.get("after") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(after)) => Ok(Some(after.as_str().to_owned())),
            Some(_) => Err("after must be a cursor the relay answered with"),
        }
    }
}

/// Reads an append order, `{ messages: [...], keys: [...] }`; `None` when it is not one.
pub fn read_append(body: &str) -> Option<(Vec<Message>, Vec<String>)> {
    let value = Value::from_json(body).ok()?;
    let order = value.as_object()?;
    let Value::Array(messages) = order.get("messages")? else { return None };
    let Value::Array(keys) = order.get("keys")? else { return None };
    let messages = messages.iter().map(Message::from_value).collect::<Option<Vec<_>>>()?;
    let keys = keys.iter().map(|k| k.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>()?;
    Some((messages, keys))
}

/// Writes an append order.
pub fn append_body(messages: &[Message], keys: &[String]) -> String {
    let mut order = Object::new();
    order.insert("messages", Value::Array(messages.iter().map(Message::to_value).collect()));
    order.insert("keys", Value::Array(keys.iter().map(|k| Value::String(k.as_str().into())).collect()));
    Value::Object(order).to_json()
}

/// Reads a read order, `{ after?, waitMs, capability, expiry }`; `None` when it is not one.
pub fn read_read(body: &str) -> Option<ReadOrder> {
    let value = Value::from_json(body).ok()?;
    let order = value.as_object()?;
    let after = match order.get("after") {
        None | Some(Value::Null) => None,
        Some(Value::String(after)) => Some(after.as_str().to_owned()),
        Some(_) => return None,
    };
    let wait_ms = order
        .get("waitMs")
        .and_then(Value::as_number)
        .filter(|w| (0.0..=f64::from(MAX_WAIT_SECS) * 1000.0).contains(w))?;
    let capability = order.get("capability").and_then(Value::as_str)?.to_owned();
    let expiry = order.get("expiry").and_then(Value::as_number).filter(|e| *e >= 0.0)? as u64;
    Some(ReadOrder { after, wait_ms, capability, expiry })
}

/// Writes a read order.
pub fn read_order_body(order: &ReadOrder) -> String {
    let mut body = Object::new();
    if let Some(after) = &order.after {
        body.insert("after", Value::String(after.as_str().into()));
    }
    body.insert("waitMs", Value::Number(order.wait_ms));
    body.insert("capability", Value::String(order.capability.as_str().into()));
    body.insert("expiry", Value::Number(order.expiry as f64));
    Value::Object(body).to_json()
}

#[cfg(test)]
mod tests;
