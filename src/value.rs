//! The untyped input value every operation validates, and its JSON text form.
//!
//! The host hands inputs over as [`Value`]s in the host's own key order. Anything the SDK
//! cannot or will not carry (a lone surrogate, a `BigInt`, a cycle, a throwing getter) is
//! kept as [`Unreadable`], so validation can report it at its path instead of losing it.

use crate::number::decimal_to_f64;
pub use crate::number::js_number;
use std::borrow::Borrow;
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// How deep a value may nest before the rest is [`Unreadable::TooDeep`]; bounds every recursion.
pub const MAX_DEPTH: usize = 64;
/// How many values one input may hold before the rest is [`Unreadable::TooLarge`].
pub const MAX_VALUES: usize = 100_000;
/// The longest string (in UTF-16 units) the SDK reads; Mava's server refuses bodies over 1 MiB.
pub const MAX_STRING_UNITS: usize = 1 << 20;
/// All the string units one input may hold before the rest is [`Unreadable::TooLarge`].
pub const MAX_TOTAL_STRING_UNITS: usize = 4 * MAX_STRING_UNITS;

/// An untyped value, as JSON or a JS host would give it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// Any JS number, including non-finite ones (validation rejects those).
    Number(f64),
    /// A well-formed Unicode string.
    String(Text),
    /// An array, in order.
    Array(Vec<Value>),
    /// An object, in the host's key order.
    Object(Object),
    /// A value the SDK did not read; it always yields a violation.
    Unreadable(Unreadable),
}

/// Why a host value was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// A string holding a lone surrogate.
    IllFormedString,
    /// A string longer than [`MAX_STRING_UNITS`] UTF-16 units.
    OversizedString,
    /// A JS `BigInt`.
    BigInt,
    /// A JS `Symbol`.
    Symbol,
    /// A JS function.
    Function,
    /// `undefined` where a value is required (an array item).
    Undefined,
    /// A getter or Proxy trap threw while reading.
    Threw,
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// An object that contains itself.
    Circular,
    /// More than [`MAX_VALUES`] values, or [`MAX_TOTAL_STRING_UNITS`] string units, in one input.
    TooLarge,
}

/// A string in a [`Value`]: a slice of the JSON text it was parsed from (shared, so reading an
/// input allocates nothing per string), or its own text.
#[derive(Clone)]
pub struct Text {
    source: Arc<str>,
    start: u32,
    end: u32,
}

impl Text {
    /// The text as a `&str`.
    #[inline(always)] // a slice, read on every check: a call would cost more than the work
    pub fn as_str(&self) -> &str {
        &self.source[self.start as usize..self.end as usize]
    }

    /// `source[range]`, sharing `source`.
    fn slice(source: &Arc<str>, start: usize, end: usize) -> Text {
        Text { source: source.clone(), start: start as u32, end: end as u32 }
    }
}

impl Deref for Text {
    type Target = str;
    #[inline(always)]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text { source: Arc::from(text), start: 0, end: text.len() as u32 }
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Text::from(text.as_str())
    }
}

impl From<&String> for Text {
    fn from(text: &String) -> Self {
        Text::from(text.as_str())
    }
}

impl From<Text> for String {
    fn from(text: Text) -> Self {
        text.as_str().to_owned()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    #[inline(always)]
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    #[inline(always)]
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A JSON object whose entries keep their insertion order, indexed by key so that large
/// objects (a hostile input, a huge error body) cost linear time, not quadratic.
#[derive(Debug, Clone, Default)]
pub struct Object {
    entries: Vec<(Text, Value)>,
    /// Positions by key, once the object is large enough for a scan to cost more than hashing.
    index: Option<HashMap<Text, usize>>,
}

/// Objects of up to this many entries are scanned: no index to build for the usual input.
const SCANNED_UP_TO: usize = 8;

impl PartialEq for Object {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl Object {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| k == key),
        }
    }

    /// Sets `key`, keeping the position of an earlier entry with that key (as JS does).
    pub fn insert(&mut self, key: impl Into<Text>, value: Value) {
        let key = key.into();
        if let Some(at) = self.position(&key) {
            self.entries[at].1 = value;
            return;
        }
        if let Some(index) = &mut self.index {
            index.insert(key.clone(), self.entries.len());
        }
        self.entries.push((key, value));
        if self.index.is_none() && self.entries.len() > SCANNED_UP_TO {
            self.index = Some(self.entries.iter().enumerate().map(|(at, (k, _))| (k.clone(), at)).collect());
        }
    }

    /// The value at `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key).map(|at| &self.entries[at].1)
    }

    /// The entries, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<K: Into<Text>> FromIterator<(K, Value)> for Object {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Self {
        let mut object = Object::new();
        for (k, v) in iter {
            object.insert(k, v);
        }
        object
    }
}

impl Value {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// Parses JSON text. Nesting past [`MAX_DEPTH`] is an error, never a stack overflow;
    /// a `\uD800`-style lone surrogate escape becomes [`Unreadable::IllFormedString`].
    pub fn from_json(text: &str) -> Result<Value, JsonError> {
        // One copy of the text; every string without escapes is then a slice of it.
        let source: Arc<str> = Arc::from(text);
        let mut parser = Parser { source: &source, bytes: source.as_bytes(), pos: 0 };
        parser.skip_ws();
        let value = parser.value(0)?;
        parser.skip_ws();
        if parser.pos != parser.bytes.len() {
            return Err(parser.error("unexpected text after the JSON value"));
        }
        Ok(value)
    }

