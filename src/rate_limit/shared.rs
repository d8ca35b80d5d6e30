//! One rate limit across isolates (CONTRACT §6.1): the protocol between the limiter object (a
//! Durable Object that keeps one [`WaitingLine`] per provider and limit for every isolate) and
//! the adapter that gives it the `{ acquire(call) }` limiter interface. Pure: the host reads the
//! requests, hands in the clock, keeps the waiting callers' promises and sets the one timer.
//!
//! An order travels as `{ action, provider, keyHash?, requests, windowMs, deadlineMs?, slot?,
//! retryAfterMs? }`; the object answers `{ slot }` or `{ waitMs }` to an `acquire` once the
//! caller's turn comes, `{}` to a `release` or `penalize`, and `{ error }` with status 400 to an
//! order it cannot read. A `hit` (a relay's visitor limit, [`Order::hit`]) counts one request
//! against the visitor whose hash `keyHash` is, at once: `{ slot }` when it counted, `{ waitMs }`
//! when the visitor is at its limit; it never waits in a line, and a visitor's count is kept in
//! memory only, for at most [`VISITORS_KEPT`] visitors. `keyHash` (a [`key_hash`](super::key_hash), never the key) gives each
//! key its own window; `deadlineMs` says how long the caller waits at most: it is answered
//! before then, and a slot it gets counts from then at the latest, released or not. Orders
//! without them (an older adapter) share the provider's window and wait up to 60 s, as before.
//! Each window is kept in the object's storage ([`LimiterObject::take_changed`],
//! [`LimiterObject::restore`]), so an evicted object comes back with it.
//!
//! ```
//! use ticketwire::provider::Provider;
//! use ticketwire::rate_limit::shared::{read_answer, LimiterObject, Order, OrderOutcome};
//!
//! let mut object = LimiterObject::new();
//! let mava = Provider::Mava.rate_limit().unwrap();
//! let order = Order::acquire(Provider::Mava, mava).to_json();
//! let OrderOutcome::Waiting(token) = object.handle_order(&order, 0.0) else { panic!() };
//! let served = object.poll_served(0.0);
//! assert_eq!(served[0].0, token);
//! assert_eq!(read_answer(&served[0].1.json).unwrap().slot, 1.0);
//! ```

use super::{LimiterTable, RateLimit, RateLimiter, Served, Slot, WaitingLine};
use crate::call::MAX_WAIT_MS;
use crate::provider::Provider;
use crate::value::{Object, Value};
use std::collections::HashMap;

/// What an order asks of the limiter object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Wait in the line for a slot.
    Acquire,
    /// A slot's call has its answer: count the slot from now.
    Release,
    /// A 429 came anyway: hold the line for `retryAfterMs`, or a whole window.
    Penalize,
    /// Count one request of a visitor (`keyHash`) now, or answer how long until it may: never wait.
    Hit,
}

impl Action {
    /// The action's name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Action::Acquire => "acquire",
            Action::Release => "release",
            Action::Penalize => "penalize",
            Action::Hit => "hit",
        }
    }

    fn named(name: &str) -> Option<Action> {
        [Action::Acquire, Action::Release, Action::Penalize, Action::Hit].into_iter().find(|a| a.name() == name)
    }
}

/// One order from the adapter to the limiter object, as it travels.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    /// What it asks.
    pub action: Action,
    /// The provider's id, as sent (the object does not check it).
    pub provider: String,
    /// A hash of the API key (16 to 64 lowercase hex digits), if the caller named one.
    pub key_hash: Option<String>,
    /// For `acquire`: how long the caller waits at most, in milliseconds from the order.
    pub deadline_ms: Option<f64>,
    /// The limit its line keeps.
    pub limit: RateLimit,
    /// For `release`: the slot the object gave.
    pub slot: Option<f64>,
    /// For `penalize`: the server's `Retry-After`, in milliseconds.
    pub retry_after_ms: Option<f64>,
}

impl Order {
    /// Waits for a slot of `provider`'s line for `limit`.
    pub fn acquire(provider: Provider, limit: RateLimit) -> Order {
        Order::new(Action::Acquire, provider, limit)
    }

    /// Hands back `slot` once its call has its answer.
    pub fn release(provider: Provider, limit: RateLimit, slot: f64) -> Order {
        Order { slot: Some(slot), ..Order::new(Action::Release, provider, limit) }
    }

    /// Holds the line for `retry_after_ms` (a whole window when `None`).
    pub fn penalize(provider: Provider, limit: RateLimit, retry_after_ms: Option<f64>) -> Order {
        Order { retry_after_ms, ..Order::new(Action::Penalize, provider, limit) }
    }

    /// Counts one request of the visitor whose hash (a [`key_hash`](super::key_hash) of who
    /// it is, never its address) is `visitor_hash`, against `limit`: a relay's visitor limit.
    pub fn hit(visitor_hash: &str, limit: RateLimit) -> Order {
        let order = Order {
            action: Action::Hit,
            provider: VISITOR_LINE.to_owned(),
            key_hash: None,
            deadline_ms: None,
            limit,
            slot: None,
            retry_after_ms: None,
        };
        order.for_key(Some(visitor_hash))
    }

    /// The `release` of `slot`, which this `acquire` got: the same line.
    pub fn releasing(&self, slot: f64) -> Order {
        Order { action: Action::Release, slot: Some(slot), deadline_ms: None, retry_after_ms: None, ..self.clone() }
    }

    /// The `penalize` of this `acquire`'s line.
    pub fn penalizing(&self, retry_after_ms: Option<f64>) -> Order {
        Order { action: Action::Penalize, slot: None, deadline_ms: None, retry_after_ms, ..self.clone() }
    }

    fn new(action: Action, provider: Provider, limit: RateLimit) -> Order {
        let provider = provider.id().to_owned();
        Order { action, provider, key_hash: None, deadline_ms: None, limit, slot: None, retry_after_ms: None }
    }

    /// The same order for the window of the key whose [`key_hash`](super::key_hash) this is
    /// (ignored unless it is one: a key itself is never sent).
    pub fn for_key(self, key_hash: Option<&str>) -> Order {
        Order { key_hash: key_hash.filter(|h| is_key_hash(h)).map(str::to_owned), ..self }
    }

    /// The same order from a caller that waits `deadline_ms` at most (ignored unless in range).
    pub fn within(self, deadline_ms: Option<f64>) -> Order {
        Order { deadline_ms: deadline_ms.filter(|ms| DEADLINE_RANGE.contains(ms)), ..self }
    }

