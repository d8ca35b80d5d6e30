//! What HelpWave answers, declared for TypeScript. BigInt ids arrive as strings and stay so.

use serde::Serialize;

/// A conversation as HelpWave returns it.
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct HelpWaveTicket {
    /// The ticket id: a BigInt serialized as a string (e.g. `"987654321012345678"`).
    pub id: String,
    /// The customer (note the spelling).
    #[serde(rename = "customerID")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number | string"))]
    pub customer_id: String,
    /// The channel.
    #[serde(rename = "Channel")]
    pub channel: String,
    /// Name or subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Thread id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<String>,
    /// Email used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_used: Option<String>,
    /// Latest message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_message: Option<String>,
    /// Reason for contact.
    #[serde(rename = "contact_reason", skip_serializing_if = "Option::is_none")]
    pub contact_reason: Option<String>,
    /// Assigned user.
    #[serde(rename = "assigned_to", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number | string | null"))]
    pub assigned_to: Option<String>,
    /// Whether a HumanTicket is open.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_opened_ticket: Option<bool>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Language code.
    #[serde(rename = "language_code", skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
    /// Via field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// What `createTicket` resolves to.
#[derive(Debug, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct HelpWaveCreateTicketResult {
    /// `true`.
    pub success: bool,
    /// The new conversation.
    pub ticket: HelpWaveTicket,
    /// Through a relay with ticket capabilities: the token calls on this ticket send as
    /// `CallOptions.capability` (CONTRACT §6).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub capability: Option<String>,
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const HELPWAVE_TS: &'static str = r#"
/** A HelpWave customer (fields beyond these are passed through as sent). */
export interface HelpWaveCustomer {
    /** The customer id, as HelpWave sent it. */
    id: string | number;
    email?: string | null;
    phone_number?: string | null;
    [field: string]: unknown;
}
/** What `identify` resolves to; `existing` is true when the customer was found, not created. */
export interface HelpWaveIdentifyResult {
    success: boolean;
    existing?: boolean;
    customer: HelpWaveCustomer;
}
/** A comment on a ticket (fields beyond these are passed through as sent). */
export interface HelpWaveComment {
    text?: string;
    [field: string]: unknown;
}
/** What `sendMessage` resolves to. */
export interface HelpWaveSendMessageResult {
    success: boolean;
    [field: string]: unknown;
}
/** What `listComments` resolves to. */
export interface HelpWaveListCommentsResult {
    success: boolean;
    comments: HelpWaveComment[];
    totalCount: number;
}
"#;
