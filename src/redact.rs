//! Scrubbing an API key from what an error carries (CONTRACT §4, redaction): the key itself in
//! any letter case, its URL-encoded forms, and its base64 forms at every byte alignment (a key
//! inside `Basic …` credentials), so a server that echoes it back in any of those never
//! leaks it. A JSON text is scrubbed as its reader will see it, escapes decoded
//! ([`Redactor::scrub_json`]). A text that was cut for size never ends in the first part of a key.

/// What a scrubbed form becomes.
pub const REDACTED: &str = "[redacted]";

/// The shortest key a client accepts: scrubbing a shorter one would mangle ordinary words.
pub const MIN_KEY_CHARS: usize = 8;

/// One form a key can take in an echo.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Form {
    /// The text to find; lower-cased when `any_case`.
    text: String,
    /// Whether ASCII letter case is ignored (the key itself, percent-escapes); base64 is exact.
    any_case: bool,
}

/// Every form of one key, ready to scrub texts.
#[derive(Debug, Clone)]
pub struct Redactor {
    forms: Vec<Form>,
}

impl Redactor {
    /// A redactor for `secret` (empty: scrubs nothing).
    pub fn new(secret: &str) -> Redactor {
        // Longest first, so a form never leaves part of a longer one behind.
        let mut forms: Vec<Form> = Vec::new();
        let mut add = |text: String, any_case: bool| {
            let text = if any_case { text.to_ascii_lowercase() } else { text };
            if !text.is_empty() && !forms.iter().any(|f| f.text == text) {
                let at = forms.iter().position(|f| f.text.len() < text.len()).unwrap_or(forms.len());
                forms.insert(at, Form { text, any_case });
            }
        };
        add(secret.to_owned(), true);
        // Inside a JSON string: `"`, `\` and control characters escaped, `/` maybe too.
        let mut json = String::new();
        crate::json::write_json_string(secret, &mut json);
        let json = json[1..json.len() - 1].to_owned();
        add(json.replace('/', "\\/"), true);
        add(json, true);
        add(percent_encode(secret, URI_COMPONENT_KEEPS), true);
        add(percent_encode(secret, "-._~"), true);
        for aligned in (0..3).filter_map(|offset| base64_inside(secret.as_bytes(), offset)) {
            add(aligned.clone(), false);
            add(aligned.replace('+', "-").replace('/', "_"), false);
        }
        Redactor { forms }
    }

    /// `text` with every form of the key replaced by `[redacted]`.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for form in &self.forms {
            if form.text.len() <= out.len() {
                out = replace_all(&out, form);
            }
        }
        out
    }

    /// Like [`Redactor::scrub`], for a JSON text as its reader will see it (CONTRACT §6: what a
    /// relay passes on, which the page will `JSON.parse`): besides every form in the text,
    /// each string literal is read with its escapes decoded (`\u0073k_…` is `sk_…`), and one
    /// that holds a form is written again, scrubbed. Linear in the text; a text that is not
    /// JSON is scrubbed all the same.
    pub fn scrub_json(&self, text: &str) -> String {
        let text = self.scrub(text);
        if self.forms.is_empty() || !text.contains('\\') {
            return text;
        }
        let mut out = String::with_capacity(text.len());
        let mut copied = 0; // `text[..copied]` is in `out`
        let mut decoded = String::new();
        let mut at = 0;
        while let Some(open) = text[at..].find('"').map(|i| at + i) {
            let (close, escaped) = literal_end(&text, open + 1);
            if escaped {
                decode_json_escapes(&text[open + 1..close], &mut decoded);
                if self.finds_in(&decoded) {
                    out.push_str(&text[copied..open]);
                    crate::json::write_json_string(&self.scrub(&decoded), &mut out);
                    copied = (close + 1).min(text.len());
                }
            }
            at = close + 1;
            if at >= text.len() {
                break;
            }
        }
        out.push_str(&text[copied..]);
        out
    }

    /// Like [`Redactor::scrub`], for a text that was cut for size: a first part of any form
    /// left at its very end is dropped too.
    pub fn scrub_cut(&self, text: &str) -> String {
        let mut out = self.scrub(text);
        let longest_tail = self
            .forms
            .iter()
            .filter_map(|form| {
                (1..form.text.len())
                    .rev()
                    .find(|&n| form.text.is_char_boundary(n) && ends_with(&out, &form.text[..n], form.any_case))
            })
            .max();
        if let Some(n) = longest_tail {
            out.truncate(out.len() - n);
        }
        out
    }

    /// Whether `text` holds any form of the key.
    pub fn finds_in(&self, text: &str) -> bool {
        self.forms.iter().any(|form| find(text, 0, form).is_some())
    }
}

