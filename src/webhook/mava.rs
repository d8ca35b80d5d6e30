//! Mava's webhooks (CONTRACT §7.1): the envelope `{ signature, payload, key, webhookId }`, its
//! verification and its decryption, as a sans-IO machine in the shape of
//! [`Exchange`](crate::relay::exchange::Exchange). The host asks [`Verification::poll`] for the
//! next Web Crypto step (import the signing key, RSA-decrypt the event's key, verify the HMAC,
//! AES-decrypt the payload), does it, and hands back what happened with
//! [`Verification::handle`]. Every decision is here: what each field must be, the order of
//! the steps (the payload is never decrypted before its signature holds), and what each
//! refusal is called.
//!
//! What Mava signs is the `payload` string alone: neither the IV nor `webhookId` is covered by
//! the signature (Mava's scheme; a receiver cannot do better than check what is signed).

use super::encoding::{from_base64, from_hex, is_hex, to_base64};
use crate::error::{ErrorKind, Failure};
use crate::provider::Provider;
use crate::value::{Object, Value};

/// What the signing key Mava's dashboard shows starts with; base64 of a PKCS#8 DER follows.
pub const SIGNING_KEY_PREFIX: &str = "mava_wh_";
/// The `operation` of every error of a webhook's verification.
pub const OPERATION: &str = "verifyWebhook";
/// The code of a body that is not Mava's envelope.
pub const MALFORMED: &str = "WEBHOOK_MALFORMED";
/// The code of an envelope whose key does not decrypt or whose signature differs.
pub const SIGNATURE_INVALID: &str = "WEBHOOK_SIGNATURE_INVALID";
/// The code of a signed envelope whose payload does not decrypt to the event.
pub const PAYLOAD_INVALID: &str = "WEBHOOK_PAYLOAD_INVALID";

/// The IV's length in bytes (AES's block).
pub const IV_BYTES: usize = 16;
/// The HMAC-SHA256's length in bytes.
const MAC_BYTES: usize = 32;
/// `rsaEncryption` (1.2.840.113549.1.1.1), as its DER object identifier's content.
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// Why a webhook was refused. The reason is always one of this module's own sentences, so no
/// key, nor anything else the body or the signing key held, can reach an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The signing key is not `mava_wh_` + a PKCS#8 RSA private key, or the host has no Web
    /// Crypto (`kind: "config"`).
    Config(&'static str),
    /// The body is not Mava's envelope ([`MALFORMED`]).
    Malformed(&'static str),
    /// The event's key does not decrypt with the signing key, or the HMAC differs ([`SIGNATURE_INVALID`]).
    SignatureInvalid(&'static str),
    /// Signed, but not decryptable to the UTF-8 JSON `{ type, document }` ([`PAYLOAD_INVALID`]).
    PayloadInvalid(&'static str),
}

impl Refusal {
    /// The error's `code`: `None` for a config error.
    pub fn code(self) -> Option<&'static str> {
        match self {
            Refusal::Config(_) => None,
            Refusal::Malformed(_) => Some(MALFORMED),
            Refusal::SignatureInvalid(_) => Some(SIGNATURE_INVALID),
            Refusal::PayloadInvalid(_) => Some(PAYLOAD_INVALID),
        }
    }

    /// Why, in one sentence.
    pub fn reason(self) -> &'static str {
        match self {
            Refusal::Config(why)
            | Refusal::Malformed(why)
            | Refusal::SignatureInvalid(why)
            | Refusal::PayloadInvalid(why) => why,
        }
    }

    /// The `TicketwireError` this refusal is: kind `config` or `webhook`, provider `mava`,
    /// operation [`OPERATION`].
    pub fn into_failure(self) -> Failure {
        let (kind, message) = match self.code() {
            None => (ErrorKind::Config, format!("verifyMavaWebhook: {}", self.reason())),
            Some(code) => (ErrorKind::Webhook, format!("Mava webhook refused ({code}): {}", self.reason())),
        };
        Failure::handed(kind, Provider::Mava, OPERATION, self.code(), message)
    }
}

/// The envelope Mava POSTs, its fields decoded (all but the signed `payload`, which is only
/// read once its signature holds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The HMAC-SHA256 `signature` carries (32 bytes).
    pub signature: Vec<u8>,
    /// The exact `payload` string: what the HMAC is over, and the ciphertext's text.
    pub payload: String,
    /// The IV, the first part of `key`.
    pub iv: [u8; IV_BYTES],
    /// The event's symmetric key, RSA-OAEP encrypted: the second part of `key`.
    pub encrypted_key: Vec<u8>,
    /// `webhookId`: the same on every retry of one webhook.
    pub webhook_id: String,
}

