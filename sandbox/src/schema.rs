//! A small JSON Schema walker with Ajv's semantics, so the sandbox checks bodies as the servers
//! do and not as the SDK does. Supported keywords: `type` (one or a list), `enum`, `maximum`,
//! `minimum`, `maxLength`, `minLength` (code points, Ajv's `ucs2length`), `pattern`, `format`
//! (`email`, `date-time`), `maxItems`, `minItems`, `items`, `required`, `additionalProperties`
//! (`false`) and `properties`.
//!
//! Keywords run in Ajv's order: the type (and its coercion) first, then `enum`, then the number,
//! string, array and object keywords; in an object `required` (schema order), then
//! `additionalProperties`, then `properties` (schema order). With `all_errors: false` (Fastify's
//! default) the walk stops at the first error.

use regex::Regex;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use ticketwire::value::{js_number, Object, Value};

/// How a server reads what the schema does not say.
#[derive(Debug, Clone, Copy)]
pub struct Dialect {
    /// Ajv `coerceTypes: 'array'` (Fastify's default): `"3"` becomes `3`, `x` becomes `[x]`.
    pub coerce: bool,
    /// Ajv `removeAdditional: true` (Fastify's default): where `additionalProperties` is `false`,
    /// unknown fields are deleted, not refused.
    pub remove_additional: bool,
    /// Report every error (`false`: stop at the first, as Ajv's `allErrors: false`).
    pub all_errors: bool,
}

/// Fastify's Ajv options.
pub const FASTIFY: Dialect = Dialect { coerce: true, remove_additional: true, all_errors: false };

/// One refused value.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaError {
    /// JSON Pointer of the mistake: the missing or unknown property itself for `required` and
    /// `additionalProperties` (Ajv reports those on the parent).
    pub path: String,
    /// Ajv's `instancePath`: where the message says the mistake is.
    pub instance_path: String,
    /// Ajv's message without the data variable: `must be equal to one of the allowed values`.
    pub message: String,
    /// Ajv's keyword for it (`maxLength`): what the SDK's violation names as its `rule`.
    pub keyword: &'static str,
}

impl SchemaError {
    /// Fastify's wording: `body/priority must be …` (`${dataVar}${instancePath} ${message}`).
    pub fn text(&self, root: &str) -> String {
        format!("{root}{} {}", self.instance_path, self.message)
    }
}

/// What a lenient server did with a value instead of refusing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Leniency {
    /// Its type was coerced (Ajv `coerceTypes`).
    Coerced {
        /// The JS type it came as.
        from: &'static str,
        /// The JS type the schema wants.
        to: &'static str,
    },
    /// An unknown field was deleted (Ajv `removeAdditional`).
    Removed,
    /// An unknown field was kept but nothing reads it.
    Ignored,
    /// The server reads the value in its own way, whatever it is (`parseInt`, `=== 'true'`).
    Interpreted,
    /// It came as text in a path or query string, which carries no JSON type.
    Text,
}

/// Where the server was lenient, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relaxed {
    /// JSON Pointer of the value.
    pub path: String,
    /// What the server did.
    pub how: Leniency,
}

/// The outcome of a walk: the value as the handler then sees it, the errors, the leniencies.
#[derive(Debug)]
pub struct Checked {
    /// The value after coercion and removal.
    pub value: Value,
    /// The errors, in the order Ajv finds them (at most one unless `all_errors`).
    pub errors: Vec<SchemaError>,
    /// What was relaxed on the way.
    pub relaxed: Vec<Relaxed>,
}

/// Parses a schema written as JSON text (the sandbox's own files); panics on a typo in them,
/// which the tests catch at once.
pub fn parse(text: &str) -> Value {
    Value::from_json(text).unwrap_or_else(|e| panic!("a sandbox schema is not JSON: {}", e.reason))
}

/// Validates `data` against `schema`.
pub fn check(schema: &Value, data: Value, dialect: Dialect) -> Checked {
    let mut walk = Walk { dialect, errors: Vec::new(), relaxed: Vec::new() };
    let value = walk.value(schema, data, "");
    Checked { value, errors: walk.errors, relaxed: walk.relaxed }
}

