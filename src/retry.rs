//! When to try a call again (CONTRACT §4), as a pure decision: the attempt, its outcome, the
//! operation's retry safety, `Retry-After` and a random number in; "retry after N ms" or
//! "stop" out. [`crate::call::Call`] applies it; the host only sleeps.

use crate::operation::RetrySafety;

/// Retries after the first attempt, unless the client says otherwise.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The first backoff, before jitter.
pub const BASE_DELAY_MS: u64 = 500;
/// The longest backoff, before jitter.
pub const MAX_DELAY_MS: u64 = 8_000;
/// The longest `Retry-After` waited for; a server asking for more gets its error back at once.
pub const MAX_RETRY_AFTER_MS: u64 = 60_000;

/// How one attempt ended, as far as retrying goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// The server answered with this (non-2xx) status.
    Status(u16),
    /// No answer: the connection failed or broke. The request may have reached the server.
    NoResponse,
    /// The attempt timed out. The request may have reached the server.
    TimedOut,
}

/// What to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Try again after this many milliseconds.
    RetryAfter(u64),
    /// Give the error to the caller.
    Stop,
}

/// Decides after `retries_done` retries (0 after the first attempt) whether to try again.
/// `random` is uniform in `[0, 1)`; it spreads retries of many clients apart.
pub fn decide(
    retries_done: u32,
    max_retries: u32,
    outcome: AttemptOutcome,
    safety: RetrySafety,
    retry_after_ms: Option<u64>,
    random: f64,
) -> Decision {
    if retries_done >= max_retries {
        return Decision::Stop;
    }
    let retriable = match outcome {
        // The server refused before doing the work.
        AttemptOutcome::Status(408 | 429 | 503) => true,
        // A 500 is safe to repeat where nothing was written (Mava create rolls back) or where
        // repeating changes nothing.
        AttemptOutcome::Status(500) => matches!(safety, RetrySafety::RolledBackOn500 | RetrySafety::Idempotent),
        // A gateway may answer 502/504 after the origin committed (the revised §4 rule), and a
        // request without an answer may have been written: only an idempotent call is sent twice.
        AttemptOutcome::Status(502 | 504) | AttemptOutcome::NoResponse | AttemptOutcome::TimedOut => {
            safety == RetrySafety::Idempotent
        }
        // A redirect (an opaque one has status 0) is never followed, so never sent again either.
        AttemptOutcome::Status(0 | 300..=399) => false,
        // Other 4xx (409 idempotency_key_conflict included) and 5xx: the same request fails again.
        AttemptOutcome::Status(_) => false,
    };
    if !retriable {
        return Decision::Stop;
    }
    match retry_after_ms {
        Some(ms) if ms > MAX_RETRY_AFTER_MS => Decision::Stop,
        Some(ms) => Decision::RetryAfter(ms),
        None => Decision::RetryAfter(backoff(retries_done, random)),
    }
}

/// The randomness of backoff jitter: xorshift64*, uniform in `[0, 1)` and reproducible from a
/// seed, so a machine tested on a simulated clock waits exactly as it will for real.
#[derive(Debug, Clone)]
pub(crate) struct Jitter(u64);

impl Jitter {
    /// A sequence from `seed` (the host's randomness; any value, zero included).
    pub(crate) fn new(seed: u64) -> Jitter {
        Jitter(seed | 1)
    }

