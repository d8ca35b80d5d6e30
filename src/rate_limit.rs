//! The client-side rate limiter (CONTRACT §4): paces calls per API key so the server never
//! has to answer 429. Pure: the host hands in the clock and does the waiting.

use std::cell::RefCell;
use std::collections::HashMap;
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

/// Mava: 90 requests per 30 s per API key.
pub const MAVA: RateLimit = RateLimit { requests: 90, window_ms: 30_000 };

/// A sliding-window log of the calls sent with one key.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    limit: RateLimit,
    /// (slot, when it counts from): at most `limit.requests` within any window.
    slots: Vec<(u64, f64)>,
    next_slot: u64,
    blocked_until: f64,
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
        self.slots.retain(|(_, at)| *at > now - window);
        if self.slots.len() < self.limit.requests as usize {
            self.next_slot += 1;
            self.slots.push((self.next_slot, now));
            return Ok(Slot(self.next_slot));
        }
        let oldest = self.slots.iter().map(|(_, at)| *at).fold(f64::INFINITY, f64::min);
        Err(((oldest + window - now).ceil() as u64).max(1))
    }

    /// The slot's call has its answer (or failed) at `now`. The server counted the request at
    /// its arrival, which is no later than this; counting the slot from here keeps the limit
    /// however long requests queue on the way.
    pub fn release(&mut self, slot: Slot, now: f64) {
        if let Some(entry) = self.slots.iter_mut().find(|(id, _)| *id == slot.0) {
            entry.1 = entry.1.max(now);
        }
    }

    /// A 429 arrived anyway (another process uses the key): nothing more is sent until its
    /// `Retry-After`, or a whole window when it gave none.
    pub fn penalize(&mut self, now: f64, retry_after_ms: Option<u64>) {
        let wait = retry_after_ms.unwrap_or(self.limit.window_ms) as f64;
        self.blocked_until = self.blocked_until.max(now + wait);
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

    const LIMIT: RateLimit = RateLimit { requests: 3, window_ms: 1000 };
    const WINDOW: f64 = 1000.0 + MARGIN_MS;

    #[test]
    fn at_most_the_limit_is_sent_in_any_window() {
        let mut limiter = RateLimiter::new(LIMIT);
        assert!(limiter.try_acquire(0.0).is_ok());
        assert!(limiter.try_acquire(100.0).is_ok());
        assert!(limiter.try_acquire(200.0).is_ok());
        assert_eq!(limiter.try_acquire(300.0), Err((WINDOW - 300.0).ceil() as u64));
        assert_eq!(limiter.try_acquire(WINDOW - 1.0), Err(1));
        assert!(limiter.try_acquire(WINDOW + 0.5).is_ok(), "the first slot came free");
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
