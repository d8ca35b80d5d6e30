//! JSON text to a [`Value`]: bounded in depth, exact in numbers, sharing the text's strings.
//! Its [`Scanner`] reads the text token by token for both readers of JSON text: the tree
//! ([`Value::from_json`]) and the one-pass walker (`rules::text`), so JSON is read by one set of rules.

use crate::number::decimal_to_f64;
use crate::value::{Object, Text, Unreadable, Value, MAX_DEPTH};
use std::sync::Arc;

impl Value {
    /// Parses JSON text. Nesting past [`MAX_DEPTH`] is an error, never a stack overflow;
    /// a `\uD800`-style lone surrogate escape becomes [`Unreadable::IllFormedString`].
    pub fn from_json(text: &str) -> Result<Value, JsonError> {
        // One copy of the text; every string without escapes is then a slice of it.
        let source: Arc<str> = Arc::from(text);
        let mut scanner = Scanner::new(&source);
        let value = tree(&mut scanner, &source, 0)?;
        scanner.end()?;
        Ok(value)
    }
}

/// Why JSON text could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What was wrong.
    pub reason: &'static str,
}

/// The value at the scanner, as a tree whose plain strings are slices of `source`.
fn tree(scanner: &mut Scanner, source: &Arc<str>, depth: usize) -> Result<Value, JsonError> {
    Ok(match scanner.value(depth)? {
        Token::Null => Value::Null,
        Token::Bool(b) => Value::Bool(b),
        Token::Number(n) => Value::Number(n),
        Token::InexactInteger => Value::Unreadable(Unreadable::InexactInteger),
        Token::String(Str::Plain(from, to)) => Value::String(Text::slice(source, from, to)),
        Token::String(Str::Decoded(text)) => Value::String(Text::from(text)),
        Token::String(Str::IllFormed) => Value::Unreadable(Unreadable::IllFormedString),
        Token::Array => {
            let mut items = Vec::new();
            let mut first = true;
            while scanner.next_item(std::mem::take(&mut first))? {
                items.push(tree(scanner, source, depth + 1)?);
            }
            Value::Array(items)
        }
        Token::Object => {
            let mut object = Object::new();
            let mut first = true;
            while let Some(key) = scanner.next_key(std::mem::take(&mut first))? {
                let value = tree(scanner, source, depth + 1)?;
                match key {
                    Str::Plain(from, to) => object.insert(Text::slice(source, from, to), value),
                    Str::Decoded(key) => object.insert(key, value),
                    // Unreadable, so validation reports it: no key's value passes under another's.
                    Str::IllFormed => {
                        object.insert(Text::from("\u{FFFD}"), Value::Unreadable(Unreadable::IllFormedKey))
                    }
                }
            }
            Value::Object(object)
        }
    })
}

/// One value's start in JSON text: a scalar read whole, or the bracket of a container whose
/// entries ([`Scanner::next_key`]) or items ([`Scanner::next_item`]) follow.
#[derive(Debug)]
pub(crate) enum Token {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number (non-finite when its exponent overflows a double).
    Number(f64),
    /// An integer past 2^53 that a double cannot hold.
    InexactInteger,
    /// A string.
    String(Str),
    /// `[`, not yet read.
    Array,
    /// `{`, not yet read.
    Object,
}

/// A string literal as read.
#[derive(Debug)]
pub(crate) enum Str {
    /// No escapes: the text between the quotes, `from..to`.
    Plain(usize, usize),
    /// Escapes decoded.
    Decoded(String),
    /// It holds a lone surrogate (`"\ud800"`).
    IllFormed,
}

/// JSON text read token by token: the grammar, the string escapes and the numbers, once.
pub(crate) struct Scanner<'s> {
    text: &'s str,
    bytes: &'s [u8],
    pos: usize,
}