    /// The order's JSON text, as the adapter sends it.
    pub fn to_json(&self) -> String {
        let mut body = Object::new();
        body.insert("action", Value::String(self.action.name().into()));
        body.insert("provider", Value::String(self.provider.as_str().into()));
        if let Some(hash) = &self.key_hash {
            body.insert("keyHash", Value::String(hash.as_str().into()));
        }
        body.insert("requests", Value::Number(f64::from(self.limit.requests)));
        body.insert("windowMs", Value::Number(self.limit.window_ms as f64));
        if let Some(ms) = self.deadline_ms {
            body.insert("deadlineMs", Value::Number(ms));
        }
        if let Some(slot) = self.slot {
            body.insert("slot", Value::Number(slot));
        }
        if let Some(ms) = self.retry_after_ms {
            body.insert("retryAfterMs", Value::Number(ms));
        }
        Value::Object(body).to_json()
    }

    /// Reads an order's JSON text, or says why it is not one.
    pub fn read(text: &str) -> Result<Order, &'static str> {
        let value = Value::from_json(text).map_err(|_| "the limiter takes a JSON order")?;
        let order = value.as_object().ok_or("the limiter takes a JSON order")?;
        let number = |key| order.get(key).and_then(Value::as_number);
        let (Some(provider), Some(requests), Some(window_ms)) =
            (order.get("provider").and_then(Value::as_str), number("requests"), number("windowMs"))
        else {
            return Err("an order names provider, requests and windowMs");
        };
        if !(1.0..=1e6).contains(&requests) || !(1.0..=2_147_483_647.0).contains(&window_ms) {
            return Err("requests or windowMs out of range");
        }
        let key_hash = match order.get("keyHash") {
            None => None,
            Some(hash) => {
                Some(hash.as_str().filter(|h| is_key_hash(h)).ok_or("keyHash is 16 to 64 lowercase hex digits")?)
            }
        };
        let deadline_ms = number("deadlineMs");
        if deadline_ms.is_some_and(|ms| !DEADLINE_RANGE.contains(&ms))
            || (order.get("deadlineMs").is_some() && deadline_ms.is_none())
        {
            return Err("deadlineMs out of range");
        }
        let action = order.get("action").and_then(Value::as_str).unwrap_or_default();
        Ok(Order {
            action: Action::named(action).ok_or("the action is acquire, release, penalize or hit")?,
            provider: provider.to_owned(),
            key_hash: key_hash.map(str::to_owned),
            deadline_ms,
            limit: RateLimit { requests: requests as u32, window_ms: window_ms as u64 },
            slot: number("slot"),
            retry_after_ms: number("retryAfterMs"),
        })
    }

    /// The name of the line the order is for: `{provider}/{requests}/{windowMs}`, or
    /// `{provider}/{keyHash}/{requests}/{windowMs}` for one key's window.
    pub fn line(&self) -> String {
        match &self.key_hash {
            Some(hash) => format!("{}/{hash}/{}/{}", self.provider, self.limit.requests, self.limit.window_ms),
            None => format!("{}/{}/{}", self.provider, self.limit.requests, self.limit.window_ms),
        }
    }
}

/// What a [`hit`](Order::hit) names as its provider: the visitors' counts are apart from the
/// providers' lines.
pub const VISITOR_LINE: &str = "visitor";

/// How many visitors' counts the object keeps at most (about 1 KiB each at 30 per window), the
/// least recently seen forgotten: one that comes back starts a fresh window.
pub const VISITORS_KEPT: usize = 10_000;

/// The deadlines an order may name: up to what a host timer holds.
const DEADLINE_RANGE: std::ops::RangeInclusive<f64> = 1.0..=2_147_483_647.0;

/// Whether `text` is a key hash as orders carry it: 16 to 64 lowercase hex digits.
fn is_key_hash(text: &str) -> bool {
    (16..=64).contains(&text.len()) && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Where the object keeps a line's window in its storage: `line:` and the line's name.
pub const STORAGE_PREFIX: &str = "line:";

/// The object's answer to one request: its status and JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// 200, or 400 for an order the object could not read.
    pub status: u16,
    /// `{ slot }`, `{ waitMs }`, `{}` or `{ error }`.
    pub json: String,
}

impl Answer {
    fn done() -> Answer {
        Answer { status: 200, json: "{}".to_owned() }
    }

    fn error(message: &str) -> Answer {
        let mut body = Object::new();
        body.insert("error", Value::String(message.into()));
        Answer { status: 400, json: Value::Object(body).to_json() }
    }

    fn served(outcome: Served) -> Answer {
        let mut body = Object::new();
        match outcome {
            Served::Granted(slot) => body.insert("slot", Value::Number(slot.0 as f64)),
            Served::Refused(wait) => body.insert("waitMs", Value::Number(wait as f64)),
        }
        Answer { status: 200, json: Value::Object(body).to_json() }
    }
}

/// A caller waiting in a line: its answer comes back from [`LimiterObject::poll_served`] with
/// this token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WaitToken {
    line: usize,
    ticket: u64,
}

/// What the object does with one order.
#[derive(Debug, PartialEq)]
pub enum OrderOutcome {
    /// Answer now.
    Answer(Answer),
    /// An `acquire`: the caller waits for its turn, answered by [`LimiterObject::poll_served`].
    Waiting(WaitToken),
}

/// The limiter object's state: one waiting line per provider and limit, kept in memory. The
/// host hands it each order with [`handle_order`](Self::handle_order), then serves the callers
/// whose turn has come with [`poll_served`](Self::poll_served), and calls that again at
/// [`poll_timeout`](Self::poll_timeout).
#[derive(Debug)]
pub struct LimiterObject {
    /// In the order they were first used.
    lines: Vec<Line>,
    /// Each line's position, by name.
    by_name: HashMap<String, usize>,
    max_wait_ms: u64,
    /// The visitors' counts ([`Action::Hit`]), by visitor hash and limit: in memory only, bounded.
    hits: LimiterTable,
}

#[derive(Debug)]
struct Line {
    /// Its name ([`Order::line`]).
    name: String,
    queue: WaitingLine,
    /// When to serve it again: `None` while nobody waits.
    wake: Option<f64>,
    /// Whether its window changed since it was last handed out to keep.
    changed: bool,
}

impl Default for LimiterObject {
    fn default() -> Self {
        Self::new()
    }
}

impl LimiterObject {
    /// An object with no lines yet, refusing a caller whose wait would pass 60 s
    /// ([`MAX_WAIT_MS`]).
    pub fn new() -> Self {
        LimiterObject {
            lines: Vec::new(),
            by_name: HashMap::new(),
            max_wait_ms: MAX_WAIT_MS,
            hits: LimiterTable::new(VISITORS_KEPT),
        }
    }

