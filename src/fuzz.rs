//! The bodies of the `cargo fuzz` targets (`fuzz/fuzz_targets/`), each a property that must
//! hold for any input: no panic, and the invariant named in its doc line. `cargo test` replays
//! the committed corpus (`fuzz/corpus/`) through them, and the proptests in `src/properties.rs`
//! reuse the `Call` driver.

use crate::call::{Call, CallEvent, CallPolicy, LimiterRequest, Millis, Pacing};
use crate::error::ErrorKind;
use crate::mava::iterate_tickets;
use crate::operation::{CallContext, Input, Operation, RetrySafety};
use crate::rate_limit::{RateLimit, RateLimiter};
use crate::redact::Redactor;
use crate::request::{ApiKey, Config, PreparedRequest};
use crate::response::{parse_retry_after, read_response, Response};
use crate::rules;
use crate::value::{Object, Value};
use crate::violation::Violation;

/// A fuzz target's property: panics when it does not hold for the input.
pub type Property = fn(&[u8]);

/// Every target, by the name its `fuzz/fuzz_targets/` file and corpus folder carry.
pub const TARGETS: &[(&str, Property)] = &[
    ("json_reader", json_reader),
    ("validate_prepare", validate_prepare),
    ("validate_text", validate_text),
    ("response_reading", response_reading),
    ("retry_after", retry_after),
    ("attachment_url", attachment_url),
    ("call_machine", call_machine),
    ("mava_webhook", mava_webhook),
    ("conversation_object", conversation_object),
];

/// Every operation the SDK sends.
pub fn operations() -> impl Iterator<Item = &'static Operation> {
    crate::catalog::every_call()
}

const FUZZ_KEY: &str = "sk_fuzz/Key+42=xyz";

fn config() -> Config {
    Config::new("https://api.example", Some(ApiKey::new(FUZZ_KEY)))
}

/// The JSON reader never panics, and what it reads writes back to text it reads the same.
pub fn json_reader(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(value) = Value::from_json(&text) {
        let written = value.to_json();
        let again = Value::from_json(&written).expect("the writer's text reads back");
        assert_eq!(again.to_json(), written, "writing is stable");
    }
}

/// For every operation: `validate` is empty exactly when `prepare` succeeds; violations are
/// well formed; a prepared body reads back as the input minus its path fields.
pub fn validate_prepare(data: &[u8]) {
    let Ok(input) = Value::from_json(&String::from_utf8_lossy(data)) else { return };
    check_validate_prepare(&input);
}

/// For every operation and any text: validating the text read once ([`Operation::validate_text`])
/// gives exactly the violations of its value tree (rule and words too), or the same error
/// when it is not JSON.
pub fn validate_text(data: &[u8]) {
    check_validate_text(&String::from_utf8_lossy(data));
}

/// The `validate_text` property for one text.
pub fn check_validate_text(text: &str) {
    let config = config();
    let tree = Value::from_json(text);
    for op in operations() {
        let expected = tree.as_ref().map(|input| op.validate(input, &config)).map_err(Clone::clone);
        assert_eq!(op.validate_text(text, &config), expected, "{} {}: {text}", op.provider.id(), op.name);
    }
}

/// The `validate_prepare` property for one input value (and `validate_text` for its JSON text).
pub fn check_validate_prepare(input: &Value) {
    check_validate_text(&input.to_json());
    let config = config();
    let call = CallContext { idempotency_key: Some("fuzz-key-1".into()), ..CallContext::default() };
    for op in operations() {
        let violations = op.validate(input, &config);
        violations.iter().for_each(check_violation);
        match op.prepare(input, &config, &call) {
            Ok(request) => {
                assert!(violations.is_empty(), "{}: prepared an input with violations", op.name);
                check_prepared(op, input, &request);
                // Given the input's JSON text, the same request (the body not written again),
                // with the tree or with the text alone.
                let json = input.to_json();
                assert_eq!(op.prepare_with_json(input, Some(&json), &config, &call).ok(), Some(request.clone()));
                assert_eq!(op.prepare_text(&json, &config, &call), Ok(Ok(request.clone())));
                if op.sends_input_as_body() {
                    let head = op.request_head(&config, &call);
                    assert_eq!((head.method, head.url, head.headers), (request.method, request.url, request.headers));
                }
            }
            Err(refused) => {
                assert!(!violations.is_empty(), "{}: refused an input without violations", op.name);
                assert_eq!(op.prepare_text(&input.to_json(), &config, &call), Ok(Err(refused.clone())));
                assert_eq!(refused, violations, "{}: prepare refuses with validate's violations", op.name);
            }
        }
    }
    let plan = iterate_tickets::plan(input, &config);
    assert_eq!(plan.is_ok(), iterate_tickets::ITERATE_TICKETS.validate(input, &config).is_empty());
}

