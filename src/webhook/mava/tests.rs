//! Every §7.1 rule and refusal of Mava's webhooks, on the core alone: the host's Web Crypto
//! results are scripted (the real cryptography runs in `tests/node/webhook.test.mjs`).

use super::*;
use crate::webhook::encoding::to_base64;

/// A PKCS#8 RSA private key (512 bits: only its shape matters here).
const RSA_PKCS8: &str = "MIIBVAIBADANBgkqhkiG9w0BAQEFAASCAT4wggE6AgEAAkEAt+qjm+yf/KMLaodDzfdA6vrjO6o2nZQoEaA/NkGhrVATpKtust06kHKfFENEe+vSYWXIHAPPTHXZwy12UcwhsQIDAQABAkBKi+ztEqh2eo/yCgnNvl6t4Cuiz4d7r8Xd/xogH9IssQyadZwaHSnKWXE0VL30ABIPKhga7wJZtmXPrzfDq5yRAiEA27mlGIaX0DVxTPYr0Fe8UZXfeKRBcNZdketx7Rsyap8CIQDWR5jB4T5mizyS8Fq8uIn01UairxWywn2XJ7/IGLFhrwIgJAt1UOurdeV+e7CaiWgLJZsfeMwBTEBuQyTLoKjogWMCIFSt6J090TYe8iozV/haiRI7MnXZ8R46o/0XFUATGg47AiEA2GMSiimgbBX5ILmmFeYyleNamGWUo9vgrqJrxUIYiLI=";
/// The same key in PKCS#1 (`BEGIN RSA PRIVATE KEY`), not PKCS#8.
const RSA_PKCS1: &str = "MIIBOgIBAAJBALfqo5vsn/yjC2qHQ833QOr64zuqNp2UKBGgPzZBoa1QE6SrbrLdOpBynxRDRHvr0mFlyBwDz0x12cMtdlHMIbECAwEAAQJASovs7RKodnqP8goJzb5ereAros+He6/F3f8aIB/SLLEMmnWcGh0pyllxNFS99AASDyoYGu8CWbZlz683w6uckQIhANu5pRiGl9A1cUz2K9BXvFGV33ikQXDWXZHrce0bMmqfAiEA1keYweE+Zos8kvBavLiJ9NVGoq8VssJ9lye/yBixYa8CICQLdVDrq3XlfnuwmoloCyWbH3jMAUxAbkMky6Co6IFjAiBUreidPdE2HvIqM1f4WokSOzJ12fEeOqP9FxVAExoOOwIhANhjEoopoGwV+SC5phXmMpXjWphllKPb4K6ia8VCGIiy";
/// A PKCS#8 EC (P-256) private key.
const EC_PKCS8: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgufPhxQmyOdDAQkjsRJT8R2mnpxq8CMjlJB56P6ZBwkqhRANCAATEKaNm/kwm30GSGQVUtAEMFlsWPXGuTCPrhjX+/ZyWnrZ+/NmmjP/nvk6/LTQdOqJGYpaN/4ggGSOi3G8LKw9b";
/// A PKCS#8 RSA-PSS private key: RSA, but not for RSA-OAEP.
const PSS_PKCS8: &str = "MIIBUQIBADALBgkqhkiG9w0BAQoEggE9MIIBOQIBAAJBAKnAJfbNNmHMT/Dn8oUfBLsREEyPiKiYpdwQZ46XFojtmEOBfn4mA5d25kKIzAIOvafDvIBD23MuN+eQ9W0ux8kCAwEAAQJADk7X5Fmfv9aM1m12j6nxqCLkEM/4YN2c/VOUpvwtNhVNmcvkG9TskaUVxYFusyrCle0+fkSZ3uTlJ6HIz9FiAQIhANhAIaSEkKiHe9Cl1vfROkAXoDpnLQjeYeQEc1z8QM7ZAiEAyPPrWVbHM9RmQcvQ9kWGLo/2Eoavv7JUY56TqE8XCnECIB0nECIAqQu/MAbhxIgmEadASB53eE/AwwudOfwoGYiJAiB+9g0VzsvgpStOGrWVQuu5816m6c2UMdk7b28fAYkvIQIgSJ6kg01x8f35scXeEAfPpZJH98dAfHBirdHPUjCCxck=";

