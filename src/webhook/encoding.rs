//! The byte encodings webhooks write their fields in: base64 (either alphabet, padding
//! optional, as Node's `Buffer.from(text, "base64")` reads it) and hex (either case).

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `bytes` as base64 text, standard alphabet with padding: Node's `buffer.toString("base64")`.
pub fn to_base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The value of one base64 character, in the standard or the URL-safe alphabet.
fn sextet(c: u8) -> Option<u32> {
    let value = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    };
    Some(u32::from(value))
}

/// The bytes of base64 `text`: either alphabet, with or without its padding (but padding only
/// at the end, and only to a whole group). `None` for anything else, or for empty text.
pub fn from_base64(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let data = bytes.strip_suffix(b"==").or_else(|| bytes.strip_suffix(b"=")).unwrap_or(bytes);
    let padded = data.len() != bytes.len();
    if data.is_empty() || data.len() % 4 == 1 || (padded && bytes.len() % 4 != 0) {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() / 4 * 3 + 2);
    for chunk in data.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= sextet(*c)? << (18 - 6 * i);
        }
        // A group of k characters holds k - 1 whole bytes (its last bits are padding).
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

/// The bytes of hex `text` (either case, an even number of digits); `None` otherwise or empty.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() || text.len() % 2 != 0 {
        return None;
    }
    let nibble = |c: u8| char::from(c).to_digit(16).map(|d| d as u8);
    text.as_bytes().chunks(2).map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?)).collect()
}

/// Whether `text` is all hex digits (and not empty).
pub fn is_hex(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_writes_what_node_writes() {
        assert_eq!(to_base64(b""), "");
        assert_eq!(to_base64(b"f"), "Zg==");
        assert_eq!(to_base64(b"fo"), "Zm8=");
        assert_eq!(to_base64(b"foo"), "Zm9v");
        assert_eq!(to_base64(&[0xfb, 0xff, 0xbf]), "+/+/");
    }

    #[test]
    fn base64_reads_either_alphabet_with_or_without_padding() {
        assert_eq!(from_base64("Zg==").as_deref(), Some(&b"f"[..]));
        assert_eq!(from_base64("Zg").as_deref(), Some(&b"f"[..]));
        assert_eq!(from_base64("Zm8=").as_deref(), Some(&b"fo"[..]));
        assert_eq!(from_base64("Zm9v").as_deref(), Some(&b"foo"[..]));
        assert_eq!(from_base64("+/+/").as_deref(), Some(&[0xfb, 0xff, 0xbf][..]));
        assert_eq!(from_base64("-_-_").as_deref(), Some(&[0xfb, 0xff, 0xbf][..]));
    }

    #[test]
    fn base64_refuses_what_is_not_base64() {
        for text in ["", "=", "==", "Z", "Zm9vZ", "Zg=", "Zm9v=", "Z===", "Zm 9v", "Zm9v\n", "Zm=v", "Zm9v:", "é"] {
            assert_eq!(from_base64(text), None, "{text:?}");
        }
    }

    #[test]
    fn base64_round_trips_every_length() {
        let bytes: Vec<u8> = (0..=255).collect();
        for n in 1..64 {
            assert_eq!(from_base64(&to_base64(&bytes[..n])).as_deref(), Some(&bytes[..n]));
        }
    }

    #[test]
    fn hex_reads_either_case_and_refuses_the_rest() {
        assert_eq!(from_hex("00ffA0").as_deref(), Some(&[0x00, 0xff, 0xa0][..]));
        for text in ["", "0", "0g", "0x00", "00 "] {
            assert_eq!(from_hex(text), None, "{text:?}");
        }
        assert!(is_hex("09afAF") && !is_hex("") && !is_hex("0g"));
    }
}