fn check_violation(v: &Violation) {
    assert!(v.path.is_empty() || v.path.starts_with('/'), "path {:?}", v.path);
    assert!(!v.code.is_empty() && !v.message.is_empty(), "{v:?}");
}

fn check_prepared(op: &Operation, input: &Value, request: &PreparedRequest) {
    assert!(request.url.starts_with("https://api.example/api/"), "{}", request.url);
    assert_eq!(request.method, op.method.as_str());
    match (op.input, &request.body) {
        (Input::Body(_), Some(body)) => {
            let sent = Value::from_json(body).expect("a prepared body is JSON");
            let path_fields: Vec<&str> = op.path.split('{').skip(1).filter_map(|p| p.split('}').next()).collect();
            let expected: Object = input
                .as_object()
                .map(|o| {
                    o.iter().filter(|(k, _)| !path_fields.contains(k)).map(|(k, v)| (k.to_owned(), v.clone())).collect()
                })
                .unwrap_or_default();
            assert_eq!(sent, Value::Object(expected), "{}: the body is the input minus path fields", op.name);
        }
        (Input::Body(_), None) => panic!("{}: a body operation prepared no body", op.name),
        (_, body) => assert!(body.is_none(), "{}: a body where none belongs", op.name),
    }
}

/// Any status, `Retry-After` and body: reading never panics, a success is JSON text, a failure
/// carries the status, and once redacted no form of the key is left in it.
pub fn response_reading(data: &[u8]) {
    let mut bytes = Bytes(data);
    let status = 100 + bytes.u16() % 500;
    let retry_after = (bytes.u8() % 2 == 1).then(|| bytes.text_until_zero());
    let body = String::from_utf8_lossy(bytes.rest()).into_owned();
    let redactor = Redactor::new(FUZZ_KEY);
    for op in operations() {
        let raw = Response::new(status, body.as_str()).with_retry_after(retry_after.as_deref());
        match read_response(op, &raw, 1_700_000_000_000) {
            Ok(text) => {
                assert!((200..300).contains(&status));
                assert!(Value::from_json(&text).is_ok(), "a success is JSON text");
            }
            Err(mut failure) => {
                assert_eq!(failure.status, Some(status));
                assert_eq!(failure.kind == ErrorKind::RateLimited, status == 429);
                failure.redact(&redactor);
                let carried = [failure.message.clone(), failure.code.clone().unwrap_or_default()];
                for text in carried.iter().chain(failure.body.as_ref().map(Value::to_json).iter()) {
                    assert!(!redactor.finds_in(text), "the key is left in {text:?}");
                }
            }
        }
    }
}

/// `Retry-After` parsing never panics, and delta-seconds are read exactly.
pub fn retry_after(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parsed = parse_retry_after(&text, 1_700_000_000_000);
    let trimmed = text.trim();
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(seconds) = trimmed.parse::<u64>() {
            assert_eq!(parsed, Some(seconds.saturating_mul(1000)));
        }
    }
}

/// The attachment URL check never panics, and whatever it accepts is HTTPS with no backslash,
/// no user info, and no `.` or `..` path segment however it is spelled.
pub fn attachment_url(data: &[u8]) {
    let url = String::from_utf8_lossy(data);
    if rules::attachment_url::check(&url, "app.mava.").is_ok() {
        let lower = url.to_ascii_lowercase();
        assert!(lower.starts_with("https://") && !url.contains('\\'), "{url}");
        let rest = &lower["https://".len()..];
        let (authority, tail) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
        assert!(!authority.contains('@'), "{url}");
        let mut path = tail[..tail.find(['?', '#']).unwrap_or(tail.len())].to_owned();
        for _ in 0..8 {
            let dot = path.split(['/', '\\']).any(|segment| segment == "." || segment == "..");
            assert!(!dot, "a dot segment in {url}");
            path = path.replace("%2e", ".").replace("%2f", "/").replace("%5c", "\\").replace("%25", "%");
        }
    }
}

