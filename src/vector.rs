//! Test vectors: a JSON input run through an operation, for exact comparisons.

use crate::operation::{CallContext, Operation};
use crate::request::{Config, PreparedRequest};
use crate::value::Value;

/// (path, code, message) of one expected violation.
pub(crate) type Expect = (String, String, String);

/// The request a JSON input that must be valid prepares to.
pub(crate) fn prepare(op: &Operation, config: &Config, call: &CallContext, input: &str) -> PreparedRequest {
    let value = Value::from_json(input).expect("vector is JSON");
    match op.prepare(&value, config, call) {
        Ok(request) => request,
        Err(violations) => panic!("expected a valid input, got {violations:#?}"),
    }
}

/// The violations of a JSON input.
pub(crate) fn violations(op: &Operation, config: &Config, input: &str) -> Vec<Expect> {
    let value = Value::from_json(input).expect("vector is JSON");
    crate::violation::triples(op.validate(&value, config))
}

/// One expected violation.
pub(crate) fn expect(path: &str, code: &str, message: &str) -> Expect {
    (path.to_owned(), code.to_owned(), message.to_owned())
}
