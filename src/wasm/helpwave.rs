//! `HelpWaveClient`: the HelpWave operations of CONTRACT §5.

use super::client::{operation_methods, Client};
use super::conversation::{conversation, TicketwireConversation};
use super::error::set;
use super::options::{CallOptions, ClientOptions};
use crate::helpwave;
use crate::provider::Provider;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A validated client for the HelpWave API. Ticket ids stay strings end to end.
#[wasm_bindgen]
pub struct HelpWaveClient {
    client: Rc<Client>,
}

#[wasm_bindgen]
impl HelpWaveClient {
    /// A client for `options.baseUrl` (required: HelpWave has no public host). Throws `TicketwireError` (kind "config") for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: ClientOptions) -> Result<HelpWaveClient, JsValue> {
        Ok(HelpWaveClient { client: Client::new(Provider::HelpWave, "HelpWaveClient", &options.into())? })
    }

    /// A Standard Schema v1 view of each operation's input, with this client's settings, for
    /// form libraries: `standardSchemaResolver(client.schemas.createTicket)` (react-hook-form).
    #[cfg_attr(feature = "full", wasm_bindgen(getter, unchecked_return_type = "HelpWaveSchemas"))]
    #[cfg_attr(not(feature = "full"), wasm_bindgen(getter, unchecked_return_type = "HelpWaveVisitorSchemas"))]
    pub fn schemas(&self) -> js_sys::Object {
        self.client.schemas()
    }

    /// The ticket's conversation through the relay (CONTRACT §7.3), as it arrives: `for await
    /// (const { messages, cursor } of client.conversation(ticketId, { capability }))`. Long polls
    /// that reconnect with backoff and resume from the last cursor; a message is yielded once.
    /// Ends on `break` or the signal's abort; rejects with `TicketwireError` on 403
    /// (`CAPABILITY_REQUIRED`) or 404 (no conversation). Throws `TicketwireError` (kind
    /// "validation") for a bad ticket id or options.
    #[wasm_bindgen(unchecked_return_type = "AsyncIterableIterator<TicketwireConversationBatch>")]
    pub fn conversation(
        &self,
        #[wasm_bindgen(js_name = ticketId, unchecked_param_type = "string")] ticket_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "TicketwireConversationOptions")] options: JsValue,
    ) -> Result<TicketwireConversation, JsValue> {
        conversation(&self.client, &ticket_id, &options)
    }

    /// Every comment of a ticket (`ticketId`: the digit string HelpWave returned).
    #[wasm_bindgen(js_name = listComments, unchecked_return_type = "Promise<HelpWaveListCommentsResult>")]
    pub fn list_comments(
        &self,
        #[wasm_bindgen(js_name = ticketId, unchecked_param_type = "string")] ticket_id: JsValue,
        options: Option<CallOptions>,
    ) -> js_sys::Promise {
        let input = js_sys::Object::new();
        if !ticket_id.is_undefined() {
            set(&input, "ticketId", ticket_id);
        }
        self.client.call(&helpwave::LIST_COMMENTS, &input, &options.map_or(JsValue::UNDEFINED, Into::into))
    }
}

// In every build, as the operation methods below: a relay may serve it to a visitor.
const _: () = assert!(helpwave::LIST_COMMENTS.servable_to_visitors());

operation_methods!(
    visitor HelpWaveClient,
    helpwave::CREATE_TICKET,
    "HelpWaveCreateTicketInput",
    "Promise<HelpWaveCreateTicketResult>",
    validate_create_ticket = "validateCreateTicket",
    prepare_create_ticket = "prepareCreateTicket",
    create_ticket = "createTicket"
);
operation_methods!(
    visitor HelpWaveClient,
    helpwave::IDENTIFY,
    "HelpWaveIdentifyInput",
    "Promise<HelpWaveIdentifyResult>",
    validate_identify = "validateIdentify",
    prepare_identify = "prepareIdentify",
    identify = "identify"
);
operation_methods!(
    visitor HelpWaveClient,
    helpwave::SEND_MESSAGE,
    "HelpWaveSendMessageInput",
    "Promise<HelpWaveSendMessageResult>",
    validate_send_message = "validateSendMessage",
    prepare_send_message = "prepareSendMessage",
    send_message = "sendMessage"
);
