//! `verifyMavaWebhook` (CONTRACT §7.1): the host side of the core's
//! [`Verification`](crate::webhook::mava::Verification). It converts the arguments, runs each
//! Web Crypto step the core asks for (`crypto.subtle`: RSA-OAEP, HMAC-SHA256 with its
//! constant-time `verify`, AES-CBC) and hands the results back; every decision is the core's.

use super::error::{set, to_js_error};
use super::sys::call_method;
use crate::webhook::mava::{Event, Refusal, Step, Verification};
use js_sys::{Array, ArrayBuffer, Object, Promise, Reflect, Uint8Array, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

/// Verifies and decrypts one Mava webhook: `body` is the request's exact text or bytes, and
/// `signingKey` the `mava_wh_…` key from Mava's dashboard. Resolves to `{ webhookId, type,
/// document }`; rejects with a `TicketwireError` of kind `webhook` (`code`
/// `WEBHOOK_MALFORMED`, `WEBHOOK_SIGNATURE_INVALID` or `WEBHOOK_PAYLOAD_INVALID`), or of kind
/// `config` for a signing key that is not `mava_wh_` + a PKCS#8 RSA key. No key appears in
/// an error.
#[wasm_bindgen(js_name = verifyMavaWebhook, unchecked_return_type = "Promise<MavaWebhookEvent>")]
pub fn verify_mava_webhook(
    #[wasm_bindgen(unchecked_param_type = "string | ArrayBuffer | Uint8Array")] body: JsValue,
    #[wasm_bindgen(js_name = signingKey, unchecked_param_type = "string")] signing_key: JsValue,
) -> Promise {
    future_to_promise(async move {
        let body = body_bytes(&body);
        let mut verification = Verification::start(body.as_deref(), signing_key.as_string().as_deref());
        drop(signing_key);
        let subtle = subtle();
        let mut rsa_key = None;
        loop {
            let event = match verification.poll() {
                Step::Done(Ok(event)) => {
                    let unreadable = Refusal::PayloadInvalid("the decrypted event could not be handed to JS");
                    return JSON::parse(&event.to_json()).map_err(|_| to_js_error(unreadable.into_failure()));
                }
                Step::Done(Err(refusal)) => return Err(to_js_error(refusal.into_failure())),
                step => run_step(step, subtle.as_ref(), &mut rsa_key).await,
            };
            verification.handle(event);
        }
    })
}

/// Runs one Web Crypto step of a webhook's verification (`subtle`: `crypto.subtle`, if the
/// host has it). `rsa_key` holds the imported signing key: once imported, a relay's later
/// webhooks reuse it rather than import it again.
pub(super) async fn run_step(step: Step<'_>, subtle: Option<&JsValue>, rsa_key: &mut Option<JsValue>) -> Event {
    let Some(subtle) = subtle else { return Event::NoWebCrypto };
    match step {
        Step::ImportKey { .. } if rsa_key.is_some() => Event::KeyImported(true),
        Step::ImportKey { pkcs8 } => {
            let algorithm = algorithm("RSA-OAEP");
            set(&algorithm, "hash", "SHA-1");
            *rsa_key = import_key(subtle, "pkcs8", pkcs8, &algorithm, "decrypt").await;
            Event::KeyImported(rsa_key.is_some())
        }
        Step::DecryptKey { encrypted_key } => {
            let key = rsa_key.clone().unwrap_or(JsValue::UNDEFINED);
            Event::KeyDecrypted(decrypt(subtle, &algorithm("RSA-OAEP"), &key, encrypted_key).await)
        }
        Step::Verify { key, message, mac } => {
            let algorithm = algorithm("HMAC");
            set(&algorithm, "hash", "SHA-256");
            let verified = match import_key(subtle, "raw", key, &algorithm, "verify").await {
                Some(key) => {
                    let args = [&"HMAC".into(), &key, &bytes(mac), &bytes(message.as_bytes())];
                    settle(call_method(subtle, "verify", &args)).await.and_then(|v| v.as_bool())
                }
                None => None,
            };
            Event::Verified(verified == Some(true))
        }
        Step::Decrypt { key, iv, ciphertext } => {
            let algorithm = algorithm("AES-CBC");
            let plaintext = match import_key(subtle, "raw", key, &algorithm, "decrypt").await {
                Some(key) => {
                    set(&algorithm, "iv", bytes(iv));
                    decrypt(subtle, &algorithm, &key, ciphertext).await
                }
                None => None,
            };
            Event::Decrypted(plaintext)
        }
        // Nothing left to run: an answer the machine refuses as out of order.
        Step::Done(_) => Event::Verified(false),
    }
}

/// The body's exact bytes: a string's UTF-8, an `ArrayBuffer`'s or a view's (a `Uint8Array`,
/// a Node `Buffer`); `None` for anything else.
fn body_bytes(body: &JsValue) -> Option<Vec<u8>> {
    if let Some(text) = body.as_string() {
        return Some(text.into_bytes());
    }
    if body.is_instance_of::<ArrayBuffer>() {
        return Some(Uint8Array::new(body).to_vec());
    }
    if ArrayBuffer::is_view(body) {
        let number = |key: &str| Reflect::get(body, &key.into()).ok().and_then(|n| n.as_f64());
        let buffer = Reflect::get(body, &"buffer".into()).ok()?;
        let (offset, length) = (number("byteOffset")?, number("byteLength")?);
        let view = Uint8Array::new_with_byte_offset_and_length(&buffer, offset as u32, length as u32);
        return Some(view.to_vec());
    }
    None
}

/// `crypto.subtle`, if the host has it.
pub(super) fn subtle() -> Option<JsValue> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).ok()?;
    Reflect::get(&crypto, &"subtle".into()).ok().filter(JsValue::is_object)
}

fn algorithm(name: &str) -> Object {
    let algorithm = Object::new();
    set(&algorithm, "name", name);
    algorithm
}

/// A copy of `data` in a JS `Uint8Array` (never a view of wasm memory, which may move).
fn bytes(data: &[u8]) -> JsValue {
    Uint8Array::from(data).into()
}

/// What a Web Crypto call resolved to; `None` when it threw or rejected.
async fn settle(called: Result<JsValue, JsValue>) -> Option<JsValue> {
    JsFuture::from(Promise::resolve(&called.ok()?)).await.ok()
}

/// `crypto.subtle.importKey(format, data, algorithm, false, [usage])`.
async fn import_key(subtle: &JsValue, format: &str, data: &[u8], algorithm: &Object, usage: &str) -> Option<JsValue> {
    let usages = Array::of1(&usage.into());
    settle(call_method(subtle, "importKey", &[&format.into(), &bytes(data), algorithm, &JsValue::FALSE, &usages])).await
}

/// `crypto.subtle.decrypt(algorithm, key, data)`, as bytes.
async fn decrypt(subtle: &JsValue, algorithm: &Object, key: &JsValue, data: &[u8]) -> Option<Vec<u8>> {
    let plaintext = settle(call_method(subtle, "decrypt", &[algorithm, key, &bytes(data)])).await?;
    plaintext.is_instance_of::<ArrayBuffer>().then(|| Uint8Array::new(&plaintext).to_vec())
}