/// The PKCS#8 DER of the RSA private key in a signing key `mava_wh_<base64>` (surrounding
/// whitespace ignored, as a pasted key often has some).
pub fn read_signing_key(text: &str) -> Result<Vec<u8>, Refusal> {
    let Some(encoded) = text.trim().strip_prefix(SIGNING_KEY_PREFIX) else {
        return Err(Refusal::Config("the signing key must start with `mava_wh_`, as Mava's dashboard shows it"));
    };
    let der = from_base64(encoded)
        .ok_or(Refusal::Config("the signing key is not `mava_wh_` followed by base64 (a PKCS#8 RSA private key)"))?;
    if !is_pkcs8_rsa(&der) {
        return Err(Refusal::Config("the signing key is not a PKCS#8 RSA private key after `mava_wh_`"));
    }
    Ok(der)
}

/// One DER element: its tag, its content and what follows it.
fn der_element(bytes: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = bytes.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (length, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let length = rest[..count].iter().fold(0usize, |acc, b| acc << 8 | usize::from(*b));
        (length, &rest[count..])
    };
    (rest.len() >= length).then(|| (tag, &rest[..length], &rest[length..]))
}

/// Whether `der` is a PKCS#8 `PrivateKeyInfo` for `rsaEncryption`: the outer SEQUENCE whole,
/// version 0 or 1, the algorithm, and a private key. Web Crypto's import checks the rest.
pub fn is_pkcs8_rsa(der: &[u8]) -> bool {
    let check = || -> Option<bool> {
        let (0x30, info, []) = der_element(der)? else { return Some(false) };
        let (0x02, version, info) = der_element(info)? else { return Some(false) };
        let (0x30, algorithm, info) = der_element(info)? else { return Some(false) };
        let (0x06, oid, _) = der_element(algorithm)? else { return Some(false) };
        let (0x04, key, _) = der_element(info)? else { return Some(false) };
        Some(matches!(version, [0] | [1]) && oid == RSA_ENCRYPTION && !key.is_empty())
    };
    check() == Some(true)
}

/// The envelope in a request body (its exact bytes): a JSON object with the four fields,
/// each well formed; other fields are ignored.
pub fn parse_envelope(body: &[u8]) -> Result<Envelope, Refusal> {
    let text = std::str::from_utf8(body).map_err(|_| Refusal::Malformed("the body is not UTF-8"))?;
    let value = Value::from_json(text).map_err(|_| Refusal::Malformed("the body is not JSON"))?;
    let object = value.as_object().ok_or(Refusal::Malformed("the body is not a JSON object"))?;
    let field = |name: &str, missing: &'static str| -> Result<String, Refusal> {
        match object.get(name).and_then(Value::as_str) {
            Some(text) if !text.is_empty() => Ok(text.to_owned()),
            _ => Err(Refusal::Malformed(missing)),
        }
    };
    let signature = field("signature", "`signature` is missing, empty or not a string")?;
    let payload = field("payload", "`payload` is missing, empty or not a string")?;
    let key = field("key", "`key` is missing, empty or not a string")?;
    let webhook_id = field("webhookId", "`webhookId` is missing, empty or not a string")?;
    let signature = (signature.len() == 2 * MAC_BYTES)
        .then(|| from_hex(&signature))
        .flatten()
        .ok_or(Refusal::Malformed("`signature` is not 64 hex digits (an HMAC-SHA256)"))?;
    let (iv, encrypted_key) =
        key.split_once(':').ok_or(Refusal::Malformed("`key` is not `<iv>:<encrypted key>` (it has no `:`)"))?;
    let iv =
        decode_iv(iv).ok_or(Refusal::Malformed("the IV in `key` is neither 32 hex digits nor base64 of 16 bytes"))?;
    let encrypted_key =
        from_base64(encrypted_key).ok_or(Refusal::Malformed("the encrypted key in `key` is not base64"))?;
    Ok(Envelope { signature, payload, iv, encrypted_key, webhook_id })
}

/// An IV written as 32 hex digits (either case) or as base64 of 16 bytes.
pub fn decode_iv(text: &str) -> Option<[u8; IV_BYTES]> {
    let bytes = if text.len() == 2 * IV_BYTES && is_hex(text) { from_hex(text) } else { from_base64(text) };
    bytes?.try_into().ok()
}

/// A ciphertext of whole AES blocks written as hex (either case) or as base64. Text of hex
/// digits only, a whole number of blocks long, is read as hex: a base64 ciphertext of a block
/// or more is all hex digits about once in 10^11.
pub fn decode_ciphertext(text: &str) -> Option<Vec<u8>> {
    let bytes = if is_hex(text) && text.len() % (2 * IV_BYTES) == 0 { from_hex(text) } else { from_base64(text) };
    bytes.filter(|b| !b.is_empty() && b.len() % IV_BYTES == 0)
}

