//! JS values into the core's [`Value`], and back. Reading is bounded in depth, count and
//! size, and every JS call in it is caught, so no input can trap or overflow the stack.

use super::sys::{is_array, object_keys};
use crate::value::{Object, Unreadable, Value, MAX_DEPTH, MAX_STRING_UNITS, MAX_TOTAL_STRING_UNITS, MAX_VALUES};
use js_sys::JsString;
use js_sys::{Function, Reflect, JSON};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

/// Keys longer than this are cut in messages (they are never known fields).
const MAX_KEY_UNITS: u32 = 256;

thread_local! {
    /// The package glue's `plainJson` (install.mjs), handed over by its entry module.
    static PLAIN_JSON: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Called once by the package entry with its `plainJson`: plain JSON data as JSON text in one
/// pass on the JS side, or `undefined` when the careful reader must read the value.
#[wasm_bindgen(js_name = "__registerPlainJson", skip_typescript)]
pub fn register_plain_json(walker: Function) {
    PLAIN_JSON.with(|slot| *slot.borrow_mut() = Some(walker));
}

/// The reader's limits, for `plainJson`: depth, values, string units, all string units, key units.
#[wasm_bindgen(js_name = "__readerLimits", skip_typescript)]
pub fn reader_limits() -> Vec<u32> {
    [MAX_DEPTH, MAX_VALUES, MAX_STRING_UNITS, MAX_TOTAL_STRING_UNITS, MAX_KEY_UNITS as usize].map(|n| n as u32).to_vec()
}

fn plain_json(js: &JsValue) -> Option<JsValue> {
    PLAIN_JSON.with(|slot| slot.borrow().as_ref()?.call1(&JsValue::UNDEFINED, js).ok())
}

/// A JS input as a core value, with the JSON text the host wrote for it when it was plain data:
/// in Rust, and as the host's own string (a body that is this text need not cross back).
pub struct Read {
    /// The input.
    pub value: Value,
    /// `JSON.stringify(input)`, when the input was plain JSON data.
    pub json: Option<(String, JsValue)>,
}

/// Reads any JS value as a [`Value`]; what cannot be read becomes [`Unreadable`]. Plain JSON
/// data crosses as one text (`plainJson`, in the package glue); anything else is read value by value.
pub fn read_with_json(js: &JsValue) -> Read {
    if let Some(host_text) = plain_json(js) {
        if let Some(text) = host_text.as_string() {
            if let Ok(value) = Value::from_json(&text) {
                return Read { value, json: Some((text, host_text)) };
            }
        }
    }
    Read { value: read_carefully(js), json: None }
}

/// [`read_with_json`], the value alone.
pub fn read(js: &JsValue) -> Value {
    read_with_json(js).value
}

/// Reads a JS value one property at a time: every JS call caught, bounded in depth and size.
pub fn read_carefully(js: &JsValue) -> Value {
    let mut reader =
        Reader { ancestors: Vec::new(), values_left: MAX_VALUES, units_left: MAX_TOTAL_STRING_UNITS, exhausted: false };
    reader.read(js, 0)
}

struct Reader {
    /// The objects above the one being read, to find cycles.
    ancestors: Vec<JsValue>,
    values_left: usize,
    units_left: usize,
    /// Set once the value budget ran dry mid-read: every container holding it is then too large.
    exhausted: bool,
}

impl Reader {
    fn read(&mut self, js: &JsValue, depth: usize) -> Value {
        if self.values_left == 0 {
            self.exhausted = true;
            return Value::Unreadable(Unreadable::TooLarge);
        }
        self.values_left -= 1;
        if js.is_undefined() {
            return Value::Unreadable(Unreadable::Undefined);
        }
        if js.is_null() {
            return Value::Null;
        }
        if let Some(b) = js.as_bool() {
            return Value::Bool(b);
        }
        if let Some(n) = js.as_f64() {
            return Value::Number(n);
        }
        if js.is_string() {
            return self.read_string(js.unchecked_ref());
        }
        if js.is_bigint() {
            return Value::Unreadable(Unreadable::BigInt);
        }
        if js.is_symbol() {
            return Value::Unreadable(Unreadable::Symbol);
        }
        if js.is_function() {
            return Value::Unreadable(Unreadable::Function);
        }
        if !js.is_object() {
            return Value::Unreadable(Unreadable::Threw);
        }
        if depth >= MAX_DEPTH {
            return Value::Unreadable(Unreadable::TooDeep);
        }
        if self.ancestors.iter().any(|a| js_sys::Object::is(a, js)) {
            return Value::Unreadable(Unreadable::Circular);
        }
        self.ancestors.push(js.clone());
        let value = match is_array(js) {
            Ok(true) => self.read_array(js, depth),
            Ok(false) => self.read_object(js, depth),
            Err(_) => Value::Unreadable(Unreadable::Threw),
        };
        self.ancestors.pop();
        value
    }

    fn read_string(&mut self, s: &JsString) -> Value {
        let units = s.length() as usize;
        if units > MAX_STRING_UNITS {
            return Value::Unreadable(Unreadable::OversizedString);
        }
        if units > self.units_left {
            return Value::Unreadable(Unreadable::TooLarge); // refused here, nothing consumed
        }
        self.units_left -= units;
        if !s.is_valid_utf16() {
            return Value::Unreadable(Unreadable::IllFormedString);
        }
        Value::String(String::from(s).into())
    }

    fn read_array(&mut self, js: &JsValue, depth: usize) -> Value {
        let length = match Reflect::get(js, &JsValue::from_str("length")) {
            Ok(n) => n.as_f64().unwrap_or(0.0),
            Err(_) => return Value::Unreadable(Unreadable::Threw),
        };
        if length > self.values_left as f64 {
            return Value::Unreadable(Unreadable::TooLarge); // refused here, nothing consumed
        }
        let mut items = Vec::with_capacity(length as usize);
        for i in 0..length as u32 {
            let item = match Reflect::get(js, &JsValue::from(i)) {
                Ok(item) => self.read(&item, depth + 1),
                Err(_) => Value::Unreadable(Unreadable::Threw),
            };
            if self.exhausted {
                return Value::Unreadable(Unreadable::TooLarge);
            }
            items.push(item);
        }
        Value::Array(items)
    }

    fn read_object(&mut self, js: &JsValue, depth: usize) -> Value {
        let Ok(keys) = object_keys(js) else {
            return Value::Unreadable(Unreadable::Threw);
        };
        let mut object = Object::new();
        for key in keys.iter() {
            let value = match Reflect::get(js, &key) {
                Ok(v) if v.is_undefined() => continue, // `undefined` means absent
                Ok(v) => self.read(&v, depth + 1),
                Err(_) => Value::Unreadable(Unreadable::Threw),
            };
            if self.exhausted {
                return Value::Unreadable(Unreadable::TooLarge); // never drop the keys past the budget
            }
            object.insert(key_text(&key), value);
        }
        Value::Object(object)
    }
}

/// A key as Rust text: lone surrogates replaced, very long keys cut (for messages only).
fn key_text(key: &JsValue) -> String {
    let Some(s) = key.dyn_ref::<JsString>() else {
        return String::new();
    };
    if s.length() > MAX_KEY_UNITS {
        return format!("{}…", String::from(s.slice(0, MAX_KEY_UNITS)));
    }
    String::from(s)
}

/// A core value as a JS value (through JSON, which every core value is).
pub fn to_js(value: &Value) -> JsValue {
    JSON::parse(&value.to_json()).unwrap_or(JsValue::NULL)
}