impl<'s> Scanner<'s> {
    /// A scanner at the start of `text`, past its leading white space.
    pub(crate) fn new(text: &'s str) -> Self {
        let mut scanner = Scanner { text, bytes: text.as_bytes(), pos: 0 };
        scanner.skip_ws();
        scanner
    }

    /// Ends the text: only white space may follow the value.
    pub(crate) fn end(&mut self) -> Result<(), JsonError> {
        self.skip_ws();
        if self.pos != self.bytes.len() {
            return Err(self.error("unexpected text after the JSON value"));
        }
        Ok(())
    }

    /// `from..to` of the text (a [`Str::Plain`]).
    pub(crate) fn slice(&self, from: usize, to: usize) -> &'s str {
        self.text.get(from..to).unwrap_or("")
    }

    /// The byte at the scanner, if any.
    pub(crate) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn error(&self, reason: &'static str) -> JsonError {
        JsonError { offset: self.pos, reason }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, literal: &str, token: Token) -> Result<Token, JsonError> {
        if self.bytes[self.pos..].starts_with(literal.as_bytes()) {
            self.pos += literal.len();
            Ok(token)
        } else {
            Err(self.error("invalid literal"))
        }
    }

    /// Reads the value here, `depth` containers down: a scalar whole, a container's bracket
    /// not yet. Past [`MAX_DEPTH`] it is an error.
    #[inline]
    pub(crate) fn value(&mut self, depth: usize) -> Result<Token, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        match self.bytes.get(self.pos) {
            None => Err(self.error("unexpected end of JSON")),
            Some(b'n') => self.eat("null", Token::Null),
            Some(b't') => self.eat("true", Token::Bool(true)),
            Some(b'f') => self.eat("false", Token::Bool(false)),
            Some(b'"') => Ok(Token::String(self.string()?)),
            Some(b'[') => Ok(Token::Array),
            Some(b'{') => Ok(Token::Object),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("unexpected character")),
        }
    }

    /// In an array (`first`: at its `[`): whether an item follows, its comma read; `false`
    /// once the closing `]` is read.
    pub(crate) fn next_item(&mut self, first: bool) -> Result<bool, JsonError> {
        self.next_member(first, b']', "expected ',' or ']'")
    }

    /// In an object (`first`: at its `{`): the next key, its colon read; `None` once the
    /// closing `}` is read.
    pub(crate) fn next_key(&mut self, first: bool) -> Result<Option<Str>, JsonError> {
        if !self.next_member(first, b'}', "expected ',' or '}'")? {
            return Ok(None);
        }
        if self.bytes.get(self.pos) != Some(&b'"') {
            return Err(self.error("expected a string key"));
        }
        let key = self.string()?;
        self.skip_ws();
        if self.bytes.get(self.pos) != Some(&b':') {
            return Err(self.error("expected ':'"));
        }
        self.pos += 1;
        self.skip_ws();
        Ok(Some(key))
    }

    /// In an array or object (`first`: at its opening bracket): whether a member follows, the
    /// comma before it read; `false` once `close` is read.
    fn next_member(&mut self, first: bool, close: u8, expected: &'static str) -> Result<bool, JsonError> {
        if first {
            self.pos += 1;
            self.skip_ws();
            if self.bytes.get(self.pos) == Some(&close) {
                self.pos += 1;
                return Ok(false);
            }
        } else {
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(&byte) if byte == close => {
                    self.pos += 1;
                    return Ok(false);
                }
                _ => return Err(self.error(expected)),
            }
        }
        self.skip_ws();
        Ok(true)
    }

    fn number(&mut self) -> Result<Token, JsonError> {
        let start = self.pos;
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        let digits = |p: &mut Self| {
            let from = p.pos;
            while p.bytes.get(p.pos).is_some_and(u8::is_ascii_digit) {
                p.pos += 1;
            }
            p.pos - from
        };
        let int_start = self.pos;
        let int_len = digits(self);
        if int_len == 0 || (int_len > 1 && self.bytes[int_start] == b'0') {
            return Err(self.error("invalid number"));
        }
        let integer = !matches!(self.bytes.get(self.pos), Some(b'.' | b'e' | b'E'));
        if integer && int_len >= 16 && !exact_integer(&self.bytes[int_start..self.pos]) {
            return Ok(Token::InexactInteger);
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.error("invalid number"));
            }
        }
        Ok(Token::Number(decimal_to_f64(&self.bytes[start..self.pos])))
    }

    /// Reads a string literal.
    fn string(&mut self) -> Result<Str, JsonError> {
        self.pos += 1; // the opening quote
        let from = self.pos;
        self.pos = self.plain_run_end(from);
        if self.bytes.get(self.pos) == Some(&b'"') {
            self.pos += 1;
            return Ok(Str::Plain(from, self.pos - 1)); // no escapes: a slice
        }
        // The text decoded is no longer than the literal, which ends before the text does: room
        // for all of it, up to a bound (a message's escaped line breaks then grow it no more).
        let mut out = String::with_capacity((self.bytes.len() - from).min(4096));
        out.push_str(self.slice(from, self.pos));
        // A high surrogate from a `\u` escape, waiting for its low half.
        let mut high: Option<u16> = None;
        let mut well_formed = true;
        loop {
            match self.bytes.get(self.pos) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(if well_formed && high.is_none() { Str::Decoded(out) } else { Str::IllFormed });
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let unit = match self.bytes.get(self.pos) {
                        Some(b'"') => 0x22,
                        Some(b'\\') => 0x5c,
                        Some(b'/') => 0x2f,
                        Some(b'b') => 0x08,
                        Some(b'f') => 0x0c,
                        Some(b'n') => 0x0a,
                        Some(b'r') => 0x0d,
                        Some(b't') => 0x09,
                        Some(b'u') => self.hex4()?,
                        _ => return Err(self.error("invalid escape")),
                    };
                    self.pos += 1;
                    match (high.take(), unit) {
                        (Some(h), 0xDC00..=0xDFFF) => {
                            let c = 0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                            out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                        }
                        (pending, 0xD800..=0xDBFF) => {
                            well_formed &= pending.is_none();
                            high = Some(unit);
                        }
                        (pending, _) => {
                            well_formed &= pending.is_none();
                            match char::from_u32(u32::from(unit)) {
                                Some(c) => out.push(c),
                                None => well_formed = false, // a lone low surrogate
                            }
                        }
                    }
                }
                Some(0..=0x1f) => return Err(self.error("control character in string")),
                Some(_) => {
                    let from = self.pos;
                    self.pos = self.plain_run_end(from);
                    well_formed &= high.take().is_none();
                    out.push_str(self.slice(from, self.pos));
                }
            }
        }
    }

    /// Where the run of string bytes that need no decoding, starting at `from`, ends: eight
    /// bytes at a time while none of them is a quote, a backslash or a control character.
    fn plain_run_end(&self, from: usize) -> usize {
        let mut rest = self.bytes.get(from..).unwrap_or(&[]);
        while let [a, b, c, d, e, f, g, h, tail @ ..] = rest {
            let stops = decoding_stops(u64::from_le_bytes([*a, *b, *c, *d, *e, *f, *g, *h]));
            if stops != 0 {
                // The lowest byte marked is the first that needs decoding (a false mark only
                // ever follows a true one).
                return self.bytes.len() - rest.len() + (stops.trailing_zeros() / 8) as usize;
            }
            rest = tail;
        }
        while let [b, tail @ ..] = rest {
            if *b == b'"' || *b == b'\\' || *b < 0x20 {
                break;
            }
            rest = tail;
        }
        self.bytes.len() - rest.len()
    }

    /// Reads the four hex digits after `\\u`, leaving `pos` on the last one.
    fn hex4(&mut self) -> Result<u16, JsonError> {
        let hex = self.bytes.get(self.pos + 1..self.pos + 5).ok_or(self.error("invalid \\u escape"))?;
        let mut unit = 0u16;
        for &b in hex {
            let digit = (b as char).to_digit(16).ok_or(self.error("invalid \\u escape"))?;
            unit = unit * 16 + digit as u16;
        }
        self.pos += 4;
        Ok(unit)
    }
}

