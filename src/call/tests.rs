//! Every CONTRACT §4 rule of a call, on a simulated clock: a scripted server, the shared
//! limiter, and a driver that does what the host does (as quinn-proto's `tests/util.rs`).

use super::*;
use crate::operation::RetrySafety;
use crate::rate_limit::{RateLimit, RateLimiter};
use crate::{helpwave, mava, tickiti};

/// What the simulated server does with one attempt, `after` ms after it was sent.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Reply {
    /// Answers this status, `Retry-After` and body.
    Answer { after: f64, status: u16, retry_after: Option<&'static str>, body: &'static str },
    /// Cuts the connection.
    Drop { after: f64 },
    /// Answers with a body over the limit.
    TooLarge { after: f64, status: u16 },
    /// Never answers, whatever the signal says.
    Hang,
}

const OK_BODY: &str = r#"{"ticket":{"_id":"6650a1b2c3d4e5f678901234"}}"#;

pub(crate) const fn ok() -> Reply {
    Reply::Answer { after: 10.0, status: 201, retry_after: None, body: OK_BODY }
}

pub(crate) const fn status(status: u16) -> Reply {
    Reply::Answer { after: 10.0, status, retry_after: None, body: "" }
}

const fn status_after(status: u16, retry_after: &'static str) -> Reply {
    Reply::Answer { after: 10.0, status, retry_after: Some(retry_after), body: "" }
}

/// How the caller's own limiter (pacing `External`) answers each `acquire()`.
#[derive(Debug, Clone, Copy)]
enum External {
    Grant { after: f64 },
    Refuse { after: f64, retry_after_ms: Option<u64> },
    Hang,
}

/// The host, simulated: a clock, the shared limiter, a script of replies, and what was sent.
pub(crate) struct Sim {
    pub now: Millis,
    limiter: Option<RateLimiter>,
    external: Option<External>,
    replies: VecDeque<Reply>,
    /// When each attempt went out.
    pub sent: Vec<Millis>,
    abort_at: Option<Millis>,
}

impl Sim {
    pub fn new(replies: &[Reply]) -> Sim {
        Sim {
            now: 0.0,
            limiter: None,
            external: None,
            replies: replies.iter().copied().collect(),
            sent: Vec::new(),
            abort_at: None,
        }
    }

    fn with_limiter(mut self, limit: RateLimit) -> Sim {
        self.limiter = Some(RateLimiter::new(limit));
        self
    }

    fn more(&mut self, replies: &[Reply]) {
        self.replies.extend(replies.iter().copied());
    }