struct Walk {
    dialect: Dialect,
    errors: Vec<SchemaError>,
    relaxed: Vec<Relaxed>,
}

/// Escapes a key for a JSON Pointer (`~` → `~0`, `/` → `~1`).
pub fn pointer(parent: &str, key: &str) -> String {
    format!("{parent}/{}", key.replace('~', "~0").replace('/', "~1"))
}

impl Walk {
    fn done(&self) -> bool {
        !self.dialect.all_errors && !self.errors.is_empty()
    }

    fn fail(&mut self, keyword: &'static str, path: String, instance_path: &str, message: String) {
        self.errors.push(SchemaError { path, instance_path: instance_path.to_owned(), message, keyword });
    }

    fn value(&mut self, schema: &Value, data: Value, at: &str) -> Value {
        let Some(s) = schema.as_object() else { return data };
        let mut data = data;
        let types = type_list(s);
        if !types.is_empty() && !types.iter().any(|t| is_type(t, &data)) {
            match coerce(&types, &data).filter(|_| self.dialect.coerce) {
                Some((to, coerced)) => {
                    self.relaxed
                        .push(Relaxed { path: at.to_owned(), how: Leniency::Coerced { from: js_type(&data), to } });
                    data = coerced;
                }
                None => {
                    self.fail("type", at.to_owned(), at, format!("must be {}", types.join(",")));
                    return data;
                }
            }
        }
        if let Some(Value::Array(allowed)) = s.get("enum") {
            if !allowed.iter().any(|a| same(a, &data)) {
                self.fail("enum", at.to_owned(), at, "must be equal to one of the allowed values".into());
                return data;
            }
        }
        match data {
            Value::Number(n) => {
                if let Some(max) = s.get("maximum").and_then(Value::as_number).filter(|max| n > *max) {
                    self.fail("maximum", at.to_owned(), at, format!("must be <= {}", js_number(max)));
                } else if let Some(min) = s.get("minimum").and_then(Value::as_number).filter(|min| n < *min) {
                    self.fail("minimum", at.to_owned(), at, format!("must be >= {}", js_number(min)));
                }
                data
            }
            Value::String(ref text) => {
                let length = || text.chars().count();
                let limit = |k: &str| s.get(k).and_then(Value::as_number).map(|n| n as usize);
                if let Some(max) = limit("maxLength").filter(|max| length() > *max) {
                    self.fail("maxLength", at.to_owned(), at, format!("must NOT have more than {max} characters"));
                } else if let Some(min) = limit("minLength").filter(|min| length() < *min) {
                    self.fail("minLength", at.to_owned(), at, format!("must NOT have fewer than {min} characters"));
                } else if let Some(p) = s.get("pattern").and_then(Value::as_str).filter(|p| !regex(p).is_match(text)) {
                    self.fail("pattern", at.to_owned(), at, format!("must match pattern \"{p}\""));
                } else if let Some(f) = s.get("format").and_then(Value::as_str).filter(|f| !format_ok(f, text)) {
                    self.fail("format", at.to_owned(), at, format!("must match format \"{f}\""));
                }
                data
            }
            Value::Array(items) => self.array(s, items, at),
            Value::Object(object) => self.object(s, object, at),
            other => other,
        }
    }