/// Whether any of eight bytes is a quote, a backslash or a control character (may say so of a
/// byte after one that is: the bytes are then read one by one).
#[cfg(test)]
fn needs_decoding(word: u64) -> bool {
    decoding_stops(word) != 0
}

/// The high bit of each of eight bytes (little-endian) that is a quote, a backslash or a
/// control character; a byte after one that is may be marked too.
#[inline(always)]
fn decoding_stops(word: u64) -> u64 {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    bytes_below(quote, 1) | bytes_below(backslash, 1) | bytes_below(word, 0x20)
}

/// The high bit of each of eight bytes below `n` (at most 128; and maybe of a byte after one).
#[inline(always)]
const fn bytes_below(word: u64, n: u64) -> u64 {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    word.wrapping_sub(ONES * n) & !word & HIGHS
}

/// Whether writing this integer literal (its digits, no sign) back as JavaScript writes the
/// double it reads as gives the same number: below 2^53 it always does; past it only where
/// the literal is the double's shortest digits and zeros (`123456789012345680000`, as
/// `JSON.stringify` writes it), not `9007199254740993`.
fn exact_integer(digits: &[u8]) -> bool {
    let written = crate::number::js_number(decimal_to_f64(digits));
    // `1.2345e+25` or `12345…`: its significant digits, and the power of ten of the last one.
    let (mantissa, exponent) = match written.split_once("e+") {
        Some((m, e)) => (m.replace('.', ""), e.parse::<usize>().unwrap_or(0) + 1),
        None => (written.clone(), written.len()),
    };
    let significant = mantissa.trim_end_matches('0');
    let literal = std::str::from_utf8(digits).unwrap_or("");
    // The same number: the same significant digits at the same magnitude.
    literal.len() == exponent && literal.trim_end_matches('0') == significant
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trips_in_key_order() {
        let text = r#"{"z":1,"a":[true,false,null,"x"],"m":{"k":-1.5e-7}}"#;
        let value = Value::from_json(text).unwrap();
        assert_eq!(value.to_json(), r#"{"z":1,"a":[true,false,null,"x"],"m":{"k":-1.5e-7}}"#);
    }

    #[test]
    fn duplicate_keys_keep_the_first_position_and_last_value() {
        let value = Value::from_json(r#"{"a":1,"b":2,"a":3}"#).unwrap();
        assert_eq!(value.to_json(), r#"{"a":3,"b":2}"#);
    }

    #[test]
    fn escapes_decode_and_surrogate_pairs_join() {
        let value = Value::from_json(r#""\u00e9\ud83d\udc4d\n\/""#).unwrap();
        assert_eq!(value, Value::String("é👍\n/".into()));
    }

    #[test]
    fn a_lone_surrogate_escape_is_kept_as_unreadable() {
        for text in [r#""\ud800""#, r#""a\udc00b""#, r#""\ud800\u0041""#, r#""\ud800x""#, r#""\ud800\ud800\udc00""#] {
            assert_eq!(Value::from_json(text).unwrap(), Value::Unreadable(Unreadable::IllFormedString), "{text}");
        }
    }

    #[test]
    fn a_key_holding_a_lone_surrogate_is_an_unreadable_entry_never_another_keys_value() {
        // Before, both became "\u{FFFD}" holding 2: one key's value passed as another's.
        let value = Value::from_json(r#"{"\ud800":1,"\udc00":2,"ok":3}"#).unwrap();
        assert_eq!(value.to_json(), "{\"\u{FFFD}\":null,\"ok\":3}");
        let object = value.as_object().unwrap();
        assert_eq!(object.get("\u{FFFD}"), Some(&Value::Unreadable(Unreadable::IllFormedKey)));
    }

    #[test]
    fn integers_past_2_to_the_53_a_double_cannot_hold_are_unreadable_not_rounded() {
        // Written back, each would be another number (2^60 as 1152921504606847000).
        let nines = "9".repeat(40);
        for inexact in [
            "9007199254740993",
            "-9007199254740993",
            "12345678901234567890",
            "1152921504606846976",
            "10000000000000000000001",
            &nines,
        ] {
            assert_eq!(Value::from_json(inexact).unwrap(), Value::Unreadable(Unreadable::InexactInteger), "{inexact}");
        }
        // As JSON.stringify writes doubles: they read back and write back the same.
        for exact in [
            "9007199254740992",
            "-9007199254740992",
            "1152921504606847000",
            "123456789012345680000",
            "1000000000000000000000",
            "999999999999999",
            "1e300",
            "9007199254740993.5",
        ] {
            assert!(matches!(Value::from_json(exact).unwrap(), Value::Number(_)), "{exact}");
        }
    }

    #[test]
    fn truncated_or_malformed_json_is_an_error_not_a_panic() {
        for text in ["", "{", r#"{"a":"#, r#"{"a":1"#, "[1,", r#""abc"#, "01", "1.", "-", "nul", "{}x", r#""\u12""#] {
            assert!(Value::from_json(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn a_huge_object_parses_whole_and_in_order() {
        let keys: Vec<String> = (0..200_000).map(|i| format!("\"k{i}\":{i}")).collect();
        let text = format!("{{{}}}", keys.join(","));
        let Value::Object(object) = Value::from_json(&text).unwrap() else { panic!("an object") };
        assert_eq!((object.len(), object.get("k199999")), (200_000, Some(&Value::Number(199_999.0))));
        assert_eq!(object.iter().nth(7).map(|(k, _)| k), Some("k7"), "in input order");
    }

    #[test]
    fn the_lowest_byte_marked_is_the_first_that_needs_decoding() {
        let stop = |b: u8| b == b'"' || b == b'\\' || b < 0x20;
        for i in 0..8 {
            for j in i + 1..8 {
                for first in 0..=255u8 {
                    for second in 0..=255u8 {
                        let mut word = [b'a'; 8];
                        word[i] = first;
                        word[j] = second;
                        let expected = word.iter().position(|b| stop(*b)).unwrap_or(8);
                        let stops = decoding_stops(u64::from_le_bytes(word));
                        assert_eq!((stops.trailing_zeros() / 8) as usize, expected, "{word:?}");
                    }
                }
            }
        }
        // Through the scanner: where a string's plain run ends, at every place of every stop.
        for len in 0..20 {
            for at in 0..len {
                for byte in [b'"', b'\\', 0x1f, 0x7f, 0x80, b'!', 0xc3] {
                    let mut bytes = vec![b'x'; len];
                    bytes[at] = byte;
                    bytes.push(b'"');
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    let scanner = Scanner { text: &text, bytes: text.as_bytes(), pos: 0 };
                    let expected = text.bytes().position(stop).unwrap();
                    assert_eq!(scanner.plain_run_end(0), expected, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn eight_bytes_need_decoding_exactly_when_one_is_a_quote_a_backslash_or_a_control() {
        for at in 0..8 {
            for byte in 0..=255u8 {
                let mut word = [b'a'; 8];
                word[at] = byte;
                let expected = byte == b'"' || byte == b'\\' || byte < 0x20;
                assert_eq!(needs_decoding(u64::from_le_bytes(word)), expected, "{byte:#x} at {at}");
            }
        }
    }

    #[test]
    fn nesting_past_the_limit_is_an_error_not_a_stack_overflow() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let err = Value::from_json(&deep).unwrap_err();
        assert_eq!(err.reason, "nested too deeply");
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(Value::from_json(&ok).is_ok());
    }
}
