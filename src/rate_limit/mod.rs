//! The client-side rate limiter (CONTRACT §4): paces calls per API key so the server never
//! has to answer 429. Pure: the host hands in the clock and does the waiting.

pub mod shared;

use crate::value::{Object, Value};
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::rc::Rc;

/// A provider's published limit: `requests` per `window_ms`, per API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed in any window.
    pub requests: u32,
    /// The window, in milliseconds.
    pub window_ms: u64,
}

impl RateLimit {
    /// A `{ requests, windowMs }` quota as options give it: both whole numbers of at least 1,
    /// else none (the tables check it; the limiter adapter's options are not checked).
    pub fn from_quota(quota: &Object) -> Option<RateLimit> {
        let number = |key| quota.get(key).and_then(Value::as_number).filter(|n| *n >= 1.0);
        Some(RateLimit { requests: number("requests")? as u32, window_ms: number("windowMs")? as u64 })
    }
}

/// A sliding-window log of the calls sent with one key.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    limit: RateLimit,
    /// At most `limit.requests` within any window.
    slots: Vec<Held>,
    next_slot: u64,
    blocked_until: f64,
}

/// One slot in the window.
#[derive(Debug, Clone, Copy)]
struct Held {
    id: u64,
    /// When it was taken, or when its call had its answer once released.
    at: f64,
    /// Whether its call has its answer: until then the request may still be on its way.
    released: bool,
    /// The caller's deadline: its call has ended by then, so an unreleased slot counts as
    /// released there (a caller that left never sends its release).
    lease_end: Option<f64>,
}

/// A taken slot, to hand back with [`RateLimiter::release`] once its call has an answer.
#[derive(Debug, PartialEq, Eq)]
pub struct Slot(pub u64);

impl Slot {
    /// A slot of the caller's own limiter, which keeps its own count.
    pub const EXTERNAL: Slot = Slot(0);
}

/// Clock skew allowance between this host and the server's counter.
const MARGIN_MS: f64 = 15.0;

/// How long a slot whose call never reported back (its isolate died) still counts.
const UNRELEASED_MAX_MS: f64 = 120_000.0;

impl RateLimiter {
    /// A limiter for `limit`.
    pub fn new(limit: RateLimit) -> Self {
        Self { limit, slots: Vec::new(), next_slot: 0, blocked_until: f64::NEG_INFINITY }
    }

    /// Takes a slot at `now` (Unix ms), or says how many milliseconds to wait for one.
    pub fn try_acquire(&mut self, now: f64) -> Result<Slot, u64> {
        self.try_acquire_leased(now, None)
    }

    /// Takes a slot at `now` for a caller whose call ends by `lease_end` at the latest: if no
    /// release came by then, the slot counts as released at `lease_end`. Or the wait for one.
    pub fn try_acquire_leased(&mut self, now: f64, lease_end: Option<f64>) -> Result<Slot, u64> {
        if now < self.blocked_until {
            return Err((self.blocked_until - now).ceil() as u64);
        }
        let window = self.window();
        self.forget_past(now);
        if self.slots.len() < self.limit.requests as usize {
            self.next_slot += 1;
            self.slots.push(Held { id: self.next_slot, at: now, released: false, lease_end });
            return Ok(Slot(self.next_slot));
        }
        let frees = |s: &Held| if s.released { s.at + window } else { now + window };
        let first = self.slots.iter().map(frees).fold(f64::INFINITY, f64::min);
        Err(((first - now).ceil() as u64).max(1))
    }

    /// The window plus the clock-skew margin.
    fn window(&self) -> f64 {
        self.limit.window_ms as f64 + MARGIN_MS
    }

    /// Ends the leases past at `now` and forgets the slots out of the window. A slot still out
    /// may reach the server any time: it counts until its answer came (or its lease ended).
    fn forget_past(&mut self, now: f64) {
        let window = self.window();
        for held in self.slots.iter_mut().filter(|s| !s.released) {
            if let Some(end) = held.lease_end.filter(|end| *end <= now) {
                held.at = held.at.max(end);
                held.released = true;
            }
        }
        self.slots.retain(|s| if s.released { s.at > now - window } else { s.at > now - UNRELEASED_MAX_MS });
    }

