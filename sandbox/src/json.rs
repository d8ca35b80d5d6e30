//! Building JSON replies from the core's `Value`.

use ticketwire::value::{Object, Value};

/// An object from (key, value) pairs, in order.
pub fn obj<const N: usize>(entries: [(&str, Value); N]) -> Value {
    let mut object = Object::new();
    for (key, value) in entries {
        object.insert(key, value);
    }
    Value::Object(object)
}

/// A string value.
pub fn s(text: &str) -> Value {
    Value::String(text.into())
}

/// A string, or `null`.
pub fn opt(text: Option<String>) -> Value {
    text.map_or(Value::Null, |t| Value::String(t.into()))
}

/// A number value.
pub fn n(number: i64) -> Value {
    Value::Number(number as f64)
}

/// Parses JSON text the sandbox stored itself (`null` if it is somehow not JSON).
pub fn parse(text: &str) -> Value {
    Value::from_json(text).unwrap_or(Value::Null)
}

/// The string at `key`, if it is one.
pub fn text<'a>(object: &'a Object, key: &str) -> Option<&'a str> {
    object.get(key).and_then(Value::as_str)
}
