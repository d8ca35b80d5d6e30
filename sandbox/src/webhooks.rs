//! Mava's webhooks (CONTRACT §7.1, sources/mava-webhooks.md): every ticket and message the
//! sandbox stores is POSTed, encrypted and signed, to the URL set with `--mava-webhook-url` or
//! `POST /_sandbox/webhooks`, once the request's transaction has committed, as Mava's servers
//! would. One URL and one key pair serve every organisation: a run is one Mava business as far
//! as webhooks go. The key pair is made per run (per [`Webhooks`]), on first need.
//!
//! Delivery is HTTP/1.1 over plain TCP (`http://` URLs only: a local relay is the receiver),
//! in a task of its own per event, so neither the API's answer nor another event waits on it;
//! order is not promised, as Mava promises none.

use crate::json::{obj, s};
use crate::pipeline::lock;
use aes::cipher::{block_padding::Pkcs7, BlockEncryptMut, KeyIvInit};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand_core::{OsRng, RngCore};
use rsa::pkcs8::EncodePrivateKey;
use rsa::{Oaep, RsaPrivateKey, RsaPublicKey};
use sha2::Sha256;
use std::collections::VecDeque;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
use ticketwire::value::{Object, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Mava's page: a failed delivery is tried again up to 3 times, about a second apart (the gap
/// can be shortened for tests: `retryMs`).
const RETRIES: u32 = 3;
const RETRY_GAP: Duration = Duration::from_secs(1);
/// How long a receiver has to answer before the attempt counts as failed.
const ANSWER_WITHIN: Duration = Duration::from_secs(5);
/// A delayed delivery's wait when the switch names none.
const DEFAULT_DELAY_MS: u64 = 2_000;
/// How many tries the delivery log keeps (the oldest go first).
const LOG_LENGTH: usize = 200;

/// One event, as a handler records it inside its transaction; sent only once that commits.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    /// `ticket.created`, `message.created`.
    pub kind: &'static str,
    /// The ticket or message, with its `_id`.
    pub document: Value,
}

/// Fault switches for deliveries, each a count of the next events it applies to.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct DeliveryFaults {
    /// The same envelope (same `webhookId`) is POSTed twice.
    pub duplicate: u32,
    /// The payload is altered after signing: a receiver must refuse it.
    pub tampered: u32,
    /// The envelope is POSTed `delay_ms` late.
    pub delayed: u32,
    /// How late a delayed one is.
    pub delay_ms: u64,
}

impl DeliveryFaults {
    /// Reads `{ duplicate, tampered, delayed, delayMs }`: counts (or `true` for one, `false` for
    /// none), all optional.
    fn from_json(value: &Value) -> Result<DeliveryFaults, String> {
        let Value::Object(o) = value else { return Err("'faults' is a JSON object".into()) };
        if let Some((key, _)) = o.iter().find(|(k, _)| !["duplicate", "tampered", "delayed", "delayMs"].contains(k)) {
            return Err(format!("unknown webhook fault '{key}': use duplicate, tampered, delayed, delayMs"));
        }
        let count = |k: &str| -> Result<u64, String> {
            match o.get(k) {
                None | Some(Value::Bool(false)) => Ok(0),
                Some(Value::Bool(true)) => Ok(1),
                Some(Value::Number(n)) if *n >= 0.0 && n.fract() == 0.0 && *n <= u32::MAX as f64 => Ok(*n as u64),
                Some(_) => Err(format!("'{k}' must be a whole number or a boolean")),
            }
        };
        let delay_ms = match o.get("delayMs") {
            None => DEFAULT_DELAY_MS,
            Some(Value::Number(n)) if *n >= 0.0 && n.fract() == 0.0 && *n <= 600_000.0 => *n as u64,
            Some(_) => return Err("'delayMs' must be a whole number of milliseconds, at most 600000".into()),
        };
        Ok(DeliveryFaults {
            duplicate: count("duplicate")? as u32,
            tampered: count("tampered")? as u32,
            delayed: count("delayed")? as u32,
            delay_ms,
        })
    }

    fn to_json(&self) -> Value {
        let n = |v: u64| Value::Number(v as f64);
        obj([
            ("duplicate", n(self.duplicate.into())),
            ("tampered", n(self.tampered.into())),
            ("delayed", n(self.delayed.into())),
            ("delayMs", n(self.delay_ms)),
        ])
    }

    /// Takes one use of each armed switch for the next event.
    fn take(&mut self) -> Applied {
        let one = |count: &mut u32| {
            let on = *count > 0;
            *count = count.saturating_sub(1);
            on
        };
        Applied {
            duplicate: one(&mut self.duplicate),
            tampered: one(&mut self.tampered),
            delay: one(&mut self.delayed).then_some(Duration::from_millis(self.delay_ms)),
        }
    }
}

