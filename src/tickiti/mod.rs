//! Tickiti (CONTRACT §3): one file per operation. Calls that take an
//! `Idempotency-Key` carry one per logical call, so repeating them is always safe.

pub mod create_ticket;
pub mod create_ticket_unified;
pub mod send_message;

pub use create_ticket::CREATE_TICKET;
pub use create_ticket_unified::CREATE_TICKET_UNIFIED;
pub use send_message::SEND_MESSAGE;

use crate::operation::Operation;

/// Every Tickiti operation.
pub const OPERATIONS: &[&Operation] = &[&CREATE_TICKET, &CREATE_TICKET_UNIFIED, &SEND_MESSAGE];

#[cfg(test)]
pub(crate) mod tests {
    use crate::operation::{CallContext, Operation};
    use crate::request::{ApiKey, Config, PreparedRequest};
    use crate::vector::Expect;

    /// The host of the docs' curl example, and its `$TOKEN`.
    pub(crate) fn docs_config() -> Config {
        Config::new("https://support.sole-provider.example", Some(ApiKey::new("TOKEN")))
    }

    /// Prepares a JSON input that must be valid, with `key` as its Idempotency-Key.
    pub(crate) fn prepared(op: &Operation, key: Option<&str>, input: &str) -> PreparedRequest {
        let call = CallContext { idempotency_key: key.map(str::to_owned), ..CallContext::default() };
        crate::vector::prepare(op, &docs_config(), &call, input)
    }

    /// The violations of a JSON input.
    pub(crate) fn violations(op: &Operation, input: &str) -> Vec<Expect> {
        crate::vector::violations(op, &docs_config(), input)
    }
}
