//! Standard Schema v1 views of a client's operations (https://standardschema.dev):
//! `client.schemas.createTicket['~standard'].validate(value)`, the rules `validateX` runs, as
//! react-hook-form's `standardSchemaResolver`, TanStack Form and other form libraries take them.

use super::convert;
use super::error::set;
use crate::catalog;
use crate::operation::Operation;
use crate::provider::Provider;
use crate::request::Config;
use js_sys::{Object, JSON};
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
        let violations = op.validate(&convert::read(&value), &config);
        let result = Object::new();
        if violations.is_empty() {
            set(&result, "value", value);
            return result.into();
        }
        // `{ issues: [{ message, path: [...keys], code, rule, params }] }`, as one JSON text.
        let mut text = String::from("[");
        for (i, v) in violations.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            v.write_issue_json(&mut text);
        }
        text.push(']');
        set(&result, "issues", JSON::parse(&text).unwrap_or_else(|_| js_sys::Array::new().into()));
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