/// The switches one event got.
#[derive(Debug, Clone, Copy, Default)]
struct Applied {
    duplicate: bool,
    tampered: bool,
    delay: Option<Duration>,
}

/// Where webhooks go, how they are keyed, the armed delivery faults, and what each try got.
#[derive(Default)]
pub(crate) struct Webhooks {
    keys: OnceLock<Keys>,
    settings: Mutex<Settings>,
    log: Mutex<VecDeque<Try>>,
}

/// One POST of an envelope and what the receiver answered, for the delivery log.
#[derive(Debug, Clone)]
struct Try {
    webhook_id: String,
    kind: &'static str,
    /// The event's document `_id` (the ticket's or the message's).
    document_id: String,
    /// 1 for the first try, up to 1 + [`RETRIES`]; a duplicate's second copy counts afresh.
    attempt: u32,
    /// The receiver's status, or why there was none.
    outcome: Result<u16, String>,
}

impl Try {
    fn to_json(&self) -> Value {
        let (status, error) = match &self.outcome {
            Ok(status) => (Value::Number(f64::from(*status)), Value::Null),
            Err(why) => (Value::Null, s(why)),
        };
        obj([
            ("webhookId", s(&self.webhook_id)),
            ("type", s(self.kind)),
            ("documentId", s(&self.document_id)),
            ("attempt", Value::Number(f64::from(self.attempt))),
            ("status", status),
            ("error", error),
        ])
    }
}

struct Settings {
    url: Option<Target>,
    faults: DeliveryFaults,
    retry_gap: Duration,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { url: None, faults: DeliveryFaults::default(), retry_gap: RETRY_GAP }
    }
}

/// The run's key pair: the public half encrypts, the private half is the signing key shown.
struct Keys {
    public: RsaPublicKey,
    signing_key: String,
}

impl Webhooks {
    /// The signing key as Mava's dashboard shows it: `mava_wh_<base64 PKCS#8 DER>`. The first
    /// call makes the 2048-bit key pair.
    pub(crate) fn signing_key(&self) -> &str {
        &self.keys().signing_key
    }

    fn keys(&self) -> &Keys {
        self.keys.get_or_init(|| {
            let private = RsaPrivateKey::new(&mut OsRng, 2048).expect("a 2048-bit RSA key");
            let der = private.to_pkcs8_der().expect("a PKCS#8 encoding of the key");
            Keys { public: private.to_public_key(), signing_key: format!("mava_wh_{}", BASE64.encode(der.as_bytes())) }
        })
    }

    /// Sets the URL (`None`: no webhooks are sent); the error says why a URL is refused.
    pub(crate) fn set_url(&self, url: Option<&str>) -> Result<(), String> {
        let target = url.map(Target::parse).transpose()?;
        lock(&self.settings).url = target;
        Ok(())
    }

    /// Whether a URL is set: handlers build no documents otherwise.
    pub(crate) fn enabled(&self) -> bool {
        lock(&self.settings).url.is_some()
    }

    /// Disarms the delivery faults and empties the delivery log (a reset), keeping the URL and
    /// the key.
    pub(crate) fn clear_faults(&self) {
        lock(&self.settings).faults = DeliveryFaults::default();
        lock(&self.log).clear();
    }

    fn record(&self, entry: Try) {
        let mut log = lock(&self.log);
        if log.len() == LOG_LENGTH {
            log.pop_front();
        }
        log.push_back(entry);
    }

