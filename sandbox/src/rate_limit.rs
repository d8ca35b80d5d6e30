//! Mava's rate limit: at most N requests per window per API key (90 per 30 s by default),
//! counted over a sliding window.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// A per-key sliding-window limiter.
#[derive(Debug)]
pub struct RateLimiter {
    /// Requests allowed per window.
    pub requests: usize,
    /// The window.
    pub window: Duration,
    /// Requests counted within the limit, since it was set.
    pub admitted: u64,
    /// Requests answered 429, since it was set.
    pub refused: u64,
    seen: HashMap<String, VecDeque<Instant>>,
}

impl RateLimiter {
    /// `requests` per `window`.
    pub fn new(requests: usize, window: Duration) -> Self {
        Self { requests, window, admitted: 0, refused: 0, seen: HashMap::new() }
    }

    /// Counts a request by `key` at `now`; `Err(seconds)` to wait when it is over the limit.
    pub fn check(&mut self, key: &str, now: Instant) -> Result<(), u64> {
        let seen = self.seen.entry(key.to_owned()).or_default();
        while seen.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
            seen.pop_front();
        }
        if seen.len() >= self.requests {
            let oldest = *seen.front().unwrap_or(&now);
            let wait = self.window.saturating_sub(now.duration_since(oldest));
            self.refused += 1;
            return Err(wait.as_millis().div_ceil(1000).max(1) as u64);
        }
        seen.push_back(now);
        self.admitted += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_per_key_over_a_sliding_window() {
        let mut limiter = RateLimiter::new(2, Duration::from_secs(30));
        let t0 = Instant::now();
        assert_eq!(limiter.check("a", t0), Ok(()));
        assert_eq!(limiter.check("a", t0 + Duration::from_secs(10)), Ok(()));
        assert_eq!(limiter.check("a", t0 + Duration::from_secs(11)), Err(19));
        assert_eq!(limiter.check("b", t0 + Duration::from_secs(11)), Ok(()), "another key has its own budget");
        assert_eq!(limiter.check("a", t0 + Duration::from_secs(30)), Ok(()), "the first request left the window");
        assert_eq!((limiter.admitted, limiter.refused), (4, 1));
    }
}