    /// When, at the earliest, each caller waiting in a line could have a slot, seen at `now`:
    /// every slot still out is taken as released now.
    pub fn outlook(&mut self, now: f64) -> Outlook {
        self.forget_past(now);
        let window = self.window();
        let mut frees: Vec<f64> =
            self.slots.iter().map(|s| if s.released { s.at + window } else { now + window }).collect();
        frees.sort_by(f64::total_cmp);
        let requests = (self.limit.requests as usize).max(frees.len()).max(1);
        Outlook { now, window, blocked_until: self.blocked_until, free_now: requests - frees.len(), frees, requests }
    }

    /// The slot's call has its answer (or failed) at `now`. The server counted the request at
    /// its arrival, which is no later than this; counting the slot from here keeps the limit
    /// however long requests queue on the way.
    pub fn release(&mut self, slot: Slot, now: f64) {
        if let Some(held) = self.slots.iter_mut().find(|s| s.id == slot.0) {
            held.at = held.at.max(now);
            held.released = true;
        }
    }

    /// What a Durable Object keeps in storage so that the window survives its eviction, at
    /// `now`: `{ requests, windowMs, next, blockedUntil?, slots: [[id, at, released, leaseEnd?]] }`
    /// (slots out of the window left out; `leaseEnd` 0 when there is none).
    pub fn snapshot(&self, now: f64) -> String {
        let mut this = self.clone();
        this.forget_past(now);
        let this = &this;
        let mut body = Object::new();
        body.insert("requests", Value::Number(f64::from(this.limit.requests)));
        body.insert("windowMs", Value::Number(this.limit.window_ms as f64));
        body.insert("next", Value::Number(this.next_slot as f64));
        if this.blocked_until > now {
            body.insert("blockedUntil", Value::Number(this.blocked_until));
        }
        let slot = |s: &Held| {
            let flag = Value::Number(if s.released { 1.0 } else { 0.0 });
            Value::Array(vec![
                Value::Number(s.id as f64),
                Value::Number(s.at),
                flag,
                Value::Number(s.lease_end.unwrap_or(0.0)),
            ])
        };
        body.insert("slots", Value::Array(this.slots.iter().map(slot).collect()));
        Value::Object(body).to_json()
    }

    /// The limiter a [`snapshot`](Self::snapshot) describes, or `None` for a text that is not one.
    pub fn restore(text: &str) -> Option<RateLimiter> {
        let value = Value::from_json(text).ok()?;
        let body = value.as_object()?;
        let number = |key| body.get(key).and_then(Value::as_number).filter(|n| n.is_finite());
        let limit = RateLimit::from_quota(body)?;
        let Some(Value::Array(slots)) = body.get("slots") else { return None };
        let slots = slots
            .iter()
            .map(|slot| {
                let Value::Array(fields) = slot else { return None };
                let field = |i: usize| fields.get(i).and_then(Value::as_number).filter(|n| n.is_finite());
                let lease_end = field(3)?;
                Some(Held {
                    id: field(0)? as u64,
                    at: field(1)?,
                    released: field(2)? != 0.0,
                    lease_end: (lease_end > 0.0).then_some(lease_end),
                })
            })
            .collect::<Option<Vec<Held>>>()?;
        let next_slot = slots.iter().map(|s| s.id).fold(number("next")? as u64, u64::max);
        Some(RateLimiter {
            limit,
            slots,
            next_slot,
            blocked_until: number("blockedUntil").unwrap_or(f64::NEG_INFINITY),
        })
    }

    /// A 429 arrived anyway (another process uses the key): nothing more is sent until its
    /// `Retry-After`, or a whole window when it gave none.
    pub fn penalize(&mut self, now: f64, retry_after_ms: Option<u64>) {
        let wait = retry_after_ms.unwrap_or(self.limit.window_ms) as f64;
        self.blocked_until = self.blocked_until.max(now + wait);
    }
}