    /// An object with the windows its storage kept (`(key, value)` as
    /// [`take_changed`](Self::take_changed) gave them; other keys and unreadable values are
    /// left out), as an evicted object comes back.
    pub fn restore<K: AsRef<str>, V: AsRef<str>>(stored: impl IntoIterator<Item = (K, V)>) -> Self {
        let mut object = LimiterObject::new();
        for (key, value) in stored {
            let Some(name) = key.as_ref().strip_prefix(STORAGE_PREFIX) else { continue };
            if let Some(limiter) = RateLimiter::restore(value.as_ref()) {
                object.add_line(name.to_owned(), WaitingLine::with_limiter(limiter, MAX_WAIT_MS));
            }
        }
        object
    }

    fn add_line(&mut self, name: String, queue: WaitingLine) -> usize {
        self.by_name.insert(name.clone(), self.lines.len());
        self.lines.push(Line { name, queue, wake: None, changed: false });
        self.lines.len() - 1
    }

    /// The windows that changed since the last call, at `now`: each one's storage key and the
    /// value to put there (a [`RateLimiter::snapshot`]). The host writes them to storage.
    pub fn take_changed(&mut self, now: f64) -> Vec<(String, String)> {
        self.lines
            .iter_mut()
            .filter_map(|line| std::mem::take(&mut line.changed).then_some(&*line))
            .map(|line| (format!("{STORAGE_PREFIX}{}", line.name), line.queue.limiter().snapshot(now)))
            .collect()
    }

    /// Carries out the order in `text` at `now` (Unix ms): an answer now, or the token of an
    /// `acquire` that waits for its turn. A request whose body could not be read is `""`.
    pub fn handle_order(&mut self, text: &str, now: f64) -> OrderOutcome {
        let order = match Order::read(text) {
            Ok(order) => order,
            Err(why) => return OrderOutcome::Answer(Answer::error(why)),
        };
        if order.action == Action::Hit {
            return OrderOutcome::Answer(self.hit(&order, now));
        }
        let at = match self.by_name.get(&order.line()) {
            Some(&at) => at,
            None => self.add_line(order.line(), WaitingLine::new(order.limit, self.max_wait_ms)),
        };
        let line = &mut self.lines[at];
        line.wake = Some(now); // something changed: serve it again now
        match order.action {
            Action::Acquire => {
                let until = order.deadline_ms.map(|ms| now + ms);
                return OrderOutcome::Waiting(WaitToken { line: at, ticket: line.queue.join_until(now, until) });
            }
            Action::Release => line.queue.release(Slot(order.slot.map_or(0, |n| n as u64)), now),
            Action::Penalize => line.queue.penalize(now, order.retry_after_ms.map(|n| n as u64)),
            Action::Hit => unreachable!("answered above"),
        }
        line.changed = true;
        OrderOutcome::Answer(Answer::done())
    }

    /// Counts a visitor's request at `now`, as a relay's own table does: from its arrival, or
    /// not at all when the visitor is at its limit (`{ waitMs }`, the relay's `retry-after`).
    fn hit(&mut self, order: &Order, now: f64) -> Answer {
        let Some(visitor) = &order.key_hash else { return Answer::error("a hit names its visitor's keyHash") };
        let id = LimiterTable::id(&order.provider, visitor, order.limit);
        let limiter = self.hits.limiter(id, order.limit);
        let mut limiter = limiter.borrow_mut();
        Answer::served(match limiter.try_acquire(now) {
            Ok(slot) => {
                let granted = Slot(slot.0);
                limiter.release(slot, now);
                Served::Granted(granted)
            }
            Err(wait) => Served::Refused(wait),
        })
    }

    /// Serves, at `now`, every waiting caller whose turn has come, in each line's order: each
    /// one's token and its answer, `{ slot }` or `{ waitMs }`.
    pub fn poll_served(&mut self, now: f64) -> Vec<(WaitToken, Answer)> {
        let mut answers = Vec::new();
        for (at, line) in self.lines.iter_mut().enumerate() {
            let (served, wake) = line.queue.serve(now);
            line.wake = wake;
            line.changed |= served.iter().any(|(_, outcome)| matches!(outcome, Served::Granted(_)));
            answers.extend(
                served.into_iter().map(|(ticket, outcome)| (WaitToken { line: at, ticket }, Answer::served(outcome))),
            );
        }
        answers
    }

    /// When to call [`poll_served`](Self::poll_served) next: `None` while nobody waits.
    pub fn poll_timeout(&self) -> Option<f64> {
        self.lines.iter().filter_map(|line| line.wake).reduce(f64::min)
    }
}

/// The name of the object the adapter talks to unless told otherwise.
pub const DEFAULT_OBJECT_NAME: &str = "ticketwire";

/// The limit the adapter keeps per provider: the one given (`requests` and `windowMs` both at
/// least 1), else the published one; providers without either are not paced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdapterQuotas {
    quotas: Vec<(Provider, RateLimit)>,
}

impl AdapterQuotas {
    /// Reads `options.quotas` (`{ mava: { requests, windowMs }, … }`, as the host converted it).
    pub fn read(quotas: &Value) -> Self {
        let given = |provider: Provider| quotas.as_object()?.get(provider.id())?.as_object();
        let quotas = Provider::ALL
            .into_iter()
            .filter_map(|provider| {
                let limit = given(provider).and_then(RateLimit::from_quota).or(provider.rate_limit());
                limit.map(|limit| (provider, limit))
            })
            .collect();
        AdapterQuotas { quotas }
    }

    /// The provider named `id` and the limit kept for it; `None`: no limit to keep.
    pub fn limit_for(&self, id: &str) -> Option<(Provider, RateLimit)> {
        let provider = Provider::from_id(id)?;
        self.quotas.iter().find(|(p, _)| *p == provider).copied()
    }
}

/// A slot the object gave an `acquire`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grant {
    /// To send back with [`Order::release`].
    pub slot: f64,
}

/// Why the object gave an `acquire` no slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// What the adapter's rejection says.
    pub message: String,
    /// When to try again (the object's `waitMs`, in whole milliseconds), when it said: what
    /// the call's `retryAfterMs` and the relay's `retry-after` carry.
    pub retry_after_ms: Option<u64>,
}

