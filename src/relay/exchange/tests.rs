//! The whole relayed request on a simulated host, as `call/tests.rs` drives a call: the host
//! does only what the exchange asks, and the tests read which steps it took, what went
//! upstream, and the answer.

use super::*;
use crate::error::ErrorKind;
use crate::provider::Provider;
use crate::rate_limit::shared::{read_answer, LimiterObject, Order, OrderOutcome};
use crate::rate_limit::RateLimit;
use crate::relay::capability::{capability_message, format_capability, upstream_fingerprint, Holds};
use crate::relay::{RelayPolicy, Secrets, Upstream, DEFAULT_MAX_BODY_BYTES};
use crate::request::{ApiKey, Config};
use crate::response::Response;
use crate::value::Value;
use crate::{helpwave, mava, tickiti};
use std::cell::RefCell;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::rc::Rc;

const ORIGIN: &str = "https://shop.example";
const KEY: &str = "sk_relay_key_1234";
const CAPABILITY_SECRET: &str = "capability-secret";
const NOW: Millis = 1_800_000_000_000.0;

/// A stand-in for HMAC-SHA256: 32 bytes that depend on the secret and every byte signed.
fn mac(secret: &str, message: &str) -> Vec<u8> {
    (0..4u8)
        .flat_map(|round| {
            let mut hasher = DefaultHasher::new();
            (round, secret, message).hash(&mut hasher);
            hasher.finish().to_le_bytes()
        })
        .collect()
}

fn relay() -> Relay {
    relay_with(RateLimit { requests: 100, window_ms: 60_000 }, false)
}

/// A relay whose visitors get `visitor_limit`, counted in the host's shared limiter if `shared`.
fn relay_with(visitor_limit: RateLimit, shared: bool) -> Relay {
    let upstream = |provider: Provider, names: &[&str]| {
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        let config = Config::new(&format!("https://{}.upstream.example", provider.id()), Some(ApiKey::new(KEY)));
        Upstream::new(provider, config, Some(&names), Secrets { capability: true, identity: false }).unwrap()
    };
    Relay::new(RelayPolicy {
        upstreams: vec![
            upstream(Provider::Mava, &["createTicket"]),
            upstream(Provider::HelpWave, &["createTicket", "listComments"]),
            upstream(Provider::Tickiti, &["createTicket", "sendMessage"]),
        ],
        allowed_origins: vec![ORIGIN.to_owned()],
        capabilities: true,
        identity_check: false,
        max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        visitor_limit: Some(visitor_limit),
        shared_visitors: shared,
        base_path: String::new(),
        mava_webhook_key: None,
    })
}

/// What the simulated host does at each step.
struct Host {
    body: Result<String, BodyProblem>,
    fresh_key: Option<String>,
    /// The upstream's answer to the request sent.
    upstream: fn(&PreparedRequest) -> Sent,
    /// The shared limiter the visitors are counted in (`None`: it fails), as the Durable Object
    /// adapter's `countVisitor` reaches it: a `hit` order, its answer read by the adapter.
    counter: Option<Rc<RefCell<LimiterObject>>>,
}

/// What happened: the steps taken, the requests sent upstream, the answer.
struct Run {
    steps: Vec<&'static str>,
    sent: Vec<PreparedRequest>,
    answer: Answer,
    /// The visitors named to the shared limiter.
    counted: Vec<String>,
}