    /// Writes this value as `JSON.stringify` would (numbers and escapes included).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_json(self, &mut out);
        out
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

struct Parser<'a> {
    source: &'a Arc<str>,
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, reason: &'static str) -> JsonError {
        JsonError { offset: self.pos, reason }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, literal: &str, value: Value) -> Result<Value, JsonError> {
        if self.bytes[self.pos..].starts_with(literal.as_bytes()) {
            self.pos += literal.len();
            Ok(value)
        } else {
            Err(self.error("invalid literal"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        match self.bytes.get(self.pos) {
            None => Err(self.error("unexpected end of JSON")),
            Some(b'n') => self.eat("null", Value::Null),
            Some(b't') => self.eat("true", Value::Bool(true)),
            Some(b'f') => self.eat("false", Value::Bool(false)),
            Some(b'"') => Ok(match self.string()? {
                Some(s) => Value::String(s),
                None => Value::Unreadable(Unreadable::IllFormedString),
            }),
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if self.bytes.get(self.pos) == Some(&b']') {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                loop {
                    self.skip_ws();
                    items.push(self.value(depth + 1)?);
                    self.skip_ws();
                    match self.bytes.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Value::Array(items));
                        }
                        _ => return Err(self.error("expected ',' or ']'")),
                    }
                }
            }
            Some(b'{') => {
                self.pos += 1;
                let mut object = Object::new();
                self.skip_ws();
                if self.bytes.get(self.pos) == Some(&b'}') {
                    self.pos += 1;
                    return Ok(Value::Object(object));
                }
                loop {
                    self.skip_ws();
                    if self.bytes.get(self.pos) != Some(&b'"') {
                        return Err(self.error("expected a string key"));
                    }
                    let key = self.string()?.unwrap_or_else(|| Text::from("\u{FFFD}"));
                    self.skip_ws();
                    if self.bytes.get(self.pos) != Some(&b':') {
                        return Err(self.error("expected ':'"));
                    }
                    self.pos += 1;
                    self.skip_ws();
                    let value = self.value(depth + 1)?;
                    object.insert(key, value);
                    self.skip_ws();
                    match self.bytes.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(Value::Object(object));
                        }
                        _ => return Err(self.error("expected ',' or '}'")),
                    }
                }
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("unexpected character")),
        }
    }

    fn number(&mut self) -> Result<Value, JsonError> {
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
        Ok(Value::Number(decimal_to_f64(&self.bytes[start..self.pos])))
    }

    /// Reads a string literal; `None` when it holds a lone surrogate.
    fn string(&mut self) -> Result<Option<Text>, JsonError> {
        self.pos += 1; // the opening quote
        let from = self.pos;
        self.pos = self.plain_run_end(from);
        if self.bytes.get(self.pos) == Some(&b'"') {
            self.pos += 1;
            return Ok(Some(Text::slice(self.source, from, self.pos - 1))); // no escapes: shared
        }
        let mut out = String::from(self.text(from, self.pos));
        // A high surrogate from a `\u` escape, waiting for its low half.
        let mut high: Option<u16> = None;
        let mut well_formed = true;
        loop {
            match self.bytes.get(self.pos) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok((well_formed && high.is_none()).then(|| Text::from(out)));
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
                    out.push_str(self.text(from, self.pos));
                }
            }
        }
    }

    /// Where the run of string bytes that need no decoding, starting at `from`, ends.
    fn plain_run_end(&self, from: usize) -> usize {
        let run = self.bytes[from..].iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
        run.map_or(self.bytes.len(), |n| from + n)
    }

    /// The source text `from..to`, split only at ASCII bytes.
    fn text(&self, from: usize, to: usize) -> &str {
        self.source.get(from..to).unwrap_or("")
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

fn write_json(value: &Value, out: &mut String) {
    match value {
        // Validation never lets an unreadable value through; `null` is JSON.stringify's answer.
        Value::Null | Value::Unreadable(_) => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&js_number(*n)),
        Value::String(s) => write_json_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Object(object) => write_json_object(object.iter(), out),
    }
}

/// Writes these entries as a JSON object, in order.
pub fn write_json_object<'a>(entries: impl Iterator<Item = (&'a str, &'a Value)>, out: &mut String) {
    out.push('{');
    for (i, (key, item)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_json_string(key, out);
        out.push(':');
        write_json(item, out);
    }
    out.push('}');
}

/// Writes `s` as a JSON string literal with `JSON.stringify`'s escapes.
pub fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    let mut plain_from = 0;
    for (at, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue, // copied with its run below (multi-byte characters included)
        };
        out.push_str(&s[plain_from..at]);
        plain_from = at + 1;
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(&s[plain_from..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_keep_insertion_order_and_find_keys_below_and_above_the_index_threshold() {
        let mut object = Object::new();
        for i in 0..20 {
            object.insert(format!("k{i}"), Value::Number(f64::from(i)));
            object.insert("k0", Value::Number(-f64::from(i))); // an earlier key keeps its place
        }
        assert_eq!(object.len(), 20);
        assert_eq!(object.iter().map(|(k, _)| k).take(3).collect::<Vec<_>>(), ["k0", "k1", "k2"]);
        assert_eq!(object.get("k0"), Some(&Value::Number(-19.0)));
        assert!((1..20).all(|i| object.get(&format!("k{i}")) == Some(&Value::Number(f64::from(i)))));
        assert_eq!(object.get("k20"), None);
    }

    #[test]
    fn strings_escape_as_json_stringify_does() {
        let mut out = String::new();
        write_json_string("a\"b\\c\n\u{1}\u{7f}é👍", &mut out);
        assert_eq!(out, "\"a\\\"b\\\\c\\n\\u0001\u{7f}é👍\"");
    }

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
    fn nesting_past_the_limit_is_an_error_not_a_stack_overflow() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let err = Value::from_json(&deep).unwrap_err();
        assert_eq!(err.reason, "nested too deeply");
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(Value::from_json(&ok).is_ok());
    }
}
