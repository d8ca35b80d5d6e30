//! Every §7.2 rule and refusal on a simulated host and clock: Mava's webhooks posted to the
//! relay (their Web Crypto scripted: the real cryptography runs in
//! `tests/node/conversations.test.mjs`), visitors reading a thread with its capability, the long
//! poll, and HelpWave's pull throttle, with many exchanges in flight at once, as a host runs them.

use super::*;
use crate::call::Sent;
use crate::relay::capability::{capability_message, format_capability, upstream_fingerprint, Holds};
use crate::relay::exchange::{BodyProblem, Event, Exchange, Head, Step, StoreOrder};
use crate::relay::{Answer, Relay, RelayPolicy, Secrets, ThreadStore, Upstream, DEFAULT_MAX_BODY_BYTES};
use crate::request::{ApiKey, Config};
use crate::response::Response;
use crate::webhook::encoding::to_base64;
use crate::webhook::mava::{self as webhook, hmac_key, parse_envelope, SIGNING_KEY_PREFIX};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::rc::Rc;

const ORIGIN: &str = "https://shop.example";
const KEY: &str = "sk_relay_key_1234";
const CAPABILITY_SECRET: &str = "capability-secret";
const T0: Millis = 1_800_000_000_000.0;
const TICKET: &str = "665f1c2b9d3e4a0012345678";
const OTHER_TICKET: &str = "665f1c2b9d3e4a0012345679";
/// A PKCS#8 RSA private key (512 bits: only its shape matters here).
const RSA_PKCS8: &str = "MIIBVAIBADANBgkqhkiG9w0BAQEFAASCAT4wggE6AgEAAkEAt+qjm+yf/KMLaodDzfdA6vrjO6o2nZQoEaA/NkGhrVATpKtust06kHKfFENEe+vSYWXIHAPPTHXZwy12UcwhsQIDAQABAkBKi+ztEqh2eo/yCgnNvl6t4Cuiz4d7r8Xd/xogH9IssQyadZwaHSnKWXE0VL30ABIPKhga7wJZtmXPrzfDq5yRAiEA27mlGIaX0DVxTPYr0Fe8UZXfeKRBcNZdketx7Rsyap8CIQDWR5jB4T5mizyS8Fq8uIn01UairxWywn2XJ7/IGLFhrwIgJAt1UOurdeV+e7CaiWgLJZsfeMwBTEBuQyTLoKjogWMCIFSt6J090TYe8iozV/haiRI7MnXZ8R46o/0XFUATGg47AiEA2GMSiimgbBX5ILmmFeYyleNamGWUo9vgrqJrxUIYiLI=";
const IV_HEX: &str = "00112233445566778899aabbccddeeff";

