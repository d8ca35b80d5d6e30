//! String formats shared by every provider: email, ObjectId, dates, URLs, MIME types.

use super::{attachment_url, date, RuleContext};
use crate::violation::Keyword;
use std::borrow::Cow;

/// A format a string field must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// ajv-formats' full-mode `email`.
    Email,
    /// `email`, or the empty string.
    EmailOrEmpty,
    /// 24 hex digits.
    ObjectId,
    /// 24 hex digits, or exactly this keyword (`Unassigned`).
    ObjectIdOr(&'static str),
    /// `0x` and 40 hex digits (an EVM address).
    WalletAddress,
    /// `YYYY-MM-DD` or an RFC 3339 date-time.
    IsoDate,
    /// An RFC 3339 date-time.
    DateTime,
    /// An absolute `http:` or `https:` URL.
    HttpUrl,
    /// A MIME type `type/subtype`.
    MimeType,
    /// One or more decimal digits.
    Digits,
    /// Non-empty after trimming white space.
    NonBlank,
    /// A Mava attachment URL in the storage allow-list.
    MavaAttachmentUrl,
    /// A web origin: `http(s)://host[:port]`, nothing after it (never `*`).
    Origin,
}

impl Format {
    /// Checks `text`; the error is the rule broken and the words of its message.
    pub fn check(self, text: &str, ctx: &RuleContext) -> Result<(), (Keyword, Cow<'static, str>)> {
        let ok = match self {
            Format::MavaAttachmentUrl => {
                return attachment_url::check(text, ctx.attachment_bucket_prefix)
                    .map_err(|words| (Keyword::Format("mava-attachment-url"), words.into()))
            }
            Format::Email => is_email(text),
            Format::EmailOrEmpty => text.is_empty() || is_email(text),
            Format::ObjectId => is_object_id(text),
            Format::ObjectIdOr(keyword) => is_object_id(text) || text == keyword,
            Format::WalletAddress => text.strip_prefix("0x").is_some_and(|hex| is_hex(hex, 40)),
            Format::IsoDate => date::parse(text, true).is_some(),
            Format::DateTime => date::parse(text, false).is_some(),
            Format::HttpUrl => is_http_url(text),
            Format::MimeType => is_mime_type(text),
            Format::Digits => !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()),
            Format::NonBlank => !js_trim(text).is_empty(),
            Format::Origin => is_origin(text),
        };
        if ok {
            Ok(())
        } else {
            Err(self.broken())
        }
    }

    /// The rule a text out of this format broke, and the words of its message.
    fn broken(self) -> (Keyword, Cow<'static, str>) {
        let own = |format, words: &'static str| (Keyword::Format(format), Cow::Borrowed(words));
        let rule = match self {
            Format::Email | Format::EmailOrEmpty => Keyword::Format("email"),
            Format::ObjectId => Keyword::Pattern(OBJECT_ID_PATTERN.into()),
            Format::ObjectIdOr(keyword) => {
                let words = format!("must match pattern \"{OBJECT_ID_PATTERN}\" or be '{keyword}'");
                return (Keyword::Pattern(format!("^([0-9a-fA-F]{{24}}|{keyword})$").into()), words.into());
            }
            Format::WalletAddress => Keyword::Pattern("^0x[0-9a-fA-F]{40}$".into()),
            Format::IsoDate => return own("date-or-date-time", "must be an ISO 8601 date (YYYY-MM-DD) or date-time"),
            Format::DateTime => Keyword::Format("date-time"),
            // As regular expressions (JavaScript's, with the `u` flag), as the servers publish them.
            Format::HttpUrl => {
                let pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\s\\\p{Cc}][^\s\\\p{Cc}]*$";
                return (Keyword::Pattern(pattern.into()), "must be an absolute http(s) URL".into());
            }
            Format::MimeType => {
                let name = "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}";
                let pattern = format!("^{name}/{name}$");
                return (Keyword::Pattern(pattern.into()), "must be a MIME type (type/subtype)".into());
            }
            Format::Digits => Keyword::Pattern("^[0-9]+$".into()),
            Format::NonBlank => Keyword::NotBlank,
            Format::MavaAttachmentUrl => Keyword::Format("mava-attachment-url"),
            Format::Origin => return own("origin", "must be an origin: http(s)://host[:port], with no path"),
        };
        let words = rule.words();
        (rule, words.into())
    }
}

