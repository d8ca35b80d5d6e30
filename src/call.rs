//! One call over the network as a sans-IO state machine (CONTRACT §4), in the style of
//! quinn-proto's `Connection`: the call says what it needs from the rate limiter
//! ([`Call::poll_limiter`]), when to send an attempt ([`Call::poll_transmit`]) and when it wants
//! to wake ([`Call::poll_timeout`]); it takes what happened, with the current time
//! ([`Call::handle_event`], [`Call::handle_timeout`]), and yields its end ([`Call::poll`]).
//!
//! Every rule of a call lives here: attempts and retries, the per-attempt timeout, the deadline,
//! `Retry-After` capping, 429 penalties and bounded waits. The host only sends, reads, sets
//! timers and listens for the caller's abort, so each rule is tested on a simulated clock.

use crate::error::{ErrorKind, Failure};
use crate::operation::Operation;
use crate::rate_limit::Slot;
use crate::request::PreparedRequest;
use crate::response::read_response;
/// What the host read of an answer: its status, `Retry-After` and body.
pub use crate::response::Response;
use crate::retry::{self, AttemptOutcome, Decision, Jitter};
use std::collections::VecDeque;

/// Milliseconds since the Unix epoch, as the host's `Date.now()` gives them.
pub type Millis = f64;

/// The per-attempt timeout unless the client sets one.
pub const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;
/// The largest response body read unless the client sets another (16 MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 << 20;
/// The longest a call ever waits for anything: a `Retry-After`, a rate-limit slot, the
/// caller's limiter. Past it the call ends at once, carrying `retryAfterMs` where known.
pub const MAX_WAIT_MS: u64 = retry::MAX_RETRY_AFTER_MS;

/// How a call keeps under the provider's rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pacing {
    /// No limit to keep: no API key, or the provider publishes none.
    Unpaced,
    /// Wait for a slot of the shared limiter.
    Wait,
    /// Refuse at once (kind `rate_limited`) when the limiter has no slot.
    FailFast,
    /// Ask the caller's own limiter (`acquire()`), which answers later.
    External,
}

/// The settings one call runs under.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CallPolicy {
    /// Retries after the first attempt, where retrying is safe.
    pub max_retries: u32,
    /// The longest one attempt (request and whole body) may take.
    pub timeout_ms: f64,
    /// The longest the whole call may take, retries and waits included.
    pub deadline_ms: Option<f64>,
    /// How the call keeps under the rate limit.
    pub pacing: Pacing,
    /// A response body longer than this is `RESPONSE_TOO_LARGE`.
    pub max_response_bytes: usize,
}