/// What the HMAC is keyed with: the UTF-8 bytes of the symmetric key's base64 text (Mava's
/// sample: `createHmac('sha256', key.toString('base64'))`).
pub fn hmac_key(symmetric_key: &[u8]) -> Vec<u8> {
    to_base64(symmetric_key).into_bytes()
}

/// A verified, decrypted Mava event.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    /// The envelope's `webhookId` (not signed by Mava: the same on each retry of one webhook).
    pub webhook_id: String,
    /// `type`: `ticket.created`, `message.created`, …
    pub event_type: String,
    /// `document`: the ticket, message or customer, as Mava wrote it.
    pub document: Object,
}

impl WebhookEvent {
    /// `{ webhookId, type, document }` as JSON text, for the host to parse once.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"webhookId\":");
        crate::json::write_json_string(&self.webhook_id, &mut out);
        out.push_str(",\"type\":");
        crate::json::write_json_string(&self.event_type, &mut out);
        out.push_str(",\"document\":");
        crate::json::write_json_object(self.document.iter(), &mut out);
        out.push('}');
        out
    }
}

/// The event in a decrypted payload: UTF-8 JSON `{ type: string, document: object }` (other
/// fields ignored).
pub fn read_event(webhook_id: &str, plaintext: &[u8]) -> Result<WebhookEvent, Refusal> {
    let text =
        std::str::from_utf8(plaintext).map_err(|_| Refusal::PayloadInvalid("the decrypted payload is not UTF-8"))?;
    let value = Value::from_json(text).map_err(|_| Refusal::PayloadInvalid("the decrypted payload is not JSON"))?;
    let Value::Object(object) = value else {
        return Err(Refusal::PayloadInvalid("the decrypted payload is not a JSON object"));
    };
    let event_type = match object.get("type").and_then(Value::as_str) {
        Some(t) if !t.is_empty() => t.to_owned(),
        _ => return Err(Refusal::PayloadInvalid("the decrypted event's `type` is missing, empty or not a string")),
    };
    let document = match object.get("document") {
        Some(Value::Object(document)) => document.clone(),
        _ => return Err(Refusal::PayloadInvalid("the decrypted event's `document` is missing or not an object")),
    };
    Ok(WebhookEvent { webhook_id: webhook_id.to_owned(), event_type, document })
}

/// What the host must do next.
#[derive(Debug, PartialEq)]
pub enum Step<'a> {
    /// Import `pkcs8` as an RSA-OAEP private key with SHA-1 (`importKey("pkcs8", …,
    /// { name: "RSA-OAEP", hash: "SHA-1" }, false, ["decrypt"])`), then [`Event::KeyImported`].
    ImportKey {
        /// The PKCS#8 DER.
        pkcs8: &'a [u8],
    },
    /// Decrypt `encrypted_key` with the imported key (RSA-OAEP), then [`Event::KeyDecrypted`].
    DecryptKey {
        /// The event's symmetric key, encrypted.
        encrypted_key: &'a [u8],
    },
    /// Verify that `mac` is the HMAC-SHA256 of `message`'s UTF-8 bytes under `key` (Web
    /// Crypto's `verify`, which compares in constant time), then [`Event::Verified`].
    Verify {
        /// The HMAC key's bytes.
        key: &'a [u8],
        /// The signed text.
        message: &'a str,
        /// The MAC the envelope carries.
        mac: &'a [u8],
    },
    /// Decrypt `ciphertext` with AES-CBC (PKCS#7 padding) under `key` and `iv`, then
    /// [`Event::Decrypted`].
    Decrypt {
        /// The symmetric key: 16, 24 or 32 bytes.
        key: &'a [u8],
        /// The IV.
        iv: &'a [u8; IV_BYTES],
        /// Whole AES blocks.
        ciphertext: &'a [u8],
    },
    /// The verification is over: the event, or why it was refused.
    Done(Result<&'a WebhookEvent, Refusal>),
}

/// What the host did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The host has no Web Crypto (`crypto.subtle`) to do the step with.
    NoWebCrypto,
    /// Whether the signing key was imported.
    KeyImported(bool),
    /// The decrypted symmetric key, or `None` when it did not decrypt.
    KeyDecrypted(Option<Vec<u8>>),
    /// Whether the signature verified.
    Verified(bool),
    /// The decrypted payload, or `None` when it did not decrypt (or the key was refused).
    Decrypted(Option<Vec<u8>>),
}

#[derive(Debug)]
enum Stage {
    ImportKey { pkcs8: Vec<u8>, envelope: Envelope },
    DecryptKey { envelope: Envelope },
    Verify { envelope: Envelope, key: Vec<u8>, hmac_key: Vec<u8> },
    Decrypt { webhook_id: String, key: Vec<u8>, iv: [u8; IV_BYTES], ciphertext: Vec<u8> },
    Done(Result<WebhookEvent, Refusal>),
}

/// One webhook's verification, from its body to its event.
#[derive(Debug)]
pub struct Verification {
    stage: Stage,
}