    /// The next number in `[0, 1)`.
    pub(crate) fn next(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `min(0.5 · 2^n, 8)` seconds, less up to a quarter at random.
pub fn backoff(retries_done: u32, random: f64) -> u64 {
    let full = BASE_DELAY_MS.saturating_mul(1 << retries_done.min(16)).min(MAX_DELAY_MS);
    (full as f64 * (1.0 - 0.25 * random.clamp(0.0, 1.0))) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use RetrySafety::{Idempotent, RolledBackOn500, Unsafe};

    const ALL: [RetrySafety; 3] = [Idempotent, RolledBackOn500, Unsafe];

    fn retries(outcome: AttemptOutcome, safety: RetrySafety) -> bool {
        decide(0, 2, outcome, safety, None, 0.0) != Decision::Stop
    }

    #[test]
    fn refusals_before_the_work_are_always_retried() {
        for status in [408, 429, 503] {
            for safety in ALL {
                assert!(retries(AttemptOutcome::Status(status), safety), "{status} {safety:?}");
            }
        }
    }

    #[test]
    fn a_gateway_502_or_504_is_retried_only_for_idempotent_calls() {
        for status in [502, 504] {
            assert!(retries(AttemptOutcome::Status(status), Idempotent), "{status}");
            assert!(
                !retries(AttemptOutcome::Status(status), RolledBackOn500),
                "{status}: the origin may have committed"
            );
            assert!(!retries(AttemptOutcome::Status(status), Unsafe), "{status}");
        }
    }

    #[test]
    fn a_500_is_retried_only_where_nothing_was_written_or_repeating_is_harmless() {
        assert!(retries(AttemptOutcome::Status(500), RolledBackOn500), "Mava create rolls back");
        assert!(retries(AttemptOutcome::Status(500), Idempotent));
        assert!(!retries(AttemptOutcome::Status(500), Unsafe));
    }

    #[test]
    fn a_connection_failure_or_timeout_is_retried_only_for_idempotent_calls() {
        for outcome in [AttemptOutcome::NoResponse, AttemptOutcome::TimedOut] {
            assert!(retries(outcome, Idempotent), "{outcome:?}");
            assert!(!retries(outcome, RolledBackOn500), "{outcome:?}: a Mava create may have been written");
            assert!(!retries(outcome, Unsafe), "{outcome:?}");
        }
    }

    #[test]
    fn other_4xx_409_other_5xx_and_aborts_are_never_retried() {
        for status in [400, 401, 403, 404, 409, 422, 501, 505] {
            for safety in ALL {
                assert!(!retries(AttemptOutcome::Status(status), safety), "{status} {safety:?}");
            }
        }
    }

    #[test]
    fn a_redirect_is_never_retried() {
        for status in [0, 301, 302, 303, 307, 308] {
            for safety in ALL {
                assert!(!retries(AttemptOutcome::Status(status), safety), "{status} {safety:?}");
            }
        }
    }

    #[test]
    fn retries_stop_at_the_maximum() {
        assert_eq!(decide(0, 2, AttemptOutcome::Status(503), Unsafe, None, 0.0), Decision::RetryAfter(500));
        assert_eq!(decide(1, 2, AttemptOutcome::Status(503), Unsafe, None, 0.0), Decision::RetryAfter(1000));
        assert_eq!(decide(2, 2, AttemptOutcome::Status(503), Unsafe, None, 0.0), Decision::Stop);
        assert_eq!(decide(0, 0, AttemptOutcome::Status(503), Unsafe, None, 0.0), Decision::Stop);
    }

    #[test]
    fn backoff_doubles_to_eight_seconds_with_up_to_a_quarter_of_jitter() {
        let delays: Vec<u64> = (0..7).map(|n| backoff(n, 0.0)).collect();
        assert_eq!(delays, [500, 1000, 2000, 4000, 8000, 8000, 8000]);
        assert_eq!(backoff(2, 0.5), 1750);
        assert_eq!(backoff(2, 0.999_999), 1500);
        assert_eq!(backoff(40, 0.0), 8000, "no overflow");
    }

    #[test]
    fn retry_after_is_honoured_up_to_sixty_seconds() {
        assert_eq!(decide(0, 2, AttemptOutcome::Status(429), Unsafe, Some(0), 0.9), Decision::RetryAfter(0));
        assert_eq!(decide(0, 2, AttemptOutcome::Status(429), Unsafe, Some(7_000), 0.9), Decision::RetryAfter(7_000));
        assert_eq!(decide(0, 2, AttemptOutcome::Status(503), Unsafe, Some(60_000), 0.9), Decision::RetryAfter(60_000));
        assert_eq!(decide(0, 2, AttemptOutcome::Status(429), Unsafe, Some(60_001), 0.0), Decision::Stop);
        assert_eq!(
            decide(0, 2, AttemptOutcome::Status(400), Unsafe, Some(1_000), 0.0),
            Decision::Stop,
            "not retriable at all"
        );
    }
}
