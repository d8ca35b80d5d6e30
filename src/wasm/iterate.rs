//! `MavaTicketIterator`, what `iterateTickets` returns: the host side of the core's
//! `TicketPager`. It fetches a page only when its buffer is empty (so `break` costs nothing),
//! and hands out the tickets the pager says to yield.

use super::client::Client;
use super::conversation::result;
use super::options::CallSettings;
use crate::error::{ErrorKind, Failure};
use crate::mava::iterate_tickets::{IterationPlan, TicketPager};
use crate::mava::{ITERATE_TICKETS, LIST_TICKETS};
use js_sys::{Promise, Reflect, JSON};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

struct Progress {
    pager: TicketPager,
    /// Tickets fetched but not yet yielded.
    buffer: VecDeque<JsValue>,
    fetching: bool,
}

/// The iterator `iterateTickets` returns (`for await` over it; `break` stops it).
#[wasm_bindgen]
pub struct MavaTicketIterator {
    client: Rc<Client>,
    call: Rc<CallSettings>,
    progress: Rc<RefCell<Progress>>,
}

impl MavaTicketIterator {
    /// An iterator following `plan`.
    pub fn new(client: Rc<Client>, call: CallSettings, plan: IterationPlan) -> Self {
        let progress = Progress { pager: TicketPager::new(plan), buffer: VecDeque::new(), fetching: false };
        Self { client, call: Rc::new(call), progress: Rc::new(RefCell::new(progress)) }
    }
}

#[wasm_bindgen]
impl MavaTicketIterator {
    /// The next ticket, fetching the next page when none is left.
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<MavaTicket, undefined>>")]
    pub fn next(&self) -> Promise {
        let (client, call, progress) = (self.client.clone(), self.call.clone(), self.progress.clone());
        future_to_promise(async move {
            loop {
                // Never hold the borrow across an await.
                let query = {
                    let mut p = progress.borrow_mut();
                    if let Some(ticket) = p.buffer.pop_front() {
                        return Ok(result(ticket, false));
                    }
                    if p.fetching {
                        let message = "Mava iterateTickets: next() was called while another next() was pending";
                        return Err(client.throw(Failure::new(ErrorKind::Config, &ITERATE_TICKETS, message)));
                    }
                    let Some(query) = p.pager.next_query() else {
                        return Ok(result(JsValue::UNDEFINED, true));
                    };
                    p.fetching = true;
                    query
                };
                let page = match LIST_TICKETS.prepare(&query, client.config(), &call.context) {
                    Ok(request) => client.send(&LIST_TICKETS, request, &call).await.end,
                    Err(violations) => Err(Failure::validation(&LIST_TICKETS, violations)),
                };
                let mut p = progress.borrow_mut();
                p.fetching = false;
                let fresh = page.and_then(|body| Ok((p.pager.handle_page(&body)?, body)));
                let (fresh, body) = match fresh {
                    Ok(fresh) => fresh,
                    Err(failure) => {
                        p.pager.finish();
                        return Err(client.throw(failure));
                    }
                };
                let tickets = JSON::parse(&body).and_then(|page| Reflect::get(&page, &"tickets".into()));
                let tickets = tickets.map(|t| js_sys::Array::from(&t)).unwrap_or_default();
                for at in fresh {
                    p.buffer.push_back(tickets.get(at as u32));
                }
            }
        })
    }

    /// Stops the iteration (what `break` calls): no further requests.
    #[wasm_bindgen(js_name = "return", unchecked_return_type = "Promise<IteratorResult<MavaTicket, undefined>>")]
    pub fn finish(&self) -> Promise {
        let mut p = self.progress.borrow_mut();
        p.pager.finish();
        p.buffer.clear();
        Promise::resolve(&result(JsValue::UNDEFINED, true))
    }
}