/// When the slots of a [`RateLimiter`] free, at the earliest, as [`RateLimiter::outlook`] saw them.
#[derive(Debug)]
pub struct Outlook {
    now: f64,
    window: f64,
    blocked_until: f64,
    /// Slots free now.
    free_now: usize,
    /// When each slot in the window frees, earliest first.
    frees: Vec<f64>,
    requests: usize,
}

impl Outlook {
    /// How many milliseconds until the caller `position` places back in a line (0: the next)
    /// could have a slot, at the earliest. A caller refused because even this is past its
    /// deadline could never have been served in time; the figure is its `retry-after`.
    pub fn wait(&self, position: usize) -> u64 {
        let (round, at) = (position / self.requests, position % self.requests);
        let first = if at < self.free_now { self.now } else { self.frees[at - self.free_now] };
        let when = (first + round as f64 * self.window).max(self.blocked_until);
        (when - self.now).max(0.0).ceil() as u64
    }
}

/// A limiter that many callers wait on at once (a Durable Object shared by isolates): they are
/// served in the order they joined, each as soon as a slot is free. One that would wait past
/// `max_wait_ms` in all is refused instead, and so is one whose slot could not come before its
/// deadline: a caller that will have left never keeps its place, and a slot granted to it
/// counts from its deadline at the latest (a lease), never for [`UNRELEASED_MAX_MS`].
#[derive(Debug)]
pub struct WaitingLine {
    limiter: RateLimiter,
    max_wait_ms: u64,
    waiting: VecDeque<Waiter>,
    next_ticket: u64,
}

/// A caller in a [`WaitingLine`].
#[derive(Debug, Clone, Copy)]
struct Waiter {
    ticket: u64,
    /// When it joined.
    since: f64,
    /// When it leaves, if it said: its call's deadline.
    until: Option<f64>,
}

/// How long before a waiting caller's deadline the line answers it: the refusal must reach it
/// while it still listens, so that its `retry-after` is not lost to its own timeout.
pub const ANSWER_BEFORE_DEADLINE_MS: f64 = 500.0;

/// What a waiting caller gets.
#[derive(Debug, PartialEq, Eq)]
pub enum Served {
    /// A slot: go ahead, and release it once the call has its answer.
    Granted(Slot),
    /// No slot within the longest wait (or before its deadline): it would have come after this
    /// many more milliseconds, at the earliest.
    Refused(u64),
}

impl WaitingLine {
    /// A line in front of a limiter for `limit`.
    pub fn new(limit: RateLimit, max_wait_ms: u64) -> Self {
        WaitingLine::with_limiter(RateLimiter::new(limit), max_wait_ms)
    }

    /// A line in front of `limiter` (one restored from a [`RateLimiter::snapshot`]).
    pub fn with_limiter(limiter: RateLimiter, max_wait_ms: u64) -> Self {
        WaitingLine { limiter, max_wait_ms, waiting: VecDeque::new(), next_ticket: 0 }
    }

    /// The window the line keeps.
    pub fn limiter(&self) -> &RateLimiter {
        &self.limiter
    }

    /// A caller joins at `now`; its ticket comes back from [`WaitingLine::serve`].
    pub fn join(&mut self, now: f64) -> u64 {
        self.join_until(now, None)
    }

    /// A caller whose call ends at `until` (Unix ms) joins at `now`: it is answered before
    /// then, and a slot it gets is leased to `until`.
    pub fn join_until(&mut self, now: f64, until: Option<f64>) -> u64 {
        self.next_ticket += 1;
        self.waiting.push_back(Waiter { ticket: self.next_ticket, since: now, until });
        self.next_ticket
    }

