//! Scrubbing an API key from what an error carries (CONTRACT §4, redaction): the key itself in
//! any letter case, its URL-encoded forms, and its base64 forms at every byte alignment (a key
//! inside `Basic …` credentials), so a server that echoes it back in any of those never
//! leaks it. A text that was cut for size never ends in the first part of a key.

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
