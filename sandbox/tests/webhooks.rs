//! Mava's webhooks as the sandbox sends them (CONTRACT §7.1), caught by a receiver on a local
//! TCP port and opened here with the run's signing key, independently of the sandbox's own
//! sealing: RSA-OAEP (SHA-1) for the key, the HMAC-SHA256 checked, then AES-256-CBC. Also the
//! retries, the fault switches, and the binary's flag and printed key.

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};
use axum::body::{to_bytes, Body};
use axum::http::Request;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use hmac::{Hmac, Mac};
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::{Oaep, RsaPrivateKey};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use ticketwire::value::Value;
use ticketwire_sandbox::{app, Sandbox};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};
use tower::ServiceExt;

const MAVA: &str = "sandbox_mava_acme";
const TICKET_WITH_MESSAGE: &str =
    r#"{"customer":{"email":"ada@example.com","name":"Ada"},"message":{"content":"My order never came"}}"#;
const TICKET_ALONE: &str = r#"{"customer":{"email":"ada@example.com","name":"Ada"}}"#;

/// One POST the receiver took.
struct Arrival {
    request_line: String,
    content_type: String,
    body: String,
    at: Instant,
}

/// A webhook receiver on a free local port; each connection is answered with the next status
/// of its script (0: closed without an answer), 200 once the script is done.
struct Receiver {
    url: String,
    arrivals: UnboundedReceiver<Arrival>,
}

impl Receiver {
    async fn start(script: &[u16]) -> Receiver {
        Self::start_slow(script, Duration::ZERO).await
    }

    /// As `start`, answering each request only after `wait`.
    async fn start_slow(script: &[u16], wait: Duration) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/relay/mava/webhooks", listener.local_addr().unwrap());
        let (tx, arrivals) = unbounded_channel();
        let script = Arc::new(Mutex::new(VecDeque::from(script.to_vec())));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let status = script.lock().unwrap().pop_front().unwrap_or(200);
                let tx = tx.clone();
                tokio::spawn(async move {
                    let mut stream = BufReader::new(stream);
                    let Some(arrival) = read_request(&mut stream).await else { return };
                    let _ = tx.send(arrival);
                    tokio::time::sleep(wait).await;
                    if status != 0 {
                        let answer =
                            format!("HTTP/1.1 {status} Scripted\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
                        let _ = stream.get_mut().write_all(answer.as_bytes()).await;
                    }
                });
            }
        });
        Receiver { url, arrivals }
    }

    /// The next arrival within `within`, or `None`.
    async fn next(&mut self, within: Duration) -> Option<Arrival> {
        tokio::time::timeout(within, self.arrivals.recv()).await.ok().flatten()
    }

    /// Exactly `n` arrivals (each within 2 s), then none for `quiet`.
    async fn take(&mut self, n: usize, quiet: Duration) -> Vec<Arrival> {
        let mut all = Vec::new();
        for i in 0..n {
            all.push(self.next(Duration::from_secs(2)).await.unwrap_or_else(|| panic!("arrival {} of {n}", i + 1)));
        }
        if let Some(extra) = self.next(quiet).await {
            panic!("one more arrival than {n}: {}", extra.body);
        }
        all
    }
}

async fn read_request(stream: &mut BufReader<TcpStream>) -> Option<Arrival> {
    let mut request_line = String::new();
    stream.read_line(&mut request_line).await.ok()?;
    let (mut length, mut content_type) = (0, String::new());
    loop {
        let mut line = String::new();
        stream.read_line(&mut line).await.ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().ok()?,
            "content-type" => content_type = value.trim().to_owned(),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.ok()?;
    Some(Arrival {
        request_line: request_line.trim_end().to_owned(),
        content_type,
        body: String::from_utf8(body).ok()?,
        at: Instant::now(),
    })
}

fn sandbox() -> Arc<Sandbox> {
    Sandbox::new(None, 90, Duration::from_secs(30)).unwrap()
}

/// One request through the router, in process; (status, JSON body).
async fn call(sb: &Arc<Sandbox>, method: &str, uri: &str, key: Option<&str>, body: &str) -> (u16, Value) {
    let mut request = Request::builder().method(method).uri(uri).header("content-type", "application/json");
    if let Some(key) = key {
        request = request.header("x-auth-token", key);
    }
    let response = app(sb.clone()).oneshot(request.body(Body::from(body.to_owned())).unwrap()).await.unwrap();
    let status = response.status().as_u16();
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, Value::from_json(&String::from_utf8_lossy(&bytes)).unwrap_or(Value::Null))
}