    /// Serves every caller that can be served at `now`, in order: each ticket and what it gets,
    /// and when to serve again (`None`: nobody waits). A caller further back whose slot could
    /// not come before its deadline, even were every slot out released now, is refused now.
    pub fn serve(&mut self, now: f64) -> (Vec<(u64, Served)>, Option<f64>) {
        let mut served = Vec::new();
        let mut wake = None;
        while let Some(&waiter) = self.waiting.front() {
            let answer_by = waiter.until.map(|until| until - ANSWER_BEFORE_DEADLINE_MS);
            match self.limiter.try_acquire_leased(now, waiter.until) {
                Ok(slot) => served.push((waiter.ticket, Served::Granted(slot))),
                Err(wait)
                    if now + wait as f64 - waiter.since > self.max_wait_ms as f64
                        || answer_by.is_some_and(|by| now + wait as f64 > by) =>
                {
                    served.push((waiter.ticket, Served::Refused(wait)));
                }
                Err(wait) => {
                    wake = Some(now + wait as f64);
                    break;
                }
            }
            self.waiting.pop_front();
        }
        // The rest: refused now if they cannot make it, else woken by their deadline at the latest.
        let mut position = 0;
        let outlook = self.limiter.outlook(now);
        self.waiting.retain(|waiter| {
            let Some(by) = waiter.until.map(|until| until - ANSWER_BEFORE_DEADLINE_MS) else {
                position += 1;
                return true;
            };
            let wait = outlook.wait(position);
            if now + wait as f64 > by || now >= by {
                served.push((waiter.ticket, Served::Refused(wait.max(1))));
                return false;
            }
            position += 1;
            wake = Some(wake.map_or(by, |w: f64| w.min(by)));
            true
        });
        (served, wake)
    }

    /// The slot's call has its answer at `now` (see [`RateLimiter::release`]).
    pub fn release(&mut self, slot: Slot, now: f64) {
        self.limiter.release(slot, now);
    }

    /// A 429 arrived anyway (see [`RateLimiter::penalize`]).
    pub fn penalize(&mut self, now: f64, retry_after_ms: Option<u64>) {
        self.limiter.penalize(now, retry_after_ms);
    }
}