impl Verification {
    /// Starts verifying `body` (its exact bytes; `None` when the host was given something that
    /// is neither text nor bytes) with `signing_key` (`None` when it is not a string): the
    /// signing key is read first, then the envelope.
    pub fn start(body: Option<&[u8]>, signing_key: Option<&str>) -> Verification {
        let started = || -> Result<Stage, Refusal> {
            let signing_key = signing_key.ok_or(Refusal::Config("the signing key must be a string (`mava_wh_…`)"))?;
            let pkcs8 = read_signing_key(signing_key)?;
            let body = body.ok_or(Refusal::Malformed(
                "the body must be the request's exact text or bytes (a string, ArrayBuffer or Uint8Array)",
            ))?;
            Ok(Stage::ImportKey { pkcs8, envelope: parse_envelope(body)? })
        };
        Verification { stage: started().unwrap_or_else(|refusal| Stage::Done(Err(refusal))) }
    }

    /// What the host must do next; the same until [`handle`](Self::handle) is called.
    pub fn poll(&self) -> Step<'_> {
        match &self.stage {
            Stage::ImportKey { pkcs8, .. } => Step::ImportKey { pkcs8 },
            Stage::DecryptKey { envelope } => Step::DecryptKey { encrypted_key: &envelope.encrypted_key },
            Stage::Verify { envelope, hmac_key, .. } => {
                Step::Verify { key: hmac_key, message: &envelope.payload, mac: &envelope.signature }
            }
            Stage::Decrypt { key, iv, ciphertext, .. } => Step::Decrypt { key, iv, ciphertext },
            Stage::Done(end) => Step::Done(end.as_ref().map_err(|refusal| *refusal)),
        }
    }

    /// Whether the verification is over.
    pub fn is_done(&self) -> bool {
        matches!(self.stage, Stage::Done(_))
    }

    /// Takes what the host did for the current step. An event the step did not ask for refuses
    /// the webhook, never a panic and never a pass.
    pub fn handle(&mut self, event: Event) {
        let stage = std::mem::replace(&mut self.stage, Stage::Done(Err(OUT_OF_ORDER)));
        self.stage = match (stage, event) {
            (Stage::Done(end), _) => Stage::Done(end),
            (_, Event::NoWebCrypto) => {
                Stage::Done(Err(Refusal::Config("this host has no Web Crypto (crypto.subtle) to verify webhooks with")))
            }
            (Stage::ImportKey { envelope, .. }, Event::KeyImported(true)) => Stage::DecryptKey { envelope },
            (Stage::ImportKey { .. }, Event::KeyImported(false)) => Stage::Done(Err(Refusal::Config(
                "the signing key is not an RSA private key Web Crypto imports for RSA-OAEP (SHA-1)",
            ))),
            (Stage::DecryptKey { envelope }, Event::KeyDecrypted(key)) => match key {
                Some(key) if !key.is_empty() => Stage::Verify { hmac_key: hmac_key(&key), key, envelope },
                _ => {
                    Stage::Done(Err(Refusal::SignatureInvalid("the event's key does not decrypt with the signing key")))
                }
            },
            (Stage::Verify { envelope, key, .. }, Event::Verified(verified)) => {
                if !verified {
                    Stage::Done(Err(Refusal::SignatureInvalid("the signature does not match the payload")))
                } else {
                    decrypting(envelope, key)
                }
            }
            (Stage::Decrypt { webhook_id, .. }, Event::Decrypted(plaintext)) => match plaintext {
                Some(plaintext) => Stage::Done(read_event(&webhook_id, &plaintext)),
                None => {
                    Stage::Done(Err(Refusal::PayloadInvalid("the payload does not decrypt (AES-CBC, PKCS#7 padding)")))
                }
            },
            (_, _) => Stage::Done(Err(OUT_OF_ORDER)),
        };
    }
}

/// What an event the current step did not ask for ends in: a refusal, as nothing was verified.
const OUT_OF_ORDER: Refusal = Refusal::SignatureInvalid("the verification's steps were done out of order");

/// Once the signature holds: the payload's ciphertext and the key, checked for AES-CBC.
fn decrypting(envelope: Envelope, key: Vec<u8>) -> Stage {
    if ![16, 24, 32].contains(&key.len()) {
        return Stage::Done(Err(Refusal::PayloadInvalid("the event's key is not an AES key (16, 24 or 32 bytes)")));
    }
    match decode_ciphertext(&envelope.payload) {
        Some(ciphertext) => Stage::Decrypt { webhook_id: envelope.webhook_id, key, iv: envelope.iv, ciphertext },
        None => Stage::Done(Err(Refusal::PayloadInvalid("the payload is neither base64 nor hex of whole AES blocks"))),
    }
}

#[cfg(test)]
mod tests;