impl Default for CallPolicy {
    fn default() -> Self {
        CallPolicy {
            max_retries: retry::DEFAULT_MAX_RETRIES,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            deadline_ms: None,
            pacing: Pacing::Unpaced,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

/// What the call asks of the rate limiter (its own, or the caller's).
#[derive(Debug, PartialEq, Eq)]
pub enum LimiterRequest {
    /// Take a slot; answer with [`CallEvent::SlotGranted`], [`CallEvent::SlotBusy`] or
    /// [`CallEvent::SlotRefused`].
    Acquire,
    /// The attempt that held this slot has ended: count the slot from now.
    Release(Slot),
    /// The server answered 429: hold every call with this key this long (a window if `None`).
    Penalize(Option<u64>),
}

/// One attempt to send now.
#[derive(Debug)]
pub struct Transmit<'a> {
    /// The request: the same on every attempt, `Idempotency-Key` included.
    pub request: &'a PreparedRequest,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// Stop reading a body longer than this and report [`CallEvent::ResponseTooLarge`].
    pub max_response_bytes: usize,
}

/// How a call ended, as the host's loop reports it: what a relay passes on.
#[derive(Debug)]
pub struct Sent {
    /// The JSON text of the result, or the failure.
    pub end: Result<String, Failure>,
    /// Attempts sent (0: nothing reached the network).
    pub attempts: u32,
    /// The provider's last answer, if one came.
    pub last: Option<Response>,
}

/// What happened, as the host saw it.
#[derive(Debug)]
pub enum CallEvent<'a> {
    /// The limiter gave a slot (`None` from a limiter that hands none back).
    SlotGranted(Option<Slot>),
    /// The limiter has no slot for this many milliseconds.
    SlotBusy(u64),
    /// The caller's limiter refused the call, in these words, saying when to try again (ms)
    /// if it knows: the failure's `retryAfterMs`, a relay's `retry-after`.
    SlotRefused(&'a str, Option<u64>),
    /// The attempt got an answer, body read whole.
    Response(&'a Response),
    /// The attempt got an answer with this status whose body was over the limit.
    ResponseTooLarge {
        /// The HTTP status.
        status: u16,
    },
    /// The attempt got no answer: the connection failed or broke (the host's words).
    TransportFailed(&'a str),
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// A value of the caller's threw when the host used it (a signal getter, a timer).
    HostFailed(&'a str),
}

/// Where the call is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    /// About to ask the limiter for a slot.
    NeedSlot,
    /// Asked the limiter; waiting for its answer.
    Acquiring { since: Millis },
    /// The limiter said to wait.
    SlotWait { until: Millis },
    /// Free to send.
    Ready,
    /// An attempt is out.
    Sending { timeout_at: Millis },
    /// Waiting before the next attempt.
    Backoff { until: Millis },
    /// Ended; [`Call::poll`] has (or had) the end.
    Finished,
}

/// One logical call: the same prepared request, sent until it succeeds or a rule says stop.
#[derive(Debug)]
pub struct Call {
    op: &'static Operation,
    request: PreparedRequest,
    policy: CallPolicy,
    deadline: Option<Millis>,
    state: State,
    slot: Option<Slot>,
    attempts: u32,
    limiter: VecDeque<LimiterRequest>,
    end: Option<Result<String, Failure>>,
    random: Jitter,
}

impl Call {
    /// A call of `op` sending `request`, started at `now`; `seed` spreads its backoff jitter.
    pub fn new(op: &'static Operation, request: PreparedRequest, policy: CallPolicy, now: Millis, seed: u64) -> Call {
        let mut call = Call {
            op,
            request,
            policy,
            deadline: policy.deadline_ms.map(|ms| now + ms),
            state: State::Finished,
            slot: None,
            attempts: 0,
            limiter: VecDeque::new(),
            end: None,
            random: Jitter::new(seed),
        };
        call.state = call.ready_to_send();
        call
    }

    /// When the call's deadline comes (Unix ms), if it has one: a limiter that keeps callers
    /// waiting is told, so that it never keeps a place or a slot for one that left.
    pub fn deadline(&self) -> Option<Millis> {
        self.deadline
    }

    /// How many attempts have gone out.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether an attempt is out and its answer is awaited.
    pub fn is_sending(&self) -> bool {
        matches!(self.state, State::Sending { .. })
    }

    /// Whether the call waits for the limiter's answer to [`LimiterRequest::Acquire`].
    pub fn is_acquiring(&self) -> bool {
        matches!(self.state, State::Acquiring { .. })
    }

    /// The next thing to ask of the rate limiter, if any; call until `None`.
    pub fn poll_limiter(&mut self, now: Millis) -> Option<LimiterRequest> {
        if let Some(request) = self.limiter.pop_front() {
            return Some(request);
        }
        if self.state == State::NeedSlot {
            self.state = State::Acquiring { since: now };
            return Some(LimiterRequest::Acquire);
        }
        None
    }

    /// The attempt to send now, if the call is ready for one.
    pub fn poll_transmit(&mut self, now: Millis) -> Option<Transmit<'_>> {
        if self.state != State::Ready {
            return None;
        }
        let left = self.deadline.map_or(f64::INFINITY, |d| d - now);
        if left <= 0.0 {
            self.fail(self.past_deadline());
            return None;
        }
        self.state = State::Sending { timeout_at: now + self.policy.timeout_ms.min(left) };
        self.attempts += 1;
        Some(Transmit {
            request: &self.request,
            attempt: self.attempts,
            max_response_bytes: self.policy.max_response_bytes,
        })
    }

    /// When to call [`Call::handle_timeout`] unless an event comes first; `None` when the call
    /// needs [`Call::poll_limiter`] or [`Call::poll_transmit`] first, or has ended. Never later
    /// than the deadline.
    pub fn poll_timeout(&self) -> Option<Millis> {
        match self.state {
            State::Acquiring { since } => {
                let bound = since + MAX_WAIT_MS as f64;
                Some(self.deadline.map_or(bound, |d| d.min(bound)))
            }
            State::SlotWait { until } | State::Backoff { until } => Some(until),
            State::Sending { timeout_at } => Some(timeout_at),
            State::NeedSlot | State::Ready | State::Finished => None,
        }
    }

    /// The time came (or a timer woke early: then nothing happens).
    pub fn handle_timeout(&mut self, now: Millis) {
        match self.state {
            State::Acquiring { since } => {
                if self.deadline.is_some_and(|d| now >= d) {
                    self.fail(self.past_deadline());
                } else if now >= since + MAX_WAIT_MS as f64 {
                    let message =
                        format!("{}: the rate limiter gave no slot within {} s", self.what(), MAX_WAIT_MS / 1000);
                    self.fail(Failure::new(ErrorKind::RateLimited, self.op, message));
                }
            }
            State::SlotWait { until } if now >= until => self.state = State::NeedSlot,
            State::Backoff { until } if now >= until => self.state = self.ready_to_send(),
            State::Sending { timeout_at } if now >= timeout_at => {
                self.release_slot();
                if self.deadline.is_some_and(|d| timeout_at >= d) {
                    self.fail(self.past_deadline());
                } else {
                    let message = format!("{} timed out after {} ms", self.what(), self.policy.timeout_ms as u64);
                    let failure = Failure::new(ErrorKind::Timeout, self.op, message);
                    self.after_attempt(now, AttemptOutcome::TimedOut, failure);
                }
            }
            _ => {}
        }
    }

    /// Something happened. An event the call no longer waits for (an answer after its attempt
    /// timed out, a slot after an abort) changes nothing.
    pub fn handle_event(&mut self, now: Millis, event: CallEvent) {
        match (event, self.state) {
            (CallEvent::SlotGranted(slot), State::Acquiring { .. }) => {
                self.slot = slot;
                self.state = State::Ready;
            }
            (CallEvent::SlotBusy(wait), State::Acquiring { .. }) => self.slot_busy(now, wait),
            (CallEvent::SlotRefused(why, retry_after_ms), State::Acquiring { .. }) => {
                let message = format!("{}: {why}", self.what());
                self.fail(Failure { retry_after_ms, ..Failure::new(ErrorKind::RateLimited, self.op, message) });
            }
            (CallEvent::Response(response), State::Sending { .. }) => {
                self.release_slot();
                match read_response(self.op, response, now.max(0.0) as u64) {
                    Ok(body) => self.finish(Ok(body)),
                    Err(failure) => self.after_attempt(now, AttemptOutcome::Status(response.status), failure),
                }
            }
            (CallEvent::ResponseTooLarge { status }, State::Sending { .. }) => {
                self.release_slot();
                let message = format!(
                    "{} answered {status} with a body over {} bytes (maxResponseBytes)",
                    self.what(),
                    self.policy.max_response_bytes
                );
                let failure = Failure {
                    status: Some(status),
                    code: Some(crate::error::RESPONSE_TOO_LARGE.to_owned()),
                    ..Failure::new(ErrorKind::Api, self.op, message)
                };
                self.fail(failure);
            }
            (CallEvent::TransportFailed(why), State::Sending { .. }) => {
                self.release_slot();
                let failure =
                    Failure::new(ErrorKind::Network, self.op, format!("{} got no response: {why}", self.what()));
                self.after_attempt(now, AttemptOutcome::NoResponse, failure);
            }
            (CallEvent::Aborted, state) if state != State::Finished => {
                self.release_slot();
                self.fail(Failure::new(ErrorKind::Aborted, self.op, format!("{} was aborted", self.what())));
            }
            (CallEvent::HostFailed(why), state) if state != State::Finished => {
                self.release_slot();
                self.fail(Failure::new(ErrorKind::Config, self.op, format!("{}: {why}", self.what())));
            }
            _ => {}
        }
    }

    /// The call's end, once: the JSON text of the result, or the failure.
    pub fn poll(&mut self) -> Option<Result<String, Failure>> {
        self.end.take()
    }

    /// The provider and operation, as messages start.
    fn what(&self) -> String {
        format!("{} {}", self.op.provider.display_name(), self.op.name)
    }

    fn past_deadline(&self) -> Failure {
        Failure::new(ErrorKind::Timeout, self.op, format!("{} ran past its deadline", self.what()))
    }

    fn ready_to_send(&self) -> State {
        if self.policy.pacing == Pacing::Unpaced {
            State::Ready
        } else {
            State::NeedSlot
        }
    }

    fn slot_busy(&mut self, now: Millis, wait: u64) {
        let refused = |message: String| Failure {
            retry_after_ms: Some(wait),
            ..Failure::new(ErrorKind::RateLimited, self.op, message)
        };
        if self.policy.pacing == Pacing::FailFast {
            let message = format!("{}: over the client-side rate limit; a slot frees in {wait} ms", self.what());
            self.fail(refused(message));
        } else if wait > MAX_WAIT_MS {
            // A 429's long Retry-After holds the key: say so now instead of parking every call.
            let message = format!(
                "{}: the API key is rate limited for {} s more; not waited for",
                self.what(),
                wait.div_ceil(1000)
            );
            self.fail(refused(message));
        } else if self.deadline.is_some_and(|d| now + wait as f64 >= d) {
            self.fail(self.past_deadline());
        } else {
            self.state = State::SlotWait { until: now + wait as f64 };
        }
    }

    /// An attempt failed: retry after a wait, or end with `failure`.
    fn after_attempt(&mut self, now: Millis, outcome: AttemptOutcome, failure: Failure) {
        let random = self.random.next();
        let decision = retry::decide(
            self.attempts.saturating_sub(1),
            self.policy.max_retries,
            outcome,
            self.op.safety,
            failure.retry_after_ms,
            random,
        );
        if failure.status == Some(429) && self.policy.pacing != Pacing::Unpaced {
            // Someone else is using the key: hold every call with it as long as this one waits.
            let hold = match decision {
                Decision::RetryAfter(ms) => Some(ms),
                Decision::Stop => failure.retry_after_ms,
            };
            self.limiter.push_back(LimiterRequest::Penalize(hold));
        }
        match decision {
            Decision::RetryAfter(ms) if self.deadline.is_none_or(|d| now + (ms as f64) < d) => {
                self.state = State::Backoff { until: now + ms as f64 };
            }
            // Waiting would run past the deadline: the caller gets this attempt's error.
            Decision::RetryAfter(_) | Decision::Stop => self.fail(failure),
        }
    }

    fn release_slot(&mut self) {
        if let Some(slot) = self.slot.take() {
            self.limiter.push_back(LimiterRequest::Release(slot));
        }
    }

    fn fail(&mut self, failure: Failure) {
        self.release_slot();
        self.finish(Err(failure));
    }

    fn finish(&mut self, end: Result<String, Failure>) {
        debug_assert!(end.as_ref().err().is_none_or(Failure::fits_its_kind), "{end:?} does not fit its kind");
        self.state = State::Finished;
        self.end = Some(end);
    }
}

#[cfg(test)]
pub(crate) mod tests;
