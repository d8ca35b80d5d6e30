//! Standard Schema v1 views of a client's operations (https://standardschema.dev):
//! `client.schemas.createTicket['~standard'].validate(value)`, the rules `validateX` runs, as
//! react-hook-form's `standardSchemaResolver`, TanStack Form and other form libraries take them.

use super::convert;
use super::error::set;
use crate::catalog;
use crate::operation::Operation;
use crate::provider::Provider;
use crate::request::Config;
use crate::violation::Violation;
use js_sys::Object;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A client's `schemas`: one Standard Schema per operation that takes an input, validating with
/// `config` (the client's settings: Mava's attachment bucket, say).
pub fn schemas(provider: Provider, config: &Config) -> Object {
    let config = Rc::new(config.clone());
    let out = Object::new();
    for op in catalog::validated(provider) {
        set(&out, op.name, schema(op, config.clone()));
    }
    out
}

/// `{ '~standard': { version: 1, vendor: 'ticketwire', validate } }` for `op`.
fn schema(op: &'static Operation, config: Rc<Config>) -> Object {
    let validate = Closure::<dyn Fn(JsValue) -> JsValue>::new(move |value: JsValue| {
        let violations = convert::validate(op, &config, &value);
        let result = Object::new();
        if violations.is_empty() {
            set(&result, "value", value);
            return result.into();
        }
        // `{ issues: [{ message, path: [...keys], code, rule, params }] }`, as one JSON text.
        let issues = convert::TextBuffer::take().parse_array(&violations, Violation::write_issue_json);
        set(&result, "issues", if issues.is_null() { js_sys::Array::new().into() } else { issues });
        result.into()
    });
    let props = Object::new();
    set(&props, "version", 1);
    set(&props, "vendor", "ticketwire");
    set(&props, "validate", validate.into_js_value());
    let schema = Object::new();
    set(&schema, "~standard", props);
    schema
}
