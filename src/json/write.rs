//! A [`Value`] as JSON text, exactly as `JSON.stringify` writes it.

use crate::number::js_number;
use crate::value::Value;
use std::fmt::Write as _;

impl Value {
    /// Writes this value as `JSON.stringify` would (numbers and escapes included).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_json(self, &mut out);
        out
    }
}

pub(crate) fn write_json(value: &Value, out: &mut String) {
    match value {
        // Validation never lets an unreadable value through; `null` is JSON.stringify's answer.
        Value::Null | Value::Unreadable(_) => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&js_number(*n)),
        Value::String(s) => write_json_string(s, out),
        Value::Array(items) => write_json_array(items, write_json, out),
        Value::Object(object) => write_json_object(object.iter(), out),
    }
}

/// Writes these items as a JSON array, in order, each as `write` writes it.
pub fn write_json_array<T>(items: &[T], write: fn(&T, &mut String), out: &mut String) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(item, out);
    }
    out.push(']');
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
    fn strings_escape_as_json_stringify_does() {
        let mut out = String::new();
        write_json_string("a\"b\\c\n\u{1}\u{7f}é👍", &mut out);
        assert_eq!(out, "\"a\\\"b\\\\c\\n\\u0001\u{7f}é👍\"");
    }
}