/// Reads the object's answer to an `acquire`: the slot, or why there is none.
pub fn read_answer(text: &str) -> Result<Grant, Refusal> {
    let answer = Value::from_json(text).ok().and_then(|v| v.as_object().cloned());
    let no_json = || Refusal { message: "the limiter answered no JSON".to_owned(), retry_after_ms: None };
    let answer = answer.ok_or_else(no_json)?;
    match answer.get("slot").and_then(Value::as_number) {
        Some(slot) => Ok(Grant { slot }),
        None => {
            let wait = answer.get("waitMs").and_then(Value::as_number).filter(|ms| ms.is_finite() && *ms >= 0.0);
            let message = format!("the shared limiter has no slot for {} s", (wait.unwrap_or(0.0) / 1000.0).ceil());
            Err(Refusal { message, retry_after_ms: wait.map(|ms| ms.ceil() as u64) })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    /// Mava's published limit.
    const MAVA: RateLimit = RateLimit { requests: 90, window_ms: 30_000 };

    /// Window plus the limiter's clock-skew margin.
    const WINDOW_MS: f64 = 1000.0 + 15.0;

    fn order(action: &str, provider: &str, requests: u32, window_ms: u64, extra: &str) -> String {
        format!(
            r#"{{"action":"{action}","provider":"{provider}","requests":{requests},"windowMs":{window_ms}{extra}}}"#
        )
    }

    fn acquire(object: &mut LimiterObject, provider: &str, requests: u32, window_ms: u64, now: f64) -> WaitToken {
        match object.handle_order(&order("acquire", provider, requests, window_ms, ""), now) {
            OrderOutcome::Waiting(token) => token,
            other => panic!("an acquire waits, got {other:?}"),
        }
    }

    fn ok(json: &str) -> Answer {
        Answer { status: 200, json: json.to_owned() }
    }

    fn answered(json: &str) -> OrderOutcome {
        OrderOutcome::Answer(ok(json))
    }

    fn refused(message: &str) -> OrderOutcome {
        OrderOutcome::Answer(Answer { status: 400, json: format!(r#"{{"error":"{message}"}}"#) })
    }

    #[test]
    fn callers_in_one_line_get_slots_in_the_order_they_came() {
        let mut object = LimiterObject::new();
        let tokens: Vec<WaitToken> = (0..4).map(|i| acquire(&mut object, "mava", 2, 1000, f64::from(i))).collect();
        assert_eq!(object.poll_timeout(), Some(3.0), "serve at once");
        assert_eq!(object.poll_served(3.0), vec![(tokens[0], ok(r#"{"slot":1}"#)), (tokens[1], ok(r#"{"slot":2}"#))]);
        for slot in [1, 2] {
            let release = order("release", "mava", 2, 1000, &format!(r#","slot":{slot}"#));
            assert_eq!(object.handle_order(&release, 3.0), answered("{}"));
        }
        assert_eq!(object.poll_served(3.0), vec![]);
        assert_eq!(object.poll_timeout(), Some(3.0 + WINDOW_MS), "the first slot frees a window on");
        assert_eq!(object.poll_served(500.0), vec![], "nothing frees early");
        assert_eq!(
            object.poll_served(3.0 + WINDOW_MS),
            vec![(tokens[2], ok(r#"{"slot":3}"#)), (tokens[3], ok(r#"{"slot":4}"#))]
        );
        assert_eq!(object.poll_timeout(), None, "nobody waits");
    }

    #[test]
    fn a_caller_whose_slot_would_come_after_60_s_is_refused_with_the_wait() {
        let mut object = LimiterObject::new();
        let first = acquire(&mut object, "mava", 1, 100_000, 0.0);
        assert_eq!(object.poll_served(0.0), vec![(first, ok(r#"{"slot":1}"#))]);
        let second = acquire(&mut object, "mava", 1, 100_000, 10.0);
        assert_eq!(
            object.poll_served(10.0),
            vec![(second, ok(r#"{"waitMs":100015}"#))],
            "a slot still out frees a window (and 15 ms) on: past 60 s"
        );
        assert_eq!(object.poll_timeout(), None);

        let mut near = LimiterObject::new();
        acquire(&mut near, "mava", 1, 59_000, 0.0);
        near.poll_served(0.0);
        let waiting = acquire(&mut near, "mava", 1, 59_000, 20.0);
        assert_eq!(near.poll_served(20.0), vec![], "59.015 s is within 60 s");
        assert_eq!(near.poll_timeout(), Some(20.0 + 59_015.0));
        assert_eq!(near.handle_order(&order("release", "mava", 1, 59_000, r#","slot":1"#), 1_000.0), answered("{}"));
        assert_eq!(near.poll_served(1_000.0), vec![], "the slot frees at 60 015, 59 995 ms after joining");
        assert_eq!(near.poll_served(60_014.0), vec![]);
        assert_eq!(near.poll_served(60_015.0), vec![(waiting, ok(r#"{"slot":2}"#))]);
        let late = acquire(&mut near, "mava", 1, 59_000, 60_015.0);
        assert_eq!(near.poll_served(60_015.0), vec![]);
        assert_eq!(
            near.poll_served(60_015.0 + 59_015.0),
            vec![(late, ok(r#"{"waitMs":59015}"#))],
            "never released: at its turn the slot is still a window away, past 60 s in all"
        );
    }

    #[test]
    fn a_refusal_comes_when_a_penalty_pushes_the_wait_past_60_s() {
        let mut object = LimiterObject::new();
        let first = acquire(&mut object, "mava", 1, 1000, 0.0);
        assert_eq!(object.poll_served(0.0), vec![(first, ok(r#"{"slot":1}"#))]);
        let second = acquire(&mut object, "mava", 1, 1000, 100.0);
        assert_eq!(object.poll_served(100.0), vec![]);
        assert_eq!(object.poll_timeout(), Some(100.0 + WINDOW_MS));
        let penalty = order("penalize", "mava", 1, 1000, r#","retryAfterMs":90000"#);
        assert_eq!(object.handle_order(&penalty, 200.0), answered("{}"));
        assert_eq!(object.poll_served(200.0), vec![(second, ok(r#"{"waitMs":90000}"#))]);
        assert_eq!(object.poll_timeout(), None);
    }

    #[test]
    fn a_release_counts_the_slot_from_the_release_time() {
        let mut object = LimiterObject::new();
        let first = acquire(&mut object, "mava", 1, 1000, 0.0);
        assert_eq!(object.poll_served(0.0), vec![(first, ok(r#"{"slot":1}"#))]);
        let second = acquire(&mut object, "mava", 1, 1000, 10.0);
        object.poll_served(10.0);
        assert_eq!(object.poll_timeout(), Some(10.0 + WINDOW_MS), "still out: a window from now");
        let release = order("release", "mava", 1, 1000, r#","slot":1"#);
        assert_eq!(object.handle_order(&release, 700.0), answered("{}"));
        assert_eq!(object.poll_timeout(), Some(700.0), "served again at the release");
        assert_eq!(object.poll_served(700.0), vec![]);
        assert_eq!(object.poll_timeout(), Some(700.0 + WINDOW_MS), "counted from 700");
        assert_eq!(object.poll_served(700.0 + WINDOW_MS - 1.0), vec![]);
        assert_eq!(object.poll_served(700.0 + WINDOW_MS), vec![(second, ok(r#"{"slot":2}"#))]);
    }

    #[test]
    fn a_penalty_holds_the_line_for_retry_after_or_a_whole_window() {
        let mut object = LimiterObject::new();
        let penalty = order("penalize", "mava", 5, 1000, r#","retryAfterMs":2500"#);
        assert_eq!(object.handle_order(&penalty, 0.0), answered("{}"));
        let held = acquire(&mut object, "mava", 5, 1000, 100.0);
        assert_eq!(object.poll_served(100.0), vec![]);
        assert_eq!(object.poll_timeout(), Some(2500.0));
        assert_eq!(object.poll_served(2500.0), vec![(held, ok(r#"{"slot":1}"#))]);

        let mut windowed = LimiterObject::new();
        assert_eq!(windowed.handle_order(&order("penalize", "mava", 5, 1000, ""), 0.0), answered("{}"));
        let held = acquire(&mut windowed, "mava", 5, 1000, 0.0);
        assert_eq!(windowed.poll_served(999.0), vec![]);
        assert_eq!(windowed.poll_timeout(), Some(1000.0), "a whole window, no margin");
        assert_eq!(windowed.poll_served(1000.0), vec![(held, ok(r#"{"slot":1}"#))]);
    }

    #[test]
    fn each_provider_and_limit_has_its_own_line() {
        let mut object = LimiterObject::new();
        let mava = acquire(&mut object, "mava", 1, 1000, 0.0);
        let helpwave = acquire(&mut object, "helpwave", 1, 1000, 0.0);
        let mava_other_limit = acquire(&mut object, "mava", 1, 2000, 0.0);
        let mava_again = acquire(&mut object, "mava", 1, 1000, 0.0);
        acquire(&mut object, "mava", 1, 2000, 0.0); // waits 2 s, the longer wake
        assert_eq!(
            object.poll_served(0.0),
            vec![(mava, ok(r#"{"slot":1}"#)), (helpwave, ok(r#"{"slot":1}"#)), (mava_other_limit, ok(r#"{"slot":1}"#)),],
            "slot numbers are per line; the second mava caller waits"
        );
        assert_eq!(object.handle_order(&order("release", "mava", 1, 1000, r#","slot":1"#), 0.0), answered("{}"));
        assert_eq!(object.poll_served(0.0), vec![]);
        assert_eq!(object.poll_timeout(), Some(WINDOW_MS), "the earliest line's wake");
        let penalty = order("penalize", "helpwave", 1, 1000, r#","retryAfterMs":60000"#);
        assert_eq!(object.handle_order(&penalty, 1.0), answered("{}"));
        assert_eq!(object.poll_served(WINDOW_MS), vec![(mava_again, ok(r#"{"slot":2}"#))], "helpwave's penalty only");
        let fractional = order("acquire", "mava", 1, 1000, "").replace("1000", "1000.9");
        let OrderOutcome::Waiting(token) = object.handle_order(&fractional, WINDOW_MS) else { panic!("waits") };
        assert_eq!(token.line, mava.line, "the limit is read as whole numbers: the same line");
    }

    #[test]
    fn orders_the_object_cannot_read_get_400_and_the_reason() {
        let mut object = LimiterObject::new();
        let not_json = refused("the limiter takes a JSON order");
        assert_eq!(object.handle_order("", 0.0), not_json);
        assert_eq!(object.handle_order("[1]", 0.0), not_json);
        assert_eq!(object.handle_order("{", 0.0), not_json);
        let missing = refused("an order names provider, requests and windowMs");
        assert_eq!(object.handle_order(r#"{"action":"acquire","requests":1,"windowMs":1}"#, 0.0), missing);
        assert_eq!(object.handle_order(r#"{"provider":"mava","requests":"1","windowMs":1}"#, 0.0), missing);
        assert_eq!(object.handle_order(r#"{"provider":1,"requests":1,"windowMs":1}"#, 0.0), missing);
        let range = refused("requests or windowMs out of range");
        for (requests, window_ms) in [("0.5", "1"), ("1000001", "1"), ("1", "0"), ("1", "2147483648")] {
            let text =
                format!(r#"{{"action":"acquire","provider":"mava","requests":{requests},"windowMs":{window_ms}}}"#);
            assert_eq!(object.handle_order(&text, 0.0), range, "{text}");
        }
        let action = refused("the action is acquire, release, penalize or hit");
        assert_eq!(object.handle_order(&order("grab", "mava", 1, 1, ""), 0.0), action);
        assert_eq!(object.handle_order(r#"{"provider":"mava","requests":1,"windowMs":1}"#, 0.0), action);
        assert_eq!(object.handle_order(r#"{"action":"grab","provider":"mava","requests":0,"windowMs":1}"#, 0.0), range);
        assert_eq!(object.poll_timeout(), None, "no line was touched");
        assert_eq!(object.lines.len(), 0);
        let edge = order("acquire", "anything", 1_000_000, 2_147_483_647, "");
        assert!(matches!(object.handle_order(&edge, 0.0), OrderOutcome::Waiting(_)), "the bounds are inclusive");
    }

    #[test]
    fn a_release_without_a_slot_and_odd_numbers_are_read_as_before() {
        let mut object = LimiterObject::new();
        let first = acquire(&mut object, "mava", 1, 1000, 0.0);
        assert_eq!(object.poll_served(0.0), vec![(first, ok(r#"{"slot":1}"#))]);
        assert_eq!(object.handle_order(&order("release", "mava", 1, 1000, ""), 10.0), answered("{}"));
        assert_eq!(object.handle_order(&order("release", "mava", 1, 1000, r#","slot":-3"#), 10.0), answered("{}"));
        assert_eq!(object.poll_served(10.0), vec![]);
        let second = acquire(&mut object, "mava", 1, 1000, 20.0);
        assert_eq!(object.poll_served(20.0), vec![]);
        assert_eq!(object.poll_timeout(), Some(20.0 + WINDOW_MS), "slot 0 is no slot: the first is still out");
        assert_eq!(object.handle_order(&order("release", "mava", 1, 1000, r#","slot":1.7"#), 30.0), answered("{}"));
        assert_eq!(object.poll_served(30.0 + WINDOW_MS), vec![(second, ok(r#"{"slot":2}"#))], "1.7 is slot 1");
    }

    #[test]
    fn the_adapter_sends_orders_byte_for_byte() {
        let mava = Order::acquire(Provider::Mava, MAVA);
        assert_eq!(mava.to_json(), r#"{"action":"acquire","provider":"mava","requests":90,"windowMs":30000}"#);
        let limit = RateLimit { requests: 10, window_ms: 2000 };
        assert_eq!(
            Order::release(Provider::HelpWave, limit, 7.0).to_json(),
            r#"{"action":"release","provider":"helpwave","requests":10,"windowMs":2000,"slot":7}"#
        );
        assert_eq!(
            Order::penalize(Provider::Tickiti, limit, Some(1500.5)).to_json(),
            r#"{"action":"penalize","provider":"tickiti","requests":10,"windowMs":2000,"retryAfterMs":1500.5}"#
        );
        assert_eq!(
            Order::penalize(Provider::Mava, limit, None).to_json(),
            r#"{"action":"penalize","provider":"mava","requests":10,"windowMs":2000}"#
        );
        let order = Order::release(Provider::Mava, limit, 3.0);
        assert_eq!(Order::read(&order.to_json()), Ok(order.clone()), "the object reads what the adapter sends");
        assert_eq!(order.line(), "mava/10/2000");
    }

    #[test]
    fn the_adapter_reads_a_slot_or_says_why_there_is_none() {
        let refusal = |message: &str, retry_after_ms| Err(Refusal { message: message.to_owned(), retry_after_ms });
        assert_eq!(read_answer(r#"{"slot":4}"#), Ok(Grant { slot: 4.0 }));
        assert_eq!(
            read_answer(r#"{"waitMs":90000}"#),
            refusal("the shared limiter has no slot for 90 s", Some(90_000))
        );
        assert_eq!(
            read_answer(r#"{"waitMs":60000.5}"#),
            refusal("the shared limiter has no slot for 61 s", Some(60_001))
        );
        let none = refusal("the shared limiter has no slot for 0 s", None);
        assert_eq!(read_answer(r#"{"error":"requests or windowMs out of range"}"#), none);
        assert_eq!(read_answer("{}"), none);
        assert_eq!(read_answer(r#"{"slot":"4"}"#), none);
        assert_eq!(read_answer(r#"{"waitMs":-5}"#), none);
        let no_json = refusal("the limiter answered no JSON", None);
        assert_eq!(read_answer(""), no_json);
        assert_eq!(read_answer("[]"), no_json);
        assert_eq!(read_answer("<html>"), no_json);
    }

    /// A caller of the simulation: when it asked, its deadline, and what it got (answer, when).
    type Caller = (f64, Option<f64>, Option<(Answer, f64)>);

    /// Drives an object on a simulated clock as the Durable Object's host does: each caller
    /// sends its order at its time; one granted before its deadline releases `answer_ms` later,
    /// one granted after it (it left: its isolate gave up) never does.
    struct Visitors {
        object: LimiterObject,
        now: f64,
        /// Per caller: when it asked, its deadline, and what it got (answer, when).
        callers: Vec<Caller>,
        tokens: HashMap<WaitToken, usize>,
        releases: Vec<(f64, String)>,
    }

    impl Visitors {
        fn new() -> Self {
            Visitors {
                object: LimiterObject::new(),
                now: 0.0,
                callers: Vec::new(),
                tokens: HashMap::new(),
                releases: Vec::new(),
            }
        }

        /// A caller asks at `now` for a slot of `line` (`"provider","requests":…` fields).
        fn ask(&mut self, fields: &str, deadline_ms: Option<f64>) -> usize {
            let deadline = deadline_ms.map_or(String::new(), |ms| format!(r#","deadlineMs":{ms}"#));
            let text = format!(r#"{{"action":"acquire",{fields}{deadline}}}"#);
            let OrderOutcome::Waiting(token) = self.object.handle_order(&text, self.now) else { panic!("waits") };
            self.callers.push((self.now, deadline_ms.map(|ms| self.now + ms), None));
            self.tokens.insert(token, self.callers.len() - 1);
            self.serve(fields);
            self.callers.len() - 1
        }

        fn serve(&mut self, fields: &str) {
            for (token, answer) in self.object.poll_served(self.now) {
                let caller = self.tokens.remove(&token).expect("a token the object gave");
                let (_, deadline, got) = &mut self.callers[caller];
                assert!(got.is_none(), "answered twice");
                if let (Ok(grant), true) = (read_answer(&answer.json), deadline.is_none_or(|d| self.now <= d)) {
                    let release = format!(r#"{{"action":"release",{fields},"slot":{}}}"#, grant.slot);
                    self.releases.push((self.now + 50.0, release));
                }
                *got = Some((answer, self.now));
            }
        }

        /// Runs the clock to `until`, serving and releasing as the times come.
        fn run(&mut self, until: f64, fields: &str) {
            loop {
                let release = self.releases.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
                let next = self.object.poll_timeout().unwrap_or(f64::INFINITY).min(release);
                if next > until {
                    self.now = until;
                    return self.serve(fields);
                }
                self.now = next.max(self.now);
                let due: Vec<String> = self.releases.iter().filter(|r| r.0 <= self.now).map(|r| r.1.clone()).collect();
                self.releases.retain(|r| r.0 > self.now);
                for release in due {
                    assert_eq!(self.object.handle_order(&release, self.now), answered("{}"));
                }
                self.serve(fields);
            }
        }
    }

    #[test]
    fn a_caller_that_leaves_gives_its_place_back_and_its_slot_counts_from_its_deadline_at_the_latest() {
        let line = r#""provider":"mava","requests":1,"windowMs":1000"#;
        let mut sim = Visitors::new();
        let gone = sim.ask(line, Some(5_000.0)); // granted at once; its isolate dies: no release
        assert_eq!(sim.callers[gone].2, Some((ok(r#"{"slot":1}"#), 0.0)));
        sim.releases.clear();
        sim.now = 100.0;
        let waiting = sim.ask(line, Some(3_000.0));
        sim.run(3_100.0, line);
        let (answer, at) = sim.callers[waiting].2.clone().expect("answered before its deadline");
        assert_eq!(answer, ok(r#"{"waitMs":1015}"#), "refused with the wait, once even a release now comes too late");
        assert!(at <= 3_100.0 - super::super::ANSWER_BEFORE_DEADLINE_MS, "answered at {at}, while it still listens");
        sim.now = 5_500.0;
        let next = sim.ask(line, None);
        sim.run(130_000.0, line);
        assert_eq!(
            sim.callers[next].2,
            Some((ok(r#"{"slot":2}"#), 5_000.0 + WINDOW_MS)),
            "the slot of the caller that left counted from its deadline, not for two minutes"
        );
    }

    #[test]
    fn a_burst_past_what_fits_before_the_deadline_is_refused_at_once_and_a_probe_25_s_later_is_served_within_a_window()
    {
        // 300 callers at once at 10 per 2 s, each waiting 20 s at most (the relay's deadline).
        let line = r#""provider":"mava","requests":10,"windowMs":2000"#;
        let window = 2_000.0 + 15.0;
        let mut sim = Visitors::new();
        for _ in 0..300 {
            sim.ask(line, Some(20_000.0));
        }
        sim.run(25_000.0, line);
        let mut granted = 0;
        for (asked, deadline, got) in &sim.callers {
            let (answer, at) = got.clone().expect("every caller of the burst is answered");
            assert!(at <= deadline.unwrap(), "answered after its deadline: {at}");
            match read_answer(&answer.json) {
                Ok(_) => granted += 1,
                Err(refusal) => {
                    assert!(refusal.retry_after_ms.is_some_and(|ms| ms > 0), "{answer:?}");
                    assert!(at - asked < 20_000.0);
                }
            }
        }
        assert!((80..=100).contains(&granted), "what fits in 20 s at 10 per 2 s: {granted}");
        let probe = sim.ask(line, Some(20_000.0));
        sim.run(60_000.0, line);
        let (answer, at) = sim.callers[probe].2.clone().unwrap();
        assert!(read_answer(&answer.json).is_ok(), "{answer:?}");
        assert!(at - 25_000.0 <= window, "the probe waited {} ms", at - 25_000.0);
    }

    #[test]
    fn each_key_has_its_own_window_and_a_key_itself_is_refused() {
        let mut object = LimiterObject::new();
        let shop = |hash: &str| order("acquire", "mava", 1, 1000, &format!(r#","keyHash":"{hash}""#));
        let one = super::super::key_hash("mava", "sk_live_shop_one");
        let two = super::super::key_hash("mava", "sk_live_shop_two");
        let OrderOutcome::Waiting(first) = object.handle_order(&shop(&one), 0.0) else { panic!() };
        let OrderOutcome::Waiting(second) = object.handle_order(&shop(&two), 0.0) else { panic!() };
        let OrderOutcome::Waiting(again) = object.handle_order(&shop(&one), 0.0) else { panic!() };
        assert_eq!(
            object.poll_served(0.0),
            vec![(first, ok(r#"{"slot":1}"#)), (second, ok(r#"{"slot":1}"#))],
            "two shops behind one object: one window each"
        );
        assert_eq!(object.poll_timeout(), Some(WINDOW_MS), "the first shop's second call waits for its own window");
        assert_eq!(object.poll_served(WINDOW_MS), vec![]);
        let release = order("release", "mava", 1, 1000, &format!(r#","keyHash":"{one}","slot":1"#));
        assert_eq!(object.handle_order(&release, 10.0), answered("{}"));
        assert_eq!(object.poll_served(10.0 + WINDOW_MS), vec![(again, ok(r#"{"slot":2}"#))]);
        let refused_hash = refused("keyHash is 16 to 64 lowercase hex digits");
        for hash in ["sk_live_shop_one_secret", "ABCDEF0123456789", "0123", ""] {
            assert_eq!(object.handle_order(&shop(hash), 0.0), refused_hash, "{hash}");
        }
        assert_eq!(object.handle_order(&order("acquire", "mava", 1, 1000, r#","keyHash":7"#), 0.0), refused_hash);
        let range = refused("deadlineMs out of range");
        for deadline in ["0", "-1", "2147483648", r#""20000""#] {
            let text = order("acquire", "mava", 1, 1000, &format!(r#","deadlineMs":{deadline}"#));
            assert_eq!(object.handle_order(&text, 0.0), range, "{deadline}");
        }
        assert_eq!(one, "3bfb139774f88ea7", "the same hash in every build");
        assert_ne!(one, super::super::key_hash("helpwave", "sk_live_shop_one"));
    }

    #[test]
    fn the_window_survives_eviction_through_storage() {
        let mut object = LimiterObject::new();
        let key = super::super::key_hash("mava", "sk_live_shop_one");
        let fields = format!(r#","keyHash":"{key}""#);
        let mut tokens = Vec::new();
        for _ in 0..3 {
            let OrderOutcome::Waiting(token) = object.handle_order(&order("acquire", "mava", 2, 1000, &fields), 0.0)
            else {
                panic!()
            };
            tokens.push(token);
        }
        assert_eq!(object.take_changed(0.0), vec![], "nothing granted yet");
        assert_eq!(object.poll_served(0.0).len(), 2);
        let release = order("release", "mava", 2, 1000, &format!(r#"{fields},"slot":1"#));
        assert_eq!(object.handle_order(&release, 100.0), answered("{}"));
        let penalty = order("penalize", "helpwave", 5, 1000, r#","retryAfterMs":4000"#);
        assert_eq!(object.handle_order(&penalty, 100.0), answered("{}"));
        let stored = object.take_changed(100.0);
        assert_eq!(
            stored,
            vec![
                (
                    format!("line:mava/{key}/2/1000"),
                    r#"{"requests":2,"windowMs":1000,"next":2,"slots":[[1,100,1,0],[2,0,0,0]]}"#.to_owned()
                ),
                (
                    "line:helpwave/5/1000".to_owned(),
                    r#"{"requests":5,"windowMs":1000,"next":0,"blockedUntil":4100,"slots":[]}"#.to_owned()
                ),
            ]
        );
        assert_eq!(object.take_changed(100.0), vec![], "handed out once");

        // Evicted: the third caller is gone with it. The new object restores both windows.
        let mut back = LimiterObject::restore(stored.iter().cloned().chain([("other".to_owned(), "{}".to_owned())]));
        let OrderOutcome::Waiting(next) = back.handle_order(&order("acquire", "mava", 2, 1000, &fields), 200.0) else {
            panic!()
        };
        assert_eq!(back.poll_served(200.0), vec![], "both slots still count");
        assert_eq!(
            back.handle_order(&order("release", "mava", 2, 1000, &format!(r#"{fields},"slot":2"#)), 300.0),
            answered("{}")
        );
        assert_eq!(
            back.poll_served(100.0 + WINDOW_MS),
            vec![(next, ok(r#"{"slot":3}"#))],
            "slot 1 frees a window after its release"
        );
        let OrderOutcome::Waiting(held) = back.handle_order(&order("acquire", "helpwave", 5, 1000, ""), 200.0) else {
            panic!()
        };
        assert_eq!(back.poll_served(4_099.0), vec![]);
        assert_eq!(back.poll_served(4_100.0), vec![(held, ok(r#"{"slot":1}"#))], "the penalty is kept");
        assert_eq!(
            LimiterObject::restore([("line:x", "{\"requests\":1}")]).lines.len(),
            0,
            "an unreadable window is left out"
        );
    }

    #[test]
    fn the_adapter_names_the_key_and_its_deadline() {
        let key = super::super::key_hash("mava", "sk_live_shop_one");
        let order = Order::acquire(Provider::Mava, MAVA).for_key(Some(&key)).within(Some(19_500.0));
        assert_eq!(
            order.to_json(),
            format!(
                r#"{{"action":"acquire","provider":"mava","keyHash":"{key}","requests":90,"windowMs":30000,"deadlineMs":19500}}"#
            )
        );
        assert_eq!(Order::read(&order.to_json()), Ok(order.clone()));
        assert_eq!(order.line(), format!("mava/{key}/90/30000"));
        assert_eq!(
            order.releasing(4.0).to_json(),
            format!(
                r#"{{"action":"release","provider":"mava","keyHash":"{key}","requests":90,"windowMs":30000,"slot":4}}"#
            ),
            "a release and a penalty go to the acquire's own line"
        );
        assert_eq!(order.penalizing(None).line(), order.line());
        let plain = Order::acquire(Provider::Mava, MAVA).for_key(Some("sk_live_shop_one")).within(Some(0.0));
        assert_eq!(plain, Order::acquire(Provider::Mava, MAVA), "never a key; no deadline out of range");
    }

    #[test]
    fn a_hit_counts_a_visitor_at_once_or_answers_the_wait_and_never_queues() {
        // One visitor's limit, 3 per 1 s, on a simulated clock; each request counts from its arrival.
        let mut object = LimiterObject::new();
        let visitor = super::super::key_hash("visitor", "203.0.113.9");
        let other = super::super::key_hash("visitor", "203.0.113.10");
        let hit = |hash: &str| order("hit", "visitor", 3, 1000, &format!(r#","keyHash":"{hash}""#));
        for (now, slot) in [(0.0, 1), (100.0, 2), (200.0, 3)] {
            assert_eq!(object.handle_order(&hit(&visitor), now), answered(&format!(r#"{{"slot":{slot}}}"#)));
        }
        assert_eq!(
            object.handle_order(&hit(&visitor), 300.0),
            answered(r#"{"waitMs":715}"#),
            "the first request leaves the window at 0 + 1015"
        );
        assert_eq!(object.poll_timeout(), None, "a hit never waits in a line");
        assert_eq!(object.poll_served(300.0), vec![]);
        assert_eq!(
            object.handle_order(&hit(&other), 300.0),
            answered(r#"{"slot":1}"#),
            "another visitor, its own count"
        );
        assert_eq!(
            object.handle_order(&hit(&visitor), 1_014.0),
            answered(r#"{"waitMs":1}"#),
            "a refusal counts nothing"
        );
        assert_eq!(object.handle_order(&hit(&visitor), 1_015.0), answered(r#"{"slot":4}"#));
        assert_eq!(object.handle_order(&hit(&visitor), 1_016.0), answered(r#"{"waitMs":99}"#));
        assert_eq!(read_answer(r#"{"waitMs":99}"#).unwrap_err().retry_after_ms, Some(99), "as the adapter reads it");
        assert_eq!(object.take_changed(1_016.0), vec![], "a visitor's count is never written to storage");
        let limit = RateLimit { requests: 3, window_ms: 1000 };
        assert_eq!(
            Order::read(&hit(&visitor)),
            Ok(Order::hit(&visitor, limit)),
            "the object reads what the adapter sends"
        );
        assert_eq!(Order::hit("203.0.113.9", limit).key_hash, None, "never a visitor's address");

        let unnamed = refused("a hit names its visitor's keyHash");
        assert_eq!(object.handle_order(&order("hit", "visitor", 3, 1000, ""), 0.0), unnamed);
        let raw = order("hit", "visitor", 3, 1000, r#","keyHash":"203.0.113.9""#);
        assert_eq!(object.handle_order(&raw, 0.0), refused("keyHash is 16 to 64 lowercase hex digits"));
    }

    #[test]
    fn the_visitors_counted_are_bounded_the_least_recently_seen_forgotten() {
        let mut object = LimiterObject { hits: LimiterTable::new(2), ..LimiterObject::new() };
        let hit = |n: u32| {
            let hash = super::super::key_hash("visitor", &format!("198.51.100.{n}"));
            order("hit", "visitor", 1, 60_000, &format!(r#","keyHash":"{hash}""#))
        };
        assert_eq!(object.handle_order(&hit(1), 0.0), answered(r#"{"slot":1}"#));
        assert_eq!(object.handle_order(&hit(2), 1.0), answered(r#"{"slot":1}"#));
        assert_eq!(object.handle_order(&hit(1), 2.0), answered(r#"{"waitMs":60013}"#), "seen again: the newest");
        assert_eq!(object.handle_order(&hit(3), 3.0), answered(r#"{"slot":1}"#), "the oldest, visitor 2, goes");
        assert_eq!(object.hits.len(), 2);
        assert_eq!(object.handle_order(&hit(1), 4.0), answered(r#"{"waitMs":60011}"#), "still counted");
        assert_eq!(object.handle_order(&hit(2), 5.0), answered(r#"{"slot":1}"#), "forgotten: a fresh window");
    }

    #[test]
    fn quotas_default_to_the_published_limit_and_take_whole_given_ones() {
        let read = |json: &str| AdapterQuotas::read(&Value::from_json(json).unwrap());
        let none = read("null");
        assert_eq!(none.limit_for("mava"), Some((Provider::Mava, MAVA)));
        assert_eq!(none.limit_for("helpwave"), None, "no published limit: not paced");
        assert_eq!(none.limit_for("tickiti"), None);
        assert_eq!(none.limit_for("zendesk"), None);
        assert_eq!(none.limit_for("Mava"), None);

        let given = read(
            r#"{"mava":{"requests":10.9,"windowMs":2000.5},"helpwave":{"requests":1,"windowMs":1},"tickiti":{"requests":5}}"#,
        );
        assert_eq!(given.limit_for("mava"), Some((Provider::Mava, RateLimit { requests: 10, window_ms: 2000 })));
        assert_eq!(given.limit_for("helpwave"), Some((Provider::HelpWave, RateLimit { requests: 1, window_ms: 1 })));
        assert_eq!(given.limit_for("tickiti"), None, "half a quota is none");

        let below_one = read(
            r#"{"mava":{"requests":0.5,"windowMs":1000},"helpwave":{"requests":3,"windowMs":0},"tickiti":{"requests":3,"windowMs":0}}"#,
        );
        assert_eq!(below_one.limit_for("mava"), Some((Provider::Mava, MAVA)), "the published one instead");
        assert_eq!(below_one.limit_for("helpwave"), None);
        assert_eq!(DEFAULT_OBJECT_NAME, "ticketwire");
    }
}