    /// Runs `call` to its end as the host would, checking on every step that it never waits
    /// for nothing, never sends after its end, and never wakes past its deadline.
    pub fn run(&mut self, call: &mut Call) -> Result<String, Failure> {
        let deadline = call.deadline;
        let mut answer: Option<(Millis, Reply)> = None;
        let mut acquired: Option<(Millis, bool)> = None;
        let mut refused_for = None;
        let mut attempts = 0;
        loop {
            while let Some(request) = call.poll_limiter(self.now) {
                match request {
                    LimiterRequest::Acquire => match (&mut self.limiter, self.external) {
                        (Some(limiter), _) => {
                            let event = match limiter.try_acquire(self.now) {
                                Ok(slot) => CallEvent::SlotGranted(Some(slot)),
                                Err(wait) => CallEvent::SlotBusy(wait),
                            };
                            call.handle_event(self.now, event);
                        }
                        (None, Some(External::Grant { after })) => acquired = Some((self.now + after, true)),
                        (None, Some(External::Refuse { after, retry_after_ms })) => {
                            refused_for = retry_after_ms;
                            acquired = Some((self.now + after, false));
                        }
                        (None, Some(External::Hang)) => {}
                        (None, None) => call.handle_event(self.now, CallEvent::SlotGranted(None)),
                    },
                    LimiterRequest::Release(slot) => {
                        if let Some(limiter) = &mut self.limiter {
                            limiter.release(slot, self.now);
                        }
                    }
                    LimiterRequest::Penalize(ms) => {
                        if let Some(limiter) = &mut self.limiter {
                            limiter.penalize(self.now, ms);
                        }
                    }
                }
            }
            if let Some(end) = call.poll() {
                assert!(call.poll_transmit(self.now).is_none(), "sent after the end");
                assert!(call.poll_limiter(self.now).is_none(), "limiter work left after the end");
                return end;
            }
            if let Some(transmit) = call.poll_transmit(self.now) {
                attempts += 1;
                assert_eq!(transmit.attempt, attempts);
                self.sent.push(self.now);
                let reply = self.replies.pop_front().expect("an attempt the test did not script");
                answer = match reply {
                    Reply::Answer { after, .. } | Reply::Drop { after } | Reply::TooLarge { after, .. } => {
                        Some((self.now + after, reply))
                    }
                    Reply::Hang => None,
                };
            }
            let wake = call.poll_timeout();
            if let (Some(wake), Some(deadline)) = (wake, deadline) {
                assert!(wake <= deadline, "wakes at {wake}, past the deadline {deadline}");
            }
            let next = [wake, answer.map(|a| a.0), acquired.map(|a| a.0), self.abort_at]
                .into_iter()
                .flatten()
                .fold(f64::INFINITY, f64::min);
            assert!(next.is_finite(), "the call waits for nothing: it would hang");
            assert!(next >= self.now, "time runs backwards");
            self.now = next;
            if self.abort_at.is_some_and(|at| at <= self.now) {
                self.abort_at = None;
                call.handle_event(self.now, CallEvent::Aborted);
            } else if let Some((_, reply)) = answer.filter(|a| a.0 <= self.now) {
                answer = None;
                match reply {
                    Reply::Answer { status, retry_after, body, .. } => {
                        call.handle_event(
                            self.now,
                            CallEvent::Response(&Response::new(status, body).with_retry_after(retry_after)),
                        );
                    }
                    Reply::Drop { .. } => call.handle_event(self.now, CallEvent::TransportFailed("socket hang up")),
                    Reply::TooLarge { status, .. } => {
                        call.handle_event(self.now, CallEvent::ResponseTooLarge { status })
                    }
                    Reply::Hang => unreachable!(),
                }
            } else if let Some((_, granted)) = acquired.filter(|a| a.0 <= self.now) {
                acquired = None;
                let event = if granted {
                    CallEvent::SlotGranted(None)
                } else {
                    CallEvent::SlotRefused("the rate limiter refused the call", refused_for)
                };
                call.handle_event(self.now, event);
            } else {
                // A wait ended: answers still out are dropped with the attempt, as the host does.
                if call.is_sending() && wake == Some(self.now) {
                    answer = None;
                }
                if !call.is_sending() && wake == Some(self.now) {
                    acquired = None;
                }
                call.handle_timeout(self.now);
            }
        }
    }
}

pub(crate) fn prepared(op: &'static Operation) -> PreparedRequest {
    PreparedRequest {
        method: op.method.as_str().to_owned(),
        url: format!("https://api.example{}", op.path),
        headers: vec![("x-auth-token".into(), "sk_test_key_123".into())],
        body: Some("{}".into()),
    }
}

fn call(op: &'static Operation, policy: CallPolicy) -> Call {
    Call::new(op, prepared(op), policy, 0.0, 42)
}

fn policy() -> CallPolicy {
    CallPolicy::default()
}

/// Runs one call of `op` against `replies`: (its end, when each attempt went out).
fn run(op: &'static Operation, policy: CallPolicy, replies: &[Reply]) -> (Result<String, Failure>, Vec<Millis>) {
    let mut sim = Sim::new(replies);
    let end = sim.run(&mut call(op, policy));
    (end, sim.sent)
}

fn failure(end: Result<String, Failure>) -> Failure {
    end.expect_err("the call should fail")
}

/// One operation per retry safety, and every non-idempotent create.
const IDEMPOTENT: &Operation = &mava::LIST_AGENTS;
const ROLLED_BACK: &Operation = &mava::CREATE_TICKET;
const NON_IDEMPOTENT: [&Operation; 5] = [
    &mava::CREATE_TICKET,
    &mava::SEND_MESSAGE,
    &mava::UPDATE_TICKET,
    &helpwave::CREATE_TICKET,
    &tickiti::CREATE_TICKET_UNIFIED,
];

#[test]
fn a_success_is_one_attempt_and_its_body() {
    let (end, sent) = run(ROLLED_BACK, policy(), &[ok()]);
    assert_eq!(end, Ok(OK_BODY.to_owned()));
    assert_eq!(sent, [0.0]);
}