    /// Applies `POST /_sandbox/webhooks {"url": "http://…" | null, "faults": {…}, "retryMs":
    /// 1000}`: each field present is set, each absent one kept.
    pub(crate) fn configure(&self, body: &Object) -> Result<(), String> {
        if let Some((key, _)) = body.iter().find(|(k, _)| !["url", "faults", "retryMs"].contains(k)) {
            return Err(format!("unknown field '{key}': send {{ url, faults, retryMs }}"));
        }
        let retry_gap = match body.get("retryMs") {
            None => None,
            Some(Value::Number(n)) if *n >= 1.0 && n.fract() == 0.0 && *n <= 60_000.0 => {
                Some(Duration::from_millis(*n as u64))
            }
            Some(_) => return Err("'retryMs' is a whole number of milliseconds from 1 to 60000".into()),
        };
        let url = match body.get("url") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(url)) => Some(Some(Target::parse(url)?)),
            Some(_) => return Err("'url' is an http:// URL, or null for none".into()),
        };
        let faults = body.get("faults").map(DeliveryFaults::from_json).transpose()?;
        let mut settings = lock(&self.settings);
        if let Some(url) = url {
            settings.url = url;
        }
        if let Some(faults) = faults {
            settings.faults = faults;
        }
        if let Some(gap) = retry_gap {
            settings.retry_gap = gap;
        }
        Ok(())
    }

    /// `{ url, signingKey, faults, retryMs, deliveries }`, for the control route: `deliveries`
    /// is the log of tries, oldest first, `{ webhookId, type, documentId, attempt, status, error }`.
    pub(crate) fn to_json(&self) -> Value {
        let (url, faults, gap) = {
            let settings = lock(&self.settings);
            (settings.url.as_ref().map(|t| t.url.clone()), settings.faults.to_json(), settings.retry_gap)
        };
        obj([
            ("url", url.map_or(Value::Null, |u| s(&u))),
            ("signingKey", s(self.signing_key())),
            ("faults", faults),
            ("retryMs", Value::Number(gap.as_millis() as f64)),
            ("deliveries", Value::Array(lock(&self.log).iter().map(Try::to_json).collect())),
        ])
    }

    /// Sends each event in a task of its own; call only after the transaction committed, from
    /// within the runtime. Nothing is sent when no URL is set.
    pub(crate) fn send(self: &std::sync::Arc<Self>, events: Vec<Event>) {
        for event in events {
            let (target, applied, gap) = {
                let mut settings = lock(&self.settings);
                let Some(target) = settings.url.clone() else { return };
                (target, settings.faults.take(), settings.retry_gap)
            };
            let webhooks = self.clone();
            tokio::spawn(async move {
                // Sealing (and the key's first making) is CPU work: off the runtime's threads.
                let keys = webhooks.clone();
                let document_id = event.document.as_object().and_then(|d| d.get("_id")).and_then(Value::as_str);
                let document_id = document_id.unwrap_or_default().to_owned();
                let sealed = tokio::task::spawn_blocking(move || seal(&keys.keys().public, &event, applied.tampered));
                let Ok((webhook_id, kind, body)) = sealed.await else { return };
                let record = |attempt: u32, outcome: &Result<u16, String>| {
                    let entry = Try {
                        webhook_id: webhook_id.clone(),
                        kind,
                        document_id: document_id.clone(),
                        attempt,
                        outcome: outcome.clone(),
                    };
                    webhooks.record(entry);
                };
                if let Some(delay) = applied.delay {
                    tokio::time::sleep(delay).await;
                }
                let copies = if applied.duplicate { 2 } else { 1 };
                for _ in 0..copies {
                    if let Err(why) = deliver(&target, &body, gap, record).await {
                        eprintln!(
                            "mava webhook {webhook_id} ({kind}) not delivered to {} after {} tries: {why}",
                            target.url,
                            RETRIES + 1
                        );
                    }
                }
            });
        }
    }
}

