//! Mava (CONTRACT §1): one file per operation, and the rules and types they share.

pub mod create_ticket;
pub mod identify;
pub mod iterate_tickets;
pub mod list_agents;
pub mod list_categories;
pub mod list_tickets;
pub mod send_message;
mod types;
pub mod update_ticket;

pub use create_ticket::{
    MavaAttachmentInput, MavaAttributeInput, MavaCreateTicketInput, MavaCustomerInput, MavaInitialMessageInput,
    CREATE_TICKET,
};
pub use identify::{MavaCustomAttribute, MavaIdentifyInput, MavaIdentifyResult, IDENTIFY};
pub use iterate_tickets::ITERATE_TICKETS;
pub use list_agents::LIST_AGENTS;
pub use list_categories::LIST_CATEGORIES;
pub use list_tickets::{MavaListTicketsInput, LIST_TICKETS};
pub use send_message::{MavaMessageAttachment, MavaSendMessageInput, SEND_MESSAGE};
pub use types::*;
pub use update_ticket::{MavaUpdateTicketInput, UPDATE_TICKET};

use crate::operation::Operation;
use crate::rules::Rule;
use serde::{Deserialize, Serialize};

/// Every Mava operation.
pub const OPERATIONS: &[&Operation] =
    &[&CREATE_TICKET, &IDENTIFY, &SEND_MESSAGE, &UPDATE_TICKET, &LIST_CATEGORIES, &LIST_AGENTS, &LIST_TICKETS];

/// A ticket status, on create, update and in filters.
pub const STATUS: Rule = Rule::Enum(&["Open", "Pending", "Resolved", "Waiting"]);
/// A ticket priority: 1 low, 2 medium, 3 high.
pub const PRIORITY: Rule = Rule::IntEnum(&[1, 2, 3]);

/// A ticket's status.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum MavaTicketStatus {
    /// New or reopened.
    Open,
    /// Waiting on the team.
    Pending,
    /// Done.
    Resolved,
    /// Waiting on the customer.
    Waiting,
}

/// The TypeScript-only declarations that have no Rust type of their own.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const MAVA_TS: &'static str = r#"
/** A ticket priority: 1 low, 2 medium, 3 high. */
export type MavaPriority = 1 | 2 | 3;
"#;

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
