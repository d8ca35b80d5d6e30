//! One rate limit across isolates (CONTRACT §6.1): the protocol between the limiter object (a
//! Durable Object that keeps one [`WaitingLine`] per provider and limit for every isolate) and
//! the adapter that gives it the `{ acquire(call) }` limiter interface. Pure: the host reads the
//! requests, hands in the clock, keeps the waiting callers' promises and sets the one timer.
//!
//! An order travels as `{ action, provider, requests, windowMs, slot?, retryAfterMs? }`; the
//! object answers `{ slot }` or `{ waitMs }` to an `acquire` once the caller's turn comes, `{}`
//! to a `release` or `penalize`, and `{ error }` with status 400 to an order it cannot read.
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

use super::{RateLimit, Served, Slot, WaitingLine};
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
}

impl Action {
    /// The action's name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Action::Acquire => "acquire",
            Action::Release => "release",
            Action::Penalize => "penalize",
        }
    }

    fn named(name: &str) -> Option<Action> {
        [Action::Acquire, Action::Release, Action::Penalize].into_iter().find(|a| a.name() == name)
    }
}

/// One order from the adapter to the limiter object, as it travels.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    /// What it asks.
    pub action: Action,
    /// The provider's id, as sent (the object does not check it).
    pub provider: String,
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

    fn new(action: Action, provider: Provider, limit: RateLimit) -> Order {
        Order { action, provider: provider.id().to_owned(), limit, slot: None, retry_after_ms: None }
    }

    /// The order's JSON text, as the adapter sends it.
    pub fn to_json(&self) -> String {
        let mut body = Object::new();
        body.insert("action", Value::String(self.action.name().into()));
        body.insert("provider", Value::String(self.provider.as_str().into()));
        body.insert("requests", Value::Number(f64::from(self.limit.requests)));
        body.insert("windowMs", Value::Number(self.limit.window_ms as f64));
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
        let action = order.get("action").and_then(Value::as_str).unwrap_or_default();
        Ok(Order {
            action: Action::named(action).ok_or("the action is acquire, release or penalize")?,
            provider: provider.to_owned(),
            limit: RateLimit { requests: requests as u32, window_ms: window_ms as u64 },
            slot: number("slot"),
            retry_after_ms: number("retryAfterMs"),
        })
    }

    /// The name of the line the order is for: `{provider}/{requests}/{windowMs}`.
    pub fn line(&self) -> String {
        format!("{}/{}/{}", self.provider, self.limit.requests, self.limit.window_ms)
    }
}

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
}

#[derive(Debug)]
struct Line {
    queue: WaitingLine,
    /// When to serve it again: `None` while nobody waits.
    wake: Option<f64>,
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
        LimiterObject { lines: Vec::new(), by_name: HashMap::new(), max_wait_ms: MAX_WAIT_MS }
    }

    /// Carries out the order in `text` at `now` (Unix ms): an answer now, or the token of an
    /// `acquire` that waits for its turn. A request whose body could not be read is `""`.
    pub fn handle_order(&mut self, text: &str, now: f64) -> OrderOutcome {
        let order = match Order::read(text) {
            Ok(order) => order,
            Err(why) => return OrderOutcome::Answer(Answer::error(why)),
        };
        let at = match self.by_name.get(&order.line()) {
            Some(&at) => at,
            None => {
                self.by_name.insert(order.line(), self.lines.len());
                let queue = WaitingLine::new(order.limit, self.max_wait_ms);
                self.lines.push(Line { queue, wake: None });
                self.lines.len() - 1
            }
        };
        let line = &mut self.lines[at];
        line.wake = Some(now); // something changed: serve it again now
        match order.action {
            Action::Acquire => return OrderOutcome::Waiting(WaitToken { line: at, ticket: line.queue.join(now) }),
            Action::Release => line.queue.release(Slot(order.slot.map_or(0, |n| n as u64)), now),
            Action::Penalize => line.queue.penalize(now, order.retry_after_ms.map(|n| n as u64)),
        }
        OrderOutcome::Answer(Answer::done())
    }

    /// Serves, at `now`, every waiting caller whose turn has come, in each line's order: each
    /// one's token and its answer, `{ slot }` or `{ waitMs }`.
    pub fn poll_served(&mut self, now: f64) -> Vec<(WaitToken, Answer)> {
        let mut answers = Vec::new();
        for (at, line) in self.lines.iter_mut().enumerate() {
            let (served, wake) = line.queue.serve(now);
            line.wake = wake;
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

/// Reads the object's answer to an `acquire`: the slot, or why there is none.
pub fn read_answer(text: &str) -> Result<Grant, String> {
    let answer = Value::from_json(text).ok().and_then(|v| v.as_object().cloned());
    let answer = answer.ok_or_else(|| "the limiter answered no JSON".to_owned())?;
    match answer.get("slot").and_then(Value::as_number) {
        Some(slot) => Ok(Grant { slot }),
        None => {
            let wait = answer.get("waitMs").and_then(Value::as_number).unwrap_or(0.0);
            Err(format!("the shared limiter has no slot for {} s", (wait / 1000.0).ceil()))
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
        let action = refused("the action is acquire, release or penalize");
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
        assert_eq!(read_answer(r#"{"slot":4}"#), Ok(Grant { slot: 4.0 }));
        assert_eq!(read_answer(r#"{"waitMs":90000}"#), Err("the shared limiter has no slot for 90 s".to_owned()));
        assert_eq!(read_answer(r#"{"waitMs":60001}"#), Err("the shared limiter has no slot for 61 s".to_owned()));
        let none = Err("the shared limiter has no slot for 0 s".to_owned());
        assert_eq!(read_answer(r#"{"error":"requests or windowMs out of range"}"#), none);
        assert_eq!(read_answer("{}"), none);
        assert_eq!(read_answer(r#"{"slot":"4"}"#), none);
        let no_json = Err("the limiter answered no JSON".to_owned());
        assert_eq!(read_answer(""), no_json);
        assert_eq!(read_answer("[]"), no_json);
        assert_eq!(read_answer("<html>"), no_json);
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