/// What the host does next in a fuzzed or generated run of a `Call`.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// Time passes, then the timer fires (maybe early).
    Advance(u32),
    /// The attempt out gets this status, `Retry-After` seconds and a JSON body or not.
    Respond { status: u16, retry_after: Option<u32>, json: bool },
    /// The attempt out loses its connection.
    Drop,
    /// The attempt out gets a body over the limit.
    TooLarge,
    /// The caller aborts.
    Abort,
    /// A caller value throws.
    HostFail,
    /// The caller's limiter answers: yes, or no.
    Grant(bool),
}

/// The `Call` driven through `steps` as a host would, checking on every step that it never
/// sends after its end, never wakes or sends past its deadline, never sends more than
/// `max_retries + 1` attempts, and never sends a non-idempotent call again after a 502, a 504,
/// a lost connection or a timed-out attempt.
pub fn run_call(op: &'static Operation, policy: CallPolicy, steps: &[Step]) {
    let mut now: Millis = 1_000.0;
    let start = now;
    let deadline = policy.deadline_ms.map(|ms| start + ms);
    let mut call = Call::new(op, request_for(op), policy, now, 7);
    let mut limiter = RateLimiter::new(RateLimit { requests: 3, window_ms: 1_000 });
    let mut ended = false;
    let mut sends = 0u32;
    let mut no_more_sends = false;
    for step in steps.iter().copied().chain(std::iter::repeat_n(Step::Advance(60_000), 64)) {
        while let Some(request) = call.poll_limiter(now) {
            assert!(!ended, "limiter work after the end");
            match request {
                LimiterRequest::Acquire if policy.pacing == Pacing::External => {}
                LimiterRequest::Acquire => {
                    let event = match limiter.try_acquire(now) {
                        Ok(slot) => CallEvent::SlotGranted(Some(slot)),
                        Err(wait) => CallEvent::SlotBusy(wait),
                    };
                    call.handle_event(now, event);
                }
                LimiterRequest::Release(slot) => limiter.release(slot, now),
                LimiterRequest::Penalize(ms) => limiter.penalize(now, ms),
            }
        }
        if call.poll().is_some() {
            assert!(!ended, "a second end");
            ended = true;
        }
        if call.poll_transmit(now).is_some() {
            assert!(!ended, "sent after the end");
            assert!(!no_more_sends, "{}: sent again after a 502/504, a lost connection or a timeout", op.name);
            assert!(deadline.is_none_or(|d| now < d), "sent at the deadline");
            sends += 1;
            assert!(sends <= policy.max_retries + 1, "more attempts than allowed");
        }
        if let (Some(wake), Some(d)) = (call.poll_timeout(), deadline) {
            assert!(wake <= d, "wakes at {wake}, past the deadline {d}");
        }
        if ended {
            assert!(call.poll_timeout().is_none() && call.poll_transmit(now).is_none());
        }
        let was_sending = call.is_sending();
        let unsafe_to_repeat = op.safety != RetrySafety::Idempotent;
        match step {
            Step::Advance(ms) => {
                now += f64::from(ms);
                let timed_out = was_sending && call.poll_timeout().is_some_and(|t| now >= t);
                call.handle_timeout(now);
                no_more_sends |= timed_out && unsafe_to_repeat;
            }
            Step::Respond { status, retry_after, json } => {
                let retry_after = retry_after.map(|s| s.to_string());
                let body = if json { r#"{"ok":true}"# } else { "<html>" };
                let raw = Response::new(status, body).with_retry_after(retry_after.as_deref());
                call.handle_event(now, CallEvent::Response(&raw));
                no_more_sends |= was_sending && unsafe_to_repeat && matches!(status, 502 | 504);
            }
            Step::Drop => {
                call.handle_event(now, CallEvent::TransportFailed("socket hang up"));
                no_more_sends |= was_sending && unsafe_to_repeat;
            }
            Step::TooLarge => call.handle_event(now, CallEvent::ResponseTooLarge { status: 200 }),
            Step::Abort => call.handle_event(now, CallEvent::Aborted),
            Step::HostFail => call.handle_event(now, CallEvent::HostFailed("boom")),
            Step::Grant(true) => call.handle_event(now, CallEvent::SlotGranted(None)),
            Step::Grant(false) => call.handle_event(now, CallEvent::SlotRefused("no", None)),
        }
    }
    if call.poll().is_some() {
        assert!(!ended, "a second end");
        ended = true;
    }
    // Every wait is bounded: 64 minutes of time passing ends any call whose limiter answers.
    assert!(ended || policy.pacing == Pacing::External, "the call never ended");
}

fn request_for(op: &Operation) -> PreparedRequest {
    PreparedRequest {
        method: op.method.as_str().into(),
        url: format!("https://api.example{}", op.path),
        headers: Vec::new(),
        body: None,
    }
}

/// A `Call` fed an arbitrary sequence of events: the invariants of [`run_call`].
pub fn call_machine(data: &[u8]) {
    let mut bytes = Bytes(data);
    let ops: Vec<&'static Operation> = operations().collect();
    let op = ops[usize::from(bytes.u8()) % ops.len()];
    let pacing = [Pacing::Unpaced, Pacing::Wait, Pacing::FailFast, Pacing::External][usize::from(bytes.u8() % 4)];
    let policy = CallPolicy {
        max_retries: u32::from(bytes.u8() % 6),
        timeout_ms: 1.0 + f64::from(bytes.u16()),
        deadline_ms: (bytes.u8() % 2 == 1).then(|| 1.0 + f64::from(bytes.u16()) * 4.0),
        pacing,
        max_response_bytes: 1 << 20,
    };
    let mut steps = Vec::new();
    while !bytes.0.is_empty() && steps.len() < 256 {
        let step = match bytes.u8() % 9 {
            0 | 1 => Step::Advance(u32::from(bytes.u16()) * 4),
            2 | 3 => {
                let status = [200, 201, 400, 408, 409, 429, 500, 502, 503, 504][usize::from(bytes.u8() % 10)];
                let retry_after = (bytes.u8() % 3 == 0).then(|| u32::from(bytes.u8()));
                Step::Respond { status, retry_after, json: bytes.u8() % 4 != 0 }
            }
            4 => Step::Drop,
            5 => Step::TooLarge,
            6 => Step::Abort,
            7 => Step::HostFail,
            _ => Step::Grant(bytes.u8() % 4 != 0),
        };
        steps.push(step);
    }
    run_call(op, policy, &steps);
}

/// A PKCS#8 RSA private key (512 bits: the core only reads its shape).
const FUZZ_RSA_PKCS8: &str = "MIIBVAIBADANBgkqhkiG9w0BAQEFAASCAT4wggE6AgEAAkEAt+qjm+yf/KMLaodDzfdA6vrjO6o2nZQoEaA/NkGhrVATpKtust06kHKfFENEe+vSYWXIHAPPTHXZwy12UcwhsQIDAQABAkBKi+ztEqh2eo/yCgnNvl6t4Cuiz4d7r8Xd/xogH9IssQyadZwaHSnKWXE0VL30ABIPKhga7wJZtmXPrzfDq5yRAiEA27mlGIaX0DVxTPYr0Fe8UZXfeKRBcNZdketx7Rsyap8CIQDWR5jB4T5mizyS8Fq8uIn01UairxWywn2XJ7/IGLFhrwIgJAt1UOurdeV+e7CaiWgLJZsfeMwBTEBuQyTLoKjogWMCIFSt6J090TYe8iozV/haiRI7MnXZ8R46o/0XFUATGg47AiEA2GMSiimgbBX5ILmmFeYyleNamGWUo9vgrqJrxUIYiLI=";

/// One envelope field from fuzz input: left out, not a string, or text in one of its spellings.
fn envelope_field(bytes: &mut Bytes, out: &mut Vec<String>, name: &str) {
    use crate::webhook::encoding::to_base64;
    let hex = |b: &[u8]| b.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let choice = bytes.u8();
    let text = match choice % 8 {
        0 => return,
        1 => return out.push(format!("\"{name}\":{}", choice / 8)),
        2 | 3 => bytes.text_until_zero(),
        4 => to_base64(&take(bytes)),
        5 => hex(&take(bytes)),
        // The key field's shape: an IV in hex or base64, a colon, base64.
        _ => {
            let iv = take(bytes);
            let iv = if choice & 16 == 0 { hex(&iv) } else { to_base64(&iv) };
            format!("{iv}:{}", to_base64(&take(bytes)))
        }
    };
    let mut field = String::new();
    crate::json::write_json_string(name, &mut field);
    field.push(':');
    crate::json::write_json_string(&text, &mut field);
    out.push(field);
}

/// Up to 63 bytes, their count first.
fn take(bytes: &mut Bytes) -> Vec<u8> {
    let count = usize::from(bytes.u8() % 64);
    (0..count).map(|_| bytes.u8()).collect()
}

/// The conversation object fed any stored entries, then any orders and sockets' first messages
/// (parts split by `\u{1}`; `a…` an append body, `r…` a read body, else a first message):
/// never a panic; no message id is handed to the sockets twice, nor one it already held; a
/// socket is let in only with a capability the relay had it trust (or its storage held).
pub fn conversation_object(data: &[u8]) {
    use crate::relay::conversation::object::{read_append, read_read, ThreadObject};
    use std::collections::HashSet;
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{1}');
    let entries: Vec<(String, String)> = parts
        .next()
        .unwrap_or_default()
        .split('\u{2}')
        .filter_map(|entry| entry.split_once('\u{3}'))
        .map(|(key, json)| (key.to_owned(), json.to_owned()))
        .collect();
    let mut trusted: HashSet<String> =
        entries.iter().filter_map(|(k, _)| k.strip_prefix("token:")).map(str::to_owned).collect();
    let start = 1_800_000_000_000.0;
    let (mut object, _) = ThreadObject::restore(entries, start);
    let mut sent: HashSet<String> = object.read(None).0.iter().map(|m| m.id.clone()).collect();
    for (i, part) in parts.enumerate() {
        let now = start + i as f64 * 1_000.0;
        if let Some(body) = part.strip_prefix('a') {
            if let Some((messages, keys)) = read_append(body) {
                let (new, cursor, _) = object.append(messages, &keys, now);
                for message in new {
                    assert!(sent.insert(message.id.clone()), "{} handed out twice", message.id);
                }
                assert_eq!(object.read(Some(&cursor)).0.len(), 0, "nothing after the cursor an append answered");
            }
        } else if let Some(body) = part.strip_prefix('r') {
            if let Some(order) = read_read(body) {
                object.trust(&order.capability, order.expiry, now);
                trusted.insert(order.capability.clone());
                let _ = object.read_body(order.after.as_deref());
            }
        } else if object.hello(part, now).is_ok() {
            let hello = Value::from_json(part).expect("a first message let in is JSON");
            let capability = hello.as_object().and_then(|o| o.get("capability")).and_then(Value::as_str);
            assert!(capability.is_some_and(|c| trusted.contains(c)), "a socket let in with {capability:?}");
        }
    }
}

/// Mava's webhook verification over any signing key, body (raw, or an envelope built from
/// fields in their spellings) and host answers: never a panic; it ends within its four steps;
/// `poll` says the same until `handle`; a payload is decrypted only once its signature
/// verified and an event comes only from a decryption; a refusal's message holds no key.
pub fn mava_webhook(data: &[u8]) {
    mava_webhook_end(data);
}

/// The [`mava_webhook`] property, saying how the verification ended: `event`, or the refusal's
/// code (`config` for a config error).
fn mava_webhook_end(data: &[u8]) -> &'static str {
    use crate::webhook::encoding::to_base64;
    use crate::webhook::mava::{Event as Done, Step, Verification, SIGNING_KEY_PREFIX};
    let mut bytes = Bytes(data);
    let mode = bytes.u8();
    let signing_key = match mode % 4 {
        0 | 1 => format!("{SIGNING_KEY_PREFIX}{FUZZ_RSA_PKCS8}"),
        2 => format!("{SIGNING_KEY_PREFIX}{}", to_base64(&take(&mut bytes))),
        _ => bytes.text_until_zero(),
    };
    let body = if mode & 4 == 0 {
        let mut fields = Vec::new();
        for name in ["signature", "payload", "key", "webhookId"] {
            envelope_field(&mut bytes, &mut fields, name);
        }
        format!("{{{}}}", fields.join(","))
    } else {
        bytes.text_until_zero()
    };
    let body = (mode & 8 == 0).then_some(body.as_bytes());
    let mut verification = Verification::start(body, Some(&signing_key));
    let (mut verified, mut decrypted, mut symmetric_key) = (false, false, Vec::new());
    for _ in 0..5 {
        let step = format!("{:?}", verification.poll());
        assert_eq!(step, format!("{:?}", verification.poll()), "poll is stable");
        let answer = bytes.u8();
        let event = match verification.poll() {
            Step::Done(Ok(event)) => {
                assert!(verified && decrypted, "an event without a verified signature and a decryption");
                let read = Value::from_json(&event.to_json()).expect("the event is JSON");
                assert_eq!(
                    read.as_object().and_then(|o| o.get("webhookId")).and_then(Value::as_str),
                    Some(&*event.webhook_id)
                );
                return "event";
            }
            Step::Done(Err(refusal)) => {
                let message = refusal.into_failure().message;
                assert!(signing_key.len() < 16 || !message.contains(&signing_key), "the signing key in {message}");
                let key_text = to_base64(&symmetric_key);
                assert!(key_text.len() < 16 || !message.contains(&key_text), "the symmetric key in {message}");
                return refusal.code().unwrap_or("config");
            }
            Step::ImportKey { .. } => Done::KeyImported(answer % 8 != 0),
            Step::DecryptKey { .. } => {
                let key = (answer % 8 != 0).then(|| take(&mut bytes));
                symmetric_key = key.clone().unwrap_or_default();
                Done::KeyDecrypted(key)
            }
            Step::Verify { key, .. } => {
                assert_eq!(key, to_base64(&symmetric_key).as_bytes(), "keyed with the key's base64 text");
                Done::Verified(answer % 8 != 0)
            }
            Step::Decrypt { key, iv, ciphertext } => {
                assert!(verified, "decrypting a payload whose signature did not verify");
                assert!(matches!(key.len(), 16 | 24 | 32) && iv.len() == 16, "an AES-CBC key and IV");
                assert!(!ciphertext.is_empty() && ciphertext.len() % 16 == 0, "whole blocks");
                decrypted = true;
                Done::Decrypted((answer % 8 != 0).then(|| {
                    if answer % 2 == 0 {
                        br#"{"type":"ticket.created","document":{"_id":"t1"}}"#.to_vec()
                    } else {
                        bytes.text_until_zero().into_bytes()
                    }
                }))
            }
        };
        // Now and then the host says something else: no Web Crypto, or an answer out of turn.
        let event = match answer {
            0xff => Done::NoWebCrypto,
            0xfe => Done::Verified(true),
            _ => event,
        };
        verified |= step.starts_with("Verify") && event == Done::Verified(true);
        verification.handle(event);
    }
    panic!("the verification did not end within its four steps");
}

