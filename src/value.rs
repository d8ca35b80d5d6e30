//! The untyped input value every operation validates (read from and written as JSON text by
//! [`Value::from_json`] and [`Value::to_json`]).
//!
//! The host hands inputs over as [`Value`]s in the host's own key order. Anything the SDK
//! cannot or will not carry (a lone surrogate, a `BigInt`, a cycle, a throwing getter) is
//! kept as [`Unreadable`], so validation can report it at its path instead of losing it.

pub use crate::number::js_number;
use std::borrow::Borrow;
use std::collections::HashMap;
use std::fmt;
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
    /// A JSON text's object key holding a lone surrogate (`"\ud800"`): no UTF-8 text holds it,
    /// so it could not be sent on as given.
    IllFormedKey,
    /// A JSON text's integer past 2^53 that a double cannot hold (`9007199254740993`): read as
    /// a number it would change.
    InexactInteger,
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
    pub(crate) fn slice(source: &Arc<str>, start: usize, end: usize) -> Text {
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

    /// An object of `entries` whose keys all differ, found by scanning them (no index is made:
    /// a small object read once, as a text walk's sketch).
    pub(crate) fn from_distinct(entries: Vec<(Text, Value)>) -> Self {
        Object { entries, index: None }
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
    /// An id as capabilities and answers name it: a non-empty string as given (without a
    /// newline, which separates a signed message's fields), a whole number in decimal.
    pub fn id_text(&self) -> Option<String> {
        match self {
            Value::String(s) if !s.is_empty() && !s.contains('\n') => Some(s.to_string()),
            Value::Number(n) if n.fract() == 0.0 && n.is_finite() => Some(js_number(*n)),
            _ => None,
        }
    }

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
}
