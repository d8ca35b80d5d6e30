//! Test vectors: a JSON input run through an operation, for exact comparisons.

use crate::operation::{CallContext, Operation};
use crate::request::{Config, PreparedRequest};
use crate::value::Value;

/// (path, code, message) of one expected violation.
pub(crate) type Expect = (String, String, String);

/// The request a JSON input that must be valid prepares to.
pub(crate) fn prepare(op: &Operation, config: &Config, call: &CallContext, input: &str) -> PreparedRequest {
    let value = Value::from_json(input).expect("vector is JSON");
    assert_eq!(op.validate_text(input, config), Ok(Vec::new()), "read once as text, it is valid too");
    match op.prepare(&value, config, call) {
        Ok(request) => {
            // From its JSON text as JSON.stringify writes it, validated in one pass: the same request.
            assert_eq!(op.prepare_text(&value.to_json(), config, call), Ok(Ok(request.clone())));
            request
        }
        Err(violations) => panic!("expected a valid input, got {violations:#?}"),
    }
}

/// The violations of a JSON input.
pub(crate) fn violations(op: &Operation, config: &Config, input: &str) -> Vec<Expect> {
    let value = Value::from_json(input).expect("vector is JSON");
    let violations = op.validate(&value, config);
    // Read once as text, with no tree: exactly the same violations (rule and words too).
    assert_eq!(op.validate_text(input, config).as_ref(), Ok(&violations), "the one-pass walk of {input}");
    crate::violation::triples(violations)
}

/// One expected violation.
pub(crate) fn expect(path: &str, code: &str, message: &str) -> Expect {
    (path.to_owned(), code.to_owned(), message.to_owned())
}
