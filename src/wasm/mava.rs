//! `MavaClient`: the Mava operations of CONTRACT §5.

use super::client::{operation_methods, Client};
use super::conversation::{conversation, TicketwireConversation};
#[cfg(feature = "full")]
use super::convert;
#[cfg(feature = "full")]
use super::iterate::MavaTicketIterator;
use super::options::{CallOptions, ClientOptions};
#[cfg(feature = "full")]
use crate::error::Failure;
use crate::mava;
#[cfg(feature = "full")]
use crate::mava::iterate_tickets;
use crate::provider::Provider;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A validated client for the Mava API.
#[wasm_bindgen]
pub struct MavaClient {
    client: Rc<Client>,
}

#[wasm_bindgen]
impl MavaClient {
    /// A client for `https://gateway.mava.app` (or `options.baseUrl`). Throws `TicketwireError` (kind "config") for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: Option<ClientOptions>) -> Result<MavaClient, JsValue> {
        let options = options.map_or(JsValue::UNDEFINED, Into::into);
        Ok(MavaClient { client: Client::new(Provider::Mava, "MavaClient", &options)? })
    }

    /// A Standard Schema v1 view of each operation's input, with this client's settings, for
    /// form libraries: `standardSchemaResolver(client.schemas.createTicket)` (react-hook-form).
    #[cfg_attr(feature = "full", wasm_bindgen(getter, unchecked_return_type = "MavaSchemas"))]
    #[cfg_attr(not(feature = "full"), wasm_bindgen(getter, unchecked_return_type = "MavaVisitorSchemas"))]
    pub fn schemas(&self) -> js_sys::Object {
        self.client.schemas()
    }

    /// Every active category.
    #[wasm_bindgen(js_name = listCategories, unchecked_return_type = "Promise<MavaListCategoriesResult>")]
    pub fn list_categories(&self, options: Option<CallOptions>) -> js_sys::Promise {
        self.client.call(&mava::LIST_CATEGORIES, &JsValue::UNDEFINED, &options.map_or(JsValue::UNDEFINED, Into::into))
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
}

/// What only a client with a key of its own may do: read everyone's tickets and agents (a relay
/// never serves them to a visitor: CONTRACT §6). Not in `ticketwire/lite`.
#[cfg(feature = "full")]
#[wasm_bindgen]
impl MavaClient {
    /// Every matching ticket, page after page (`for await`); ranges past a year are walked in
    /// yearly windows when sorting by `createdAt`. Throws `TicketwireError` (kind "validation") for a bad query.
    #[wasm_bindgen(js_name = iterateTickets, unchecked_return_type = "AsyncIterableIterator<MavaTicket>")]
    pub fn iterate_tickets(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MavaListTicketsInput")] query: JsValue,
        options: Option<CallOptions>,
    ) -> Result<MavaTicketIterator, JsValue> {
        let options = options.map_or(JsValue::UNDEFINED, Into::into);
        let call = self.client.call_settings(&mava::ITERATE_TICKETS, &options)?;
        let plan = iterate_tickets::plan(&convert::read(&query), self.client.config())
            .map_err(|violations| self.client.throw(Failure::validation(&mava::ITERATE_TICKETS, violations)))?;
        Ok(MavaTicketIterator::new(self.client.clone(), call, plan))
    }

    /// Every non-archived agent; `id` is what `assignedTo` takes.
    #[wasm_bindgen(js_name = listAgents, unchecked_return_type = "Promise<MavaListAgentsResult>")]
    pub fn list_agents(&self, options: Option<CallOptions>) -> js_sys::Promise {
        self.client.call(&mava::LIST_AGENTS, &JsValue::UNDEFINED, &options.map_or(JsValue::UNDEFINED, Into::into))
    }
}
// Checked as the operation methods' marks are: the methods above in every build are ones a relay
// may serve a visitor, these ones it never does.
const _: () = assert!(mava::LIST_CATEGORIES.servable_to_visitors());
const _: () = assert!(!mava::ITERATE_TICKETS.servable_to_visitors() && !mava::LIST_AGENTS.servable_to_visitors());

operation_methods!(
    visitor MavaClient,
    mava::CREATE_TICKET,
    "MavaCreateTicketInput",
    "Promise<MavaCreateTicketResult>",
    validate_create_ticket = "validateCreateTicket",
    prepare_create_ticket = "prepareCreateTicket",
    create_ticket = "createTicket"
);
operation_methods!(
    visitor MavaClient,
    mava::IDENTIFY,
    "MavaIdentifyInput",
    "Promise<MavaIdentifyResult>",
    validate_identify = "validateIdentify",
    prepare_identify = "prepareIdentify",
    identify = "identify"
);
operation_methods!(
    full MavaClient,
    mava::SEND_MESSAGE,
    "MavaSendMessageInput",
    "Promise<MavaSendMessageResult>",
    validate_send_message = "validateSendMessage",
    prepare_send_message = "prepareSendMessage",
    send_message = "sendMessage"
);
operation_methods!(
    full MavaClient,
    mava::UPDATE_TICKET,
    "MavaUpdateTicketInput",
    "Promise<MavaUpdateTicketResult>",
    validate_update_ticket = "validateUpdateTicket",
    prepare_update_ticket = "prepareUpdateTicket",
    update_ticket = "updateTicket"
);
operation_methods!(
    full MavaClient,
    mava::LIST_TICKETS,
    "MavaListTicketsInput",
    "Promise<MavaListTicketsResult>",
    validate_list_tickets = "validateListTickets",
    prepare_list_tickets = "prepareListTickets",
    list_tickets = "listTickets"
);
