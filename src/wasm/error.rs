//! Core [`Failure`]s as thrown `TicketwireError`s.

use super::convert::{to_js, TextBuffer};
use crate::error::{Carried, Failure};
use crate::violation::Violation;
use js_sys::{Array, Function, Object, Reflect};
use std::cell::RefCell;
#[cfg(feature = "edge")]
use std::fmt::Write as _;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The package's `TicketwireError` class, handed over by its entry module.
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Called once by the package entry with its `TicketwireError` class (an `Error` subclass).
#[wasm_bindgen(js_name = "__registerErrorClass", skip_typescript)]
pub fn register_error_class(class: Function) {
    ERROR_CLASS.with(|slot| *slot.borrow_mut() = Some(class));
}

/// Sets `key` on a plain object we created (which cannot throw).
pub fn set(target: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(target, &JsValue::from_str(key), &value.into());
}

/// Violations as a JS array of `{ path, code, message, rule, params }`, from one text written
/// into the buffer every call reuses. The server builds (Node's, the edge's) write counted text
/// the package glue builds the objects from: a `JSON.parse` of the whole was half of what a
/// violation cost a call. The page builds write one JSON text the host parses: 0.7 KB gzip
/// smaller, and a page checks a form, not thousands of calls. So does raw wasm-bindgen output.
pub fn violations_to_js(violations: &[Violation]) -> Array {
    if violations.is_empty() {
        return Array::new();
    }
    let mut buffer = TextBuffer::take();
    #[cfg(feature = "edge")]
    if let Some(built) = buffer.violations(&mut |text| violations.iter().for_each(|v| write_for_host(v, text))) {
        return built.unchecked_into();
    }
    let parsed = buffer.parse_array(violations, Violation::write_json);
    parsed.dyn_into().unwrap_or_else(|_| Array::new())
}

/// A violation as the package glue reads it (install.mjs, `violationsReader`): its path, code,
/// message and rule, each as its length in UTF-16 units, a colon and the text; then its params'
/// JSON and a line break (which JSON text never holds raw).
#[cfg(feature = "edge")]
fn write_for_host(violation: &Violation, out: &mut String) {
    for text in [&violation.path, &violation.code, &violation.message] {
        write_counted(text, out);
    }
    write_counted(violation.rule.name(), out);
    violation.rule.write_params(out);
    out.push('\n');
}

/// `text` after its length in UTF-16 units (JavaScript's `length`) and a colon.
#[cfg(feature = "edge")]
fn write_counted(text: &str, out: &mut String) {
    // A UTF-16 unit per character but the continuation bytes, two for a four-byte character.
    let units = match text.is_ascii() {
        true => text.len(),
        false => text.bytes().map(|b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0)).sum(),
    };
    let _ = write!(out, "{units}:");
    out.push_str(text);
}

/// The `TicketwireError` for `failure` (whose key, if it had one, is scrubbed already:
/// `Client::throw`).
pub fn to_js_error(failure: Failure) -> JsValue {
    // Only what the kind's TypeScript type says it carries (`ErrorKind::fields`).
    let carries = failure.kind.fields();
    let may = |carried: Carried| carried != Carried::Never;
    let fields = Object::new();
    set(&fields, "kind", failure.kind.as_str());
    set(&fields, "provider", failure.provider);
    set(&fields, "operation", failure.operation);
    if let Some(status) = failure.status.filter(|_| may(carries.status)) {
        set(&fields, "status", status);
    }
    if let Some(code) = failure.code.as_deref().filter(|_| may(carries.code)) {
        set(&fields, "code", code);
    }
    if carries.violations == Carried::Always || (may(carries.violations) && !failure.violations.is_empty()) {
        set(&fields, "violations", violations_to_js(&failure.violations));
    }
    if let Some(ms) = failure.retry_after_ms.filter(|_| may(carries.retry_after_ms)) {
        set(&fields, "retryAfterMs", ms as f64);
    }
    if let Some(body) = failure.body.as_ref().filter(|_| may(carries.body)) {
        set(&fields, "body", to_js(body));
    }
    let message = JsValue::from_str(&failure.message);
    let class = ERROR_CLASS.with(|slot| slot.borrow().clone());
    if let Some(class) = class {
        if let Ok(error) = Reflect::construct(&class, &Array::of2(&message, &fields)) {
            return error;
        }
    }
    // Used without the package entry (raw wasm-bindgen output): a plain Error with the same fields.
    let error = js_sys::Error::new(&failure.message);
    error.set_name("TicketwireError");
    Object::assign(&error, &fields);
    error.into()
}
