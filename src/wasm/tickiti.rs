//! `TickitiClient`: the Tickiti operations of CONTRACT §5.

use super::client::{operation_methods, Client};
use super::options::ClientOptions;
use crate::provider::Provider;
use crate::tickiti;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A validated client for the Tickiti API. Calls that take an `Idempotency-Key` get a fresh
/// UUID v4 per call unless `options.idempotencyKey` fixes it.
#[wasm_bindgen]
pub struct TickitiClient {
    client: Rc<Client>,
}

#[wasm_bindgen]
impl TickitiClient {
    /// A client for `options.baseUrl` (required: each helpdesk has its own host). Throws `TicketwireError` (kind "config") for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: ClientOptions) -> Result<TickitiClient, JsValue> {
        Ok(TickitiClient { client: Client::new(Provider::Tickiti, "TickitiClient", &options.into())? })
    }

    /// A Standard Schema v1 view of each operation's input, with this client's settings, for
    /// form libraries: `standardSchemaResolver(client.schemas.createTicketUnified)` (react-hook-form).
    #[cfg_attr(feature = "full", wasm_bindgen(getter, unchecked_return_type = "TickitiSchemas"))]
    #[cfg_attr(not(feature = "full"), wasm_bindgen(getter, unchecked_return_type = "TickitiVisitorSchemas"))]
    pub fn schemas(&self) -> js_sys::Object {
        self.client.schemas()
    }
}

operation_methods!(
    visitor TickitiClient,
    tickiti::CREATE_TICKET,
    "TickitiCreateTicketInput",
    "Promise<TickitiCreateTicketResult>",
    validate_create_ticket = "validateCreateTicket",
    prepare_create_ticket = "prepareCreateTicket",
    create_ticket = "createTicket"
);
operation_methods!(
    visitor TickitiClient,
    tickiti::CREATE_TICKET_UNIFIED,
    "TickitiCreateTicketUnifiedInput",
    "Promise<TickitiCreateTicketUnifiedResult>",
    validate_create_ticket_unified = "validateCreateTicketUnified",
    prepare_create_ticket_unified = "prepareCreateTicketUnified",
    create_ticket_unified = "createTicketUnified"
);
operation_methods!(
    visitor TickitiClient,
    tickiti::SEND_MESSAGE,
    "TickitiSendMessageInput",
    "Promise<TickitiSendMessageResult>",
    validate_send_message = "validateSendMessage",
    prepare_send_message = "prepareSendMessage",
    send_message = "sendMessage"
);