    fn array(&mut self, s: &Object, items: Vec<Value>, at: &str) -> Value {
        let limit = |k: &str| s.get(k).and_then(Value::as_number).map(|n| n as usize);
        if let Some(max) = limit("maxItems").filter(|max| items.len() > *max) {
            self.fail("maxItems", at.to_owned(), at, format!("must NOT have more than {max} items"));
            return Value::Array(items);
        }
        if let Some(min) = limit("minItems").filter(|min| items.len() < *min) {
            self.fail("minItems", at.to_owned(), at, format!("must NOT have fewer than {min} items"));
            return Value::Array(items);
        }
        let Some(item_schema) = s.get("items") else { return Value::Array(items) };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            if self.done() {
                out.push(item);
                continue;
            }
            out.push(self.value(item_schema, item, &format!("{at}/{i}")));
        }
        Value::Array(out)
    }

    fn object(&mut self, s: &Object, object: Object, at: &str) -> Value {
        if let Some(Value::Array(required)) = s.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                if object.get(name).is_none() {
                    self.fail("required", pointer(at, name), at, format!("must have required property '{name}'"));
                    if self.done() {
                        return Value::Object(object);
                    }
                }
            }
        }
        let properties = s.get("properties").and_then(Value::as_object);
        let known = |key: &str| properties.is_some_and(|p| p.get(key).is_some());
        let closed = s.get("additionalProperties") == Some(&Value::Bool(false));
        let mut kept = Object::new();
        for (key, value) in object.iter() {
            if known(key) {
                kept.insert(key, value.clone());
            } else if !closed {
                self.relaxed.push(Relaxed { path: pointer(at, key), how: Leniency::Ignored });
                kept.insert(key, value.clone());
            } else if self.dialect.remove_additional {
                self.relaxed.push(Relaxed { path: pointer(at, key), how: Leniency::Removed });
            } else if !self.done() {
                self.fail("additionalProperties", pointer(at, key), at, "must NOT have additional properties".into());
                kept.insert(key, value.clone());
            }
        }
        let Some(properties) = properties else { return Value::Object(kept) };
        // Properties are checked in the schema's order, not the input's; the result keeps the
        // input's order, as Ajv assigns in place.
        let mut checked: HashMap<String, Value> = HashMap::new();
        for (name, schema) in properties.iter() {
            if self.done() {
                break;
            }
            if let Some(value) = kept.get(name) {
                checked.insert(name.to_owned(), self.value(schema, value.clone(), &pointer(at, name)));
            }
        }
        let out: Object = kept.iter().map(|(k, v)| (k, checked.remove(k).unwrap_or_else(|| v.clone()))).collect();
        Value::Object(out)
    }
}

fn type_list(s: &Object) -> Vec<&str> {
    match s.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// `typeof`-style name of a value, as Ajv's coercion reads it.
pub fn js_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) | Value::Unreadable(_) => "object",
    }
}

/// Ajv's `integer`: `!(x % 1) && !isNaN(x)` (so an infinity counts, as in Ajv without `strictNumbers`).
fn is_integer(n: f64) -> bool {
    let r = n % 1.0;
    !n.is_nan() && (r == 0.0 || r.is_nan())
}

fn is_type(name: &str, value: &Value) -> bool {
    match (name, value) {
        ("string", Value::String(_))
        | ("number", Value::Number(_))
        | ("boolean", Value::Bool(_))
        | ("null", Value::Null)
        | ("array", Value::Array(_))
        | ("object", Value::Object(_)) => true,
        ("integer", Value::Number(n)) => is_integer(*n),
        _ => false,
    }
}

/// Ajv's `deepEqual` for `enum`.
fn same(a: &Value, b: &Value) -> bool {
    a == b
}