/// A MongoDB ObjectId as a regular expression.
const OBJECT_ID_PATTERN: &str = "^[0-9a-fA-F]{24}$";

/// `http(s)://host[:port]` exactly, in lower case as browsers send it.
pub fn is_origin(text: &str) -> bool {
    let authority = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://")).unwrap_or("");
    // An IPv6 host is bracketed; any other host ends at the first ':'.
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => v6.split_once(']').unwrap_or(("", "")),
        None => authority.find(':').map_or((authority, ""), |at| authority.split_at(at)),
    };
    let port_ok = match port.strip_prefix(':') {
        Some(digits) => (1..=5).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()),
        None => port.is_empty(),
    };
    let host_ok =
        !host.is_empty() && host.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.:".contains(&b));
    host_ok && port_ok
}

/// `text` trimmed as JavaScript's `String.prototype.trim` does (what the servers run): Rust's
/// `trim` also strips U+0085 and keeps U+FEFF.
pub fn js_trim(text: &str) -> &str {
    text.trim_matches(|c: char| (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}')
}

/// Whether `text` is exactly `len` hex digits, either case.
pub fn is_hex(text: &str, len: usize) -> bool {
    // A slice pattern, not `all`: the size-optimised build calls a closure per byte otherwise.
    let mut rest = text.as_bytes();
    if rest.len() != len {
        return false;
    }
    while let [a, b, c, d, e, f, g, h, tail @ ..] = rest {
        if !eight_hex_digits(u64::from_le_bytes([*a, *b, *c, *d, *e, *f, *g, *h])) {
            return false;
        }
        rest = tail;
    }
    while let [b, tail @ ..] = rest {
        if !b.is_ascii_hexdigit() {
            return false;
        }
        rest = tail;
    }
    true
}

/// Whether each of eight bytes is an ASCII hex digit (`0-9`, `a-f`, `A-F`).
#[inline(always)]
fn eight_hex_digits(word: u64) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // Each byte below 0x80, then tested in 7 bits: adding (0x80 - n) sets a byte's high bit
    // exactly when it is at least n (no carry crosses bytes below 0x80).
    let at_least = |w: u64, n: u64| w.wrapping_add(ONES * (0x80 - n));
    let digit = at_least(word, b'0' as u64) & !at_least(word, b'9' as u64 + 1);
    let lower = word | (ONES * 0x20); // letters folded to lower case (digits keep their bit 5)
    let letter = at_least(lower, b'a' as u64) & !at_least(lower, b'f' as u64 + 1);
    word & HIGHS == 0 && (digit | letter) & HIGHS == HIGHS
}

#[cfg(test)]
#[test]
fn eight_bytes_are_hex_digits_exactly_when_each_one_is() {
    for at in 0..8 {
        for first in 0..=255u8 {
            for second in [b'0', b'9', b'a', b'f', b'A', b'F', b'g', b'G', b'/', b':', b'@', b'`', 0x80, 0xb0, 0xe1, 0]
            {
                let mut word = [b'7'; 8];
                word[at] = first;
                word[(at + 3) % 8] = second;
                let expected = word.iter().all(u8::is_ascii_hexdigit);
                assert_eq!(eight_hex_digits(u64::from_le_bytes(word)), expected, "{word:?}");
            }
        }
    }
}

/// A MongoDB ObjectId: exactly 24 hex digits.
pub fn is_object_id(text: &str) -> bool {
    is_hex(text, 24)
}

