//! HelpWave (CONTRACT §2): one file per operation, and the rules they share.
//! Ids stay strings end to end: ticket ids exceed 2^53.

pub mod create_ticket;
pub mod identify;
pub mod list_comments;
pub mod send_message;

pub use create_ticket::CREATE_TICKET;
pub use identify::IDENTIFY;
pub use list_comments::LIST_COMMENTS;
pub use send_message::SEND_MESSAGE;

use crate::operation::Operation;
use crate::rules::{formatted, Format, Rule, MAX_SAFE_INTEGER};

/// Every HelpWave operation.
pub const OPERATIONS: &[&Operation] = &[&CREATE_TICKET, &IDENTIFY, &SEND_MESSAGE, &LIST_COMMENTS];

/// A customer or user id: a positive safe integer, or a string of digits (the server parses it).
pub const NUMERIC_ID: Rule = Rule::Either(&Rule::Integer { min: 1, max: MAX_SAFE_INTEGER }, &formatted(Format::Digits));

/// A ticket id: a string of digits only (the ids exceed 2^53, so never a JS number).
pub const TICKET_ID: Rule = formatted(Format::Digits);

#[cfg(test)]
pub(crate) mod tests {
    use crate::operation::{CallContext, Operation};
    use crate::request::{ApiKey, Config, PreparedRequest};
    use crate::vector::Expect;

    /// HelpWave has no public host: the vectors use this one.
    pub(crate) fn docs_config() -> Config {
        Config::new("https://api.helpwave.example", Some(ApiKey::new("YOUR_API_KEY")))
    }

    /// Prepares a JSON input that must be valid.
    pub(crate) fn prepared(op: &Operation, input: &str) -> PreparedRequest {
        crate::vector::prepare(op, &docs_config(), &CallContext::default(), input)
    }

    /// The violations of a JSON input.
    pub(crate) fn violations(op: &Operation, input: &str) -> Vec<Expect> {
        crate::vector::violations(op, &docs_config(), input)
    }
}