/// A create whose connection a fault cuts.
async fn cut(sb: &Arc<Sandbox>, body: &str) {
    let request = Request::post("/mava/api/ticket")
        .header("x-auth-token", MAVA)
        .header("content-type", "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap();
    let response = app(sb.clone()).oneshot(request).await.unwrap();
    assert!(to_bytes(response.into_body(), usize::MAX).await.is_err(), "cut");
}

/// Points the sandbox's webhooks at `url` (with `faults`, a JSON object, if any); the signing key.
async fn configure(sb: &Arc<Sandbox>, url: &str, faults: Option<&str>) -> String {
    let body = match faults {
        Some(faults) => format!(r#"{{"url":"{url}","faults":{faults}}}"#),
        None => format!(r#"{{"url":"{url}"}}"#),
    };
    let (status, answer) = call(sb, "POST", "/_sandbox/webhooks", None, &body).await;
    assert_eq!(status, 200, "{}", answer.to_json());
    text(&answer, &["signingKey"]).to_owned()
}

async fn create_ticket(sb: &Arc<Sandbox>, body: &str) -> String {
    let (status, answer) = call(sb, "POST", "/mava/api/ticket", Some(MAVA), body).await;
    assert_eq!(status, 201, "{}", answer.to_json());
    text(&answer, &["ticket", "_id"]).to_owned()
}

async fn agent_says(sb: &Arc<Sandbox>, ticket: &str, content: &str, internal: bool) -> Value {
    let body = format!(r#"{{"content":"{content}","internal":{internal}}}"#);
    let (status, answer) = call(sb, "POST", &format!("/_sandbox/mava/tickets/{ticket}/messages"), None, &body).await;
    assert_eq!(status, 201, "{}", answer.to_json());
    answer
}

fn get<'a>(value: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(value, |v, k| v.as_object().and_then(|o| o.get(k)).unwrap_or(&Value::Null))
}

fn text<'a>(value: &'a Value, path: &[&str]) -> &'a str {
    get(value, path).as_str().unwrap_or_else(|| panic!("no text at {path:?} in {}", value.to_json()))
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 || !text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect()
}

/// How opening an envelope failed.
#[derive(Debug, PartialEq)]
enum Refused {
    Malformed,
    Signature,
    Payload,
}

/// A webhook as a receiver opens it with the signing key (§7.1): `(webhookId, type, document)`.
fn open(body: &str, signing_key: &str) -> Result<(String, String, Value), Refused> {
    let envelope = Value::from_json(body).map_err(|_| Refused::Malformed)?;
    let field = |k: &str| get(&envelope, &[k]).as_str().map(str::to_owned).ok_or(Refused::Malformed);
    let (signature, payload, key, webhook_id) =
        (field("signature")?, field("payload")?, field("key")?, field("webhookId")?);
    let der = BASE64.decode(signing_key.strip_prefix("mava_wh_").expect("mava_wh_ prefix")).expect("base64 key");
    let private = RsaPrivateKey::from_pkcs8_der(&der).expect("a PKCS#8 RSA key");
    let (iv, wrapped) = key.split_once(':').ok_or(Refused::Malformed)?;
    let wrapped = BASE64.decode(wrapped).map_err(|_| Refused::Malformed)?;
    let aes_key = private.decrypt(Oaep::new::<sha1::Sha1>(), &wrapped).map_err(|_| Refused::Signature)?;
    assert_eq!(aes_key.len(), 32, "AES-256");
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(BASE64.encode(&aes_key).as_bytes()).unwrap();
    mac.update(payload.as_bytes());
    let signature = unhex(&signature).ok_or(Refused::Malformed)?;
    mac.verify_slice(&signature).map_err(|_| Refused::Signature)?;
    let iv = unhex(iv).filter(|iv| iv.len() == 16).ok_or(Refused::Malformed)?;
    let ciphertext = BASE64.decode(&payload).map_err(|_| Refused::Payload)?;
    let plaintext = cbc::Decryptor::<aes::Aes256>::new_from_slices(&aes_key, &iv)
        .unwrap()
        .decrypt_padded_vec_mut::<Pkcs7>(&ciphertext)
        .map_err(|_| Refused::Payload)?;
    let event =
        Value::from_json(&String::from_utf8(plaintext).map_err(|_| Refused::Payload)?).map_err(|_| Refused::Payload)?;
    let object = event.as_object().ok_or(Refused::Payload)?;
    assert_eq!(object.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["type", "document"]);
    Ok((webhook_id, text(&event, &["type"]).to_owned(), get(&event, &["document"]).clone()))
}

#[tokio::test]
async fn a_ticket_its_message_and_agent_replies_arrive_sealed_as_mava_seals_them() {
    let sb = sandbox();
    let mut receiver = Receiver::start(&[]).await;
    let signing_key = configure(&sb, &receiver.url, None).await;
    let ticket = create_ticket(&sb, TICKET_WITH_MESSAGE).await;
    let mut events: Vec<_> = receiver
        .take(2, Duration::from_millis(50))
        .await
        .into_iter()
        .map(|arrival| {
            assert_eq!(arrival.request_line, "POST /relay/mava/webhooks HTTP/1.1");
            assert_eq!(arrival.content_type, "application/json");
            let envelope = Value::from_json(&arrival.body).unwrap();
            let keys: Vec<_> = envelope.as_object().unwrap().iter().map(|(k, _)| k.to_owned()).collect();
            assert_eq!(keys, ["signature", "payload", "key", "webhookId"]);
            let signature = text(&envelope, &["signature"]);
            assert!(signature.len() == 64 && unhex(signature).is_some(), "lowercase hex HMAC-SHA256: {signature}");
            let (iv, _) = text(&envelope, &["key"]).split_once(':').unwrap();
            assert_eq!(unhex(iv).map(|iv| iv.len()), Some(16), "IV as 32 hex digits");
            open(&arrival.body, &signing_key).unwrap()
        })
        .collect();
    // Mava promises no order.
    events.sort_by(|a, b| b.1.cmp(&a.1));
    let [(created_id, created_type, created), (message_id, message_type, message)] = &events[..] else { panic!() };
    assert_ne!(created_id, message_id, "a webhookId per event");
    assert_eq!((created_type.as_str(), message_type.as_str()), ("ticket.created", "message.created"));
    assert_eq!(text(created, &["_id"]), ticket);
    assert_eq!(text(created, &["status"]), "Open");
    assert_eq!(text(created, &["customer", "email"]), "ada@example.com");
    assert!(get(created, &["messages"]) == &Value::Null, "a ticket's document carries no thread");
    assert_eq!(text(message, &["content"]), "My order never came");
    assert_eq!(text(message, &["messageType"]), "ExternalMessage");
    assert_eq!(get(message, &["fromCustomer"]), &Value::Bool(true));
    assert_eq!(text(message, &["senderReferenceType"]), "Customer");
    assert_eq!(text(message, &["sender", "name"]), "Ada");
    assert_eq!(get(message, &["attachments"]), &Value::Array(Vec::new()));
    assert_eq!(text(message, &["ticket", "_id"]), ticket);
    assert_eq!(text(message, &["_id"]).len(), 24);

    // An agent answers in the dashboard, then writes an internal note.
    let reply = agent_says(&sb, &ticket, "It ships today", false).await;
    let arrival = receiver.take(1, Duration::from_millis(50)).await.remove(0);
    let (_, kind, document) = open(&arrival.body, &signing_key).unwrap();
    assert_eq!(kind, "message.created");
    assert_eq!(document, *get(&reply, &["message"]), "the control route answers the document sent");
    assert_eq!(text(&document, &["content"]), "It ships today");
    assert_eq!(text(&document, &["messageType"]), "ExternalMessage");
    assert_eq!(get(&document, &["fromCustomer"]), &Value::Bool(false));
    assert_eq!(text(&document, &["senderReferenceType"]), "ClientMember");
    assert_eq!(text(&document, &["sender", "email"]), "jane@acme.example");
    assert_eq!(text(&document, &["ticket", "_id"]), ticket);
    agent_says(&sb, &ticket, "Customer is a VIP", true).await;
    let arrival = receiver.take(1, Duration::from_millis(50)).await.remove(0);
    let (_, _, note) = open(&arrival.body, &signing_key).unwrap();
    assert_eq!((text(&note, &["messageType"]), get(&note, &["fromCustomer"])), ("InternalNote", &Value::Bool(false)));

    // The API's send message is a message too, and so is an update's audit entry.
    let body = format!(r#"{{"ticketId":"{ticket}","content":"Sent through the API"}}"#);
    assert_eq!(call(&sb, "PUT", "/mava/api/message", Some(MAVA), &body).await.0, 200);
    let (_, _, sent) = open(&receiver.take(1, Duration::from_millis(50)).await[0].body, &signing_key).unwrap();
    assert_eq!(
        (text(&sent, &["content"]), get(&sent, &["fromCustomer"])),
        ("Sent through the API", &Value::Bool(false))
    );
    let body = format!(r#"{{"ticketId":"{ticket}","status":"Resolved"}}"#);
    assert_eq!(call(&sb, "PUT", "/mava/api/ticket", Some(MAVA), &body).await.0, 200);
    let (_, _, audit) = open(&receiver.take(1, Duration::from_millis(200)).await[0].body, &signing_key).unwrap();
    assert_eq!(text(&audit, &["messageType"]), "AuditLog");
    assert_eq!(text(&audit, &["ticket", "status"]), "Resolved");
}

#[tokio::test]
async fn the_signing_key_is_a_fresh_2048_bit_pkcs8_key_per_run() {
    let (one, other) = (sandbox(), sandbox());
    let (status, answer) = call(&one, "GET", "/_sandbox/webhooks", None, "").await;
    assert_eq!(status, 200);
    assert_eq!(get(&answer, &["url"]), &Value::Null);
    let key = text(&answer, &["signingKey"]);
    let der = BASE64.decode(key.strip_prefix("mava_wh_").unwrap()).unwrap();
    assert_eq!(RsaPrivateKey::from_pkcs8_der(&der).unwrap().size(), 256);
    assert_eq!(call(&one, "GET", "/_sandbox/webhooks", None, "").await.1, answer, "one key per run");
    assert_ne!(text(&call(&other, "GET", "/_sandbox/webhooks", None, "").await.1, &["signingKey"]), key);
}

#[tokio::test]
async fn nothing_is_sent_for_what_was_not_committed_or_with_no_url() {
    let sb = sandbox();
    let mut receiver = Receiver::start(&[]).await;
    configure(&sb, &receiver.url, None).await;
    let fault = r#"{"provider":"mava","path":"/api/ticket","afterWrites":true}"#;
    assert_eq!(call(&sb, "POST", "/_sandbox/faults", None, fault).await.0, 201);
    assert_eq!(call(&sb, "POST", "/mava/api/ticket", Some(MAVA), TICKET_WITH_MESSAGE).await.0, 500);
    assert_eq!(call(&sb, "POST", "/mava/api/ticket", Some(MAVA), r#"{"customer":{}}"#).await.0, 400);
    let fault = r#"{"provider":"mava","path":"/api/ticket","drop":"before_commit"}"#;
    assert_eq!(call(&sb, "POST", "/_sandbox/faults", None, fault).await.0, 201);
    cut(&sb, TICKET_WITH_MESSAGE).await;
    assert!(receiver.next(Duration::from_millis(400)).await.is_none(), "rolled back: no webhook");
    // Committed, then the connection cut: the ticket exists, so its webhook goes.
    let fault = r#"{"provider":"mava","path":"/api/ticket","drop":"after_commit"}"#;
    assert_eq!(call(&sb, "POST", "/_sandbox/faults", None, fault).await.0, 201);
    cut(&sb, TICKET_ALONE).await;
    receiver.take(1, Duration::from_millis(200)).await;
    // Cleared: nothing more is sent.
    let (status, answer) = call(&sb, "POST", "/_sandbox/webhooks", None, r#"{"url":null}"#).await;
    assert_eq!((status, get(&answer, &["url"])), (200, &Value::Null));
    let ticket = create_ticket(&sb, TICKET_WITH_MESSAGE).await;
    agent_says(&sb, &ticket, "Anyone there?", false).await;
    assert!(receiver.next(Duration::from_millis(400)).await.is_none(), "no URL: no webhook");
}

#[tokio::test]
async fn the_api_answers_without_waiting_for_the_receiver() {
    let sb = sandbox();
    let mut receiver = Receiver::start_slow(&[], Duration::from_millis(1_500)).await;
    configure(&sb, &receiver.url, None).await;
    let started = Instant::now();
    create_ticket(&sb, TICKET_ALONE).await;
    assert!(started.elapsed() < Duration::from_millis(500), "answered in {:?}", started.elapsed());
    assert!(receiver.next(Duration::from_secs(2)).await.is_some());
}

#[tokio::test]
async fn a_failing_receiver_gets_three_more_tries_with_the_same_webhook_id() {
    let sb = sandbox();
    let mut receiver = Receiver::start(&[500; 10]).await;
    let signing_key = configure(&sb, &receiver.url, None).await;
    // A shorter gap than Mava's second, to keep the test short (the next test keeps the second).
    assert_eq!(call(&sb, "POST", "/_sandbox/webhooks", None, r#"{"retryMs":250}"#).await.0, 200);
    let ticket = create_ticket(&sb, TICKET_ALONE).await;
    let tries = receiver.take(4, Duration::from_millis(750)).await;
    let first = open(&tries[0].body, &signing_key).unwrap();
    for (before, after) in tries.iter().zip(&tries[1..]) {
        assert_eq!(after.body, tries[0].body, "the same envelope, so the same webhookId ({})", first.0);
        let gap = after.at - before.at;
        assert!(gap >= Duration::from_millis(200) && gap < Duration::from_millis(700), "{gap:?} apart");
    }
    // The delivery log says what each try got.
    let (_, answer) = call(&sb, "GET", "/_sandbox/webhooks", None, "").await;
    let expected: Vec<String> = (1..=4)
        .map(|attempt| {
            format!(
                r#"{{"webhookId":"{}","type":"ticket.created","documentId":"{ticket}","attempt":{attempt},"status":500,"error":null}}"#,
                first.0
            )
        })
        .collect();
    assert_eq!(get(&answer, &["deliveries"]).to_json(), format!("[{}]", expected.join(",")));
    assert_eq!(call(&sb, "POST", "/_sandbox/reset", None, "").await.0, 200);
    let (_, answer) = call(&sb, "GET", "/_sandbox/webhooks", None, "").await;
    assert_eq!(get(&answer, &["deliveries"]).to_json(), "[]", "a reset empties the log");
}

#[tokio::test]
async fn no_answer_is_a_failure_tried_again_a_second_later_and_a_2xx_ends_the_tries() {
    let sb = sandbox();
    // Closed without an answer, then 204.
    let mut receiver = Receiver::start(&[0, 204]).await;
    let signing_key = configure(&sb, &receiver.url, None).await;
    create_ticket(&sb, TICKET_ALONE).await;
    let tries = receiver.take(2, Duration::from_millis(400)).await;
    let gap = tries[1].at - tries[0].at;
    assert!(gap >= Duration::from_millis(900) && gap < Duration::from_millis(1_600), "{gap:?} apart");
    assert_eq!(open(&tries[0].body, &signing_key).unwrap().0, open(&tries[1].body, &signing_key).unwrap().0);
    let (_, answer) = call(&sb, "GET", "/_sandbox/webhooks", None, "").await;
    let Value::Array(log) = get(&answer, &["deliveries"]) else { panic!("{}", answer.to_json()) };
    let outcomes: Vec<_> =
        log.iter().map(|t| (get(t, &["attempt"]).to_json(), get(t, &["status"]).to_json())).collect();
    assert_eq!(outcomes, [("1".into(), "null".into()), ("2".into(), "204".into())]);
    assert_eq!(text(&log[0], &["error"]), "closed before a status line");
}

#[tokio::test]
async fn a_duplicate_is_the_same_envelope_twice_and_only_the_next_event_is_duplicated() {
    let sb = sandbox();
    let mut receiver = Receiver::start(&[]).await;
    let signing_key = configure(&sb, &receiver.url, Some(r#"{"duplicate":1}"#)).await;
    let ticket = create_ticket(&sb, TICKET_ALONE).await;
    let copies = receiver.take(2, Duration::from_millis(300)).await;
    assert_eq!(copies[0].body, copies[1].body);
    assert_eq!(open(&copies[0].body, &signing_key).unwrap().1, "ticket.created");
    let (_, answer) = call(&sb, "GET", "/_sandbox/webhooks", None, "").await;
    assert_eq!(get(&answer, &["faults", "duplicate"]), &Value::Number(0.0), "used up");
    agent_says(&sb, &ticket, "Once", false).await;
    receiver.take(1, Duration::from_millis(300)).await;
}

#[tokio::test]
async fn a_tampered_delivery_fails_its_signature() {
    let sb = sandbox();
    let mut receiver = Receiver::start(&[]).await;
    let signing_key = configure(&sb, &receiver.url, Some(r#"{"tampered":true}"#)).await;
    let ticket = create_ticket(&sb, TICKET_ALONE).await;
    let tampered = receiver.take(1, Duration::from_millis(200)).await.remove(0);
    assert_eq!(open(&tampered.body, &signing_key).unwrap_err(), Refused::Signature);
    agent_says(&sb, &ticket, "Untouched", false).await;
    let sound = receiver.take(1, Duration::from_millis(200)).await.remove(0);
    assert_eq!(text(&open(&sound.body, &signing_key).unwrap().2, &["content"]), "Untouched");
}

#[tokio::test]
async fn a_delayed_delivery_arrives_late_and_after_a_later_event() {
    let sb = sandbox();
    let mut receiver = Receiver::start(&[]).await;
    let signing_key = configure(&sb, &receiver.url, Some(r#"{"delayed":1,"delayMs":700}"#)).await;
    let started = Instant::now();
    let ticket = create_ticket(&sb, TICKET_ALONE).await;
    agent_says(&sb, &ticket, "Before the ticket's own event", false).await;
    let arrivals = receiver.take(2, Duration::from_millis(200)).await;
    let kinds: Vec<_> = arrivals.iter().map(|a| open(&a.body, &signing_key).unwrap().1).collect();
    assert_eq!(kinds, ["message.created", "ticket.created"]);
    assert!(arrivals[0].at - started < Duration::from_millis(500));
    assert!(arrivals[1].at - started >= Duration::from_millis(700));
}

#[tokio::test]
async fn the_control_routes_refuse_what_they_cannot_do() {
    let sb = sandbox();
    for (body, why) in [
        (r#"{"url":"https://relay.example/mava/webhooks"}"#, "plain HTTP"),
        (r#"{"url":"http://"}"#, "needs a host"),
        (r#"{"url":42}"#, "'url'"),
        (r#"{"hook":"http://127.0.0.1/"}"#, "unknown field 'hook'"),
        (r#"{"faults":{"twice":1}}"#, "unknown webhook fault 'twice'"),
        (r#"{"faults":{"delayed":1,"delayMs":-5}}"#, "'delayMs'"),
        (r#"{"retryMs":0}"#, "'retryMs'"),
        ("not json", "send { url, faults, retryMs }"),
    ] {
        let (status, answer) = call(&sb, "POST", "/_sandbox/webhooks", None, body).await;
        assert_eq!(status, 400, "{body}");
        assert!(text(&answer, &["error"]).contains(why), "{body}: {}", answer.to_json());
    }
    let (status, answer) = call(&sb, "POST", "/_sandbox/webhooks", None, r#"{"faults":{"tampered":2}}"#).await;
    assert_eq!((status, get(&answer, &["faults", "tampered"])), (200, &Value::Number(2.0)));
    assert_eq!(call(&sb, "POST", "/_sandbox/reset", None, "").await.0, 200);
    let (_, answer) = call(&sb, "GET", "/_sandbox/webhooks", None, "").await;
    assert_eq!(get(&answer, &["faults", "tampered"]), &Value::Number(0.0), "a reset disarms them");
    let route = "/_sandbox/mava/tickets/64f000000000000000000000/messages";
    let (status, answer) = call(&sb, "POST", route, None, r#"{"content":"Hello"}"#).await;
    assert_eq!((status, text(&answer, &["error"])), (404, "no such Mava ticket"));
    let ticket = create_ticket(&sb, TICKET_ALONE).await;
    let route = format!("/_sandbox/mava/tickets/{ticket}/messages");
    for body in [r#"{"content":""}"#, r#"{"internal":true}"#, r#"{"content":"Hi","internal":"yes"}"#] {
        assert_eq!(call(&sb, "POST", &route, None, body).await.0, 400, "{body}");
    }
}

/// Reads the binary's output until `listening on`; (signing key, base URL).
async fn banner(lines: &mut tokio::io::Lines<BufReader<tokio::process::ChildStdout>>) -> (String, String) {
    let mut key = None;
    while let Some(line) = lines.next_line().await.unwrap() {
        if let Some(k) = line.strip_prefix("mava webhook signing key: ") {
            key = Some(k.to_owned());
        }
        if let Some(url) = line.strip_prefix("listening on ") {
            return (key.expect("the key is printed before `listening on`"), url.to_owned());
        }
    }
    panic!("the sandbox stopped before listening");
}

#[tokio::test]
async fn the_binary_sends_to_its_flag_url_sealed_with_the_key_it_printed() {
    let mut receiver = Receiver::start(&[]).await;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_ticketwire-sandbox"))
        .args(["--port", "0", "--mava-webhook-url", &receiver.url])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (signing_key, base) = tokio::time::timeout(Duration::from_secs(10), banner(&mut lines)).await.unwrap();
    assert!(signing_key.starts_with("mava_wh_MII"), "{signing_key}");
    // A create over real HTTP, as curl sends it.
    let address = base.strip_prefix("http://").unwrap();
    let answer = http(address, "POST", "/mava/api/ticket", TICKET_ALONE).await;
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let arrival = receiver.next(Duration::from_secs(3)).await.expect("a webhook");
    let (_, kind, document) = open(&arrival.body, &signing_key).unwrap();
    assert_eq!((kind.as_str(), text(&document, &["customer", "email"])), ("ticket.created", "ada@example.com"));
    let answer = http(address, "GET", "/_sandbox/webhooks", "").await;
    let settings = Value::from_json(answer.split_once("\r\n\r\n").unwrap().1).unwrap();
    assert_eq!(
        (text(&settings, &["url"]), text(&settings, &["signingKey"])),
        (receiver.url.as_str(), signing_key.as_str())
    );
    child.kill().await.unwrap();
}

/// One raw HTTP/1.1 request with Mava's key; the whole answer.
async fn http(address: &str, method: &str, path: &str, body: &str) -> String {
    let mut stream = TcpStream::connect(address).await.unwrap();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nhost: {address}\r\nx-auth-token: {MAVA}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
}