fn signing_key() -> String {
    format!("{SIGNING_KEY_PREFIX}{RSA_PKCS8}")
}

const SIGNATURE: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
const IV_HEX: &str = "00112233445566778899aabbccddeeff";
const IV: [u8; 16] = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff];
const ENCRYPTED_KEY: &[u8] = b"an RSA-OAEP ciphertext";
/// Two AES blocks, as base64.
const PAYLOAD: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const SYMMETRIC_KEY: [u8; 32] = [7; 32];
const EVENT: &str = r#"{"type":"ticket.created","document":{"_id":"t1","status":"Open","customer":{"name":"Jane"}}}"#;

/// An envelope with these fields' JSON (each `None` left out).
fn envelope_with(
    signature: Option<&str>,
    payload: Option<&str>,
    key: Option<&str>,
    webhook_id: Option<&str>,
) -> String {
    let fields = [("signature", signature), ("payload", payload), ("key", key), ("webhookId", webhook_id)];
    let written: Vec<String> = fields.iter().filter_map(|(name, v)| v.map(|v| format!(r#""{name}":{v}"#))).collect();
    format!("{{{}}}", written.join(","))
}

fn quoted(text: &str) -> String {
    let mut out = String::new();
    crate::json::write_json_string(text, &mut out);
    out
}

fn key_field(iv: &str) -> String {
    quoted(&format!("{iv}:{}", to_base64(ENCRYPTED_KEY)))
}

fn envelope() -> String {
    envelope_with(Some(&quoted(SIGNATURE)), Some(&quoted(PAYLOAD)), Some(&key_field(IV_HEX)), Some(r#""wh_1""#))
}

fn malformed(body: &str) -> &'static str {
    match parse_envelope(body.as_bytes()) {
        Err(Refusal::Malformed(why)) => why,
        other => panic!("{body}: {other:?}"),
    }
}

fn config(key: &str) -> &'static str {
    match read_signing_key(key) {
        Err(Refusal::Config(why)) => why,
        other => panic!("{key}: {other:?}"),
    }
}

#[test]
fn the_signing_key_is_the_pkcs8_der_after_its_prefix() {
    let der = from_base64(RSA_PKCS8).unwrap();
    assert_eq!(read_signing_key(&signing_key()), Ok(der.clone()));
    assert_eq!(read_signing_key(&format!("  {}\n", signing_key())), Ok(der), "pasted with whitespace");
}

#[test]
fn a_signing_key_without_its_prefix_is_a_config_error() {
    let expected = "the signing key must start with `mava_wh_`, as Mava's dashboard shows it";
    assert_eq!(config(RSA_PKCS8), expected);
    assert_eq!(config(&format!("MAVA_WH_{RSA_PKCS8}")), expected);
    assert_eq!(config(&format!("mava_{RSA_PKCS8}")), expected);
    assert_eq!(config(""), expected);
}

#[test]
fn a_signing_key_that_is_not_base64_is_a_config_error() {
    for key in ["mava_wh_", "mava_wh_not base64!", "mava_wh_AAAAA", "mava_wh_ab:cd"] {
        assert_eq!(
            config(key),
            "the signing key is not `mava_wh_` followed by base64 (a PKCS#8 RSA private key)",
            "{key}"
        );
    }
}

#[test]
fn a_signing_key_that_is_not_a_pkcs8_rsa_key_is_a_config_error() {
    let der = from_base64(RSA_PKCS8).unwrap();
    let mut trailing = der.clone();
    trailing.push(0);
    let others = [
        RSA_PKCS1.to_owned(),
        EC_PKCS8.to_owned(),
        PSS_PKCS8.to_owned(),
        to_base64(&der[..der.len() - 1]),
        to_base64(&trailing),
        to_base64(b"a key that is not DER"),
    ];
    for other in others {
        let key = format!("{SIGNING_KEY_PREFIX}{other}");
        assert_eq!(config(&key), "the signing key is not a PKCS#8 RSA private key after `mava_wh_`", "{other}");
    }
}

#[test]
fn der_reading_survives_lengths_that_lie() {
    for der in [
        &[][..],
        &[0x30],
        &[0x30, 0x80],
        &[0x30, 0x85, 1, 1, 1, 1, 1],
        &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff],
        &[0x30, 0x02, 0x02],
    ] {
        assert!(!is_pkcs8_rsa(der), "{der:?}");
    }
}

#[test]
fn an_envelope_reads_into_its_decoded_fields() {
    let parsed = parse_envelope(envelope().as_bytes()).unwrap();
    assert_eq!(parsed.signature, from_hex(SIGNATURE).unwrap());
    assert_eq!(parsed.payload, PAYLOAD);
    assert_eq!(parsed.iv, IV);
    assert_eq!(parsed.encrypted_key, ENCRYPTED_KEY);
    assert_eq!(parsed.webhook_id, "wh_1");
}

#[test]
fn the_iv_may_be_hex_in_either_case_or_base64_and_other_fields_are_ignored() {
    for iv in
        [IV_HEX.to_owned(), IV_HEX.to_uppercase(), to_base64(&IV), to_base64(&IV).trim_end_matches('=').to_owned()]
    {
        let body = format!(
            r#"{{"extra":[1],"webhookId":"w","key":{},"payload":"p","signature":{}}}"#,
            key_field(&iv),
            quoted(&SIGNATURE.to_uppercase())
        );
        let parsed = parse_envelope(body.as_bytes()).unwrap();
        assert_eq!((parsed.iv, parsed.signature.len()), (IV, 32), "{iv}");
    }
}

#[test]
fn a_body_that_is_not_a_json_object_is_malformed() {
    assert_eq!(malformed("{\"signature\":"), "the body is not JSON");
    assert_eq!(malformed(""), "the body is not JSON");
    assert_eq!(malformed("[1]"), "the body is not a JSON object");
    assert_eq!(malformed("\"text\""), "the body is not a JSON object");
    assert_eq!(parse_envelope(&[b'{', 0xff, b'}']), Err(Refusal::Malformed("the body is not UTF-8")));
}

#[test]
fn each_missing_empty_or_odd_field_is_malformed() {
    let (s, p, k, w) = (quoted(SIGNATURE), quoted(PAYLOAD), key_field(IV_HEX), r#""wh_1""#.to_owned());
    let bad = ["", "1", r#""""#, "null", "{}"];
    for odd in bad {
        let odd = (!odd.is_empty()).then_some(odd);
        assert_eq!(
            malformed(&envelope_with(odd, Some(&p), Some(&k), Some(&w))),
            "`signature` is missing, empty or not a string"
        );
        assert_eq!(
            malformed(&envelope_with(Some(&s), odd, Some(&k), Some(&w))),
            "`payload` is missing, empty or not a string"
        );
        assert_eq!(
            malformed(&envelope_with(Some(&s), Some(&p), odd, Some(&w))),
            "`key` is missing, empty or not a string"
        );
        assert_eq!(
            malformed(&envelope_with(Some(&s), Some(&p), Some(&k), odd)),
            "`webhookId` is missing, empty or not a string"
        );
    }
}

#[test]
fn a_signature_that_is_not_64_hex_digits_is_malformed() {
    for signature in
        [&SIGNATURE[..62], &format!("{SIGNATURE}00"), &format!("{}zz", &SIGNATURE[..62]), &to_base64(&[1; 32])]
    {
        let body =
            envelope_with(Some(&quoted(signature)), Some(&quoted(PAYLOAD)), Some(&key_field(IV_HEX)), Some("\"w\""));
        assert_eq!(malformed(&body), "`signature` is not 64 hex digits (an HMAC-SHA256)", "{signature}");
    }
}

#[test]
fn a_key_without_a_colon_a_bad_iv_or_a_bad_encrypted_key_is_malformed() {
    let with_key =
        |key: &str| envelope_with(Some(&quoted(SIGNATURE)), Some(&quoted(PAYLOAD)), Some(&quoted(key)), Some("\"w\""));
    let encrypted = to_base64(ENCRYPTED_KEY);
    assert_eq!(malformed(&with_key(&encrypted)), "`key` is not `<iv>:<encrypted key>` (it has no `:`)");
    let bad_iv = "the IV in `key` is neither 32 hex digits nor base64 of 16 bytes";
    for iv in ["", &IV_HEX[..30], &format!("{IV_HEX}00"), &to_base64(&IV[..15]), &to_base64(&[0; 17]), "zz"] {
        assert_eq!(malformed(&with_key(&format!("{iv}:{encrypted}"))), bad_iv, "{iv}");
    }
    for encrypted in ["", "not base64!", "AAAAA", "a:b"] {
        let key = format!("{IV_HEX}:{encrypted}");
        assert_eq!(malformed(&with_key(&key)), "the encrypted key in `key` is not base64", "{encrypted}");
    }
}

#[test]
fn a_ciphertext_is_whole_blocks_of_base64_or_hex() {
    let blocks: Vec<u8> = (0..32).collect();
    assert_eq!(decode_ciphertext(PAYLOAD), Some(blocks.clone()));
    let hex: String = blocks.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(decode_ciphertext(&hex), Some(blocks.clone()));
    assert_eq!(decode_ciphertext(&hex.to_uppercase()), Some(blocks));
    for text in ["", "AAEC", &to_base64(&[0; 15]), &to_base64(&[0; 17]), "00112233", "not base64!"] {
        assert_eq!(decode_ciphertext(text), None, "{text}");
    }
}

#[test]
fn the_hmac_key_is_the_base64_text_of_the_symmetric_key() {
    assert_eq!(hmac_key(&[0xfb, 0xff]), b"+/8=".to_vec());
    assert_eq!(hmac_key(&SYMMETRIC_KEY), to_base64(&SYMMETRIC_KEY).into_bytes());
}

#[test]
fn the_decrypted_event_is_type_and_document() {
    let event = read_event("wh_1", EVENT.as_bytes()).unwrap();
    assert_eq!((event.webhook_id.as_str(), event.event_type.as_str()), ("wh_1", "ticket.created"));
    assert_eq!(
        event.to_json(),
        r#"{"webhookId":"wh_1","type":"ticket.created","document":{"_id":"t1","status":"Open","customer":{"name":"Jane"}}}"#
    );
    let quoting = read_event("w\"\n", br#"{"document":{},"type":"x\u0000","more":1}"#).unwrap();
    assert_eq!(quoting.to_json(), r#"{"webhookId":"w\"\n","type":"x\u0000","document":{}}"#);
}

#[test]
fn a_decrypted_payload_that_is_not_the_event_is_refused() {
    let cases: [(&[u8], &str); 10] = [
        (b"\xff\xfe", "the decrypted payload is not UTF-8"),
        (b"garbage", "the decrypted payload is not JSON"),
        (b"{\"type\":", "the decrypted payload is not JSON"),
        (b"[]", "the decrypted payload is not a JSON object"),
        (br#"{"document":{}}"#, "the decrypted event's `type` is missing, empty or not a string"),
        (br#"{"type":1,"document":{}}"#, "the decrypted event's `type` is missing, empty or not a string"),
        (br#"{"type":"","document":{}}"#, "the decrypted event's `type` is missing, empty or not a string"),
        (br#"{"type":"ticket.created"}"#, "the decrypted event's `document` is missing or not an object"),
        (br#"{"type":"ticket.created","document":[]}"#, "the decrypted event's `document` is missing or not an object"),
        (
            br#"{"type":"ticket.created","document":"t1"}"#,
            "the decrypted event's `document` is missing or not an object",
        ),
    ];
    for (plaintext, why) in cases {
        assert_eq!(read_event("w", plaintext), Err(Refusal::PayloadInvalid(why)), "{plaintext:?}");
    }
}

/// A scripted host: answers each step, recording what it was asked.
#[derive(Default)]
struct Host {
    imported: bool,
    key: Option<Vec<u8>>,
    verified: bool,
    plaintext: Option<Vec<u8>>,
    asked: Vec<&'static str>,
}

impl Host {
    fn good() -> Host {
        Host {
            imported: true,
            key: Some(SYMMETRIC_KEY.to_vec()),
            verified: true,
            plaintext: Some(EVENT.as_bytes().to_vec()),
            asked: Vec::new(),
        }
    }

    fn run(&mut self, body: &str, signing_key: &str) -> Result<WebhookEvent, Refusal> {
        let mut verification = Verification::start(Some(body.as_bytes()), Some(signing_key));
        for _ in 0..8 {
            let event = match verification.poll() {
                Step::Done(end) => return end.cloned(),
                Step::ImportKey { pkcs8 } => {
                    assert_eq!(pkcs8, from_base64(RSA_PKCS8).unwrap());
                    self.asked.push("import");
                    Event::KeyImported(self.imported)
                }
                Step::DecryptKey { encrypted_key } => {
                    assert_eq!(encrypted_key, ENCRYPTED_KEY);
                    self.asked.push("rsa");
                    Event::KeyDecrypted(self.key.clone())
                }
                Step::Verify { key, message, mac } => {
                    assert_eq!(key, hmac_key(self.key.as_deref().unwrap()));
                    assert_eq!((message, mac), (PAYLOAD, &from_hex(SIGNATURE).unwrap()[..]));
                    self.asked.push("hmac");
                    Event::Verified(self.verified)
                }
                Step::Decrypt { key, iv, ciphertext } => {
                    assert!(self.verified, "decrypts only what verified");
                    assert_eq!((key, iv), (self.key.as_deref().unwrap(), &IV));
                    assert_eq!(ciphertext, decode_ciphertext(PAYLOAD).unwrap());
                    self.asked.push("aes");
                    Event::Decrypted(self.plaintext.clone())
                }
            };
            verification.handle(event);
        }
        panic!("the verification never ended");
    }
}

#[test]
fn a_good_webhook_takes_the_four_steps_in_order_and_ends_in_its_event() {
    let mut host = Host::good();
    let event = host.run(&envelope(), &signing_key()).unwrap();
    assert_eq!(host.asked, ["import", "rsa", "hmac", "aes"]);
    assert_eq!(event, read_event("wh_1", EVENT.as_bytes()).unwrap());
}

#[test]
fn the_signing_key_is_read_before_the_body() {
    let mut host = Host::good();
    assert_eq!(host.run("not json", "mava_wh_AAAA").map_err(Refusal::code), Err(None));
    assert_eq!(host.run("not json", &signing_key()), Err(Refusal::Malformed("the body is not JSON")));
    assert!(host.asked.is_empty(), "no crypto for a refused start");
}

#[test]
fn arguments_of_the_wrong_type_are_refused_at_once() {
    let verification = Verification::start(Some(b"{}"), None);
    assert_eq!(verification.poll(), Step::Done(Err(Refusal::Config("the signing key must be a string (`mava_wh_…`)"))));
    let key = signing_key();
    let verification = Verification::start(None, Some(&key));
    assert_eq!(
        verification.poll(),
        Step::Done(Err(Refusal::Malformed(
            "the body must be the request's exact text or bytes (a string, ArrayBuffer or Uint8Array)"
        )))
    );
}

#[test]
fn a_key_web_crypto_will_not_import_is_a_config_error() {
    let mut host = Host { imported: false, ..Host::good() };
    let refusal = host.run(&envelope(), &signing_key()).unwrap_err();
    assert_eq!(
        refusal,
        Refusal::Config("the signing key is not an RSA private key Web Crypto imports for RSA-OAEP (SHA-1)")
    );
    assert_eq!(host.asked, ["import"]);
}

#[test]
fn a_key_that_does_not_decrypt_is_an_invalid_signature() {
    for key in [None, Some(Vec::new())] {
        let mut host = Host { key, ..Host::good() };
        let refusal = host.run(&envelope(), &signing_key()).unwrap_err();
        assert_eq!(refusal, Refusal::SignatureInvalid("the event's key does not decrypt with the signing key"));
        assert_eq!(host.asked, ["import", "rsa"]);
    }
}

#[test]
fn an_hmac_that_differs_is_an_invalid_signature_and_nothing_is_decrypted() {
    let mut host = Host { verified: false, ..Host::good() };
    let refusal = host.run(&envelope(), &signing_key()).unwrap_err();
    assert_eq!(refusal, Refusal::SignatureInvalid("the signature does not match the payload"));
    assert_eq!(host.asked, ["import", "rsa", "hmac"]);
}

#[test]
fn a_signed_key_that_is_not_an_aes_key_is_an_invalid_payload() {
    for length in [1, 15, 17, 31, 33, 64] {
        let mut host = Host { key: Some(vec![1; length]), ..Host::good() };
        let refusal = host.run(&envelope(), &signing_key()).unwrap_err();
        assert_eq!(
            refusal,
            Refusal::PayloadInvalid("the event's key is not an AES key (16, 24 or 32 bytes)"),
            "{length}"
        );
        assert_eq!(host.asked, ["import", "rsa", "hmac"]);
    }
    for length in [16, 24] {
        let mut host = Host { key: Some(vec![1; length]), ..Host::good() };
        assert!(host.run(&envelope(), &signing_key()).is_ok(), "{length}");
    }
}

#[test]
fn a_signed_payload_that_is_not_whole_blocks_is_an_invalid_payload() {
    let mut host = Host::good();
    let mut verification = Verification::start(
        Some(
            envelope_with(Some(&quoted(SIGNATURE)), Some("\"AAEC\""), Some(&key_field(IV_HEX)), Some("\"w\""))
                .as_bytes(),
        ),
        Some(&signing_key()),
    );
    verification.handle(Event::KeyImported(true));
    verification.handle(Event::KeyDecrypted(host.key.take()));
    verification.handle(Event::Verified(true));
    assert_eq!(
        verification.poll(),
        Step::Done(Err(Refusal::PayloadInvalid("the payload is neither base64 nor hex of whole AES blocks")))
    );
}

#[test]
fn a_payload_that_does_not_decrypt_or_is_not_the_event_is_an_invalid_payload() {
    let mut host = Host { plaintext: None, ..Host::good() };
    let refusal = host.run(&envelope(), &signing_key()).unwrap_err();
    assert_eq!(refusal, Refusal::PayloadInvalid("the payload does not decrypt (AES-CBC, PKCS#7 padding)"));
    assert_eq!(host.asked, ["import", "rsa", "hmac", "aes"]);
    let mut host = Host { plaintext: Some(b"<html>".to_vec()), ..Host::good() };
    let refusal = host.run(&envelope(), &signing_key()).unwrap_err();
    assert_eq!(refusal, Refusal::PayloadInvalid("the decrypted payload is not JSON"));
}

#[test]
fn no_web_crypto_at_any_step_is_a_config_error() {
    let key = signing_key();
    for steps_done in 0..4 {
        let mut verification = Verification::start(Some(envelope().as_bytes()), Some(&key));
        let script =
            [Event::KeyImported(true), Event::KeyDecrypted(Some(SYMMETRIC_KEY.to_vec())), Event::Verified(true)];
        for event in script.into_iter().take(steps_done) {
            verification.handle(event);
        }
        verification.handle(Event::NoWebCrypto);
        assert_eq!(
            verification.poll(),
            Step::Done(Err(Refusal::Config("this host has no Web Crypto (crypto.subtle) to verify webhooks with"))),
            "{steps_done}"
        );
    }
}

#[test]
fn an_event_out_of_order_never_passes_and_an_end_stays_put() {
    let key = signing_key();
    let skips = [Event::Verified(true), Event::Decrypted(Some(EVENT.as_bytes().to_vec())), Event::KeyDecrypted(None)];
    for skip in skips {
        let mut verification = Verification::start(Some(envelope().as_bytes()), Some(&key));
        verification.handle(skip.clone());
        assert_eq!(verification.poll(), Step::Done(Err(OUT_OF_ORDER)), "{skip:?}");
        verification.handle(Event::KeyImported(true));
        assert!(verification.is_done(), "{skip:?}");
        assert_eq!(verification.poll(), Step::Done(Err(OUT_OF_ORDER)), "{skip:?}");
    }
}

#[test]
fn refusals_are_typescript_errors_of_kind_webhook_or_config_for_mava() {
    let cases = [
        (Refusal::Malformed("the body is not JSON"), "webhook", Some(MALFORMED)),
        (Refusal::SignatureInvalid("x"), "webhook", Some(SIGNATURE_INVALID)),
        (Refusal::PayloadInvalid("x"), "webhook", Some(PAYLOAD_INVALID)),
        (Refusal::Config("x"), "config", None),
    ];
    for (refusal, kind, code) in cases {
        let failure = refusal.into_failure();
        assert_eq!((failure.kind.as_str(), failure.provider, failure.operation), (kind, "mava", "verifyWebhook"));
        assert_eq!(failure.code.as_deref(), code);
    }
    assert_eq!(
        Refusal::Malformed("the body is not JSON").into_failure().message,
        "Mava webhook refused (WEBHOOK_MALFORMED): the body is not JSON"
    );
    assert_eq!(Refusal::Config("why").into_failure().message, "verifyMavaWebhook: why");
}