#[test]
fn refusals_before_the_work_are_retried_for_every_operation() {
    for op in [IDEMPOTENT, ROLLED_BACK, &helpwave::CREATE_TICKET, &tickiti::CREATE_TICKET_UNIFIED] {
        for code in [408, 429, 503] {
            let (end, sent) = run(op, policy(), &[status(code), ok()]);
            assert!(end.is_ok(), "{} {code}", op.name);
            assert_eq!(sent.len(), 2, "{} {code}", op.name);
        }
    }
}

#[test]
fn a_gateway_502_or_504_after_the_origin_committed_is_never_retried_for_a_non_idempotent_call() {
    for op in NON_IDEMPOTENT {
        assert_ne!(op.safety, RetrySafety::Idempotent);
        for code in [502, 504] {
            let (end, sent) = run(op, policy(), &[status(code), ok()]);
            let failure = failure(end);
            assert_eq!((failure.kind, failure.status), (ErrorKind::Api, Some(code)), "{} {code}", op.name);
            assert_eq!(sent, [0.0], "{} {code}: one attempt only", op.name);
        }
    }
    for op in [IDEMPOTENT, &tickiti::CREATE_TICKET, &tickiti::SEND_MESSAGE, &helpwave::IDENTIFY] {
        let (end, sent) = run(op, policy(), &[status(502), status(504), ok()]);
        assert!(end.is_ok(), "{}", op.name);
        assert_eq!(sent.len(), 3, "{}", op.name);
    }
}

#[test]
fn a_500_is_retried_where_nothing_was_written_or_repeating_is_harmless() {
    assert_eq!(run(ROLLED_BACK, policy(), &[status(500), ok()]).1.len(), 2);
    assert_eq!(run(IDEMPOTENT, policy(), &[status(500), ok()]).1.len(), 2);
    let (end, sent) = run(&helpwave::CREATE_TICKET, policy(), &[status(500), ok()]);
    assert_eq!((failure(end).status, sent.len()), (Some(500), 1));
}

#[test]
fn no_answer_or_a_timed_out_attempt_is_retried_only_for_idempotent_calls() {
    let timeout = CallPolicy { timeout_ms: 1_000.0, ..policy() };
    let (end, sent) = run(IDEMPOTENT, timeout, &[Reply::Drop { after: 5.0 }, Reply::Hang, ok()]);
    assert!(end.is_ok());
    assert_eq!(sent.len(), 3);
    for op in NON_IDEMPOTENT {
        let dropped = failure(run(op, timeout, &[Reply::Drop { after: 5.0 }]).0);
        assert_eq!(dropped.kind, ErrorKind::Network, "{}", op.name);
        assert_eq!(
            dropped.message,
            format!("{} {} got no response: socket hang up", op.provider.display_name(), op.name)
        );
        let (end, sent) = run(op, timeout, &[Reply::Hang]);
        let timed_out = failure(end);
        assert_eq!(timed_out.kind, ErrorKind::Timeout, "{}", op.name);
        assert_eq!(timed_out.message, format!("{} {} timed out after 1000 ms", op.provider.display_name(), op.name));
        assert_eq!(sent, [0.0]);
    }
}

#[test]
fn other_4xx_and_409_conflicts_are_never_retried() {
    for op in [IDEMPOTENT, ROLLED_BACK, &tickiti::CREATE_TICKET] {
        for code in [400, 401, 403, 404, 409, 422, 501] {
            let (end, sent) = run(op, policy(), &[status(code), ok()]);
            assert_eq!((failure(end).status, sent.len()), (Some(code), 1), "{} {code}", op.name);
        }
    }
}

#[test]
fn backoff_doubles_with_up_to_a_quarter_of_jitter() {
    let (end, sent) = run(IDEMPOTENT, policy(), &[status(503), status(503), ok()]);
    assert!(end.is_ok());
    let (first, second) = (sent[1] - (sent[0] + 10.0), sent[2] - (sent[1] + 10.0));
    assert!((375.0..=500.0).contains(&first), "first backoff {first}");
    assert!((750.0..=1000.0).contains(&second), "second backoff {second}");
}

#[test]
fn retry_after_is_honoured_up_to_sixty_seconds_and_past_that_comes_back_at_once() {
    let (end, sent) = run(IDEMPOTENT, policy(), &[status_after(503, "7"), ok()]);
    assert!(end.is_ok());
    assert_eq!(sent, [0.0, 7_010.0]);
    let (end, sent) = run(IDEMPOTENT, policy(), &[status_after(503, "61"), ok()]);
    let failure = failure(end);
    assert_eq!((failure.status, failure.retry_after_ms), (Some(503), Some(61_000)));
    assert_eq!(sent, [0.0]);
}