/// Where the string literal whose text starts at `from` ends (its closing quote, or the end of
/// `text` when it has none), and whether it holds a backslash.
fn literal_end(text: &str, from: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut escaped = false;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return (i, escaped),
            b'\\' => {
                escaped = true;
                i += 2; // the escaped byte is ASCII in JSON; if not, it is no quote either
            }
            _ => i += 1,
        }
    }
    (bytes.len(), escaped)
}

/// The text of a JSON string literal (without its quotes) as `JSON.parse` reads it, into `out`:
/// `\uXXXX` in either hex case (a surrogate pair as its character, a lone surrogate as U+FFFD)
/// and the short escapes; an escape JSON does not have stands for its character.
fn decode_json_escapes(literal: &str, out: &mut String) {
    out.clear();
    let mut chars = literal.chars();
    let hex4 = |chars: &mut std::str::Chars| -> Option<u32> {
        let digits: String = chars.clone().take(4).collect();
        let unit = (digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| u32::from_str_radix(&digits, 16).ok())
            .flatten()?;
        chars.nth(3);
        Some(unit)
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => match hex4(&mut chars) {
                Some(high @ 0xd800..=0xdbff) => {
                    let mut ahead = chars.clone();
                    let low = (ahead.next() == Some('\\') && ahead.next() == Some('u'))
                        .then(|| hex4(&mut ahead))
                        .flatten()
                        .filter(|low| (0xdc00..=0xdfff).contains(low));
                    match low {
                        Some(low) => {
                            chars = ahead;
                            out.extend(char::from_u32(0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00)));
                        }
                        None => out.push(char::REPLACEMENT_CHARACTER),
                    }
                }
                Some(unit) => out.push(char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER)),
                None => out.push('u'),
            },
            Some(other) => out.push(other),
            None => {}
        }
    }
}

/// What `encodeURIComponent` leaves as it is, besides ASCII letters and digits.
const URI_COMPONENT_KEEPS: &str = "-_.!~*'()";

fn percent_encode(text: &str, keeps: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || keeps.as_bytes().contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(byte >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(byte & 0x0f)]));
        }
    }
    out
}

/// The base64 characters that depend only on `bytes` when they start `offset` bytes into a
/// 3-byte group, wherever they sit in a longer text; `None` when too few remain.
fn base64_inside(bytes: &[u8], offset: usize) -> Option<String> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut padded = vec![0u8; offset];
    padded.extend_from_slice(bytes);
    let bits = padded.len() * 8;
    let mut out = String::new();
    // Character i covers bits 6i..6i+6; keep those entirely inside the key's bits.
    for i in 0..bits / 6 {
        let start = i * 6;
        if start < offset * 8 {
            continue;
        }
        let group = |bit: usize| (padded[bit / 8] >> (7 - bit % 8)) & 1;
        let index = (start..start + 6).fold(0usize, |acc, bit| (acc << 1) | usize::from(group(bit)));
        out.push(char::from(ALPHABET[index]));
    }
    (out.len() >= MIN_KEY_CHARS).then_some(out)
}

