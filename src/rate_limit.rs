//! The client-side rate limiter (CONTRACT §4): paces calls per API key so the server never
//! has to answer 429. Pure: the host hands in the clock and does the waiting.

use std::collections::VecDeque;

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
    sent: VecDeque<f64>,
    blocked_until: f64,
}

impl RateLimiter {
    /// A limiter for `limit`.
    pub fn new(limit: RateLimit) -> Self {
        Self { limit, sent: VecDeque::new(), blocked_until: f64::NEG_INFINITY }
    }

    /// The window the limiter keeps: the server's, plus 1 % and 15 ms, because the server
    /// counts arrivals and network delays vary.
    fn window(&self) -> f64 {
        self.limit.window_ms as f64 * 1.01 + 15.0
    }

    /// Takes a slot at `now` (Unix ms), or says how many milliseconds to wait for one.
    pub fn try_acquire(&mut self, now: f64) -> Result<(), u64> {
        if now < self.blocked_until {
            return Err((self.blocked_until - now).ceil() as u64);
        }
        let window = self.window();
        while self.sent.front().is_some_and(|t| *t <= now - window) {
            self.sent.pop_front();
        }
        if self.sent.len() < self.limit.requests as usize {
            self.sent.push_back(now);
            return Ok(());
        }
        let oldest = self.sent.front().copied().unwrap_or(now);
        Err(((oldest + window - now).ceil() as u64).max(1))
    }

    /// A 429 arrived anyway (another process uses the key): nothing more is sent until its
    /// `Retry-After`, or a whole window when it gave none.
    pub fn penalize(&mut self, now: f64, retry_after_ms: Option<u64>) {
        let wait = retry_after_ms.unwrap_or(self.limit.window_ms) as f64;
        self.blocked_until = self.blocked_until.max(now + wait);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: RateLimit = RateLimit { requests: 3, window_ms: 1000 };
    const WINDOW: f64 = 1000.0 * 1.01 + 15.0;

    #[test]
    fn at_most_the_limit_is_sent_in_any_window() {
        let mut limiter = RateLimiter::new(LIMIT);
        assert_eq!(limiter.try_acquire(0.0), Ok(()));
        assert_eq!(limiter.try_acquire(100.0), Ok(()));
        assert_eq!(limiter.try_acquire(200.0), Ok(()));
        assert_eq!(limiter.try_acquire(300.0), Err((WINDOW - 300.0).ceil() as u64));
        assert_eq!(limiter.try_acquire(WINDOW - 1.0), Err(1));
        assert_eq!(limiter.try_acquire(WINDOW), Ok(()), "the first slot came free");
        assert_eq!(limiter.try_acquire(WINDOW + 1.0), Err(99));
    }

    #[test]
    fn a_429_blocks_until_retry_after_or_a_whole_window() {
        let mut limiter = RateLimiter::new(LIMIT);
        limiter.penalize(0.0, Some(5_000));
        assert_eq!(limiter.try_acquire(1_000.0), Err(4_000));
        assert_eq!(limiter.try_acquire(5_000.0), Ok(()));
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
}
