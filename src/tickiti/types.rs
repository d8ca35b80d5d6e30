//! What Tickiti answers, declared for TypeScript.

use serde::Serialize;

/// Which path a new ticket took.
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct TickitiCreateTicketData {
    /// The queue it landed in.
    pub queue: String,
    /// Whether a template was used.
    pub used_template: bool,
    /// Whether an intervention was used.
    pub used_intervention: bool,
    /// Whether a private template was used.
    pub used_private_template: bool,
    /// Whether a public template was used.
    pub used_public_template: bool,
}

/// What `createTicket` resolves to (no ticket ids: use `createTicketUnified` for those).
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct TickitiCreateTicketResult {
    /// `true`.
    pub ok: bool,
    /// Which path the ticket took.
    pub data: TickitiCreateTicketData,
}

/// What a response did.
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct TickitiSendMessageData {
    /// The ticket.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number | string"))]
    pub ticket_id: String,
    /// The new response.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number | string"))]
    pub response_id: String,
    /// Whether the ticket was reopened.
    pub reopened: bool,
}

/// What `sendMessage` resolves to.
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct TickitiSendMessageResult {
    /// `true`.
    pub ok: bool,
    /// What happened.
    pub data: TickitiSendMessageData,
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const TICKITI_TS: &'static str = r#"
/** What `createTicketUnified` resolves to: the new ticket's references (other fields pass through). */
export interface TickitiCreateTicketUnifiedResult {
    ticket_number: number | string;
    ticket_id: number | string;
    secure_id: string;
    /** Through a relay with ticket capabilities: the token calls on this ticket send as `CallOptions.capability`. */
    capability?: string;
    [field: string]: unknown;
}
"#;