#[test]
fn a_far_future_http_date_is_not_waited_for() {
    let (end, sent) = run(IDEMPOTENT, policy(), &[status_after(503, "Fri, 31 Dec 9999 23:59:59 GMT"), ok()]);
    let failure = failure(end);
    assert_eq!(failure.status, Some(503));
    assert!(failure.retry_after_ms.unwrap() > 1 << 40);
    assert_eq!(sent, [0.0]);
}

#[test]
fn max_retries_bounds_the_attempts() {
    let busy = [status(503); 10];
    for max_retries in [0, 1, 2, 5] {
        let (end, sent) = run(IDEMPOTENT, CallPolicy { max_retries, ..policy() }, &busy);
        assert_eq!(failure(end).status, Some(503));
        assert_eq!(sent.len() as u32, max_retries + 1);
    }
}

#[test]
fn the_deadline_cuts_an_attempt_a_backoff_and_a_slot_wait() {
    let deadline = CallPolicy { deadline_ms: Some(2_500.0), timeout_ms: 10_000.0, ..policy() };
    let mut sim = Sim::new(&[Reply::Hang]);
    let end = sim.run(&mut call(IDEMPOTENT, deadline));
    assert_eq!(failure(end).message, "Mava listAgents ran past its deadline");
    assert_eq!(sim.now, 2_500.0, "settled exactly at the deadline");

    // A Retry-After that ends past the deadline: this attempt's error at once.
    let (end, sent) = run(IDEMPOTENT, deadline, &[status_after(503, "5"), ok()]);
    let failure_now = failure(end);
    assert_eq!((failure_now.status, failure_now.retry_after_ms), (Some(503), Some(5_000)));
    assert_eq!(sent, [0.0]);

    // A full limiter whose next slot comes after the deadline.
    let mut sim = Sim::new(&[ok(), ok()]).with_limiter(RateLimit { requests: 1, window_ms: 30_000 });
    assert!(sim.run(&mut call(IDEMPOTENT, CallPolicy { pacing: Pacing::Wait, ..policy() })).is_ok());
    let paced = CallPolicy { pacing: Pacing::Wait, deadline_ms: Some(5_000.0), ..policy() };
    let end = sim.run(&mut Call::new(IDEMPOTENT, prepared(IDEMPOTENT), paced, sim.now, 7));
    assert_eq!(failure(end).message, "Mava listAgents ran past its deadline");
    assert_eq!(sim.sent.len(), 1);
}

#[test]
fn a_full_limiter_is_waited_for_or_refused_at_once() {
    let limit = RateLimit { requests: 2, window_ms: 1_000 };
    let mut sim = Sim::new(&[ok(), ok(), ok()]).with_limiter(limit);
    let wait = CallPolicy { pacing: Pacing::Wait, ..policy() };
    for seed in 0..2 {
        assert!(sim.run(&mut Call::new(IDEMPOTENT, prepared(IDEMPOTENT), wait, sim.now, seed)).is_ok());
    }
    let fail_fast = CallPolicy { pacing: Pacing::FailFast, ..policy() };
    let refused = failure(sim.run(&mut Call::new(IDEMPOTENT, prepared(IDEMPOTENT), fail_fast, sim.now, 1)));
    assert_eq!(refused.kind, ErrorKind::RateLimited);
    // Each slot counts from its answer (10 ms after it went out), plus a 15 ms margin.
    assert_eq!(refused.retry_after_ms, Some(1_005));
    assert_eq!(refused.message, "Mava listAgents: over the client-side rate limit; a slot frees in 1005 ms");
    assert_eq!(sim.sent, [0.0, 10.0], "nothing sent");
    assert!(sim.run(&mut Call::new(IDEMPOTENT, prepared(IDEMPOTENT), wait, sim.now, 3)).is_ok());
    assert_eq!(sim.sent, [0.0, 10.0, 1_025.0], "the waiting call went out when the first slot freed");
}