/// Ajv's coercion (`coerceTypes: 'array'`, lib/compile/validate/dataType.ts): an array of one
/// item stands for the item; then the first of `types` whose rule applies.
fn coerce(types: &[&str], data: &Value) -> Option<(&'static str, Value)> {
    let mut data = data;
    if let Value::Array(items) = data {
        if items.len() == 1 {
            if let Some(t) = types.iter().find(|t| is_type(t, &items[0])) {
                return Some((static_name(t), items[0].clone()));
            }
            data = &items[0];
        }
    }
    for t in types {
        let coerced = match (*t, data) {
            ("string", Value::Number(n)) => Some(Value::String(js_number(*n).into())),
            ("string", Value::Bool(b)) => Some(Value::String(b.to_string().into())),
            ("string", Value::Null) => Some(Value::String("".into())),
            ("number", Value::Bool(b)) | ("integer", Value::Bool(b)) => Some(Value::Number(f64::from(u8::from(*b)))),
            ("number", Value::Null) | ("integer", Value::Null) => Some(Value::Number(0.0)),
            // `x && x == +x`: a non-empty string that JS reads as a number.
            ("number", Value::String(s)) if !s.is_empty() => js_to_number(s).map(Value::Number),
            ("integer", Value::String(s)) if !s.is_empty() => {
                js_to_number(s).filter(|n| is_integer(*n)).map(Value::Number)
            }
            ("boolean", Value::String(s)) if s.as_str() == "false" => Some(Value::Bool(false)),
            ("boolean", Value::String(s)) if s.as_str() == "true" => Some(Value::Bool(true)),
            ("boolean", Value::Number(n)) if *n == 0.0 || *n == 1.0 => Some(Value::Bool(*n == 1.0)),
            ("boolean", Value::Null) => Some(Value::Bool(false)),
            ("null", Value::String(s)) if s.is_empty() => Some(Value::Null),
            ("null", Value::Number(n)) if *n == 0.0 => Some(Value::Null),
            ("null", Value::Bool(false)) => Some(Value::Null),
            ("array", Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null) => {
                Some(Value::Array(vec![data.clone()]))
            }
            _ => None,
        };
        if let Some(value) = coerced {
            return Some((static_name(t), value));
        }
    }
    None
}

fn static_name(t: &str) -> &'static str {
    ["string", "number", "integer", "boolean", "null", "array", "object"].into_iter().find(|n| *n == t).unwrap_or("?")
}

/// White space and line terminators as JS's `Number()` and `trim()` strip them.
pub fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
}

/// JS `Number(text)`, or `None` where it is `NaN`.
pub fn js_to_number(text: &str) -> Option<f64> {
    let t = text.trim_matches(is_js_space);
    if t.is_empty() {
        return Some(0.0);
    }
    match t {
        "Infinity" | "+Infinity" => return Some(f64::INFINITY),
        "-Infinity" => return Some(f64::NEG_INFINITY),
        _ => {}
    }
    for (prefix, radix) in [("0x", 16), ("0X", 16), ("0o", 8), ("0O", 8), ("0b", 2), ("0B", 2)] {
        if let Some(digits) = t.strip_prefix(prefix) {
            if digits.is_empty() {
                return None;
            }
            return digits
                .chars()
                .try_fold(0f64, |acc, c| c.to_digit(radix).map(|d| acc * f64::from(radix) + f64::from(d)));
        }
    }
    // StrDecimalLiteral: sign, digits with at most one point (a digit on one side), exponent.
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    if !(mantissa_ok && exponent_ok) {
        return None;
    }
    t.parse::<f64>().ok()
}

/// A pattern compiled once. Patterns are JS `RegExp` sources using only syntax the two share.
fn regex(pattern: &str) -> Regex {
    static CACHE: OnceLock<Mutex<HashMap<String, Regex>>> = OnceLock::new();
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
    cache
        .entry(pattern.to_owned())
        .or_insert_with(|| Regex::new(pattern).unwrap_or_else(|e| panic!("a sandbox schema pattern is invalid: {e}")))
        .clone()
}

/// ajv-formats' full `email`, as its source writes it. The `/i` of a JS RegExp without the `u`
/// flag folds ASCII letters only, hence `(?i-u)`: the Kelvin sign is not a `k`.
const EMAIL: &str = r"(?i-u)^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$";