/// Reads fuzz input a field at a time; zeros once it runs out.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn u8(&mut self) -> u8 {
        let (first, rest) = self.0.split_first().map_or((0, &[][..]), |(f, r)| (*f, r));
        self.0 = rest;
        first
    }

    fn u16(&mut self) -> u16 {
        u16::from(self.u8()) << 8 | u16::from(self.u8())
    }

    fn text_until_zero(&mut self) -> String {
        let end = self.0.iter().position(|b| *b == 0).unwrap_or(self.0.len());
        let text = String::from_utf8_lossy(&self.0[..end]).into_owned();
        self.0 = self.0.get(end + 1..).unwrap_or(&[]);
        text
    }

    fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::TARGETS;
    use std::path::Path;

    /// Replays every committed corpus file through its target: the fuzzers' finds stay fixed.
    #[test]
    fn the_committed_corpus_holds_every_property() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
        let mut replayed = 0;
        for (name, target) in TARGETS {
            let folder = root.join(name);
            let entries = std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display()));
            for entry in entries {
                let path = entry.unwrap().path();
                target(&std::fs::read(&path).unwrap());
                replayed += 1;
            }
        }
        assert!(replayed >= TARGETS.len(), "every target has a corpus");
    }

    /// The webhook target's seeds reach every end of the verification, so the fuzzer starts deep.
    #[test]
    fn the_webhook_seeds_reach_every_end() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/mava_webhook");
        let end = |seed: &str| super::mava_webhook_end(&std::fs::read(root.join(seed)).unwrap());
        let expected = [
            ("good-hex-iv", "event"),
            ("good-base64-iv-aes128", "event"),
            ("decrypts-to-text", "WEBHOOK_PAYLOAD_INVALID"),
            ("key-not-aes", "WEBHOOK_PAYLOAD_INVALID"),
            ("hmac-differs", "WEBHOOK_SIGNATURE_INVALID"),
            ("key-does-not-decrypt", "WEBHOOK_SIGNATURE_INVALID"),
            ("verified-out-of-turn", "WEBHOOK_SIGNATURE_INVALID"),
            ("import-refused", "config"),
            ("no-web-crypto", "config"),
            ("signing-key-text", "config"),
            ("signing-key-random-der", "config"),
            ("raw-body", "WEBHOOK_MALFORMED"),
            ("missing-fields", "WEBHOOK_MALFORMED"),
            ("body-not-bytes", "WEBHOOK_MALFORMED"),
        ];
        for (seed, outcome) in expected {
            assert_eq!(end(seed), outcome, "{seed}");
        }
    }
}