#[test]
fn a_429_holds_every_call_with_the_key_but_an_hour_long_hold_is_never_waited_for() {
    let wait = CallPolicy { pacing: Pacing::Wait, max_retries: 0, ..policy() };
    let mut sim = Sim::new(&[status_after(429, "3")]).with_limiter(RateLimit { requests: 90, window_ms: 30_000 });
    let first = failure(sim.run(&mut Call::new(IDEMPOTENT, prepared(IDEMPOTENT), wait, 0.0, 1)));
    assert_eq!((first.kind, first.retry_after_ms), (ErrorKind::RateLimited, Some(3_000)));
    sim.more(&[ok()]);
    assert!(sim.run(&mut Call::new(IDEMPOTENT, prepared(IDEMPOTENT), wait, sim.now, 2)).is_ok());
    assert_eq!(sim.sent, [0.0, 3_010.0], "the next call waited out the 429");

    sim.more(&[status_after(429, "3600")]);
    let start = sim.now;
    let held = failure(sim.run(&mut Call::new(IDEMPOTENT, prepared(IDEMPOTENT), wait, start, 3)));
    assert_eq!(held.retry_after_ms, Some(3_600_000));
    let at = sim.now;
    let next = failure(sim.run(&mut Call::new(IDEMPOTENT, prepared(IDEMPOTENT), wait, at, 4)));
    assert_eq!(next.kind, ErrorKind::RateLimited);
    assert_eq!(next.retry_after_ms, Some(3_600_000));
    assert_eq!(next.message, "Mava listAgents: the API key is rate limited for 3600 s more; not waited for");
    assert_eq!(sim.now, at, "refused at once, not parked");
    assert_eq!(sim.sent.len(), 3, "nothing sent");
}

#[test]
fn the_callers_limiter_is_asked_and_its_wait_is_bounded() {
    let external = CallPolicy { pacing: Pacing::External, ..policy() };
    let mut sim = Sim::new(&[ok()]);
    sim.external = Some(External::Grant { after: 250.0 });
    assert!(sim.run(&mut call(IDEMPOTENT, external)).is_ok());
    assert_eq!(sim.sent, [250.0]);

    sim.external = Some(External::Refuse { after: 5.0, retry_after_ms: None });
    let refused = failure(sim.run(&mut call(IDEMPOTENT, external)));
    assert_eq!(refused.kind, ErrorKind::RateLimited);
    assert_eq!(refused.message, "Mava listAgents: the rate limiter refused the call");
    assert_eq!(refused.retry_after_ms, None);
    // A shared limiter's refusal says when a slot frees: the relay's 429 carries it.
    sim.external = Some(External::Refuse { after: 5.0, retry_after_ms: Some(29_100) });
    let refused = failure(sim.run(&mut call(IDEMPOTENT, external)));
    assert_eq!((refused.kind, refused.retry_after_ms), (ErrorKind::RateLimited, Some(29_100)));

    sim.external = Some(External::Hang);
    let start = sim.now;
    let hung = failure(sim.run(&mut Call::new(IDEMPOTENT, prepared(IDEMPOTENT), external, start, 3)));
    assert_eq!(hung.message, "Mava listAgents: the rate limiter gave no slot within 60 s");
    assert_eq!(sim.now - start, 60_000.0);
    let with_deadline = CallPolicy { deadline_ms: Some(2_000.0), ..external };
    let start = sim.now;
    let late = failure(sim.run(&mut Call::new(IDEMPOTENT, prepared(IDEMPOTENT), with_deadline, start, 4)));
    assert_eq!(late.kind, ErrorKind::Timeout);
    assert_eq!(sim.now - start, 2_000.0);
    assert_eq!(sim.sent.len(), 1);
}

#[test]
fn an_abort_ends_the_call_in_every_state_and_nothing_is_sent_after_it() {
    let timeout = CallPolicy { timeout_ms: 1_000.0, ..policy() };
    // While an attempt is out, during a backoff, and while waiting for a slot.
    for (abort_at, replies, sent) in [(5.0, vec![Reply::Hang], 1), (200.0, vec![status(503), ok()], 1)] {
        let mut sim = Sim::new(&replies);
        sim.abort_at = Some(abort_at);
        let aborted = failure(sim.run(&mut call(IDEMPOTENT, timeout)));
        assert_eq!((aborted.kind, aborted.message.as_str()), (ErrorKind::Aborted, "Mava listAgents was aborted"));
        assert_eq!(sim.now, abort_at);
        assert_eq!(sim.sent.len(), sent);
    }
    let mut sim = Sim::new(&[ok()]).with_limiter(RateLimit { requests: 1, window_ms: 10_000 });
    let paced = CallPolicy { pacing: Pacing::Wait, ..timeout };
    assert!(sim.run(&mut call(IDEMPOTENT, paced)).is_ok());
    sim.abort_at = Some(100.0);
    let aborted = failure(sim.run(&mut call(IDEMPOTENT, paced)));
    assert_eq!(aborted.kind, ErrorKind::Aborted);
    assert_eq!(sim.sent.len(), 1);
}