/// ajv-formats' full `email` regex, case-insensitive over ASCII letters only.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let atom_char = |c: u8| c.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-".contains(&c);
    let local_ok = local.split('.').all(|atom| !atom.is_empty() && atom.bytes().all(atom_char));
    let label_ok = |label: &str| {
        let bytes = label.as_bytes();
        match (bytes.first(), bytes.last()) {
            (Some(first), Some(last)) => {
                first.is_ascii_alphanumeric()
                    && last.is_ascii_alphanumeric()
                    && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
            }
            _ => false,
        }
    };
    local_ok && domain.contains('.') && domain.split('.').all(label_ok)
}

fn is_http_url(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &text[8..]
    } else if lower.starts_with("http://") {
        &text[7..]
    } else {
        return false;
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    host_end > 0 && !text.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\')
}

/// RFC 6838 restricted names on both sides of the slash.
fn is_mime_type(text: &str) -> bool {
    let name_ok = |name: &str| {
        let bytes = name.as_bytes();
        (1..=127).contains(&bytes.len())
            && bytes[0].is_ascii_alphanumeric()
            && bytes.iter().all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(b))
    };
    matches!(text.split_once('/'), Some((kind, sub)) if name_ok(kind) && name_ok(sub))
}

#[cfg(test)]
mod tests {
    #[test]
    fn origins_are_scheme_host_and_port_only() {
        for ok in ["https://shop.example", "http://127.0.0.1:5173", "https://[::1]:8443", "http://localhost"] {
            assert!(super::is_origin(ok), "{ok}");
        }
        for bad in [
            "*",
            "https://shop.example/",
            "https://Shop.example",
            "shop.example",
            "https://",
            "https://a:b",
            "https://a:",
            "ftp://a",
            "https://a/b",
            "https://[::1",
        ] {
            assert!(!super::is_origin(bad), "{bad}");
        }
    }

    use super::*;

    #[test]
    fn blank_is_what_a_javascript_server_trims_away() {
        let ctx = RuleContext { attachment_bucket_prefix: "app.mava." };
        for blank in ["", " \t\n\r", "\u{feff}", "\u{a0}\u{2028}\u{3000}"] {
            assert!(Format::NonBlank.check(blank, &ctx).is_err(), "{blank:?}");
        }
        // JS's trim() keeps U+0085 (NEL), which Rust's White_Space would strip.
        for text in ["\u{85}", " x ", "\u{200b}"] {
            assert!(Format::NonBlank.check(text, &ctx).is_ok(), "{text:?}");
        }
    }
    use crate::rules::tests::CTX;