/// Encrypts and signs one event as §7.1 says: `(webhookId, type, envelope JSON)`. A tampered
/// one has a bit of its ciphertext flipped after signing (still base64, still the same length).
fn seal(public: &RsaPublicKey, event: &Event, tampered: bool) -> (String, &'static str, String) {
    let mut aes_key = [0u8; 32];
    let mut iv = [0u8; 16];
    let mut id = [0u8; 12];
    OsRng.fill_bytes(&mut aes_key);
    OsRng.fill_bytes(&mut iv);
    OsRng.fill_bytes(&mut id);
    let plaintext = obj([("type", s(event.kind)), ("document", event.document.clone())]).to_json();
    let mut ciphertext = cbc::Encryptor::<aes::Aes256>::new(&aes_key.into(), &iv.into())
        .encrypt_padded_vec_mut::<Pkcs7>(plaintext.as_bytes());
    let payload = BASE64.encode(&ciphertext);
    let wrapped = public.encrypt(&mut OsRng, Oaep::new::<sha1::Sha1>(), &aes_key).expect("32 bytes fit RSA-OAEP");
    let mut mac = Hmac::<Sha256>::new_from_slice(BASE64.encode(aes_key).as_bytes()).expect("HMAC takes any key");
    mac.update(payload.as_bytes());
    let signature = hex(&mac.finalize().into_bytes());
    let payload = if tampered {
        ciphertext[0] ^= 1;
        BASE64.encode(&ciphertext)
    } else {
        payload
    };
    let webhook_id = hex(&id);
    let envelope = obj([
        ("signature", s(&signature)),
        ("payload", s(&payload)),
        ("key", s(&format!("{}:{}", hex(&iv), BASE64.encode(wrapped)))),
        ("webhookId", s(&webhook_id)),
    ]);
    (webhook_id, event.kind, envelope.to_json())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// POSTs `body`, then again up to [`RETRIES`] times, `gap` apart, until a 2xx; `record` is
/// told each try's number (from 1) and outcome.
async fn deliver(
    target: &Target,
    body: &str,
    gap: Duration,
    record: impl Fn(u32, &Result<u16, String>),
) -> Result<(), String> {
    let mut why = String::new();
    for attempt in 0..=RETRIES {
        if attempt > 0 {
            tokio::time::sleep(gap).await;
        }
        let outcome = match tokio::time::timeout(ANSWER_WITHIN, post(target, body)).await {
            Ok(Ok(status)) => Ok(status),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err(format!("no answer within {} s", ANSWER_WITHIN.as_secs())),
        };
        record(attempt + 1, &outcome);
        why = match outcome {
            Ok(status) if (200..300).contains(&status) => return Ok(()),
            Ok(status) => format!("answered {status}"),
            Err(why) => why,
        };
    }
    Err(why)
}

/// An `http://` URL, split for a raw HTTP/1.1 request.
#[derive(Debug, Clone)]
struct Target {
    /// As given, for the control route and logs.
    url: String,
    /// `host:port` to connect to.
    address: String,
    /// The `Host` header.
    host: String,
    /// The request target: path and query.
    path: String,
}

impl Target {
    fn parse(url: &str) -> Result<Target, String> {
        let Some(rest) = url.strip_prefix("http://") else {
            return Err("the sandbox sends webhooks over plain HTTP: give an http:// URL".into());
        };
        let rest = rest.split('#').next().unwrap_or("");
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (host, path) = rest.split_at(end);
        let valid = |b: u8| b.is_ascii_alphanumeric() || b"-._:[]".contains(&b);
        if host.is_empty() || !host.bytes().all(valid) || path.bytes().any(|b| b <= b' ' || b == 0x7f) {
            return Err("the URL needs a host (name or address, optional port) and no spaces".into());
        }
        let has_port =
            host.rsplit_once(':').is_some_and(|(_, p)| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        let address = if has_port && !host.ends_with(']') { host.to_owned() } else { format!("{host}:80") };
        let path = if path.starts_with('/') { path.to_owned() } else { format!("/{path}") };
        Ok(Target { url: url.to_owned(), address, host: host.to_owned(), path })
    }
}

/// One POST; the status of the answer.
async fn post(target: &Target, body: &str) -> std::io::Result<u16> {
    let mut stream = tokio::net::TcpStream::connect(&target.address).await?;
    let request = format!(
        "POST {} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         user-agent: ticketwire-sandbox (Mava webhooks)\r\nconnection: close\r\n\r\n{body}",
        target.path,
        target.host,
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut head = Vec::new();
    let mut chunk = [0u8; 1024];
    let line = loop {
        if let Some(end) = head.windows(2).position(|w| w == b"\r\n") {
            break String::from_utf8_lossy(&head[..end]).into_owned();
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 || head.len() > 8_192 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "closed before a status line"));
        }
        head.extend_from_slice(&chunk[..n]);
    };
    let status = line.split(' ').nth(1).and_then(|code| code.parse().ok()).filter(|_| line.starts_with("HTTP/1."));
    // Read the rest, so the receiver's close is orderly; its answer is not needed.
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        while stream.read(&mut chunk).await? > 0 {}
        std::io::Result::Ok(())
    })
    .await;
    status.ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("not an HTTP answer: {line:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_for_a_raw_request() {
        let t = Target::parse("http://127.0.0.1:8787/relay/mava/webhooks?x=1").unwrap();
        assert_eq!(
            (t.address.as_str(), t.host.as_str(), t.path.as_str()),
            ("127.0.0.1:8787", "127.0.0.1:8787", "/relay/mava/webhooks?x=1")
        );
        let t = Target::parse("http://localhost").unwrap();
        assert_eq!((t.address.as_str(), t.path.as_str()), ("localhost:80", "/"));
        let t = Target::parse("http://[::1]:9000/hook#frag").unwrap();
        assert_eq!((t.address.as_str(), t.path.as_str()), ("[::1]:9000", "/hook"));
        assert_eq!(Target::parse("http://[::1]/").unwrap().address, "[::1]:80");
        for bad in
            ["https://example.com/", "ftp://x", "http:///path", "http://a b/", "http://user@host/", "http://h/a b"]
        {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn each_switch_applies_to_as_many_events_as_it_counts() {
        let faults = Value::from_json(r#"{"duplicate":2,"tampered":true,"delayed":1,"delayMs":5}"#).unwrap();
        let mut faults = DeliveryFaults::from_json(&faults).unwrap();
        let first = faults.take();
        assert!(first.duplicate && first.tampered && first.delay == Some(Duration::from_millis(5)));
        let second = faults.take();
        assert!(second.duplicate && !second.tampered && second.delay.is_none());
        let third = faults.take();
        assert!(!third.duplicate);
        for bad in [r#"{"twice":1}"#, r#"{"duplicate":-1}"#, r#"{"delayMs":"5"}"#, "[]"] {
            assert!(DeliveryFaults::from_json(&Value::from_json(bad).unwrap()).is_err(), "{bad}");
        }
    }
}