/// Whether `text` is in `format`. Unknown formats pass, as Ajv with `strict: false` ignores them.
pub fn format_ok(format: &str, text: &str) -> bool {
    match format {
        "email" => regex(EMAIL).is_match(text),
        "date-time" => crate::dates::parse(text, false).is_some(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(schema: &str, data: &str, dialect: Dialect) -> (String, Vec<String>, Vec<Relaxed>) {
        let checked = check(&parse(schema), Value::from_json(data).unwrap(), dialect);
        (
            checked.value.to_json(),
            checked.errors.iter().map(|e| format!("{} {}", e.path, e.text("body"))).collect(),
            checked.relaxed,
        )
    }

    const TICKET: &str = r#"{"type":"object","additionalProperties":false,"required":["ticketId"],
        "properties":{"ticketId":{"type":"string"},"priority":{"type":"number","enum":[1,2,3]},
        "tags":{"type":"array","maxItems":2,"items":{"type":"string","pattern":"^[0-9a-f]{2}$"}},
        "silent":{"type":"boolean"},"name":{"type":"string","maxLength":3}}}"#;

    #[test]
    fn fastify_coerces_drops_unknown_fields_and_answers_the_first_error() {
        let (value, errors, relaxed) =
            run(TICKET, r#"{"ticketId":7,"priority":"3","tags":"ab","silent":"true","extra":1}"#, FASTIFY);
        assert_eq!(value, r#"{"ticketId":"7","priority":3,"tags":["ab"],"silent":true}"#);
        assert_eq!(errors, Vec::<String>::new());
        assert_eq!(relaxed[0], Relaxed { path: "/extra".into(), how: Leniency::Removed });
        assert_eq!(relaxed.len(), 5);
        let (_, errors, _) = run(TICKET, r#"{"name":"abcd","priority":4}"#, FASTIFY);
        assert_eq!(errors, vec!["/ticketId body must have required property 'ticketId'"]);
        let (_, errors, _) = run(TICKET, r#"{"ticketId":"t","name":"👍👍👍👍","priority":4}"#, FASTIFY);
        assert_eq!(errors, vec!["/priority body/priority must be equal to one of the allowed values"], "schema order");
        let strict = Dialect { coerce: false, remove_additional: false, all_errors: true };
        let (_, errors, _) =
            run(TICKET, r#"{"ticketId":"t","name":"👍👍👍👍","priority":"3","x":1,"tags":["zz",1,2]}"#, strict);
        assert_eq!(
            errors,
            vec![
                "/x body must NOT have additional properties",
                "/priority body/priority must be number",
                "/tags body/tags must NOT have more than 2 items",
                "/name body/name must NOT have more than 3 characters",
            ]
        );
    }

    #[test]
    fn coercion_follows_ajv_rules() {
        let c = |types: &[&str], data: &str| coerce(types, &Value::from_json(data).unwrap()).map(|(_, v)| v.to_json());
        assert_eq!(c(&["number"], r#""3""#), Some("3".into()));
        assert_eq!(c(&["number"], r#"" 0x10 ""#), Some("16".into()), "JS Number() reads hex and trims");
        assert_eq!(c(&["number"], r#""""#), None, "the empty string is not coerced");
        assert_eq!(c(&["number"], r#""1e3""#), Some("1000".into()));
        assert_eq!(c(&["number"], r#""1,5""#), None);
        assert_eq!(c(&["integer"], r#""1.5""#), None);
        assert_eq!(c(&["number"], "true"), Some("1".into()));
        assert_eq!(c(&["number"], "null"), Some("0".into()));
        assert_eq!(c(&["string"], "1.5"), Some(r#""1.5""#.into()));
        assert_eq!(c(&["string"], "null"), Some(r#""""#.into()));
        assert_eq!(c(&["string"], "{}"), None);
        assert_eq!(c(&["boolean"], r#""false""#), Some("false".into()));
        assert_eq!(c(&["boolean"], "2"), None);
        assert_eq!(c(&["string"], r#"["x"]"#), Some(r#""x""#.into()), "an array of one stands for its item");
        assert_eq!(c(&["number"], r#"["2"]"#), Some("2".into()), "then the item is coerced");
        assert_eq!(c(&["array"], "5"), Some("[5]".into()));
        assert_eq!(c(&["string", "null"], "0"), Some(r#""0""#.into()), "the first type whose rule applies");
    }

    #[test]
    fn email_folds_ascii_letters_only() {
        assert!(format_ok("email", "Jane@Example.COM"));
        assert!(!format_ok("email", "\u{212a}@example.com"), "the Kelvin sign");
        assert!(!format_ok("email", "jane@localhost"));
        assert!(!format_ok("email", "a..b@example.com"));
    }
}
