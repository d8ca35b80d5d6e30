//! Mava (CONTRACT §1): one file per operation, and the rules they share.

pub mod create_ticket;
pub mod identify;
pub mod iterate_tickets;
pub mod list_agents;
pub mod list_categories;
pub mod list_tickets;
pub mod send_message;
pub mod update_ticket;

pub use create_ticket::CREATE_TICKET;
pub use identify::IDENTIFY;
pub use iterate_tickets::ITERATE_TICKETS;
pub use list_agents::LIST_AGENTS;
pub use list_categories::LIST_CATEGORIES;
pub use list_tickets::LIST_TICKETS;
pub use send_message::SEND_MESSAGE;
pub use update_ticket::UPDATE_TICKET;

use crate::operation::Operation;
use crate::rules::{kept, Alias, Rule};

/// Every Mava operation.
pub const OPERATIONS: &[&Operation] =
    &[&CREATE_TICKET, &IDENTIFY, &SEND_MESSAGE, &UPDATE_TICKET, &LIST_CATEGORIES, &LIST_AGENTS, &LIST_TICKETS];

/// A ticket status, on create, update and in filters (and in every ticket answered).
pub const STATUS: Rule = Rule::Named(&Alias {
    name: "MavaTicketStatus",
    doc: kept("A ticket's status: `Open` (new or reopened), `Pending` (waiting on the team), `Resolved`, `Waiting` (on the customer)."),
    rule: Rule::Enum(&["Open", "Pending", "Resolved", "Waiting"]),
});
/// A ticket priority: 1 low, 2 medium, 3 high.
pub const PRIORITY: Rule = Rule::Named(&Alias {
    name: "MavaPriority",
    doc: kept("A ticket priority: 1 low, 2 medium, 3 high."),
    rule: Rule::IntEnum(&[1, 2, 3]),
});

#[cfg(test)]
pub(crate) mod tests {
    use crate::operation::{CallContext, Operation};
    use crate::request::{ApiKey, Config, PreparedRequest};
    pub(crate) use crate::vector::Expect;

    /// The config the docs' examples assume.
    pub(crate) fn docs_config() -> Config {
        Config::new("https://gateway.mava.app", Some(ApiKey::new("YOUR_API_KEY")))
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
