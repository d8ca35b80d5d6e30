//! What Mava answers, declared for TypeScript. The bodies reach JS as the provider sent them
//! (`JSON.parse`); every id stays a string.

use serde::Serialize;

/// A category or agent as a ticket references it once populated.
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct MavaRef {
    /// Its id.
    pub _id: String,
    /// Its display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A ticket's custom attribute value.
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct MavaAttributeValue {
    /// The attribute's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_id: Option<String>,
    /// Its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its value.
    pub content: String,
}

/// The customer of a ticket.
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct MavaTicketCustomer {
    /// The customer's id.
    pub _id: String,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Email, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Custom attributes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<MavaAttributeValue>>,
}

/// One message of a ticket.
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct MavaMessage {
    /// The message's id.
    pub _id: String,
    /// The text.
    pub content: String,
    /// `ExternalMessage` or `InternalNote`.
    pub message_type: String,
    /// `customer`, `agent` or `system`.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "\"customer\" | \"agent\" | \"system\""))]
    pub sender_type: String,
    /// A Discord username when known.
    pub sender_name: Option<String>,
    /// Files.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown[]"))]
    pub attachments: Vec<()>,
    /// When it was written (ISO).
    pub created_at: String,
}

/// A ticket, as create returns it and fetch lists it.
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct MavaTicket {
    /// The ticket's id.
    #[serde(rename = "_id")]
    pub id: String,
    /// Its status.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "MavaTicketStatus"))]
    pub status: String,
    /// 1 low, 2 medium, 3 high.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "MavaPriority"))]
    pub priority: u8,
    /// Where it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_type: Option<String>,
    /// The customer (`null` for telegram-group tickets).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "MavaTicketCustomer | string | null"))]
    pub customer: Option<Option<MavaTicketCustomer>>,
    /// The assigned agent: an id, or populated.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "MavaRef | string | null"))]
    pub assigned_to: Option<Option<MavaRef>>,
    /// The category: an id, or populated.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "MavaRef | string | null"))]
    pub category: Option<Option<MavaRef>>,
    /// Tags: ids, or populated.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Array<MavaRef | string>"))]
    pub tags: Option<Vec<MavaRef>>,
    /// Ticket attributes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<MavaAttributeValue>>,
    /// Present on create, and on fetch with `includeMessages`; oldest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<MavaMessage>>,
    /// Milliseconds from creation to resolution; `null` while unresolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution_time: Option<Option<f64>>,
    /// The customer's rating.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "{ value: number } | null"))]
    pub csat: Option<Option<()>>,
    /// AI handling status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ai_status: Option<Option<String>>,
    /// When it was created (ISO).
    pub created_at: String,
    /// When it last changed (ISO).
    pub updated_at: String,
}

/// What `createTicket` resolves to.
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct MavaCreateTicketResult {
    /// The new ticket, fully populated.
    pub ticket: MavaTicket,
    /// Through a relay with ticket capabilities: the token calls on this ticket send as
    /// `CallOptions.capability` (CONTRACT §6).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub capability: Option<String>,
}

/// What `sendMessage` resolves to.
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct MavaSendMessageResult {
    /// The message written.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub message: (),
    /// The ticket it went to.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub ticket: (),
    /// Who sent it.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub sender: (),
}

/// What `updateTicket` resolves to.
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct MavaUpdateTicketResult {
    /// `"Ticket updated"`.
    pub message: String,
}

/// An active category.
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct MavaCategory {
    /// What `category` and `categoryId` take.
    pub _id: String,
    /// Its name.
    pub name: String,
}

/// What `listCategories` resolves to.
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct MavaListCategoriesResult {
    /// Every active category.
    pub categories: Vec<MavaCategory>,
}

/// A non-archived agent.
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct MavaAgent {
    /// What `assignedTo` takes.
    pub id: String,
    /// Email, unless the agent signed up with a wallet.
    pub email: Option<String>,
    /// Username, when set.
    pub username: Option<String>,
    /// Wallet, when the agent has one.
    pub wallet_address: Option<String>,
}

/// What `listAgents` resolves to.
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct MavaListAgentsResult {
    /// Every non-archived agent.
    pub agents: Vec<MavaAgent>,
}

/// Paging facts of one page.
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct MavaPagination {
    /// Page size used.
    pub limit: u32,
    /// Tickets skipped.
    pub skip: u64,
    /// Whether another page follows (`skip += limit`).
    pub has_more: bool,
}

/// What `listTickets` resolves to: one page.
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct MavaListTicketsResult {
    /// This page's tickets.
    pub tickets: Vec<MavaTicket>,
    /// All matching tickets, across pages.
    pub count: u64,
    /// Where this page is.
    pub pagination: MavaPagination,
}
