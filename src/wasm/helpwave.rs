//! `HelpWaveClient`: the HelpWave operations of CONTRACT §5.

use super::client::{operation_methods, Client};
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

operation_methods!(
    HelpWaveClient,
    helpwave::CREATE_TICKET,
    "HelpWaveCreateTicketInput",
    "Promise<HelpWaveCreateTicketResult>",
    validate_create_ticket = "validateCreateTicket",
    prepare_create_ticket = "prepareCreateTicket",
    create_ticket = "createTicket"
);
operation_methods!(
    HelpWaveClient,
    helpwave::IDENTIFY,
    "HelpWaveIdentifyInput",
    "Promise<HelpWaveIdentifyResult>",
    validate_identify = "validateIdentify",
    prepare_identify = "prepareIdentify",
    identify = "identify"
);
operation_methods!(
    HelpWaveClient,
    helpwave::SEND_MESSAGE,
    "HelpWaveSendMessageInput",
    "Promise<HelpWaveSendMessageResult>",
    validate_send_message = "validateSendMessage",
    prepare_send_message = "prepareSendMessage",
    send_message = "sendMessage"
);
