//! Every rule of a follow on a simulated clock: a scripted relay, and a driver that does what
//! the host does (as `src/call/tests.rs`), checking that the follow never waits on nothing.

use super::*;

/// What the simulated relay does with one poll, `after` ms after it was sent.
#[derive(Debug, Clone)]
enum Reply {
    /// Answers this status, `Retry-After` and body.
    Answer { after: f64, status: u16, retry_after: Option<&'static str>, body: String },
    /// Cuts the connection.
    Drop { after: f64 },
    /// Answers with a body over the limit.
    TooLarge { after: f64, status: u16 },
    /// Never answers.
    Hang,
}

fn page(after: f64, ids: &[&str], cursor: &str) -> Reply {
    let messages: Vec<String> = ids
        .iter()
        .map(|id| {
            format!(
                r#"{{"id":"{id}","from":"agent","text":"reply {id}","attachments":[],"at":"2026-12-06T10:00:00.000Z"}}"#
            )
        })
        .collect();
    let body = format!(r#"{{"messages":[{}],"cursor":"{cursor}"}}"#, messages.join(","));
    Reply::Answer { after, status: 200, retry_after: None, body }
}

fn status(status: u16, body: &str) -> Reply {
    Reply::Answer { after: 10.0, status, retry_after: None, body: body.to_owned() }
}

fn status_after(status: u16, retry_after: &'static str) -> Reply {
    Reply::Answer { after: 10.0, status, retry_after: Some(retry_after), body: String::new() }
}

/// One poll as the relay saw it.
#[derive(Debug, Clone, PartialEq)]
struct Poll {
    at: Millis,
    url: String,
    capability: Option<String>,
}

/// The host, simulated: a clock, a script of replies, what was sent and what was yielded.
struct Sim {
    now: Millis,
    replies: VecDeque<Reply>,
    polls: Vec<Poll>,
    /// Each batch yielded: when, its ids, its cursor.
    batches: Vec<(Millis, Vec<String>, Option<String>)>,
    abort_at: Option<Millis>,
    /// The caller breaks out of its loop after this many batches (`return()`).
    break_after: Option<usize>,
}

impl Sim {
    fn new(replies: Vec<Reply>) -> Sim {
        Sim {
            now: 0.0,
            replies: replies.into(),
            polls: Vec::new(),
            batches: Vec::new(),
            abort_at: None,
            break_after: None,
        }
    }

    fn ids(&self) -> Vec<Vec<&str>> {
        self.batches.iter().map(|(_, ids, _)| ids.iter().map(String::as_str).collect()).collect()
    }

    fn urls(&self) -> Vec<&str> {
        self.polls.iter().map(|p| p.url.as_str()).collect()
    }

    /// Time between each poll and the one before it.
    fn gaps(&self) -> Vec<Millis> {
        self.polls.windows(2).map(|w| w[1].at - w[0].at).collect()
    }

    /// Runs `follow` to its end as the host would; a poll past the script hangs.
    fn run(&mut self, follow: &mut Follow) -> Result<(), Failure> {
        let mut answer: Option<(Millis, Reply)> = None;
        loop {
            while let Some(batch) = follow.poll_batch() {
                assert_eq!(batch.cursor.as_deref(), follow.cursor(), "a batch carries where the thread stands");
                self.batches.push((self.now, batch.ids, batch.cursor));
                if self.break_after == Some(self.batches.len()) {
                    follow.stop();
                }
            }
            if let Some(end) = follow.poll_end() {
                assert!(follow.poll_transmit(self.now).is_none(), "polled after the end");
                assert_eq!(follow.poll_timeout(), None, "a timer after the end");
                assert!(follow.poll_end().is_none(), "the end comes once");
                return end;
            }
            if let Some(transmit) = follow.poll_transmit(self.now) {
                assert_eq!(transmit.attempt as usize, self.polls.len() + 1);
                assert_eq!((transmit.request.method.as_str(), &transmit.request.body), ("GET", &None));
                self.polls.push(Poll {
                    at: self.now,
                    url: transmit.request.url.clone(),
                    capability: transmit.request.header(CAPABILITY_HEADER).map(str::to_owned),
                });
                let reply = self.replies.pop_front().unwrap_or(Reply::Hang);
                answer = match &reply {
                    Reply::Answer { after, .. } | Reply::Drop { after } | Reply::TooLarge { after, .. } => {
                        Some((self.now + after, reply))
                    }
                    Reply::Hang => None,
                };
            }
            let wake = follow.poll_timeout();
            let next =
                [wake, answer.as_ref().map(|a| a.0), self.abort_at].into_iter().flatten().fold(f64::INFINITY, f64::min);
            assert!(next.is_finite(), "the follow waits for nothing: it would hang");
            assert!(next >= self.now, "time runs backwards");
            self.now = next;
            if self.abort_at.is_some_and(|at| at <= self.now) {
                self.abort_at = None;
                follow.handle_event(self.now, CallEvent::Aborted);
            } else if let Some((_, reply)) = answer.take_if(|a| a.0 <= self.now) {
                match reply {
                    Reply::Answer { status, retry_after, body, .. } => {
                        let response = Response::new(status, body).with_retry_after(retry_after);
                        follow.handle_event(self.now, CallEvent::Response(&response));
                    }
                    Reply::Drop { .. } => follow.handle_event(self.now, CallEvent::TransportFailed("fetch failed")),
                    Reply::TooLarge { status, .. } => {
                        follow.handle_event(self.now, CallEvent::ResponseTooLarge { status })
                    }
                    Reply::Hang => unreachable!(),
                }
            } else {
                // A wait ended: an answer still out is dropped with its poll, as the host does.
                answer = None;
                follow.handle_timeout(self.now);
            }
        }
    }
}

const BASE: &str = "https://relay.example/mava";
const CAPABILITY: &str = "tw1.1767225600.c2lnbmF0dXJl";

fn options(json: &str) -> Value {
    Value::from_json(json).unwrap()
}

fn follow_with(op: &'static Operation, options_json: &str) -> Follow {
    Follow::new(op, BASE, &Value::String("T1".into()), &options(options_json), FollowPolicy::default(), 42).unwrap()
}

fn follow() -> Follow {
    follow_with(&MAVA_CONVERSATION, &format!(r#"{{"capability":"{CAPABILITY}"}}"#))
}

#[test]
fn each_poll_waits_25_s_with_the_capability_and_resumes_from_the_last_cursor() {
    let mut sim = Sim::new(vec![
        page(120.0, &["m1"], "c1"),
        page(25_000.0, &[], "c1"),
        page(300.0, &["m2", "m3"], "c3"),
        status(403, r#"{"error":"CAPABILITY_REQUIRED"}"#),
    ]);
    let mut f = follow();
    let end = sim.run(&mut f).unwrap_err();
    assert_eq!(
        sim.urls(),
        [
            "https://relay.example/mava/conversations/T1?wait=25",
            "https://relay.example/mava/conversations/T1?after=c1&wait=25",
            "https://relay.example/mava/conversations/T1?after=c1&wait=25",
            "https://relay.example/mava/conversations/T1?after=c3&wait=25",
        ]
    );
    assert!(sim.polls.iter().all(|p| p.capability.as_deref() == Some(CAPABILITY)));
    assert_eq!(sim.ids(), [vec!["m1"], vec!["m2", "m3"]]);
    assert_eq!(sim.batches[1].2.as_deref(), Some("c3"));
    // An answer with news is followed by the next poll at once.
    assert_eq!(sim.gaps(), [120.0, 25_000.0, 300.0]);
    assert_eq!((end.kind, end.status, end.code.as_deref()), (ErrorKind::Api, Some(403), Some("CAPABILITY_REQUIRED")));
    assert_eq!((end.provider, end.operation), ("mava", "conversation"));
    assert_eq!(f.polls(), 4, "no poll after the refusal");
}

#[test]
fn a_batch_is_yielded_as_the_relay_wrote_its_messages_with_the_cursor() {
    let mut f = follow();
    let sent = f.poll_transmit(0.0).is_some();
    assert!(sent);
    let body = r#"{"messages":[{"id":"m1","from":"agent","text":"Hello","attachments":[{"url":"https://cdn.example/a.png","fileName":"a.png","fileType":"image/png"}],"at":"2026-12-06T10:00:00.000Z"}],"cursor":"c1"}"#;
    f.handle_event(50.0, CallEvent::Response(&Response::new(200, body)));
    let batch = f.poll_batch().unwrap();
    assert_eq!(batch.json, body);
    assert_eq!((batch.ids, batch.cursor.as_deref()), (vec!["m1".to_owned()], Some("c1")));
    assert_eq!(f.poll_batch(), None);
    assert!(f.poll_transmit(50.0).is_some(), "polls again at once");
}

#[test]
fn a_follow_resumes_from_the_callers_cursor() {
    let mut sim = Sim::new(vec![page(10.0, &["m4"], "c4 +/&")]);
    sim.break_after = Some(1);
    let mut f = follow_with(&HELPWAVE_CONVERSATION, &format!(r#"{{"capability":"{CAPABILITY}","after":"c3"}}"#));
    assert_eq!(f.cursor(), Some("c3"));
    assert_eq!(sim.run(&mut f), Ok(()));
    assert_eq!(sim.urls(), ["https://relay.example/mava/conversations/T1?after=c3&wait=25"]);
    assert_eq!(f.cursor(), Some("c4 +/&"));
    let mut next = follow_with(&HELPWAVE_CONVERSATION, r#"{"capability":"x","after":"c4 +/&"}"#);
    assert_eq!(
        next.poll_transmit(0.0).unwrap().request.url,
        "https://relay.example/mava/conversations/T1?after=c4+%2B%2F%26&wait=25"
    );
}

#[test]
fn a_ticket_id_is_one_path_segment() {
    let mut f = Follow::new(
        &HELPWAVE_CONVERSATION,
        "https://relay.example/helpwave/",
        &Value::String("../7 x".into()),
        &options(r#"{"capability":"x"}"#),
        FollowPolicy::default(),
        1,
    )
    .unwrap();
    assert_eq!(
        f.poll_transmit(0.0).unwrap().request.url,
        "https://relay.example/helpwave/conversations/..%2F7%20x?wait=25"
    );
    let number = Value::Number(987_654_321.0);
    let mut f = Follow::new(
        &HELPWAVE_CONVERSATION,
        BASE,
        &number,
        &options(r#"{"capability":"x"}"#),
        FollowPolicy::default(),
        1,
    )
    .unwrap();
    assert_eq!(f.poll_transmit(0.0).unwrap().request.url, "https://relay.example/mava/conversations/987654321?wait=25");
}

#[test]
fn no_message_is_yielded_twice_across_reconnects() {
    let mut sim = Sim::new(vec![
        page(10.0, &["m1"], "c1"),
        status(503, ""),
        Reply::Drop { after: 5.0 },
        // The relay lost track and sends m1 again, with the new m2.
        page(10.0, &["m1", "m2"], "c2"),
        // And m2 once more, alone: nothing to yield.
        page(10.0, &["m2"], "c2"),
        page(10.0, &["m3"], "c3"),
        status(404, ""),
    ]);
    let mut f = follow();
    let end = sim.run(&mut f).unwrap_err();
    assert_eq!(sim.ids(), [vec!["m1"], vec!["m2"], vec!["m3"]]);
    let afters: Vec<Option<&str>> =
        sim.urls().iter().map(|u| u.split_once("after=").map(|(_, rest)| rest.split('&').next().unwrap())).collect();
    assert_eq!(afters, [None, Some("c1"), Some("c1"), Some("c1"), Some("c2"), Some("c2"), Some("c3")]);
    assert_eq!((end.status, end.code.as_deref()), (Some(404), Some("NOT_FOUND")));
    assert_eq!(end.message, "Mava conversation failed: 404 Not Found");
}

#[test]
fn failures_in_a_row_back_off_from_half_a_second_to_eight_with_up_to_a_quarter_of_jitter() {
    let mut replies: Vec<Reply> = (0..7).map(|_| status(503, "")).collect();
    replies.push(Reply::Drop { after: 10.0 });
    replies.push(page(10.0, &["m1"], "c1")); // a success resets the count
    replies.push(status(502, ""));
    replies.push(status(400, r#"{"error":"BAD_REQUEST"}"#));
    let mut sim = Sim::new(replies);
    let mut f = follow();
    let end = sim.run(&mut f).unwrap_err();
    assert_eq!(end.status, Some(400));
    let waits: Vec<Millis> = sim.gaps().iter().map(|gap| gap - 10.0).collect(); // each answer took 10 ms
    let fulls = [500.0, 1000.0, 2000.0, 4000.0, 8000.0, 8000.0, 8000.0, 8000.0, 0.0, 500.0];
    assert_eq!(waits.len(), fulls.len());
    for (wait, full) in waits.iter().zip(fulls) {
        assert!(*wait <= full && *wait >= (full * 0.75).floor(), "waited {wait} for a backoff of {full}: {waits:?}");
    }
    assert_ne!(waits[4], waits[5], "jitter spreads the waits");
}

#[test]
fn a_429_or_503_waits_its_retry_after_and_one_over_60_s_ends_the_follow() {
    let mut sim = Sim::new(vec![status_after(429, "7"), status_after(503, "0"), status_after(503, "61")]);
    let mut f = follow();
    let end = sim.run(&mut f).unwrap_err();
    assert_eq!(sim.gaps(), [7_010.0, 10.0]);
    assert_eq!((end.kind, end.status, end.retry_after_ms), (ErrorKind::Api, Some(503), Some(61_000)));
    let mut sim = Sim::new(vec![status(408, ""), status_after(429, "61")]);
    let end = sim.run(&mut follow()).unwrap_err();
    assert_eq!((end.kind, end.status, end.retry_after_ms), (ErrorKind::RateLimited, Some(429), Some(61_000)));
    assert_eq!(sim.polls.len(), 2, "a 408 was retried");
}

#[test]
fn a_403_a_404_a_redirect_or_another_4xx_ends_the_follow_at_once() {
    for (reply, code) in [
        (status(403, r#"{"error":"CAPABILITY_REQUIRED"}"#), Some("CAPABILITY_REQUIRED")),
        (status(404, r#"{"error":"NOT_FOUND"}"#), Some("NOT_FOUND")),
        (status(404, "Not Found"), Some("NOT_FOUND")),
        (status(302, ""), Some("UNEXPECTED_REDIRECT")),
        (status(401, ""), None),
        (status(422, r#"{"error":"VALIDATION_ERROR"}"#), Some("VALIDATION_ERROR")),
    ] {
        let mut sim = Sim::new(vec![reply.clone()]);
        let end = sim.run(&mut follow()).unwrap_err();
        assert_eq!((end.kind, end.code.as_deref()), (ErrorKind::Api, code), "{reply:?}");
        assert_eq!(sim.polls.len(), 1, "{reply:?}: not retried");
    }
}

#[test]
fn the_callers_abort_ends_the_follow_cleanly_while_polling_or_waiting() {
    let mut sim = Sim::new(vec![page(10.0, &["m1"], "c1"), Reply::Hang]);
    sim.abort_at = Some(3_000.0);
    let mut f = follow();
    assert_eq!(sim.run(&mut f), Ok(()));
    assert_eq!((sim.now, f.polls(), sim.ids()), (3_000.0, 2, vec![vec!["m1"]]));
    assert!(f.is_finished());

    let mut sim = Sim::new(vec![status(503, "")]);
    sim.abort_at = Some(200.0); // during the backoff
    let mut f = follow();
    assert_eq!(sim.run(&mut f), Ok(()));
    assert_eq!((sim.now, f.polls()), (200.0, 1));
}

#[test]
fn return_after_a_batch_stops_polling_and_drops_what_was_not_yielded() {
    let mut sim = Sim::new(vec![page(10.0, &["m1"], "c1"), page(10.0, &["m2"], "c2")]);
    sim.break_after = Some(1);
    let mut f = follow();
    assert_eq!(sim.run(&mut f), Ok(()));
    assert_eq!((f.polls(), sim.ids()), (1, vec![vec!["m1"]]));
    // A stop before the first poll sends nothing.
    let mut f = follow();
    f.stop();
    assert!(f.poll_transmit(0.0).is_none());
    assert_eq!(f.poll_end(), Some(Ok(())));
    // An answer after the stop changes nothing.
    let mut f = follow();
    assert!(f.poll_transmit(0.0).is_some());
    f.stop();
    let Reply::Answer { body, .. } = page(0.0, &["m1"], "c1") else { unreachable!() };
    f.handle_event(5.0, CallEvent::Response(&Response::new(200, body)));
    assert_eq!((f.poll_batch(), f.poll_end()), (None, Some(Ok(()))));
}

#[test]
fn a_poll_without_an_answer_times_out_25_s_plus_the_clients_timeout_and_reconnects() {
    let mut sim = Sim::new(vec![Reply::Hang, page(10.0, &["m1"], "c1"), status(403, "")]);
    let policy = FollowPolicy { timeout_ms: 5_000.0, ..FollowPolicy::default() };
    let mut f = Follow::new(
        &MAVA_CONVERSATION,
        BASE,
        &Value::String("T1".into()),
        &options(r#"{"capability":"x"}"#),
        policy,
        7,
    )
    .unwrap();
    sim.run(&mut f).unwrap_err();
    let gap = sim.gaps()[0];
    assert!((30_375.0..=30_500.0).contains(&gap), "timed out at 30 s, then backed off: {gap}");
    assert_eq!(sim.ids(), [vec!["m1"]]);
}

#[test]
fn an_empty_answer_that_comes_at_once_is_not_followed_by_a_tight_loop() {
    let mut sim =
        Sim::new(vec![page(10.0, &[], "c0"), page(10.0, &["m1"], "c1"), page(2_000.0, &[], "c1"), status(403, "")]);
    sim.run(&mut follow()).unwrap_err();
    assert_eq!(sim.gaps(), [1_000.0, 10.0, 2_000.0]);
}

#[test]
fn a_malformed_answer_ends_the_follow_as_invalid_response() {
    for (body, why) in [
        ("<html>", "is not JSON"),
        ("[]", "is not an object"),
        (r#"{"cursor":"c1"}"#, "has no messages array"),
        (r#"{"messages":[{"text":"no id"}],"cursor":"c1"}"#, "holds a message without an id"),
        (r#"{"messages":[],"cursor":{}}"#, "has a cursor that is not a string"),
    ] {
        let mut sim = Sim::new(vec![status(200, body)]);
        let mut f = follow();
        let end = sim.run(&mut f).unwrap_err();
        assert_eq!((end.kind, end.status, end.code.as_deref()), (ErrorKind::Api, Some(200), Some("INVALID_RESPONSE")));
        assert_eq!(end.message, format!("Mava conversation answered 200 with a body that {why}"));
        assert_eq!(f.cursor(), None, "{body}: the cursor does not move");
    }
    let mut sim = Sim::new(vec![Reply::TooLarge { after: 10.0, status: 200 }]);
    let end = sim.run(&mut follow()).unwrap_err();
    assert_eq!(end.code.as_deref(), Some("RESPONSE_TOO_LARGE"));
}

#[test]
fn a_host_failure_ends_the_follow_as_config() {
    let mut f = follow();
    f.handle_event(0.0, CallEvent::HostFailed("options.signal threw when read: nope"));
    let end = f.poll_end().unwrap().unwrap_err();
    assert_eq!(
        (end.kind, end.message.as_str()),
        (ErrorKind::Config, "Mava conversation: options.signal threw when read: nope")
    );
}

#[test]
fn the_ticket_and_options_are_checked_all_at_once() {
    let refused = |ticket: Value, json: &str| {
        let failure =
            Follow::new(&HELPWAVE_CONVERSATION, BASE, &ticket, &options(json), FollowPolicy::default(), 1).unwrap_err();
        assert_eq!((failure.kind, failure.operation), (ErrorKind::Validation, "conversation"));
        crate::violation::triples(failure.violations)
    };
    let v = |path: &str, message: &str| (path.to_owned(), "VALIDATION_ERROR".to_owned(), message.to_owned());
    assert_eq!(
        refused(Value::String("".into()), r#"{"after":7.5,"signal":{},"cursor":"x"}"#),
        [
            v("/ticketId", "ticketId must be a non-empty string (the ticket's id as its create answered)"),
            v("/options/capability", "options must have required property 'capability'"),
            v("/options/after", "options/after must be a cursor string (a batch's cursor)"),
            v("/options/signal", "options/signal must be an AbortSignal"),
            v("/options/cursor", "options must NOT have additional properties: 'cursor'"),
        ]
    );
    assert_eq!(
        refused(Value::String("T1".into()), r#"{"capability":""}"#),
        [v("/options/capability", "options/capability must be a non-empty string")]
    );
    assert_eq!(
        refused(Value::String("T1".into()), "[]"),
        [
            v("/options", "options must be an object with the ticket's capability"),
            v("/options/capability", "options must have required property 'capability'"),
        ]
    );
    let omitted = Value::Unreadable(Unreadable::Undefined);
    let failure =
        Follow::new(&MAVA_CONVERSATION, BASE, &Value::String("T1".into()), &omitted, FollowPolicy::default(), 1)
            .unwrap_err();
    assert_eq!(failure.violations[0].message, "options must have required property 'capability'");
    assert_eq!(operation(Provider::Tickiti).map(|op| op.name), None);
    assert_eq!(operation(Provider::HelpWave).map(|op| op.provider), Some(Provider::HelpWave));
}

#[test]
fn only_the_latest_ids_are_remembered() {
    let mut f = follow();
    for n in 0..=MAX_REMEMBERED_IDS {
        assert!(f.remember(&format!("m{n}")));
    }
    assert_eq!(f.seen.len(), MAX_REMEMBERED_IDS);
    assert!(f.remember("m0"), "the oldest was forgotten");
    assert!(!f.remember(&format!("m{MAX_REMEMBERED_IDS}")));
}

/// A follow whose host has WebSockets, after its first poll answered `ids` with `offered`.
fn on_offer(sockets: bool, ids: &[&str], offered: bool) -> Follow {
    let policy = FollowPolicy { sockets, ..FollowPolicy::default() };
    let options = options(&format!(r#"{{"capability":"{CAPABILITY}"}}"#));
    let mut f = Follow::new(&MAVA_CONVERSATION, BASE, &Value::String("T1".into()), &options, policy, 42).unwrap();
    assert!(f.poll_transmit(0.0).is_some());
    let Reply::Answer { body, .. } = page(0.0, ids, "c1") else { unreachable!() };
    let response = Response { socket_offered: offered, ..Response::new(200, body) };
    f.handle_event(100.0, CallEvent::Response(&response));
    f
}

fn batch_ids(f: &mut Follow) -> Vec<Vec<String>> {
    std::iter::from_fn(|| f.poll_batch()).map(|b| b.ids).collect()
}

#[test]
fn where_the_relay_offers_a_socket_it_is_opened_with_the_capability_and_cursor_and_read_as_polls_are() {
    let mut f = on_offer(true, &["m1"], true);
    assert_eq!(batch_ids(&mut f), [vec!["m1".to_owned()]]);
    assert!(f.poll_transmit(200.0).is_none(), "no poll while a socket is offered");
    let open = f.poll_socket().expect("a socket to open");
    assert_eq!(open.url, format!("{}/conversations/T1", BASE.replacen("https://", "wss://", 1)));
    assert_eq!(open.hello, format!(r#"{{"capability":"{CAPABILITY}","after":"c1"}}"#));
    assert!(f.is_on_socket() && f.poll_socket().is_none() && f.poll_timeout().is_none());
    // The backlog again (m1, already yielded) and a new reply: only the new one, once.
    f.handle_socket_message(300.0, &frame(&["m1"], "c1"));
    f.handle_socket_message(400.0, &frame(&["m1", "m2"], "c2"));
    f.handle_socket_message(500.0, &frame(&["m2"], "c2"));
    assert_eq!(batch_ids(&mut f), [vec!["m2".to_owned()]]);
    assert_eq!(f.cursor(), Some("c2"));
    // It closes: the follow polls again at once, from the socket's cursor.
    f.handle_socket_closed(600.0);
    let transmit = f.poll_transmit(600.0).expect("a poll");
    assert!(transmit.request.url.ends_with("/conversations/T1?after=c2&wait=25"), "{}", transmit.request.url);
}

fn frame(ids: &[&str], cursor: &str) -> String {
    let Reply::Answer { body, .. } = page(0.0, ids, cursor) else { unreachable!() };
    body
}

#[test]
fn a_host_without_websockets_or_a_relay_that_offers_none_keeps_to_polls() {
    for (sockets, offered) in [(false, true), (true, false)] {
        let mut f = on_offer(sockets, &["m1"], offered);
        assert!(f.poll_socket().is_none());
        assert!(f.poll_transmit(200.0).is_some(), "sockets {sockets}, offered {offered}: the next poll");
    }
}

#[test]
fn sockets_that_close_before_a_frame_back_off_and_after_three_the_follow_keeps_to_polls() {
    let mut f = on_offer(true, &[], true);
    let mut now = 100.0;
    for n in 0..MAX_SOCKET_FAILURES {
        assert!(f.poll_socket().is_some(), "socket {n}");
        f.handle_socket_closed(now); // 4003, a refused upgrade, a dropped connection
        let until = f.poll_timeout().expect("a backoff");
        let least = now + retry::backoff(n, 0.0) as f64 * 0.75;
        assert!(until >= least.floor() && until > now, "socket {n}: back off until {until}, now {now}");
        f.handle_timeout(until);
        now = until;
        assert!(f.poll_transmit(now).is_some());
        let response = Response { socket_offered: true, ..Response::new(200, frame(&[], "c1")) };
        f.handle_event(now + 10.0, CallEvent::Response(&response));
        now += 10.0;
    }
    assert!(f.poll_socket().is_none(), "after {MAX_SOCKET_FAILURES} failed sockets, polls only");
    // A frame that is not { messages, cursor } closes the socket rather than ending the follow.
    let mut g = on_offer(true, &["m1"], true);
    g.poll_socket().unwrap();
    g.handle_socket_message(200.0, "not json");
    assert!(!g.is_on_socket() && !g.is_finished());
}