/// A stand-in for HMAC-SHA256: 32 bytes that depend on the key and every byte signed.
fn mac(key: &[u8], message: &str) -> Vec<u8> {
    (0..4u8)
        .flat_map(|round| {
            let mut hasher = DefaultHasher::new();
            (round, key, message).hash(&mut hasher);
            hasher.finish().to_le_bytes()
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The scripted Web Crypto: the "RSA" key is `sealed:` + the AES key, "AES" is the identity
/// (the plaintext padded with spaces to whole blocks), the HMAC is [`mac`].
fn crypto(step: webhook::Step) -> webhook::Event {
    match step {
        webhook::Step::ImportKey { .. } => webhook::Event::KeyImported(true),
        webhook::Step::DecryptKey { encrypted_key } => {
            webhook::Event::KeyDecrypted(encrypted_key.strip_prefix(b"sealed:".as_slice()).map(<[u8]>::to_vec))
        }
        webhook::Step::Verify { key, message, mac: given } => webhook::Event::Verified(given == mac(key, message)),
        webhook::Step::Decrypt { ciphertext, .. } => webhook::Event::Decrypted(Some(ciphertext.to_vec())),
        webhook::Step::Done(_) => panic!("a verification that is over has no step"),
    }
}

/// An envelope as Mava sends it, of `plaintext`, under a fresh `aes` key.
fn seal_text(plaintext: &str, webhook_id: &str, aes: u8) -> (String, String) {
    let mut padded = plaintext.as_bytes().to_vec();
    padded.resize(padded.len().div_ceil(16) * 16, b' ');
    let payload = to_base64(&padded);
    let signature = hex(&mac(&hmac_key(&[aes; 32]), &payload));
    let key = format!("{IV_HEX}:{}", to_base64(&[b"sealed:".as_slice(), &[aes; 32]].concat()));
    let body =
        format!(r#"{{"signature":"{signature}","payload":"{payload}","key":"{key}","webhookId":"{webhook_id}"}}"#);
    (body, signature)
}

fn seal(event: &str, webhook_id: &str) -> String {
    seal_text(event, webhook_id, webhook_id.len() as u8).0
}

/// A `message.created` event of `ticket` (an object with its `_id`).
fn message_event(id: &str, ticket: &str, message_type: &str, from_customer: bool, content: &str) -> String {
    format!(
        r#"{{"type":"message.created","document":{{"_id":"{id}","messageType":"{message_type}","fromCustomer":{from_customer},"content":"{content}","createdAt":"2027-01-15T08:00:00.000Z","ticket":{{"_id":"{ticket}","status":"Open"}},"attachments":[{{"url":"https://cdn.example/a.png","fileName":"a.png","type":"image/png"}},{{"url":"javascript:alert(1)","fileName":"x","type":"text/html"}}]}}}}"#
    )
}

fn reply(id: &str, content: &str) -> String {
    message_event(id, TICKET, "ExternalMessage", false, content)
}

fn upstream(provider: Provider) -> Upstream {
    let config = Config::new(&format!("https://{}.upstream.example", provider.id()), Some(ApiKey::new(KEY)));
    let names = vec!["createTicket".to_owned()];
    Upstream::new(provider, config, Some(&names), Secrets { capability: true, identity: false }).unwrap()
}

fn policy(capabilities: bool, signing_key: bool) -> RelayPolicy {
    RelayPolicy {
        upstreams: vec![upstream(Provider::Mava), upstream(Provider::HelpWave), upstream(Provider::Tickiti)],
        allowed_origins: vec![ORIGIN.to_owned()],
        capabilities,
        identity_check: false,
        max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        visitor_limit: Some(crate::rate_limit::RateLimit { requests: 1000, window_ms: 60_000 }),
        shared_visitors: false,
        base_path: String::new(),
        mava_webhook_key: signing_key.then(|| ApiKey::new(format!("{SIGNING_KEY_PREFIX}{RSA_PKCS8}"))),
    }
}

fn capability(provider: Provider, ticket: &str, expiry: u64) -> String {
    let fingerprint = upstream_fingerprint(&format!("https://{}.upstream.example", provider.id()), KEY);
    let message = capability_message(Holds::Ticket, provider, &fingerprint, ticket, expiry);
    format_capability(expiry, &mac(CAPABILITY_SECRET.as_bytes(), &message))
}

fn valid(provider: Provider, ticket: &str) -> String {
    capability(provider, ticket, (T0 / 1000.0) as u64 + 3_600)
}

/// One request in flight, as the host holds it.
struct Request {
    exchange: Exchange,
    body: Result<String, BodyProblem>,
    waiting: Option<(String, Millis)>,
    steps: Vec<&'static str>,
    answer: Option<(Millis, Answer)>,
}

/// The simulated host: one relay, its clock, the upstream's comments, every request in flight.
struct World {
    relay: Relay,
    now: Millis,
    requests: Vec<Request>,
    /// HelpWave's comments of each ticket, as `listComments` answers them (`None`: it fails).
    comments: Rc<RefCell<Option<Vec<String>>>>,
    /// When each `listComments` went upstream, and its URL.
    pulls: Vec<(Millis, String)>,
    /// The `conversations` store, when the relay has one: one conversation object per thread,
    /// as the Durable Object runs it (`None` in a thread's place: that store call fails).
    objects: HashMap<String, object::ThreadObject>,
    /// Every order the store got, and every thread a socket was handed to.
    orders: Vec<StoreOrder>,
    connected: Vec<String>,
    store_fails: bool,
}

impl World {
    fn new(policy: RelayPolicy) -> World {
        World {
            relay: Relay::new(policy).with_epoch(T0 as u64),
            now: T0,
            requests: Vec::new(),
            comments: Rc::new(RefCell::new(Some(Vec::new()))),
            pulls: Vec::new(),
            objects: HashMap::new(),
            orders: Vec::new(),
            connected: Vec::new(),
            store_fails: false,
        }
    }

    /// A relay whose Mava threads live in a store that takes sockets (the conversation objects).
    fn with_store() -> World {
        let mut world = World::conversations();
        world.relay =
            Relay::new(policy(true, true)).with_epoch(T0 as u64).with_store(ThreadStore { sockets: true, pulls: true });
        world
    }

    /// What the store answers `order` (the object's own rules; its long poll is the host's).
    fn store(&mut self, order: StoreOrder) -> Result<String, String> {
        self.orders.push(order.clone());
        if self.store_fails {
            return Err("the object is unreachable".into());
        }
        let now = self.now;
        let (thread, order) = match order {
            StoreOrder::Append { thread, messages, keys } => (thread, Err((messages, keys))),
            StoreOrder::Read { thread, order } => (thread, Ok(order)),
            StoreOrder::Claim { thread } => {
                let object = self.objects.entry(thread).or_insert_with(|| object::ThreadObject::restore([], now).0);
                return Ok(match object.claim(now) {
                    Ok(_) => r#"{"pull":true}"#.to_owned(),
                    Err(next_at) => format!(r#"{{"pull":false,"nextAt":{next_at}}}"#),
                });
            }
        };
        let object = self.objects.entry(thread).or_insert_with(|| object::ThreadObject::restore([], now).0);
        Ok(match order {
            Err((messages, keys)) => {
                let (new, cursor, _) = object.append(messages, &keys, now);
                format!(r#"{{"added":{},"cursor":"{cursor}"}}"#, new.len())
            }
            Ok(order) => {
                object.trust(&order.capability, order.expiry, now);
                object.read_body(order.after.as_deref())
            }
        })
    }

    fn conversations() -> World {
        World::new(policy(true, true))
    }

    /// A request arrives now; it runs until it answers or waits.
    fn arrive(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> usize {
        let all: Vec<(String, String)> = headers.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
        let head = Head::read(method.to_owned(), format!("https://relay.example{path}"), "203.0.113.7".into(), |n| {
            all.iter().rev().find(|(k, _)| k == n).map(|(_, v)| v.clone())
        });
        let exchange = self.relay.start(head, self.now);
        let body = Ok(body.to_owned());
        self.requests.push(Request { exchange, body, waiting: None, steps: Vec::new(), answer: None });
        let at = self.requests.len() - 1;
        self.settle();
        at
    }

    fn webhook(&mut self, body: &str) -> Answer {
        let at = self.arrive("POST", "/mava/webhooks", &[("content-type", "application/json")], body);
        self.answer(at).clone()
    }

    /// A visitor reads `ticket`'s thread of `provider` with its capability.
    fn read(&mut self, provider: Provider, ticket: &str, query: &str) -> usize {
        let capability = capability(provider, ticket, (self.now / 1000.0) as u64 + 3_600);
        let path = format!("/{}/conversations/{ticket}{query}", provider.id());
        self.arrive("GET", &path, &[("origin", ORIGIN), ("x-ticketwire-capability", &capability)], "")
    }

    fn answer(&self, at: usize) -> &Answer {
        &self.requests[at].answer.as_ref().unwrap_or_else(|| panic!("request {at} has not answered")).1
    }

    fn answered_at(&self, at: usize) -> Option<Millis> {
        self.requests[at].answer.as_ref().map(|(t, _)| *t)
    }

    /// Runs every request that is not waiting until it answers or waits; wakes those waiting
    /// on a thread another woke, until none is left to run.
    fn settle(&mut self) {
        loop {
            let mut woken = Vec::new();
            for i in 0..self.requests.len() {
                if self.requests[i].answer.is_none() && self.requests[i].waiting.is_none() {
                    woken.extend(self.run(i));
                }
            }
            if woken.is_empty() {
                return;
            }
            for request in &mut self.requests {
                if request.waiting.as_ref().is_some_and(|(thread, _)| woken.contains(thread)) {
                    request.waiting = None;
                    request.exchange.handle(&mut self.relay, Event::Woke, self.now);
                }
            }
        }
    }

    /// Lets the clock run to `until`, waking each wait when its time comes.
    fn run_until(&mut self, until: Millis) {
        loop {
            let next = self.requests.iter().filter_map(|r| r.waiting.as_ref().map(|(_, at)| *at)).reduce(f64::min);
            match next {
                Some(at) if at <= until => {
                    self.now = self.now.max(at);
                    for request in &mut self.requests {
                        if request.waiting.as_ref().is_some_and(|(_, t)| *t <= self.now) {
                            request.waiting = None;
                            request.exchange.handle(&mut self.relay, Event::Woke, self.now);
                        }
                    }
                    self.settle();
                }
                _ => {
                    self.now = until;
                    return;
                }
            }
        }
    }

    /// Does request `i`'s steps until it answers or waits: the threads it woke.
    fn run(&mut self, i: usize) -> Vec<String> {
        let mut woken = Vec::new();
        for _ in 0..50 {
            let request = &mut self.requests[i];
            let event = match request.exchange.poll() {
                Step::Answer(answer) => {
                    request.steps.push("answer");
                    request.answer = Some((self.now, answer));
                    return woken;
                }
                Step::Wait { thread, until } => {
                    request.steps.push("wait");
                    assert!(until > self.now, "a wait that never waits: {until} at {}", self.now);
                    request.waiting = Some((thread, until));
                    return woken;
                }
                Step::Wake { thread } => {
                    request.steps.push("wake");
                    woken.push(thread);
                    Event::Woken
                }
                Step::ReadBody { .. } => {
                    request.steps.push("read body");
                    Event::Body(request.body.clone())
                }
                Step::Webhook => {
                    request.steps.push("webhook");
                    Event::Webhook(crypto(request.exchange.webhook_step().expect("a webhook step")))
                }
                Step::Verify { message, mac: given, .. } => {
                    request.steps.push("verify");
                    Event::Verified(given == mac(CAPABILITY_SECRET.as_bytes(), &message))
                }
                Step::Send { op, request: sent, .. } => {
                    request.steps.push("send");
                    assert_eq!((op.name, sent.header("x-api-key")), ("listComments", Some(KEY)));
                    self.pulls.push((self.now, sent.url.clone()));
                    let comments = self.comments.borrow().clone();
                    let end = match comments {
                        Some(comments) => {
                            let body = format!(r#"{{"success":true,"comments":[{}]}}"#, comments.join(","));
                            Sent { end: Ok(body.clone()), attempts: 1, last: Some(Response::new(200, &body)) }
                        }
                        None => {
                            let failure = crate::error::Failure {
                                status: Some(404),
                                ..crate::error::Failure::new(crate::error::ErrorKind::Api, &LIST_PULL, "not found")
                            };
                            let last = Response::new(404, r#"{"error":"Ticket not found"}"#);
                            Sent { end: Err(failure), attempts: 1, last: Some(last) }
                        }
                    };
                    Event::Upstream(Box::new(end))
                }
                Step::Store(order) => {
                    request.steps.push("store");
                    Event::Stored(self.store(order))
                }
                Step::Connect { thread } => {
                    request.steps.push("connect");
                    self.connected.push(thread);
                    let answer = Answer { status: 101, headers: Vec::new(), body: String::new() };
                    self.requests[i].answer = Some((self.now, answer));
                    return woken;
                }
                Step::CountVisitor { .. } => Event::VisitorNotCounted,
                Step::FreshKey => Event::FreshKey(None),
                Step::Sign { .. } => Event::Signed(None),
            };
            self.requests[i].exchange.handle(&mut self.relay, event, self.now);
        }
        panic!("request {i} never answered nor waited: {:?}", self.requests[i].steps);
    }
}

const LIST_PULL: Operation = crate::helpwave::LIST_COMMENTS;

/// The first message of a conversation's answer.
fn first_message(answer: &Answer) -> Value {
    let body = json(answer);
    let Some(Value::Array(messages)) = body.as_object().unwrap().get("messages") else { panic!("{}", answer.body) };
    messages[0].clone()
}

fn json(answer: &Answer) -> Value {
    Value::from_json(&answer.body).unwrap_or_else(|_| panic!("not JSON: {}", answer.body))
}

fn error_code(answer: &Answer) -> String {
    json(answer).as_object().unwrap().get("error").and_then(Value::as_str).unwrap().to_owned()
}

/// The ids and the cursor of a conversation's answer.
fn thread(answer: &Answer) -> (Vec<String>, String) {
    assert_eq!(answer.status, 200, "{}", answer.body);
    let body = json(answer);
    let body = body.as_object().unwrap();
    let Some(Value::Array(messages)) = body.get("messages") else { panic!("no messages: {}", answer.body) };
    let ids = messages.iter().map(|m| m.as_object().unwrap().get("id").unwrap().as_str().unwrap().to_owned());
    (ids.collect(), body.get("cursor").unwrap().as_str().unwrap().to_owned())
}

#[test]
fn a_verified_agent_reply_is_stored_once_and_read_with_the_tickets_capability() {
    let mut world = World::conversations();
    let webhook = world.arrive(
        "POST",
        "/mava/webhooks",
        &[("content-type", "application/json")],
        &seal(&reply("m1", "Hello Jane"), "wh_1"),
    );
    assert_eq!(
        world.requests[webhook].steps,
        ["read body", "webhook", "webhook", "webhook", "webhook", "wake", "answer"]
    );
    let ok = world.answer(webhook);
    assert_eq!((ok.status, ok.body.as_str()), (200, r#"{"ok":true}"#));
    assert_eq!(ok.headers, [("content-type".to_owned(), "application/json".to_owned())], "no CORS: server to server");

    let read = world.read(Provider::Mava, TICKET, "");
    assert_eq!(world.requests[read].steps, ["verify", "answer"]);
    let answer = world.answer(read);
    assert_eq!(answer.header("access-control-allow-origin"), Some(ORIGIN));
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    let cursor = format!("{}-1", base36(T0 as u64));
    assert_eq!(
        answer.body,
        format!(
            r#"{{"messages":[{{"id":"m1","from":"agent","text":"Hello Jane","attachments":[{{"url":"https://cdn.example/a.png","fileName":"a.png","fileType":"image/png"}}],"at":"2027-01-15T08:00:00.000Z"}}],"cursor":"{cursor}"}}"#
        ),
        "a javascript: attachment is never passed on"
    );
    // After its cursor: nothing new, the same cursor.
    let again = world.read(Provider::Mava, TICKET, &format!("?after={cursor}"));
    assert_eq!(thread(world.answer(again)), (vec![], cursor));
    // Another ticket's thread is its own.
    let other = world.read(Provider::Mava, OTHER_TICKET, "");
    assert_eq!(thread(world.answer(other)).0, Vec::<String>::new());
}

#[test]
fn a_delivery_retried_or_replayed_under_another_webhook_id_shows_once() {
    let mut world = World::conversations();
    let (body, _) = seal_text(&reply("m1", "Hello"), "wh_1", 1);
    for _ in 0..3 {
        assert_eq!(world.webhook(&body).status, 200, "Mava's retries, same webhookId");
    }
    // Captured and replayed under a fresh webhookId: the signature is the same.
    let replayed = body.replace("\"wh_1\"", "\"wh_replayed\"");
    assert_eq!(world.webhook(&replayed).status, 200);
    assert_eq!(world.requests.last().unwrap().steps.iter().filter(|s| **s == "wake").count(), 0);
    // The same message in another delivery (another key, another signature): one message.
    assert_eq!(world.webhook(&seal_text(&reply("m1", "Hello"), "wh_2", 2).0).status, 200);
    let read = world.read(Provider::Mava, TICKET, "");
    assert_eq!(thread(world.answer(read)).0, ["m1"]);
    // 24 h later the ids are forgotten (the thread still holds each message once).
    world.now += SEEN_WINDOW_MS;
    assert_eq!(world.webhook(&body).status, 200);
    assert_eq!(world.requests.last().unwrap().steps.last(), Some(&"answer"));
    let read = world.read(Provider::Mava, TICKET, "");
    assert_eq!(thread(world.answer(read)).0, ["m1"]);
}

#[test]
fn an_internal_note_or_any_message_not_known_to_be_public_is_acknowledged_and_never_shown() {
    let mut world = World::conversations();
    let events = [
        message_event("n1", TICKET, "InternalNote", false, "the customer is difficult"),
        message_event("n2", TICKET, "SystemMessage", false, "assigned"),
        r#"{"type":"message.created","document":{"_id":"n3","fromCustomer":false,"content":"no type","ticket":"665f1c2b9d3e4a0012345678"}}"#.to_owned(),
        r#"{"type":"message.updated","document":{"_id":"n4","messageType":"ExternalMessage","fromCustomer":false,"content":"edited","ticket":"665f1c2b9d3e4a0012345678"}}"#.to_owned(),
        r#"{"type":"ticket.created","document":{"_id":"665f1c2b9d3e4a0012345678","status":"Open"}}"#.to_owned(),
        r#"{"type":"message.created","document":{"_id":"n5","messageType":"ExternalMessage","content":"no ticket"}}"#.to_owned(),
    ];
    for (i, event) in events.iter().enumerate() {
        let answer = world.webhook(&seal(event, &format!("wh_note_{i}")));
        assert_eq!((answer.status, answer.body.as_str()), (200, r#"{"ok":true}"#), "{event}");
    }
    let read = world.read(Provider::Mava, TICKET, "");
    assert_eq!(thread(world.answer(read)).0, Vec::<String>::new());
    // A customer's own message, its ticket named by an id string, is shown as the customer's.
    let own = r#"{"type":"message.created","document":{"_id":"c1","messageType":"ExternalMessage","fromCustomer":true,"content":"thanks","ticket":"665f1c2b9d3e4a0012345678"}}"#;
    world.webhook(&seal(own, "wh_own"));
    let read = world.read(Provider::Mava, TICKET, "");
    let message = first_message(world.answer(read));
    assert_eq!(message.as_object().unwrap().get("from").and_then(Value::as_str), Some("customer"));
    assert_eq!(message.as_object().unwrap().get("attachments"), Some(&Value::Array(vec![])));
}

#[test]
fn a_refused_webhook_stores_nothing_and_says_why_without_a_key() {
    let mut world = World::conversations();
    let (body, signature) = seal_text(&reply("m1", "Hello"), "wh_1", 1);
    let flipped = if signature.starts_with('0') { "1" } else { "0" };
    let tampered_signature = body.replace(&signature, &format!("{flipped}{}", &signature[1..]));
    let payload_at = body.find("\"payload\":\"").unwrap() + 11;
    let mut tampered_payload = body.clone();
    tampered_payload
        .replace_range(payload_at..payload_at + 1, if &body[payload_at..=payload_at] == "A" { "B" } else { "A" });
    let cases = [
        (tampered_signature.as_str(), 401, "WEBHOOK_SIGNATURE_INVALID"),
        (tampered_payload.as_str(), 401, "WEBHOOK_SIGNATURE_INVALID"),
        ("not json", 400, "WEBHOOK_MALFORMED"),
        (r#"{"signature":"00","payload":"x","key":"y","webhookId":"wh_1"}"#, 400, "WEBHOOK_MALFORMED"),
        (&seal_text("not the event", "wh_1", 1).0, 400, "WEBHOOK_PAYLOAD_INVALID"),
    ];
    for (body, status, code) in cases {
        let answer = world.webhook(body);
        assert_eq!((answer.status, error_code(&answer).as_str()), (status, code), "{body}");
        assert_eq!(answer.header("access-control-allow-origin"), None);
        assert!(!answer.body.contains(RSA_PKCS8) && !answer.body.contains(&to_base64(&[1; 32])), "{}", answer.body);
    }
    let read = world.read(Provider::Mava, TICKET, "");
    assert_eq!(thread(world.answer(read)).0, Vec::<String>::new());
    // A refused delivery is not remembered: the genuine one with its webhookId is stored.
    assert_eq!(world.webhook(&body).status, 200);
    let read = world.read(Provider::Mava, TICKET, "");
    assert_eq!(thread(world.answer(read)).0, ["m1"]);
}

#[test]
fn the_webhook_route_is_server_to_server_and_bounded() {
    let mut world = World::conversations();
    let body = seal(&reply("m1", "Hello"), "wh_1");
    // No Origin, yet answered; a visitor's Origin changes nothing.
    assert_eq!(world.webhook(&body).status, 200);
    let with_origin = [("origin", "https://evil.example"), ("content-type", "application/json")];
    let at = world.arrive("POST", "/mava/webhooks", &with_origin, &seal(&reply("m2", "x"), "wh_2"));
    assert_eq!((world.answer(at).status, world.answer(at).header("access-control-allow-origin")), (200, None));
    let refusals = [
        ("GET", vec![], 404, "NOT_FOUND"),
        ("OPTIONS", vec![("origin", ORIGIN), ("access-control-request-method", "POST")], 404, "NOT_FOUND"),
        ("POST", vec![("content-type", "text/plain")], 415, "UNSUPPORTED_MEDIA_TYPE"),
        ("POST", vec![("content-type", "application/json"), ("content-length", "1048577")], 413, "BODY_TOO_LARGE"),
    ];
    for (method, headers, status, code) in refusals {
        let at = world.arrive(method, "/mava/webhooks", &headers, &body);
        assert_eq!(world.requests[at].steps, ["answer"], "{method} {headers:?}: nothing read");
        assert_eq!((world.answer(at).status, error_code(world.answer(at)).as_str()), (status, code));
    }
    // A body longer than 1 MiB whatever its length said.
    let at = world.arrive("POST", "/mava/webhooks", &[("content-type", "application/json")], "");
    assert!(world.requests[at].answer.is_some());
    let head = Head::read("POST".into(), "https://relay.example/mava/webhooks".into(), String::new(), |n| {
        (n == "content-type").then(|| "application/json".to_owned())
    });
    let mut exchange = world.relay.start(head, T0);
    assert!(matches!(exchange.poll(), Step::ReadBody { max_bytes: MAX_WEBHOOK_BYTES }));
    exchange.handle(&mut world.relay, Event::Body(Err(BodyProblem::TooLarge)), T0);
    let Step::Answer(answer) = exchange.poll() else { panic!("still going") };
    assert_eq!((answer.status, error_code(&answer).as_str()), (413, "BODY_TOO_LARGE"));

    // Without a signing key there is no webhook route, nor a Mava conversation.
    let mut world = World::new(policy(true, false));
    assert_eq!((world.webhook(&body).status, error_code(&world.webhook(&body)).as_str()), (404, "NOT_FOUND"));
    let read = world.read(Provider::Mava, TICKET, "");
    assert_eq!(world.answer(read).status, 404);
    // Under a base path, only there.
    let mut world = World::new(RelayPolicy { base_path: "/support".into(), ..policy(true, true) });
    let at = world.arrive("POST", "/support/mava/webhooks", &[("content-type", "application/json")], &body);
    assert_eq!(world.answer(at).status, 200);
    assert_eq!(world.webhook(&body).status, 403, "no route at the root: refused as any visitor's request");
}

#[test]
fn a_thread_is_read_only_with_its_tickets_capability_from_an_allowed_origin() {
    let mut world = World::conversations();
    world.webhook(&seal(&reply("m1", "Hello"), "wh_1"));
    let path = format!("/mava/conversations/{TICKET}");
    let expired = capability(Provider::Mava, TICKET, (T0 / 1000.0) as u64);
    type Case<'a> = (Vec<(&'a str, String)>, u16, &'a str);
    let cases: [Case; 6] = [
        (vec![("origin", ORIGIN.to_owned())], 403, "CAPABILITY_REQUIRED"),
        (
            vec![("origin", ORIGIN.to_owned()), ("x-ticketwire-capability", valid(Provider::Mava, OTHER_TICKET))],
            403,
            "CAPABILITY_REQUIRED",
        ),
        (
            vec![("origin", ORIGIN.to_owned()), ("x-ticketwire-capability", valid(Provider::HelpWave, TICKET))],
            403,
            "CAPABILITY_REQUIRED",
        ),
        (vec![("origin", ORIGIN.to_owned()), ("x-ticketwire-capability", expired)], 403, "CAPABILITY_REQUIRED"),
        (
            vec![("origin", ORIGIN.to_owned()), ("x-ticketwire-capability", "tw1.9.forged".to_owned())],
            403,
            "CAPABILITY_REQUIRED",
        ),
        (vec![("x-ticketwire-capability", valid(Provider::Mava, TICKET))], 403, "ORIGIN_NOT_ALLOWED"),
    ];
    for (headers, status, code) in cases {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let at = world.arrive("GET", &path, &headers, "");
        let answer = world.answer(at);
        assert_eq!((answer.status, error_code(answer).as_str()), (status, code), "{headers:?}");
        assert!(!answer.body.contains("Hello"), "{}", answer.body);
    }
    // Tickiti has no conversation; a relay without a capabilitySecret serves none.
    let tickiti = world.arrive("GET", "/tickiti/conversations/482113", &[("origin", ORIGIN)], "");
    assert_eq!((world.answer(tickiti).status, error_code(world.answer(tickiti)).as_str()), (404, "NOT_FOUND"));
    let mut world = World::new(policy(false, true));
    for provider in [Provider::Mava, Provider::HelpWave] {
        let read = world.read(provider, if provider == Provider::Mava { TICKET } else { "12" }, "");
        assert_eq!(world.answer(read).status, 404);
    }
    // A preflight for the route answers as any route's.
    let mut world = World::conversations();
    let at = world.arrive("OPTIONS", &path, &[("origin", ORIGIN), ("access-control-request-method", "GET")], "");
    assert_eq!((world.answer(at).status, world.answer(at).header("access-control-allow-methods")), (204, Some("GET")));
}

#[test]
fn a_query_that_is_not_a_cursor_and_a_wait_of_0_to_25_is_refused() {
    let mut world = World::conversations();
    for query in [
        "?wait=26",
        "?wait=-1",
        "?wait=1.5",
        "?wait=",
        "?wait=007",
        "?after=abc",
        "?after=",
        "?after=x-1&after=x-2",
        "?after=ABC-1",
    ] {
        let read = world.read(Provider::Mava, TICKET, query);
        let answer = world.answer(read);
        assert_eq!((answer.status, error_code(answer).as_str()), (400, "INVALID_QUERY"), "{query}");
        assert_eq!(answer.header("access-control-allow-origin"), Some(ORIGIN));
    }
    let read = world.read(Provider::Mava, TICKET, "?wait=0&other=1#x");
    assert_eq!(world.answer(read).status, 200);
    let ticket = "not-an-object-id";
    let at = world.arrive(
        "GET",
        &format!("/mava/conversations/{ticket}"),
        &[("origin", ORIGIN), ("x-ticketwire-capability", &valid(Provider::Mava, ticket))],
        "",
    );
    assert_eq!(world.answer(at).status, 400, "the ticket id is checked as the provider's");
}

#[test]
fn a_cursor_gives_the_messages_after_it_oldest_first_and_one_of_another_process_gives_all() {
    let mut world = World::conversations();
    for (i, id) in ["m1", "m2", "m3"].iter().enumerate() {
        world.webhook(&seal(&reply(id, "text"), &format!("wh_{i}")));
    }
    let read = world.read(Provider::Mava, TICKET, "");
    let (ids, cursor) = thread(world.answer(read));
    assert_eq!(ids, ["m1", "m2", "m3"]);
    world.webhook(&seal(&reply("m4", "text"), "wh_4"));
    let read = world.read(Provider::Mava, TICKET, &format!("?after={cursor}"));
    let (ids, next) = thread(world.answer(read));
    assert_eq!(ids, ["m4"]);
    assert_eq!(next, format!("{}-4", base36(T0 as u64)));
    // A cursor from another epoch (the relay restarted and lost its memory), or past the end.
    for stale in ["zzz-2", &format!("{}-99", base36(T0 as u64))] {
        let read = world.read(Provider::Mava, TICKET, &format!("?after={stale}"));
        assert_eq!(
            thread(world.answer(read)),
            (vec!["m1".into(), "m2".into(), "m3".into(), "m4".into()], next.clone())
        );
    }
}

#[test]
fn a_long_poll_answers_when_a_message_arrives_or_when_its_time_is_up() {
    let mut world = World::conversations();
    let waiting = world.read(Provider::Mava, TICKET, "?wait=10");
    let other = world.read(Provider::Mava, OTHER_TICKET, "?wait=10");
    assert_eq!(world.requests[waiting].steps, ["verify", "wait"]);
    world.run_until(T0 + 3_000.0);
    assert_eq!(world.answered_at(waiting), None);
    world.webhook(&seal(&reply("m1", "Hello"), "wh_1"));
    assert_eq!(world.answered_at(waiting), Some(T0 + 3_000.0), "answered as the message is stored");
    assert_eq!(thread(world.answer(waiting)).0, ["m1"]);
    assert_eq!(world.answered_at(other), None, "another ticket's visitor is not answered");
    world.run_until(T0 + 20_000.0);
    assert_eq!(world.answered_at(other), Some(T0 + 10_000.0));
    assert_eq!(thread(world.answer(other)), (vec![], format!("{}-0", base36(T0 as u64))));
}

fn comment(id: u32, from_shop: Option<bool>, text: &str) -> String {
    let shop = from_shop.map_or(String::new(), |b| format!(r#","isFromShop":{b}"#));
    format!(r#"{{"id":{id},"ticketId":"12","text":"{text}","time":"2027-01-15T08:00:0{}.000Z"{shop}}}"#, id % 10)
}

#[test]
fn helpwave_is_pulled_at_most_once_per_5_s_per_ticket_however_many_visitors_wait() {
    let mut world = World::conversations();
    *world.comments.borrow_mut() = Some(vec![comment(1, Some(false), "my question")]);
    let first = world.read(Provider::HelpWave, "12", "");
    assert_eq!(world.requests[first].steps, ["verify", "send", "wake", "answer"]);
    let message = first_message(world.answer(first));
    assert_eq!(
        message.to_json(),
        r#"{"id":"1","from":"customer","text":"my question","attachments":[],"at":"2027-01-15T08:00:01.000Z"}"#
    );
    let (_, cursor) = thread(world.answer(first));

    // 50 visitors wait 25 s on the ticket; the shop answers at 7 s.
    let visitors: Vec<usize> =
        (0..50).map(|_| world.read(Provider::HelpWave, "12", &format!("?after={cursor}&wait=25"))).collect();
    world.run_until(T0 + 7_000.0);
    *world.comments.borrow_mut() = Some(vec![comment(1, Some(false), "my question"), comment(2, None, "our answer")]);
    world.run_until(T0 + 30_000.0);
    let times: Vec<Millis> = world.pulls.iter().map(|(t, _)| *t - T0).collect();
    assert_eq!(times, [0.0, 5_000.0, 10_000.0], "one pull per 5 s, and none once nobody waits");
    assert!(world.pulls.iter().all(|(_, url)| url == "https://helpwave.upstream.example/api/v1/tickets/12/comments"));
    for visitor in visitors {
        assert_eq!(world.answered_at(visitor), Some(T0 + 10_000.0));
        let (ids, _) = thread(world.answer(visitor));
        assert_eq!(ids, ["2"], "each once: HelpWave's default isFromShop is the shop");
        assert!(world.answer(visitor).body.contains(r#""from":"agent""#));
    }
    // Another ticket is pulled on its own.
    let other = world.read(Provider::HelpWave, "13", "");
    assert_eq!(world.requests[other].steps, ["verify", "send", "wake", "answer"]);
    // Within 5 s of the last pull a visitor is answered from the relay's copy.
    let again = world.read(Provider::HelpWave, "12", "");
    assert_eq!(world.requests[again].steps, ["verify", "answer"]);
    assert_eq!(thread(world.answer(again)).0, ["1", "2"]);
}

#[test]
fn a_failed_pull_is_answered_as_the_relay_answers_failures_and_does_not_block_the_next() {
    let mut world = World::conversations();
    *world.comments.borrow_mut() = None;
    let read = world.read(Provider::HelpWave, "12", "?wait=20");
    let answer = world.answer(read);
    assert_eq!((answer.status, answer.body.as_str()), (404, r#"{"error":"Ticket not found"}"#));
    assert_eq!(answer.header("access-control-allow-origin"), Some(ORIGIN));
    *world.comments.borrow_mut() = Some(vec![comment(1, Some(true), "hello")]);
    world.run_until(T0 + 5_000.0);
    let read = world.read(Provider::HelpWave, "12", "");
    assert_eq!(thread(world.answer(read)).0, ["1"]);
    assert_eq!(world.pulls.len(), 2);
    // A pull whose visitor went away (its exchange dropped) holds the others back only so long.
    let mut store = Conversations::new(1);
    store.pull_started("helpwave/12", 0.0);
    assert!(!store.pull_due("helpwave/12", 24_999.0));
    assert!(store.pull_due("helpwave/12", PULL_STALE_MS));
}

#[test]
fn the_store_is_bounded_and_its_cursor_still_counts_what_it_dropped() {
    let mut store = Conversations::new(35);
    let message = |id: usize| Message {
        id: format!("m{id}"),
        from: Author::Agent,
        text: "x".into(),
        attachments: vec![],
        at: "t".into(),
    };
    let messages: Vec<Message> = (0..MAX_MESSAGES_PER_THREAD + 10).map(message).collect();
    assert_eq!(store.append("mava/a", messages, 1.0), MAX_MESSAGES_PER_THREAD + 10);
    let (held, cursor) = store.after("mava/a", None);
    assert_eq!((held.len(), held[0].id.as_str(), cursor.as_str()), (MAX_MESSAGES_PER_THREAD, "m10", "z-510"));
    assert_eq!(store.append("mava/a", vec![message(3)], 2.0), 0, "a dropped message's id is still known");
    let after = parse_cursor("z-505").unwrap();
    assert_eq!(store.after("mava/a", Some(&after)).0.len(), 5);
    // Past the byte budget, the threads written least recently go first.
    let big = |id: &str| Message { text: "y".repeat(MAX_STORED_BYTES / 3), ..message(0) }.with_id(id);
    store.append("mava/b", vec![big("b")], 3.0);
    store.append("mava/c", vec![big("c")], 4.0);
    store.append("mava/d", vec![big("d")], 5.0);
    assert!(store.after("mava/a", None).0.is_empty(), "the oldest thread went first");
    assert_eq!(store.after("mava/d", None).0.len(), 1);
    // Seen ids last 24 h.
    store.remember(&["webhookId w".into()], 0.0);
    assert!(store.seen(&["webhookId w".into()], SEEN_WINDOW_MS - 1.0));
    assert!(!store.seen(&["webhookId w".into()], SEEN_WINDOW_MS));
}

impl Message {
    fn with_id(mut self, id: &str) -> Message {
        self.id = id.to_owned();
        self
    }
}

#[test]
fn the_cursor_and_the_query_are_read_exactly() {
    assert_eq!(base36(0), "0");
    assert_eq!(base36(T0 as u64), "mywpiww0");
    let query = read_query("https://r.example/mava/conversations/x?after=abc-12&wait=25").unwrap();
    assert_eq!((query.after, query.wait_ms), (Some(Cursor { epoch: "abc".into(), seen: 12 }), 25_000.0));
    assert_eq!(read_query("https://r.example/x").unwrap(), Query { after: None, wait_ms: 0.0 });
}

#[test]
fn with_a_store_a_public_message_is_handed_to_its_tickets_object_before_the_webhook_is_acknowledged() {
    let mut world = World::with_store();
    let envelope = seal(&reply("m1", "Hello Jane"), "wh_1");
    let webhook = world.arrive("POST", "/mava/webhooks", &[("content-type", "application/json")], &envelope);
    assert_eq!(
        world.requests[webhook].steps,
        ["read body", "webhook", "webhook", "webhook", "webhook", "store", "answer"]
    );
    assert_eq!(world.answer(webhook).body, r#"{"ok":true}"#);
    let StoreOrder::Append { thread, messages, keys } = &world.orders[0] else { panic!("{:?}", world.orders) };
    assert_eq!(thread, &format!("mava/{TICKET}"));
    assert_eq!(messages.iter().map(|m| (m.id.as_str(), m.text.as_str())).collect::<Vec<_>>(), [("m1", "Hello Jane")]);
    let signature = parse_envelope(envelope.as_bytes()).map(|e| e.signature).unwrap();
    assert_eq!(keys, &["webhookId wh_1".to_owned(), format!("signature {}", hex(&signature))]);
    // Nothing kept in the relay's memory: the object holds it.
    assert_eq!(world.relay.conversations().after(&format!("mava/{TICKET}"), None).0.len(), 0);

    // Retried by Mava: the object knows its keys and stores nothing.
    world.webhook(&envelope);
    assert_eq!(world.objects[&format!("mava/{TICKET}")].read(None).0.len(), 1);

    // An internal note is acknowledged and never handed on.
    let orders = world.orders.len();
    let note = world.webhook(&seal(&message_event("m2", TICKET, "InternalNote", false, "refund?"), "wh_2"));
    assert_eq!((note.status, world.orders.len()), (200, orders));

    // The store down: not acknowledged, so Mava delivers it again (nothing lost).
    world.store_fails = true;
    let lost = world.webhook(&seal(&reply("m3", "later"), "wh_3"));
    assert_eq!(lost.status, 500, "{}", lost.body);
}

#[test]
fn with_a_store_a_visitors_read_is_forwarded_with_the_verified_capability_and_offers_a_socket() {
    let mut world = World::with_store();
    world.webhook(&seal(&reply("m1", "Hello Jane"), "wh_1"));
    let read = world.read(Provider::Mava, TICKET, "?wait=25");
    assert_eq!(world.requests[read].steps, ["verify", "store", "answer"]);
    let answer = world.answer(read).clone();
    let (ids, cursor) = thread(&answer);
    assert_eq!(ids, ["m1"]);
    assert_eq!(answer.header("x-ticketwire-socket"), Some("offered"));
    assert_eq!(
        answer.header("access-control-expose-headers"),
        Some("retry-after, x-ticketwire-capability, x-ticketwire-socket")
    );
    let StoreOrder::Read { thread: t, order } = world.orders.last().unwrap() else { panic!() };
    let expiry = (T0 / 1000.0) as u64 + 3_600;
    assert_eq!(t, &format!("mava/{TICKET}"));
    assert_eq!(
        order,
        &object::ReadOrder { after: None, wait_ms: 25_000.0, capability: valid(Provider::Mava, TICKET), expiry }
    );
    // The object now lets a socket in with that capability, and only for this ticket.
    let hello = format!(r#"{{"capability":"{}","after":"{cursor}"}}"#, valid(Provider::Mava, TICKET));
    assert_eq!(world.objects[&format!("mava/{TICKET}")].hello(&hello, world.now), Ok(Some(cursor.clone())));
    let other =
        world.objects.entry(format!("mava/{OTHER_TICKET}")).or_insert_with(|| object::ThreadObject::restore([], T0).0);
    assert!(other.hello(&hello, T0).is_err(), "one ticket's capability opens no other ticket's socket");

    // A forged capability reaches no store.
    let orders = world.orders.len();
    let forged = capability(Provider::Mava, OTHER_TICKET, expiry);
    let path = format!("/mava/conversations/{TICKET}");
    let refused = world.arrive("GET", &path, &[("origin", ORIGIN), ("x-ticketwire-capability", &forged)], "");
    assert_eq!(
        (world.answer(refused).status, error_code(world.answer(refused)).as_str()),
        (403, "CAPABILITY_REQUIRED")
    );
    assert_eq!(world.orders.len(), orders);
    // HelpWave's thread is in the store too (its pull's turn kept there), with no socket offered.
    let helpwave = world.read(Provider::HelpWave, "12", "");
    assert_eq!(world.requests[helpwave].steps, ["verify", "store", "send", "store", "store", "answer"]);
    assert_eq!(world.answer(helpwave).header("x-ticketwire-socket"), None);
    let kinds: Vec<&str> = world.orders[orders..]
        .iter()
        .map(|o| match o {
            StoreOrder::Claim { .. } => "claim",
            StoreOrder::Append { keys, .. } if keys.is_empty() => "append pulled",
            StoreOrder::Append { .. } => "append webhook",
            StoreOrder::Read { .. } => "read",
        })
        .collect();
    assert_eq!(kinds, ["claim", "append pulled", "read"]);
}

#[test]
fn with_a_store_helpwave_is_pulled_at_most_once_per_5_s_per_ticket_across_isolates() {
    // Two relays (two isolates) sharing the same conversation objects.
    let mut first = World::with_store();
    *first.comments.borrow_mut() = Some(vec![comment(1, Some(true), "We are on it.")]);
    let a = first.read(Provider::HelpWave, "12", "?wait=25");
    assert_eq!(thread(first.answer(a)).0, ["1"]);
    assert_eq!(first.pulls.len(), 1);
    let mut second = World::with_store();
    second.objects = std::mem::take(&mut first.objects);
    second.comments = first.comments.clone();
    second.now = T0 + 1_000.0;
    let b = second.read(Provider::HelpWave, "12", "?wait=0");
    assert_eq!(thread(second.answer(b)).0, ["1"], "the other isolate reads the thread the first pulled");
    assert_eq!(second.pulls.len(), 0, "and does not pull it again within 5 s");
    // Its turn comes 5 s after the first pull: the new comment arrives then, once.
    first.comments.borrow_mut().as_mut().unwrap().push(comment(2, Some(true), "It shipped."));
    let cursor = thread(second.answer(b)).1;
    let c = second.read(Provider::HelpWave, "12", &format!("?after={cursor}&wait=25"));
    assert!(second.answered_at(c).is_none(), "held until the next turn");
    second.run_until(T0 + 5_000.0);
    assert_eq!(second.pulls.iter().map(|(at, _)| *at).collect::<Vec<_>>(), [T0 + 5_000.0]);
    assert_eq!(thread(second.answer(c)).0, ["2"]);
    assert_eq!(second.answered_at(c), Some(T0 + 5_000.0));
    // Nothing in either relay's own memory.
    assert_eq!(second.relay.conversations().after("helpwave/12", None).0.len(), 0);
}

#[test]
fn a_store_that_keeps_no_pull_turn_leaves_helpwave_in_the_relays_memory() {
    let mut world = World::conversations();
    world.relay =
        Relay::new(policy(true, true)).with_epoch(T0 as u64).with_store(ThreadStore { sockets: false, pulls: false });
    *world.comments.borrow_mut() = Some(vec![comment(1, Some(true), "We are on it.")]);
    let read = world.read(Provider::HelpWave, "12", "");
    assert_eq!(world.requests[read].steps, ["verify", "send", "wake", "answer"]);
    assert!(world.orders.is_empty());
    assert_eq!(world.relay.conversations().after("helpwave/12", None).0.len(), 1);
}

#[test]
fn a_websocket_is_handed_to_the_tickets_object_only_where_a_store_takes_sockets_and_the_origin_is_allowed() {
    let socket = |world: &mut World, provider: &str, origin: &str| {
        let path = format!("/{provider}/conversations/{}", if provider == "mava" { TICKET } else { "12" });
        let at = world.arrive("GET", &path, &[("origin", origin), ("upgrade", "websocket")], "");
        (world.answer(at).status, world.requests[at].steps.clone())
    };
    let mut world = World::with_store();
    assert_eq!(socket(&mut world, "mava", ORIGIN), (101, vec!["connect"]));
    assert_eq!(world.connected, [format!("mava/{TICKET}")]);
    let (status, _) = socket(&mut world, "mava", "https://evil.example");
    assert_eq!((status, world.connected.len()), (403, 1), "the origin rule holds for sockets");
    let (status, _) = socket(&mut world, "helpwave", ORIGIN);
    assert_eq!(status, 400, "HelpWave's threads are pulled: no socket");
    let bad_ticket =
        world.arrive("GET", "/mava/conversations/not-an-id", &[("origin", ORIGIN), ("upgrade", "websocket")], "");
    assert_eq!(world.answer(bad_ticket).status, 400);
    assert_eq!(world.connected.len(), 1);

    let mut memory = World::conversations();
    let (status, steps) = socket(&mut memory, "mava", ORIGIN);
    assert_eq!((status, steps), (403, vec!["answer"]), "without a store, a socket is a read without its capability");
    let at = memory.arrive(
        "GET",
        &format!("/mava/conversations/{TICKET}"),
        &[("origin", ORIGIN), ("upgrade", "websocket"), ("x-ticketwire-capability", &valid(Provider::Mava, TICKET))],
        "",
    );
    assert_eq!((memory.answer(at).status, error_code(memory.answer(at)).as_str()), (400, "SOCKET_NOT_SERVED"));
}

#[test]
fn a_stores_answer_a_page_must_not_render_is_never_passed_on() {
    let mut world = World::with_store();
    world.webhook(&seal(&reply("m1", "Hello Jane"), "wh_1"));
    // A store of the app's own that answers a javascript: URL or no cursor: the relay's own error.
    for body in [
        r#"{"messages":[{"id":"m1","from":"agent","text":"x","attachments":[{"url":"javascript:alert(1)","fileName":"","fileType":""}],"at":"t"}],"cursor":"c-1"}"#,
        r#"{"messages":[]}"#,
        "not json",
    ] {
        let head = |n: &str| match n {
            "origin" => Some(ORIGIN.to_owned()),
            "x-ticketwire-capability" => Some(valid(Provider::Mava, TICKET)),
            _ => None,
        };
        let url = format!("https://relay.example/mava/conversations/{TICKET}");
        let mut replay = world.relay.start(Head::read("GET".into(), url, "203.0.113.7".into(), head), T0);
        assert!(matches!(replay.poll(), Step::Verify { .. }));
        replay.handle(&mut world.relay, Event::Verified(true), T0);
        assert!(matches!(replay.poll(), Step::Store(StoreOrder::Read { .. })));
        replay.handle(&mut world.relay, Event::Stored(Ok(body.to_owned())), T0);
        let Step::Answer(answer) = replay.poll() else { panic!() };
        assert_eq!(answer.status, 500, "{body}");
        assert!(!answer.body.contains("javascript"), "{}", answer.body);
    }
}