fn find(text: &str, from: usize, form: &Form) -> Option<usize> {
    let hay = &text.as_bytes()[from..];
    let needle = form.text.as_bytes();
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .find(|&i| {
            let window = &hay[i..i + needle.len()];
            if form.any_case {
                window.eq_ignore_ascii_case(needle)
            } else {
                window == needle
            }
        })
        .map(|i| from + i)
}

fn replace_all(text: &str, form: &Form) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(found) = find(text, at, form) {
        out.push_str(&text[at..found]);
        out.push_str(REDACTED);
        at = found + form.text.len();
    }
    out.push_str(&text[at..]);
    out
}

fn ends_with(text: &str, tail: &str, any_case: bool) -> bool {
    text.len() >= tail.len() && {
        let end = &text.as_bytes()[text.len() - tail.len()..];
        if any_case {
            end.eq_ignore_ascii_case(tail.as_bytes())
        } else {
            end == tail.as_bytes()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk_live/Abc+123=xyz";

    fn base64(bytes: &[u8]) -> String {
        const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
            for i in 0..=chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            }
        }
        while out.len() % 4 != 0 {
            out.push('=');
        }
        out
    }

    #[test]
    fn the_key_is_scrubbed_in_any_letter_case() {
        let r = Redactor::new(KEY);
        let echo = format!("token {} and {} and {}", KEY, KEY.to_uppercase(), KEY.to_lowercase());
        assert_eq!(r.scrub(&echo), "token [redacted] and [redacted] and [redacted]");
    }

    #[test]
    fn url_encoded_forms_are_scrubbed_with_either_hex_case() {
        let r = Redactor::new(KEY);
        let encoded = "sk_live%2FAbc%2B123%3Dxyz";
        assert_eq!(r.scrub(&format!("?key={encoded}&x=1")), "?key=[redacted]&x=1");
        assert_eq!(r.scrub(&format!("?key={}", encoded.to_lowercase())), "?key=[redacted]");
    }

    #[test]
    fn base64_forms_are_scrubbed_at_every_alignment_in_both_alphabets() {
        let r = Redactor::new(KEY);
        for prefix in ["", "u:", "ab:", "user:"] {
            let credentials = base64(format!("{prefix}{KEY}").as_bytes());
            let scrubbed = r.scrub(&format!("Basic {credentials}"));
            assert!(!r.finds_in(&scrubbed), "{prefix}: {scrubbed}");
            assert!(scrubbed.contains(REDACTED), "{prefix}: {scrubbed}");
            let url_safe = credentials.replace('+', "-").replace('/', "_");
            assert!(r.scrub(&url_safe).contains(REDACTED), "{prefix}: {url_safe}");
        }
    }

    #[test]
    fn a_key_echoed_inside_a_json_string_is_scrubbed() {
        let r = Redactor::new("sk/a\"b");
        assert_eq!(r.scrub(r#"{"e":"sk/a\"b","f":"sk\/a\"b"}"#), r#"{"e":"[redacted]","f":"[redacted]"}"#);
    }

    /// `text` as the inside of a JSON string, each character at the positions `which` picks
    /// written as `\uXXXX` (hex in upper case when `upper`).
    fn escaped(text: &str, which: impl Fn(usize) -> bool, upper: bool) -> String {
        let mut out = String::new();
        for (i, c) in text.chars().enumerate() {
            if which(i) {
                let hex = format!("{:04x}", u32::from(c));
                out.push_str("\\u");
                out.push_str(&if upper { hex.to_uppercase() } else { hex });
            } else {
                let mut one = String::new();
                crate::json::write_json_string(&c.to_string(), &mut one);
                out.push_str(&one[1..one.len() - 1]);
            }
        }
        out
    }

    #[test]
    fn a_key_written_with_json_escapes_is_scrubbed_as_json_parse_would_read_it() {
        let r = Redactor::new(KEY);
        let forms = [
            escaped(KEY, |_| true, false),
            escaped(KEY, |_| true, true),
            escaped(KEY, |i| i == 0, false),
            escaped(KEY, |i| i % 2 == 1, true),
            escaped(&KEY.to_uppercase(), |i| i == 3, false),
            escaped(&percent_encode(KEY, "-._~"), |i| i == 2, false),
        ];
        for form in forms {
            let text = format!(r#"{{"error":"bad key {form}","{form}":["x{form}y"],"n":1}}"#);
            assert_eq!(
                r.scrub_json(&text),
                r#"{"error":"bad key [redacted]","[redacted]":["x[redacted]y"],"n":1}"#,
                "{text}"
            );
        }
    }

    #[test]
    fn a_json_text_without_the_key_is_left_byte_for_byte() {
        let r = Redactor::new(KEY);
        for text in [
            r#"{"note":"caf\u00e9 \ud83d\ude00 \"q\" \/ \n","sk_live":"Abc+123"}"#,
            r#"{"broken":"\u00"#,
            r#"<html>"\u0073k_live\/Abc</html>"#,
            "",
        ] {
            assert_eq!(r.scrub_json(text), text);
        }
    }

    #[test]
    fn escapes_outside_json_text_or_past_a_broken_literal_are_still_read() {
        let r = Redactor::new(KEY);
        let key = escaped(KEY, |_| true, false);
        assert_eq!(r.scrub_json(&format!(r#"<p title="{key}">"#)), r#"<p title="[redacted]">"#);
        assert_eq!(r.scrub_json(&format!(r#"{{"a":"\x","b":"{key}"#)), r#"{"a":"\x","b":"[redacted]""#);
    }

    /// proptest is a dev-dependency of the host build only.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;

        proptest::proptest! {
            /// Whatever characters of a key are `\\u`-escaped, in either hex case, once scrubbed no
            /// string of the JSON text holds the key as a JSON reader decodes it.
            #[test]
            fn no_escaped_echo_survives_a_json_reader(
                key in "[ -~]{8,24}",
                picks in proptest::collection::vec(0u8..3, 24),
                around in "[a-z \\\\]{0,6}",
            ) {
                let r = Redactor::new(&key);
                let form: String = key
                    .chars()
                    .zip(picks.iter().cycle())
                    .map(|(c, pick)| escaped(&c.to_string(), |_| *pick > 0, *pick == 2))
                    .collect();
                let mut prefix = String::new();
                crate::json::write_json_string(&around, &mut prefix);
                let text = format!(r#"{{"e":"{}{form}","{form}":[1]}}"#, &prefix[1..prefix.len() - 1]);
                let scrubbed = r.scrub_json(&text);
                let read = crate::value::Value::from_json(&scrubbed).expect("still JSON");
                let object = read.as_object().unwrap();
                for (name, value) in object.iter() {
                    proptest::prop_assert!(!r.finds_in(name), "{text} -> {scrubbed}");
                    if let Some(s) = value.as_str() {
                        proptest::prop_assert!(!r.finds_in(s), "{text} -> {scrubbed}");
                    }
                }
            }
        }
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        let r = Redactor::new(KEY);
        let text = "Unauthorized - Invalid API key: sk_live/Abc (partial) is not a key";
        assert_eq!(r.scrub(text), text);
    }

    #[test]
    fn a_text_cut_for_size_never_ends_in_part_of_the_key() {
        let r = Redactor::new(KEY);
        for cut in 1..KEY.len() {
            let text = format!("error: your key {}", &KEY[..cut]);
            assert_eq!(r.scrub_cut(&text), "error: your key ", "cut at {cut}");
        }
        assert_eq!(r.scrub_cut("error: nothing to see"), "error: nothing to see");
        let upper = format!("key {}", &KEY.to_uppercase()[..10]);
        assert_eq!(r.scrub_cut(&upper), "key ");
    }
}
