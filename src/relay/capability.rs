//! Ticket and customer capabilities and identity hashes (CONTRACT §6): what is signed, and the
//! token's format. The host computes and verifies the HMAC-SHA256 itself (Web Crypto, which compares
//! in constant time); the core says over which bytes, and reads the token.
//!
//! A capability is `tw1.<expiry>.<mac>`: the expiry in Unix seconds, and the base64url (no
//! padding) HMAC-SHA256 keyed with `capabilitySecret` over [`capability_message`].

use crate::provider::Provider;

/// How long a capability holds after its ticket was created (24 h).
pub const CAPABILITY_LIFETIME_SECS: u64 = 24 * 60 * 60;

const PREFIX: &str = "tw1.";
const MAC_BYTES: usize = 32;

/// What a capability lets its holder name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// The ticket its create answer named: calls on that ticket.
    Ticket,
    /// The customer its identify answer named: a create for that customer.
    Customer,
}

/// What a capability for `id` of `provider`, minted for the upstream `fingerprint` (see
/// [`upstream_fingerprint`]) and expiring at `expiry` (Unix seconds), signs. The fields are
/// joined by a newline, which none of them may hold.
pub fn capability_message(holds: Holds, provider: Provider, fingerprint: &str, id: &str, expiry: u64) -> String {
    let holds = match holds {
        Holds::Ticket => "ticket",
        Holds::Customer => "customer",
    };
    format!("ticketwire capability v2\n{holds}\n{}\n{fingerprint}\n{id}\n{expiry}", provider.id())
}

/// Which upstream a relay serves (its base URL and key), as 16 hex digits (FNV-1a, 64 bits):
/// relays that share a `capabilitySecret` but not an upstream refuse each other's tokens. It
/// is only ever signed, never sent, so it needs no secrecy of its own.
pub fn upstream_fingerprint(base_url: &str, key: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in base_url.bytes().chain([b'\n']).chain(key.bytes()) {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The token for a signed capability.
pub fn format_capability(expiry: u64, mac: &[u8]) -> String {
    format!("{PREFIX}{expiry}.{}", base64url(mac))
}

/// A capability token read apart: its expiry (Unix seconds) and MAC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capability {
    /// When it stops holding.
    pub expiry: u64,
    /// The HMAC-SHA256 it carries.
    pub mac: Vec<u8>,
}

/// Reads a token; `None` when it is not one.
pub fn parse_capability(token: &str) -> Option<Capability> {
    let (expiry, mac) = token.strip_prefix(PREFIX)?.split_once('.')?;
    if expiry.is_empty() || expiry.len() > 12 || !expiry.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mac = from_base64url(mac).filter(|mac| mac.len() == MAC_BYTES)?;
    Some(Capability { expiry: expiry.parse().ok()?, mac })
}

/// An identity hash as the app's backend sends it: 64 lowercase hex digits, as bytes.
pub fn parse_identity_hash(text: &str) -> Option<Vec<u8>> {
    if text.len() != 2 * MAC_BYTES || !text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return None;
    }
    let nibble = |b: u8| if b.is_ascii_digit() { b - b'0' } else { b - b'a' + 10 };
    Some(text.as_bytes().chunks(2).map(|pair| nibble(pair[0]) << 4 | nibble(pair[1])).collect())
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

fn from_base64url(text: &str) -> Option<Vec<u8>> {
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut bits, mut held) = (0u32, 0u32);
    for b in text.bytes() {
        let value = ALPHABET.iter().position(|a| *a == b)? as u32;
        bits = bits << 6 | value;
        held += 6;
        if held >= 8 {
            held -= 8;
            out.push((bits >> held) as u8);
        }
    }
    // Leftover bits must be zero, so each token has exactly one spelling.
    (bits & ((1 << held) - 1) == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    #[test]
    fn a_capability_signs_what_it_holds_the_provider_the_upstream_the_id_and_the_expiry() {
        let upstream = upstream_fingerprint("https://hw.example", "hw_key_1");
        assert_eq!(
            capability_message(Holds::Ticket, Provider::HelpWave, &upstream, "987654321012345678", 1_800_000_000),
            format!("ticketwire capability v2\nticket\nhelpwave\n{upstream}\n987654321012345678\n1800000000")
        );
        let customer = capability_message(Holds::Customer, Provider::HelpWave, &upstream, "42", 1);
        assert!(customer.starts_with("ticketwire capability v2\ncustomer\n"), "{customer}");
    }

    #[test]
    fn each_upstream_has_its_own_fingerprint() {
        let one = upstream_fingerprint("https://a.example", "key-1");
        assert_eq!(one.len(), 16);
        assert_eq!(one, upstream_fingerprint("https://a.example", "key-1"));
        assert_ne!(one, upstream_fingerprint("https://a.example", "key-2"));
        assert_ne!(one, upstream_fingerprint("https://b.example", "key-1"));
        // The separator keeps "ab" + "c" apart from "a" + "bc".
        assert_ne!(upstream_fingerprint("ab", "c"), upstream_fingerprint("a", "bc"));
        assert_eq!(upstream_fingerprint("", ""), "af63c74c8601c8dd"); // FNV-1a of "\n"
    }

    #[test]
    fn tokens_read_back_and_anything_else_is_refused() {
        let mac: Vec<u8> = (0..32).collect();
        let token = format_capability(1_800_000_000, &mac);
        assert_eq!(token, "tw1.1800000000.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8");
        assert_eq!(parse_capability(&token), Some(Capability { expiry: 1_800_000_000, mac: mac.clone() }));
        for bad in [
            "",
            "tw1.",
            "tw2.1800000000.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
            "tw1.18e8.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
            "tw1.1800000000.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh", // 31 bytes
            "tw1.1800000000.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9", // other spelling
            "tw1.1800000000.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", // padding
            "tw1.1800000000.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+/",
            "tw1.99999999999999.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
        ] {
            assert_eq!(parse_capability(bad), None, "{bad}");
        }
    }

    #[test]
    fn ticket_ids_are_named_as_text() {
        assert_eq!(
            Value::String("6650a1b2c3d4e5f678901234".into()).id_text().as_deref(),
            Some("6650a1b2c3d4e5f678901234")
        );
        assert_eq!(Value::Number(482113.0).id_text().as_deref(), Some("482113"));
        assert_eq!(Value::Number(1.5).id_text(), None);
        assert_eq!(Value::String("a\nb".into()).id_text(), None);
        assert_eq!(Value::Null.id_text(), None);
    }

    #[test]
    fn identity_hashes_are_64_lowercase_hex_digits() {
        let hash = "00ff".repeat(16);
        assert_eq!(parse_identity_hash(&hash).map(|b| b.len()), Some(32));
        assert_eq!(parse_identity_hash(&hash).unwrap()[..2], [0x00, 0xff]);
        assert_eq!(parse_identity_hash(&hash.to_uppercase()), None);
        assert_eq!(parse_identity_hash(&hash[1..]), None);
        assert_eq!(parse_identity_hash(&"zz".repeat(32)), None);
    }
}