fn answered(status: u16, body: &str) -> fn(&PreparedRequest) -> Sent {
    // Only a few fixed answers are needed; each is its own fn item.
    match (status, body) {
        (201, "mava") => |_| ok(201, r#"{"ticket":{"_id":"6650f1a2b3c4d5e6f7a8b9c0"}}"#),
        (200, "comments") => |_| ok(200, r#"{"comments":[]}"#),
        (201, "tickiti") => |_| ok(201, r#"{"ok":true}"#),
        _ => unreachable!(),
    }
}

fn ok(status: u16, body: &str) -> Sent {
    Sent { end: Ok(body.to_owned()), attempts: 1, last: Some(Response::new(status, body)) }
}

fn head(method: &str, path: &str, headers: &[(&str, &str)]) -> Head {
    head_from("203.0.113.7", method, path, headers)
}

fn head_from(visitor: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> Head {
    let mut all = vec![("origin", ORIGIN), ("content-type", "application/json")];
    all.extend_from_slice(headers);
    Head::read(method.to_owned(), format!("https://relay.example{path}"), visitor.to_owned(), |name| {
        all.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned())
    })
}

fn drive(relay: &mut Relay, head: Head, host: &Host) -> Run {
    let mut run = Run { steps: Vec::new(), sent: Vec::new(), answer: relay_error(None, "unset"), counted: Vec::new() };
    let mut exchange = relay.start(head, NOW);
    for _ in 0..20 {
        let event = match exchange.poll() {
            Step::Answer(answer) => {
                run.steps.push("answer");
                run.answer = answer;
                return run;
            }
            Step::CountVisitor { visitor, limit, within_ms } => {
                run.steps.push("count visitor");
                assert_eq!(within_ms, VISITOR_COUNT_WAIT_MS);
                run.counted.push(visitor.clone());
                let Some(counter) = &host.counter else {
                    exchange.handle(relay, Event::VisitorNotCounted, NOW);
                    continue;
                };
                let order = Order::hit(&visitor, limit).to_json();
                let OrderOutcome::Answer(answer) = counter.borrow_mut().handle_order(&order, NOW) else {
                    panic!("a hit never waits")
                };
                Event::VisitorCounted(read_answer(&answer.json).map(drop).map_err(|r| r.retry_after_ms.unwrap()))
            }
            Step::ReadBody { .. } => {
                run.steps.push("read body");
                Event::Body(host.body.clone())
            }
            Step::Verify { secret, message, mac: given } => {
                run.steps.push("verify");
                assert_eq!(secret, Secret::Capability);
                Event::Verified(given == mac(CAPABILITY_SECRET, &message))
            }
            Step::FreshKey => {
                run.steps.push("fresh key");
                Event::FreshKey(host.fresh_key.clone())
            }
            Step::Send { request, .. } => {
                run.steps.push("send");
                let sent = (host.upstream)(&request);
                run.sent.push(request);
                Event::Upstream(Box::new(sent))
            }
            Step::Sign { message } => {
                run.steps.push("sign");
                Event::Signed(Some(mac(CAPABILITY_SECRET, &message)))
            }
            // Webhooks and conversations: src/relay/conversation/tests.rs.
            Step::Webhook | Step::Wait { .. } | Step::Wake { .. } | Step::Store(_) | Step::Connect { .. } => {
                panic!("a step of §7.2 in a §6 test")
            }
        };
        exchange.handle(relay, event, NOW);
    }
    panic!("the exchange never answered: {:?}", run.steps);
}

fn host(body: &str, upstream: fn(&PreparedRequest) -> Sent) -> Host {
    Host { body: Ok(body.to_owned()), fresh_key: Some("key-from-host".to_owned()), upstream, counter: None }
}

fn error_code(answer: &Answer) -> String {
    let body = Value::from_json(&answer.body).unwrap();
    body.as_object().unwrap().get("error").and_then(Value::as_str).unwrap().to_owned()
}

fn fingerprint(provider: Provider) -> String {
    upstream_fingerprint(&format!("https://{}.upstream.example", provider.id()), KEY)
}

fn capability_for(provider: Provider, ticket: &str) -> String {
    let expiry = (NOW / 1000.0) as u64 + 3_600;
    let message = capability_message(Holds::Ticket, provider, &fingerprint(provider), ticket, expiry);
    format_capability(expiry, &mac(CAPABILITY_SECRET, &message))
}

#[test]
fn a_create_goes_upstream_once_with_the_relays_key_and_comes_back_with_a_signed_capability() {
    let mut relay = relay();
    let body = r#"{"customer":{"email":"a@b.example"}}"#;
    let run = drive(&mut relay, head("POST", "/mava/api/ticket", &[]), &host(body, answered(201, "mava")));
    assert_eq!(run.steps, ["read body", "send", "sign", "answer"]);
    assert_eq!(run.sent.len(), 1);
    assert_eq!(run.sent[0].url, "https://mava.upstream.example/api/ticket");
    assert_eq!(run.sent[0].header("x-auth-token"), Some(KEY));
    assert_eq!(run.sent[0].body.as_deref(), Some(body));
    assert_eq!(run.answer.status, 201);
    let expiry = (NOW / 1000.0) as u64 + crate::relay::capability::CAPABILITY_LIFETIME_SECS;
    let signed = capability_message(
        Holds::Ticket,
        Provider::Mava,
        &fingerprint(Provider::Mava),
        "6650f1a2b3c4d5e6f7a8b9c0",
        expiry,
    );
    assert_eq!(
        run.answer.header("x-ticketwire-capability"),
        Some(format_capability(expiry, &mac(CAPABILITY_SECRET, &signed)).as_str())
    );
}

#[test]
fn a_refusal_at_the_head_reads_nothing_and_sends_nothing() {
    let mut relay = relay();
    let other_origin = head("POST", "/mava/api/ticket", &[("origin", "https://evil.example")]);
    let run = drive(&mut relay, other_origin, &host("{}", answered(201, "mava")));
    assert_eq!(run.steps, ["answer"]);
    assert_eq!((run.answer.status, error_code(&run.answer).as_str()), (403, "ORIGIN_NOT_ALLOWED"));
}

#[test]
fn a_body_too_long_or_unreadable_is_refused_before_anything_goes_upstream() {
    let mut relay = relay();
    for (problem, status, code) in [(BodyProblem::TooLarge, 413, "BODY_TOO_LARGE"), (BodyProblem::Unreadable, 400, "")]
    {
        let host = Host { body: Err(problem), fresh_key: None, upstream: answered(201, "mava"), counter: None };
        let run = drive(&mut relay, head("POST", "/mava/api/ticket", &[]), &host);
        assert_eq!(run.steps, ["read body", "answer"]);
        assert_eq!(run.answer.status, status);
        if code.is_empty() {
            assert_eq!(run.answer.body, r#"{"error":"VALIDATION_ERROR","message":"body must be valid JSON"}"#);
        } else {
            assert_eq!(error_code(&run.answer), code);
        }
    }
}

#[test]
fn a_ticket_is_read_only_with_its_capability_and_a_get_reads_no_body() {
    let mut relay = relay();
    let path = "/helpwave/api/v1/tickets/987654321012345678/comments";
    let comments = answered(200, "comments");
    let forged = capability_for(Provider::HelpWave, "111");
    let run = drive(&mut relay, head("GET", path, &[("x-ticketwire-capability", &forged)]), &host("", comments));
    assert_eq!(run.steps, ["verify", "answer"]);
    assert_eq!((run.answer.status, error_code(&run.answer).as_str()), (403, "CAPABILITY_REQUIRED"));
    assert!(run.sent.is_empty());

    let own = capability_for(Provider::HelpWave, "987654321012345678");
    let run = drive(&mut relay, head("GET", path, &[("x-ticketwire-capability", &own)]), &host("", comments));
    assert_eq!(run.steps, ["verify", "send", "answer"]);
    assert_eq!(run.sent[0].url, "https://helpwave.upstream.example/api/v1/tickets/987654321012345678/comments");
    assert_eq!(run.sent[0].header("x-api-key"), Some(KEY));
    assert_eq!((run.answer.status, run.answer.body.as_str()), (200, r#"{"comments":[]}"#));
}

#[test]
fn a_call_that_takes_an_idempotency_key_gets_the_visitors_or_a_fresh_one() {
    let mut relay = relay();
    let body = r#"{"ticket_number":482113,"content":"hi"}"#;
    let capability = capability_for(Provider::Tickiti, "482113");
    let path = "/tickiti/api/v1/tickets/respond";
    let given = [("x-ticketwire-capability", capability.as_str()), ("idempotency-key", "visitor-key")];
    let run = drive(&mut relay, head("POST", path, &given), &host(body, answered(201, "tickiti")));
    assert_eq!(run.steps, ["read body", "verify", "send", "answer"]);
    assert_eq!(run.sent[0].header("idempotency-key"), Some("visitor-key"));

    let capability_only = [("x-ticketwire-capability", capability.as_str())];
    let run = drive(&mut relay, head("POST", path, &capability_only), &host(body, answered(201, "tickiti")));
    assert_eq!(run.steps, ["read body", "verify", "fresh key", "send", "answer"]);
    assert_eq!(run.sent[0].header("idempotency-key"), Some("key-from-host"));

    let no_randomness = Host { fresh_key: None, ..host(body, answered(201, "tickiti")) };
    let run = drive(&mut relay, head("POST", path, &capability_only), &no_randomness);
    assert_eq!(run.steps, ["read body", "verify", "fresh key", "answer"]);
    assert!(run.sent.is_empty());
    assert_eq!(
        (run.answer.status, run.answer.body.as_str()),
        (500, r#"{"error":"RELAY_ERROR","message":"this host has no crypto to make an Idempotency-Key"}"#)
    );
}

#[test]
fn the_providers_own_answer_is_passed_on_unless_its_body_was_not_read() {
    let mut relay = relay();
    let body = r#"{"customer":{"email":"a@b.example"}}"#;
    let limited: fn(&PreparedRequest) -> Sent = |_| {
        let last = Response { retry_after: Some("7".into()), ..Response::new(429, r#"{"error":"TOO_MANY"}"#) };
        let failure = Failure { status: Some(429), ..Failure::new(ErrorKind::RateLimited, &mava::CREATE_TICKET, "") };
        Sent { end: Err(failure), attempts: 3, last: Some(last) }
    };
    let run = drive(&mut relay, head("POST", "/mava/api/ticket", &[]), &host(body, limited));
    assert_eq!(run.steps, ["read body", "send", "answer"], "no capability for an answer that is not a success");
    assert_eq!((run.answer.status, run.answer.body.as_str()), (429, r#"{"error":"TOO_MANY"}"#));
    assert_eq!(run.answer.header("retry-after"), Some("7"));

    let too_large: fn(&PreparedRequest) -> Sent = |_| {
        let failure = Failure {
            status: Some(200),
            code: Some(RESPONSE_TOO_LARGE.to_owned()),
            ..Failure::new(ErrorKind::Api, &mava::CREATE_TICKET, "over the limit")
        };
        Sent { end: Err(failure), attempts: 1, last: Some(Response::new(200, "{\"ticket\":")) }
    };
    let run = drive(&mut relay, head("POST", "/mava/api/ticket", &[]), &host(body, too_large));
    assert_eq!((run.answer.status, error_code(&run.answer).as_str()), (502, "UPSTREAM_RESPONSE_TOO_LARGE"));
}

#[test]
fn a_host_failure_or_an_event_out_of_order_ends_in_the_relays_own_error_never_a_panic() {
    let mut relay = relay();
    let mut exchange = relay.start(head("POST", "/helpwave/api/v1/tickets", &[]), NOW);
    assert!(matches!(exchange.poll(), Step::ReadBody { max_bytes: DEFAULT_MAX_BODY_BYTES }));
    exchange.handle(&mut relay, Event::Signed(None), NOW);
    let Step::Answer(answer) = exchange.poll() else { panic!("still going") };
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (500, r#"{"error":"RELAY_ERROR","message":"the relay's host did a step out of order"}"#)
    );
    assert_eq!(answer.header("access-control-allow-origin"), Some(ORIGIN));
    exchange.handle(&mut relay, Event::Verified(true), NOW); // after the answer: nothing changes
    assert!(matches!(exchange.poll(), Step::Answer(same) if same == answer));

    let mut exchange = relay.start(head("POST", "/helpwave/api/v1/tickets", &[]), NOW);
    exchange.handle(&mut relay, Event::HostFailed("the body stream threw".to_owned()), NOW);
    let Step::Answer(answer) = exchange.poll() else { panic!("still going") };
    assert_eq!(answer.body, r#"{"error":"RELAY_ERROR","message":"the body stream threw"}"#);
}

#[test]
fn what_goes_upstream_is_prepared_as_the_client_prepares_it() {
    let mut relay = relay();
    let body = r#"{"customerId":"42","Channel":"Website"}"#;
    let expiry = (NOW / 1000.0) as u64 + 60;
    let signed =
        capability_message(Holds::Customer, Provider::HelpWave, &fingerprint(Provider::HelpWave), "42", expiry);
    let customer = format_capability(expiry, &mac(CAPABILITY_SECRET, &signed));
    let with_customer = head("POST", "/helpwave/api/v1/tickets", &[("x-ticketwire-capability", &customer)]);
    let run = drive(&mut relay, with_customer, &host(body, answered(201, "mava")));
    assert_eq!(run.steps, ["read body", "verify", "send", "answer"], "the customer's capability verified");
    let config = Config::new("https://helpwave.upstream.example", Some(ApiKey::new(KEY)));
    let input = Value::from_json(body).unwrap();
    let expected = helpwave::CREATE_TICKET.prepare(&input, &config, &CallContext::default()).unwrap();
    assert_eq!(run.sent, [expected]);
    let _ = tickiti::CREATE_TICKET; // the table above enables it; its own tests cover it
}

#[test]
fn a_redirect_upstream_is_never_passed_on_and_mints_nothing() {
    let mut relay = relay();
    let body = r#"{"customer":{"email":"a@b.example"}}"#;
    // What the provider's client hands back for a 3xx (the host fetches with `redirect:
    // "manual"`): the redirect read by the core, whatever ticket its body names.
    let redirected: fn(&PreparedRequest) -> Sent = |_| {
        let last = Response {
            content_type: Some("application/json".into()),
            ..Response::new(307, r#"{"ticket":{"_id":"6650f1a2b3c4d5e6f7a8b9c0"}}"#)
        };
        let end = crate::response::read_response(&mava::CREATE_TICKET, &last, 0).map(|_| unreachable!());
        Sent { end, attempts: 1, last: Some(last) }
    };
    let run = drive(&mut relay, head("POST", "/mava/api/ticket", &[]), &host(body, redirected));
    assert_eq!(run.steps, ["read body", "send", "answer"], "nothing signed");
    assert_eq!(run.sent.len(), 1);
    assert_eq!(run.sent[0].url, "https://mava.upstream.example/api/ticket");
    assert_eq!((run.answer.status, run.answer.header("x-ticketwire-capability")), (502, None), "{}", run.answer.body);
    assert_eq!(error_code(&run.answer), "UNEXPECTED_REDIRECT");
    assert!(!run.answer.body.contains("6650f1a2b3c4d5e6f7a8b9c0"), "{}", run.answer.body);

    // A browser's opaque redirect (no status) ends the same way.
    let opaque: fn(&PreparedRequest) -> Sent = |_| {
        let last = Response::new(crate::response::OPAQUE_REDIRECT, "");
        let end = crate::response::read_response(&mava::CREATE_TICKET, &last, 0).map(|_| unreachable!());
        Sent { end, attempts: 1, last: Some(last) }
    };
    let run = drive(&mut relay, head("POST", "/mava/api/ticket", &[]), &host(body, opaque));
    assert_eq!(run.steps, ["read body", "send", "answer"]);
    assert_eq!((run.answer.status, error_code(&run.answer).as_str()), (502, "UNEXPECTED_REDIRECT"));
}

#[test]
fn with_a_shared_limiter_a_visitor_is_counted_there_once_for_every_isolate() {
    // Two isolates of one relay, 2 requests per minute per visitor, one limiter object.
    let limit = RateLimit { requests: 2, window_ms: 60_000 };
    let mut isolates = [relay_with(limit, true), relay_with(limit, true)];
    let object = Rc::new(RefCell::new(LimiterObject::new()));
    let body = r#"{"customer":{"email":"a@b.example"}}"#;
    let shared = Host { counter: Some(object.clone()), ..host(body, answered(201, "mava")) };
    // Two addresses of one /64: one visitor.
    let visitors = ["2001:db8:1:2::1", "2001:db8:1:2:ffff::2", "[2001:db8:1:2::3]"];
    let mut runs = Vec::new();
    for (i, visitor) in visitors.into_iter().enumerate() {
        runs.push(drive(&mut isolates[i % 2], head_from(visitor, "POST", "/mava/api/ticket", &[]), &shared));
    }
    for run in &runs[..2] {
        assert_eq!(run.steps, ["count visitor", "read body", "send", "sign", "answer"]);
        assert_eq!(run.answer.status, 201);
    }
    assert_eq!(runs[2].steps, ["count visitor", "answer"], "refused before its body is read");
    assert!(runs[2].sent.is_empty());
    let hash = &runs[0].counted[0];
    assert!(hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()), "a hash, never the address: {hash}");
    assert!(runs.iter().all(|run| run.counted == [hash.clone()]), "one visitor for every address of its /64");
    assert_eq!(hash, &isolates[1].visitor_hash("2001:db8:1:2::9"));
    assert_ne!(hash, &isolates[0].visitor_hash("2001:db8:1:3::1"));
    assert_ne!(isolates[0].visitor_hash("203.0.113.7"), isolates[0].visitor_hash("203.0.113.8"));

    // The refusal is the one the isolate's own table writes, byte for byte.
    let mut local = relay_with(limit, false);
    let mut refused = None;
    for visitor in visitors {
        let run =
            drive(&mut local, head_from(visitor, "POST", "/mava/api/ticket", &[]), &host(body, answered(201, "mava")));
        assert_eq!(run.counted, Vec::<String>::new(), "without a shared limiter, nothing is counted there");
        refused = Some(run);
    }
    let refused = refused.unwrap();
    assert_eq!(refused.steps, ["answer"]);
    assert_eq!(runs[2].answer, refused.answer);
    assert_eq!(runs[2].answer.status, 429);
    assert_eq!(error_code(&runs[2].answer), "RATE_LIMITED");
    assert_eq!(runs[2].answer.header("retry-after"), Some("61"), "the window (and 15 ms), in whole seconds");
    assert_eq!(runs[2].answer.header("access-control-allow-origin"), Some(ORIGIN));

    // Another visitor has its own count; a GET is counted before anything else is done.
    let other = drive(&mut isolates[0], head_from("203.0.113.9", "POST", "/mava/api/ticket", &[]), &shared);
    assert_eq!(other.answer.status, 201);
    let path = "/helpwave/api/v1/tickets/987654321012345678/comments";
    let own = capability_for(Provider::HelpWave, "987654321012345678");
    let get = head_from("203.0.113.9", "GET", path, &[("x-ticketwire-capability", &own)]);
    let run = drive(&mut isolates[1], get, &Host { counter: Some(object), ..host("", answered(200, "comments")) });
    assert_eq!(run.steps, ["count visitor", "verify", "send", "answer"]);
}

#[test]
fn when_the_shared_limiter_fails_the_isolates_own_table_counts_the_visitor() {
    let limit = RateLimit { requests: 2, window_ms: 60_000 };
    let mut relay = relay_with(limit, true);
    let body = r#"{"customer":{"email":"a@b.example"}}"#;
    let failing = host(body, answered(201, "mava")); // no counter: every count fails
    for _ in 0..2 {
        let run = drive(&mut relay, head("POST", "/mava/api/ticket", &[]), &failing);
        assert_eq!(run.steps, ["count visitor", "read body", "send", "sign", "answer"]);
    }
    let run = drive(&mut relay, head("POST", "/mava/api/ticket", &[]), &failing);
    assert_eq!(run.steps, ["count visitor", "answer"]);
    assert!(run.sent.is_empty());
    assert_eq!((run.answer.status, error_code(&run.answer).as_str()), (429, "RATE_LIMITED"));
    assert_eq!(run.answer.header("retry-after"), Some("61"));

    // A count the shared limiter refuses is answered with its wait, whatever the table holds.
    let mut relay = relay_with(limit, true);
    let mut exchange = relay.start(head("POST", "/mava/api/ticket", &[]), NOW);
    assert!(matches!(exchange.poll(), Step::CountVisitor { limit: l, .. } if l == limit));
    exchange.handle(&mut relay, Event::VisitorCounted(Err(1_001)), NOW);
    let Step::Answer(answer) = exchange.poll() else { panic!("still going") };
    assert_eq!((answer.status, answer.header("retry-after")), (429, Some("2")));
    // An event out of order at this step ends in the relay's own error.
    let mut exchange = relay.start(head("POST", "/mava/api/ticket", &[]), NOW);
    exchange.handle(&mut relay, Event::Verified(true), NOW);
    let Step::Answer(answer) = exchange.poll() else { panic!("still going") };
    assert_eq!((answer.status, error_code(&answer).as_str()), (500, "RELAY_ERROR"));
}
