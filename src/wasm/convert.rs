//! JS values into the core's [`Value`], and back. Reading is bounded in depth, count and
//! size, and every JS call in it is caught, so no input can trap or overflow the stack.

use super::sys::{is_array, object_keys, InputReader};
use crate::operation::Operation;
use crate::request::Config;
use crate::value::{Object, Unreadable, Value, MAX_DEPTH, MAX_STRING_UNITS, MAX_TOTAL_STRING_UNITS, MAX_VALUES};
use crate::violation::Violation;
use js_sys::JsString;
use js_sys::{Reflect, JSON};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;

/// Keys longer than this are cut in messages (they are never known fields).
const MAX_KEY_UNITS: u32 = 256;

thread_local! {
    /// The package glue's input reader (install.mjs), handed over by its entry module.
    static INPUT_READER: RefCell<Option<InputReader>> = const { RefCell::new(None) };
    /// The one buffer every call's JSON text is read into, and its answer written into.
    static TEXT_BUFFER: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// A text buffer larger than this is freed after its call, not kept for the next.
const KEPT_BUFFER_BYTES: usize = 1 << 20;

/// Called once by the package entry with its input reader: plain JSON data as JSON text, in one
/// pass on the JS side, written as UTF-8 into this module's memory (`InputReader`).
#[wasm_bindgen(js_name = "__registerInputReader", skip_typescript)]
pub fn register_input_reader(reader: InputReader) {
    INPUT_READER.with(|slot| *slot.borrow_mut() = Some(reader));
}

/// The reader's limits, for `plainJson`: depth, values, string units, all string units, key units.
#[wasm_bindgen(js_name = "__readerLimits", skip_typescript)]
pub fn reader_limits() -> Vec<u32> {
    [MAX_DEPTH, MAX_VALUES, MAX_STRING_UNITS, MAX_TOTAL_STRING_UNITS, MAX_KEY_UNITS as usize].map(|n| n as u32).to_vec()
}

/// This module's memory, for the input reader's `write`.
#[wasm_bindgen(js_name = "__memory", skip_typescript)]
pub fn memory() -> JsValue {
    wasm_bindgen::memory()
}

/// The buffer every call's JSON text is read into, and its answer written into: taken for one
/// call (a call made within it takes a fresh one), given back when dropped.
pub struct TextBuffer(Vec<u8>);

impl TextBuffer {
    /// The buffer, for this call.
    pub fn take() -> TextBuffer {
        TextBuffer(TEXT_BUFFER.with(Cell::take))
    }

    /// The JSON text of `input` when it is plain JSON data, as the host wrote it
    /// (`JSON.stringify`) straight into the buffer (`TextEncoder.encodeInto`: no string crosses);
    /// `None` when the careful reader must read it.
    pub fn read(&mut self, input: &JsValue) -> Option<&str> {
        let buffer = &mut self.0;
        buffer.clear();
        let written = INPUT_READER.with(|slot| {
            let slot = slot.borrow();
            let reader = slot.as_ref()?;
            let mut written = reader.write(input, buffer.as_mut_ptr() as u32, buffer.capacity() as u32);
            if written < -1 {
                // The room it needs is known now; the kept text is written again, not the
                // input (whose getters must run once).
                buffer.reserve(written.unsigned_abs() as usize);
                written = reader.rewrite(buffer.as_mut_ptr() as u32, buffer.capacity() as u32);
            }
            usize::try_from(written).ok().filter(|written| *written <= buffer.capacity())
        })?;
        // SAFETY: the host wrote `written` bytes (within the capacity) at the buffer's start.
        unsafe { buffer.set_len(written) };
        std::str::from_utf8(buffer).ok()
    }

    /// Writes text with `write` into the buffer, then hands it to `read`.
    fn written<R>(&mut self, write: &mut dyn FnMut(&mut String), read: impl FnOnce(&str) -> R) -> R {
        self.0.clear();
        let mut text = String::from_utf8(std::mem::take(&mut self.0)).unwrap_or_default();
        write(&mut text);
        let answer = read(&text);
        self.0 = text.into_bytes();
        answer
    }

    /// Writes JSON text with `write` into the buffer, and has the host parse it.
    pub fn parse(&mut self, write: &mut dyn FnMut(&mut String)) -> JsValue {
        self.written(write, |text| JSON::parse(text).unwrap_or(JsValue::NULL))
    }

    /// Writes violations with `write` as the package glue reads them (error.rs,
    /// `write_for_host`) into the buffer, and has the glue build their objects from it; `None`
    /// without the glue (raw wasm-bindgen output) or when it did not answer with an array.
    #[cfg(feature = "edge")]
    pub fn violations(&mut self, write: &mut dyn FnMut(&mut String)) -> Option<JsValue> {
        let built = self.written(write, |text| {
            INPUT_READER.with(|slot| {
                let slot = slot.borrow();
                slot.as_ref().map(|reader| reader.violations(text.as_ptr() as u32, text.len() as u32))
            })
        });
        built.filter(js_sys::Array::is_array)
    }

    /// `items` as one JSON array, each written by `write`, parsed by the host.
    pub fn parse_array<T>(&mut self, items: &[T], write: fn(&T, &mut String)) -> JsValue {
        self.parse(&mut |text| crate::json::write_json_array(items, write, text))
    }
}

impl Drop for TextBuffer {
    fn drop(&mut self) {
        if self.0.capacity() <= KEPT_BUFFER_BYTES {
            TEXT_BUFFER.with(|slot| slot.set(std::mem::take(&mut self.0)));
        }
    }
}

/// A new `PreparedRequest` object: a copy of `head`, a `{ method, url, headers }` object, and as
/// its body the text the last [`TextBuffer::read`] read, the host's own string (one call, no
/// string crossing).
pub fn request_with_host_text(head: &JsValue) -> JsValue {
    INPUT_READER.with(|slot| slot.borrow().as_ref().map_or(JsValue::NULL, |reader| reader.request(head)))
}

/// Every violation of the JS `input` for `op`: read once as the host's JSON text when it is
/// plain data ([`Operation::validate_text`]), else read value by value.
pub fn validate(op: &Operation, config: &Config, input: &JsValue) -> Vec<Violation> {
    let mut buffer = TextBuffer::take();
    let once = buffer.read(input).and_then(|text| op.validate_text(text, config).ok());
    once.unwrap_or_else(|| op.validate(&read_carefully(input), config))
}

/// Reads any JS value as a [`Value`]; what cannot be read becomes [`Unreadable`]. Plain JSON
/// data crosses as one text ([`TextBuffer::read`]); anything else is read value by value.
pub fn read(js: &JsValue) -> Value {
    let mut buffer = TextBuffer::take();
    let from_text = buffer.read(js).and_then(|text| Value::from_json(text).ok());
    from_text.unwrap_or_else(|| read_carefully(js))
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
