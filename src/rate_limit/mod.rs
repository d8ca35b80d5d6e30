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
        if now < self.blocked_until {
            return Err((self.blocked_until - now).ceil() as u64);
        }
        let window = self.limit.window_ms as f64 + MARGIN_MS;
        // A slot still out may reach the server any time: it counts until its answer came.
        self.slots.retain(|s| if s.released { s.at > now - window } else { s.at > now - UNRELEASED_MAX_MS });
        if self.slots.len() < self.limit.requests as usize {
            self.next_slot += 1;
            self.slots.push(Held { id: self.next_slot, at: now, released: false });
            return Ok(Slot(self.next_slot));
        }
        let frees = |s: &Held| if s.released { s.at + window } else { now + window };
        let first = self.slots.iter().map(frees).fold(f64::INFINITY, f64::min);
        Err(((first - now).ceil() as u64).max(1))
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

    /// A 429 arrived anyway (another process uses the key): nothing more is sent until its
    /// `Retry-After`, or a whole window when it gave none.
    pub fn penalize(&mut self, now: f64, retry_after_ms: Option<u64>) {
        let wait = retry_after_ms.unwrap_or(self.limit.window_ms) as f64;
        self.blocked_until = self.blocked_until.max(now + wait);
    }
}

/// A limiter that many callers wait on at once (a Durable Object shared by isolates): they are
/// served in the order they joined, each as soon as a slot is free, and one that would wait
/// past `max_wait_ms` in all is refused instead.
#[derive(Debug)]
pub struct WaitingLine {
    limiter: RateLimiter,
    max_wait_ms: u64,
    /// Tickets waiting, first come first: (ticket, when it joined).
    waiting: VecDeque<(u64, f64)>,
    next_ticket: u64,
}

/// What a waiting caller gets.
#[derive(Debug, PartialEq, Eq)]
pub enum Served {
    /// A slot: go ahead, and release it once the call has its answer.
    Granted(Slot),
    /// No slot within the longest wait: it would have come after this many more milliseconds.
    Refused(u64),
}

impl WaitingLine {
    /// A line in front of a limiter for `limit`.
    pub fn new(limit: RateLimit, max_wait_ms: u64) -> Self {
        WaitingLine { limiter: RateLimiter::new(limit), max_wait_ms, waiting: VecDeque::new(), next_ticket: 0 }
    }

    /// A caller joins at `now`; its ticket comes back from [`WaitingLine::serve`].
    pub fn join(&mut self, now: f64) -> u64 {
        self.next_ticket += 1;
        self.waiting.push_back((self.next_ticket, now));
        self.next_ticket
    }

    /// Serves every caller that can be served at `now`, in order: each ticket and what it gets,
    /// and when to serve again (`None`: nobody waits).
    pub fn serve(&mut self, now: f64) -> (Vec<(u64, Served)>, Option<f64>) {
        let mut served = Vec::new();
        while let Some(&(ticket, since)) = self.waiting.front() {
            match self.limiter.try_acquire(now) {
                Ok(slot) => served.push((ticket, Served::Granted(slot))),
                Err(wait) if now + wait as f64 - since > self.max_wait_ms as f64 => {
                    served.push((ticket, Served::Refused(wait)));
                }
                Err(wait) => return (served, Some(now + wait as f64)),
            }
            self.waiting.pop_front();
        }
        (served, None)
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