    #[test]
    fn email_matches_ajv_formats_full_mode() {
        for ok in ["jane@example.com", "JANE@EXAMPLE.COM", "a.b+c@x-y.example.co", "!#$%&'*+/=?^_`{|}~-@a.b", "a@1.2"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "jane@localhost",
            "a..b@example.com",
            ".a@example.com",
            "a.@example.com",
            "a@-x.com",
            "a@x-.com",
            "a@x..com",
            "@example.com",
            "a@",
            "a@b@c.com",
            "jane@exampl\u{212A}.com", // Kelvin sign does not fold to k
            "\u{17F}ue@example.com",   // long s does not fold to s
            "jané@example.com",
            "a b@example.com",
            "",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn object_ids_are_exactly_24_hex_digits() {
        assert!(is_object_id("645abc1234567890abcdef12"));
        assert!(is_object_id("645ABC1234567890ABCDEF12"));
        assert!(!is_object_id("645ghi1234567890abcdef34"), "the docs' placeholder");
        assert!(!is_object_id("645abc1234567890abcdef1"));
        assert!(!is_object_id("645abc1234567890abcdef123"));
        assert!(!is_object_id("jane@example.com"));
    }

    #[test]
    fn wallet_addresses_are_0x_and_40_hex_digits() {
        let check = |t: &str| Format::WalletAddress.check(t, &CTX);
        assert_eq!(check("0x52908400098527886E0F7030069857D2E4169EE7"), Ok(()));
        assert_eq!(
            check("0X52908400098527886E0F7030069857D2E4169EE7"),
            Err((Keyword::Pattern("^0x[0-9a-fA-F]{40}$".into()), "must match pattern \"^0x[0-9a-fA-F]{40}$\"".into()))
        );
        assert!(check("0x52908400098527886E0F7030069857D2E4169EE").is_err());
        assert!(check("52908400098527886E0F7030069857D2E4169EE7aa").is_err());
    }

    #[test]
    fn http_urls_are_absolute() {
        for ok in ["https://cdn.example.com/a.png", "http://x", "HTTPS://x.y/z?q=1"] {
            assert!(is_http_url(ok), "{ok}");
        }
        for bad in [
            "ftp://x/y",
            "/relative/path",
            "https://",
            "https:///path",
            "https://x/a b",
            "javascript:alert(1)",
            "https://x\\y",
        ] {
            assert!(!is_http_url(bad), "{bad}");
        }
    }

    #[test]
    fn mime_types_are_type_slash_subtype() {
        for ok in ["image/png", "application/pdf", "application/vnd.ms-excel", "text/plain"] {
            assert!(is_mime_type(ok), "{ok}");
        }
        for bad in ["image", "image/", "/png", "image/png; charset=x", "ima ge/png", "a/b/c"] {
            assert!(!is_mime_type(bad), "{bad}");
        }
    }

    #[test]
    fn every_format_names_its_rule_and_words_its_own_message() {
        let format = |name| Keyword::Format(name);
        let pattern = |p: &'static str| Keyword::Pattern(p.into());
        let cases = [
            (Format::Email, "x", format("email"), "must match format \"email\""),
            (Format::EmailOrEmpty, "x", format("email"), "must match format \"email\""),
            (Format::ObjectId, "x", pattern("^[0-9a-fA-F]{24}$"), "must match pattern \"^[0-9a-fA-F]{24}$\""),
            (
                Format::IsoDate,
                "2026-02-30",
                format("date-or-date-time"),
                "must be an ISO 8601 date (YYYY-MM-DD) or date-time",
            ),
            (Format::DateTime, "2026-02-03", format("date-time"), "must match format \"date-time\""),
            (
                Format::HttpUrl,
                "x",
                pattern(r"^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\s\\\p{Cc}][^\s\\\p{Cc}]*$"),
                "must be an absolute http(s) URL",
            ),
            (
                Format::MimeType,
                "x",
                pattern("^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$"),
                "must be a MIME type (type/subtype)",
            ),
            (Format::Digits, "", pattern("^[0-9]+$"), "must match pattern \"^[0-9]+$\""),
            (Format::NonBlank, " \n\t", Keyword::NotBlank, "must NOT be blank"),
            (Format::MavaAttachmentUrl, "http://x", format("mava-attachment-url"), "must use https"),
            (Format::Origin, "*", format("origin"), "must be an origin: http(s)://host[:port], with no path"),
        ];
        for (format, text, rule, message) in cases {
            assert_eq!(format.check(text, &CTX), Err((rule, message.into())), "{format:?}");
        }
        assert_eq!(
            Format::ObjectIdOr("Unassigned").check("nobody", &CTX),
            Err((
                pattern("^([0-9a-fA-F]{24}|Unassigned)$"),
                "must match pattern \"^[0-9a-fA-F]{24}$\" or be 'Unassigned'".into()
            ))
        );
        assert_eq!(Format::ObjectIdOr("Unassigned").check("Unassigned", &CTX), Ok(()));
        assert_eq!(Format::ObjectIdOr("Unassigned").check("645abc1234567890abcdef12", &CTX), Ok(()));
        assert_eq!(Format::EmailOrEmpty.check("", &CTX), Ok(()));
        assert_eq!(Format::NonBlank.check(" a ", &CTX), Ok(()));
        assert_eq!(Format::Digits.check("0123", &CTX), Ok(()));
    }
}