/// A hash of a provider and an API key, as 16 hex digits: it tells keys apart (a shared
/// limiter keeps one window per key) and can be sent and stored where the key must never go.
/// FNV-1a, written out so that the same key gives the same hash in every build and release
/// (a Durable Object keeps its windows by it across deploys).
pub fn key_hash(provider: &str, key: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in provider.bytes().chain([0]).chain(key.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// A limiter shared by every client with one provider, key and limit.
pub type SharedLimiter = Rc<RefCell<RateLimiter>>;

/// The per-key limiters of one isolate (CONTRACT §4, per-key state is bounded): at most
/// `capacity` of them, the least recently used evicted, each found by a hash of its provider,
/// key and limit, so the table never holds a key.
#[derive(Debug)]
pub struct LimiterTable {
    capacity: usize,
    /// Limiter and last use, by id.
    limiters: HashMap<u64, (SharedLimiter, u64)>,
    uses: u64,
}

impl LimiterTable {
    /// How many keys an isolate keeps limiters for unless told otherwise.
    pub const DEFAULT_CAPACITY: usize = 1024;

    /// An empty table of at most `capacity` limiters.
    pub fn new(capacity: usize) -> Self {
        LimiterTable { capacity: capacity.max(1), limiters: HashMap::new(), uses: 0 }
    }

    /// The id of a provider, key and limit: a hash, never the key.
    pub fn id(provider: &str, key: &str, limit: RateLimit) -> u64 {
        let mut hasher = std::hash::DefaultHasher::new();
        (provider, key, limit.requests, limit.window_ms).hash(&mut hasher);
        hasher.finish()
    }

    /// The limiter of `id`, made for `limit` if there is none; marks it used.
    pub fn limiter(&mut self, id: u64, limit: RateLimit) -> SharedLimiter {
        if let Some(limiter) = self.touch(id) {
            return limiter;
        }
        if self.limiters.len() >= self.capacity {
            // A linear scan, only when a new key meets a full table: no ordered index to carry.
            let oldest = self.limiters.iter().min_by_key(|(_, (_, used))| *used).map(|(id, _)| *id);
            if let Some(oldest) = oldest {
                self.limiters.remove(&oldest);
            }
        }
        let limiter = Rc::new(RefCell::new(RateLimiter::new(limit)));
        self.uses += 1;
        self.limiters.insert(id, (limiter.clone(), self.uses));
        limiter
    }

    /// Marks the limiter of `id` used (a call is made with it), if the table still holds it.
    pub fn touch(&mut self, id: u64) -> Option<SharedLimiter> {
        let (limiter, used) = self.limiters.get_mut(&id)?;
        self.uses += 1;
        *used = self.uses;
        Some(limiter.clone())
    }

    /// How many limiters the table holds.
    pub fn len(&self) -> usize {
        self.limiters.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.limiters.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mava's published limit, as the tests' example.
    const MAVA: RateLimit = RateLimit { requests: 90, window_ms: 30_000 };

    const LIMIT: RateLimit = RateLimit { requests: 3, window_ms: 1000 };
    const WINDOW: f64 = 1000.0 + MARGIN_MS;

    #[test]
    fn at_most_the_limit_is_sent_in_any_window() {
        let mut limiter = RateLimiter::new(LIMIT);
        for at in [0.0, 100.0, 200.0] {
            let slot = limiter.try_acquire(at).unwrap();
            limiter.release(slot, at); // answered at once
        }
        assert_eq!(limiter.try_acquire(300.0), Err((WINDOW - 300.0).ceil() as u64));
        assert_eq!(limiter.try_acquire(WINDOW - 1.0), Err(1));
        let slot = limiter.try_acquire(WINDOW + 0.5).expect("the first slot came free");
        limiter.release(slot, WINDOW + 0.5);
        assert_eq!(limiter.try_acquire(WINDOW + 1.0), Err(99));
    }

    #[test]
    fn a_slot_counts_from_its_answer_so_queued_requests_never_overrun() {
        let mut limiter = RateLimiter::new(LIMIT);
        for _ in 0..3 {
            let slot = limiter.try_acquire(0.0).unwrap();
            limiter.release(slot, 700.0); // they waited in a queue: the server may have seen them at 700
        }
        assert_eq!(limiter.try_acquire(WINDOW), Err(700), "not before 700 + window");
        assert!(limiter.try_acquire(700.0 + WINDOW + 0.5).is_ok());
        let mut later = RateLimiter::new(LIMIT);
        for _ in 0..3 {
            let slot = later.try_acquire(5_000.0).unwrap();
            later.release(slot, 4_000.0);
        }
        assert_eq!(
            later.try_acquire(5_000.0 + WINDOW - 10.0),
            Err(10),
            "an earlier answer time never moves a slot back"
        );
    }

    #[test]
    fn a_slot_whose_call_is_still_out_counts_until_its_answer() {
        let mut limiter = RateLimiter::new(LIMIT);
        let slow = limiter.try_acquire(0.0).unwrap();
        for _ in 0..2 {
            let quick = limiter.try_acquire(0.0).unwrap();
            limiter.release(quick, 10.0);
        }
        // Five windows later the slow call is still out: it may reach the server any moment.
        assert_eq!(limiter.try_acquire(5.0 * WINDOW), Ok(Slot(4)));
        assert_eq!(limiter.try_acquire(5.0 * WINDOW), Ok(Slot(5)));
        assert_eq!(limiter.try_acquire(5.0 * WINDOW), Err(WINDOW as u64), "the slow one holds its place");
        limiter.release(slow, 5.0 * WINDOW + 100.0);
        assert_eq!(
            limiter.try_acquire(6.0 * WINDOW + 100.0),
            Ok(Slot(6)),
            "the slow one left the window; the newer two are still out"
        );
        assert_eq!(limiter.try_acquire(6.0 * WINDOW + 100.0), Err(WINDOW as u64));
        let mut abandoned = RateLimiter::new(RateLimit { requests: 1, window_ms: 1_000 });
        abandoned.try_acquire(0.0).unwrap();
        assert_eq!(abandoned.try_acquire(60_000.0), Err(1_015));
        assert!(abandoned.try_acquire(UNRELEASED_MAX_MS + 1.0).is_ok(), "a slot never released ends after two minutes");
    }

    #[test]
    fn a_429_blocks_until_retry_after_or_a_whole_window() {
        let mut limiter = RateLimiter::new(LIMIT);
        limiter.penalize(0.0, Some(5_000));
        assert_eq!(limiter.try_acquire(1_000.0), Err(4_000));
        assert!(limiter.try_acquire(5_000.0).is_ok());
        limiter.penalize(6_000.0, None);
        assert_eq!(limiter.try_acquire(6_500.0), Err(500));
        limiter.penalize(6_600.0, Some(10));
        assert_eq!(limiter.try_acquire(6_700.0), Err(300), "a shorter Retry-After does not cut an earlier block");
    }

    #[test]
    fn mava_is_ninety_per_thirty_seconds() {
        let mut limiter = RateLimiter::new(MAVA);
        assert!((0..90).all(|i| limiter.try_acquire(f64::from(i)).is_ok()));
        assert!(limiter.try_acquire(90.0).is_err());
    }

    #[test]
    fn a_waiting_line_serves_callers_in_order_as_slots_free() {
        let mut line = WaitingLine::new(LIMIT, 60_000);
        let tickets: Vec<u64> = (0..5).map(|_| line.join(0.0)).collect();
        let (served, next) = line.serve(0.0);
        assert_eq!(served.iter().map(|(t, _)| *t).collect::<Vec<_>>(), tickets[..3]);
        for (_, outcome) in served {
            let Served::Granted(slot) = outcome else { panic!("granted") };
            line.release(slot, 0.0);
        }
        assert_eq!(next, Some(WINDOW));
        let late = line.join(10.0);
        assert_eq!(line.serve(500.0), (vec![], Some(WINDOW)), "nothing frees early");
        let (served, _) = line.serve(WINDOW + 1.0);
        assert_eq!(
            served.iter().map(|(t, _)| *t).collect::<Vec<_>>(),
            [tickets[3], tickets[4], late],
            "first come first served"
        );
    }

    #[test]
    fn a_slot_released_late_is_waited_for_and_a_wait_past_the_bound_is_refused() {
        let mut line = WaitingLine::new(RateLimit { requests: 1, window_ms: 1_000 }, 1_500);
        line.join(0.0);
        let (mut served, _) = line.serve(0.0);
        let Some((_, Served::Granted(slot))) = served.pop() else { panic!("granted") };
        line.release(slot, 400.0); // its answer came at 400: it counts from there
        line.join(100.0);
        assert_eq!(line.serve(1_100.0).1, Some(1_415.0));
        line.penalize(1_200.0, Some(5_000));
        let (served, next) = line.serve(1_415.0);
        assert_eq!(served, vec![(2, Served::Refused(4_785))], "held past its 1.5 s bound");
        assert_eq!(next, None);
    }

    #[test]
    fn the_table_is_bounded_and_evicts_the_least_recently_used() {
        let mut table = LimiterTable::new(3);
        let ids: Vec<u64> = (0..5).map(|i| LimiterTable::id("mava", &format!("key-{i}"), MAVA)).collect();
        let first = table.limiter(ids[0], MAVA);
        first.borrow_mut().penalize(0.0, Some(5_000));
        table.limiter(ids[1], MAVA);
        table.limiter(ids[2], MAVA);
        assert!(table.touch(ids[0]).is_some(), "key 0 used again");
        table.limiter(ids[3], MAVA); // evicts key 1, the least recently used
        assert_eq!(table.len(), 3);
        assert!(table.touch(ids[1]).is_none());
        let again = table.limiter(ids[0], MAVA);
        assert_eq!(again.borrow_mut().try_acquire(1_000.0), Err(4_000), "the same limiter, penalty kept");
        for id in &ids {
            table.limiter(*id, MAVA);
        }
        assert_eq!(table.len(), 3);
    }

    #[test]
    fn ids_tell_providers_keys_and_limits_apart_without_holding_the_key() {
        let id = LimiterTable::id("mava", "sk_live_1", MAVA);
        assert_ne!(id, LimiterTable::id("helpwave", "sk_live_1", MAVA));
        assert_ne!(id, LimiterTable::id("mava", "sk_live_2", MAVA));
        assert_ne!(id, LimiterTable::id("mava", "sk_live_1", RateLimit { requests: 90, window_ms: 3_000 }));
        assert_eq!(id, LimiterTable::id("mava", "sk_live_1", MAVA));
        let mut table = LimiterTable::new(2);
        table.limiter(id, MAVA);
        assert!(!format!("{table:?}").contains("sk_live_1"));
    }
}