#[test]
fn answers_the_call_no_longer_waits_for_change_nothing() {
    let mut c = call(IDEMPOTENT, CallPolicy { timeout_ms: 100.0, max_retries: 0, ..policy() });
    assert!(c.poll_transmit(0.0).is_some());
    c.handle_timeout(100.0);
    let end = c.poll().unwrap();
    assert_eq!(failure(end).kind, ErrorKind::Timeout);
    let late = Response::new(200, "{}");
    c.handle_event(150.0, CallEvent::Response(&late));
    c.handle_event(150.0, CallEvent::Aborted);
    c.handle_timeout(200.0);
    assert!(c.poll().is_none() && c.poll_transmit(200.0).is_none() && c.poll_timeout().is_none());
}

#[test]
fn an_early_timer_changes_nothing() {
    let mut c = call(IDEMPOTENT, CallPolicy { timeout_ms: 100.0, ..policy() });
    assert!(c.poll_transmit(0.0).is_some());
    c.handle_timeout(99.0);
    assert!(c.is_sending());
    assert_eq!(c.poll_timeout(), Some(100.0));
}

#[test]
fn a_body_over_the_limit_is_response_too_large_and_never_retried() {
    let (end, sent) = run(IDEMPOTENT, policy(), &[Reply::TooLarge { after: 5.0, status: 200 }, ok()]);
    let failure = failure(end);
    assert_eq!(
        (failure.kind, failure.status, failure.code.as_deref()),
        (ErrorKind::Api, Some(200), Some("RESPONSE_TOO_LARGE"))
    );
    assert_eq!(failure.message, "Mava listAgents answered 200 with a body over 16777216 bytes (maxResponseBytes)");
    assert_eq!(sent.len(), 1);
}

#[test]
fn a_redirect_ends_the_call_at_once_and_is_never_retried() {
    for op in [IDEMPOTENT, ROLLED_BACK] {
        for code in [301, 302, 303, 307, 308, crate::response::OPAQUE_REDIRECT] {
            let (end, sent) = run(op, policy(), &[status(code), ok()]);
            let failure = failure(end);
            assert_eq!(
                (failure.kind, failure.code.as_deref()),
                (ErrorKind::Api, Some(crate::error::UNEXPECTED_REDIRECT)),
                "{} {code}",
                op.name
            );
            assert_eq!(sent.len(), 1, "{} {code}: one attempt", op.name);
        }
    }
}

#[test]
fn a_caller_value_that_throws_ends_the_call_with_a_typed_error_and_frees_its_slot() {
    let mut limiter = RateLimiter::new(RateLimit { requests: 1, window_ms: 1_000 });
    let mut c = call(IDEMPOTENT, CallPolicy { pacing: Pacing::Wait, ..policy() });
    assert_eq!(c.poll_limiter(0.0), Some(LimiterRequest::Acquire));
    c.handle_event(0.0, CallEvent::SlotGranted(Some(limiter.try_acquire(0.0).unwrap())));
    assert!(c.poll_transmit(0.0).is_some());
    c.handle_event(5.0, CallEvent::HostFailed("options.signal threw when read: boom"));
    let failure = failure(c.poll().unwrap());
    assert_eq!(
        (failure.kind, failure.message.as_str()),
        (ErrorKind::Config, "Mava listAgents: options.signal threw when read: boom")
    );
    let Some(LimiterRequest::Release(slot)) = c.poll_limiter(5.0) else { panic!("the slot is handed back") };
    limiter.release(slot, 5.0);
    assert!(c.poll_limiter(5.0).is_none());
}

#[test]
fn every_attempt_sends_the_same_request() {
    let mut c = call(&tickiti::CREATE_TICKET, policy());
    let first = c.poll_transmit(0.0).unwrap().request.clone();
    c.handle_event(5.0, CallEvent::Response(&Response::new(503, "").with_retry_after(Some("0"))));
    c.handle_timeout(5.0);
    let second = c.poll_transmit(5.0).unwrap();
    assert_eq!((second.attempt, second.request), (2, &first));
}
