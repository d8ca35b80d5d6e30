//! `MavaClient.iterateTickets`: an async iterator over every matching ticket. It follows the
//! core's plan (yearly windows, walked in `sortOrder`), pages each window with
//! `skip += limit` while `hasMore`, and never yields an `_id` twice, even when tickets are
//! created meanwhile. It fetches only when its buffer is empty, so `break` costs nothing.

use super::client::Client;
use super::error::set;
use super::options::CallSettings;
use super::sys::reflect_get;
use crate::error::{ErrorKind, Failure};
use crate::mava::{iterate_tickets::IterationPlan, ITERATE_TICKETS, LIST_TICKETS};
use crate::value::{Object, Value};
use js_sys::{Array, Promise};
use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

struct Progress {
    /// Windows still to walk, the current one first.
    windows: VecDeque<Object>,
    /// Where the next page of the current window starts.
    skip: f64,
    /// Tickets fetched but not yet yielded.
    buffer: VecDeque<JsValue>,
    /// Every `_id` fetched so far.
    seen: HashSet<String>,
    done: bool,
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
        let progress = Progress {
            windows: plan.windows.into(),
            skip: 0.0,
            buffer: VecDeque::new(),
            seen: HashSet::new(),
            done: false,
            fetching: false,
        };
        Self { client, call: Rc::new(call), progress: Rc::new(RefCell::new(progress)) }
    }
}

fn result(value: JsValue, done: bool) -> JsValue {
    let out = js_sys::Object::new();
    set(&out, "value", value);
    set(&out, "done", done);
    out.into()
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
                    if p.done || p.windows.is_empty() {
                        p.done = true;
                        return Ok(result(JsValue::UNDEFINED, true));
                    }
                    if p.fetching {
                        let message = "Mava iterateTickets: next() was called while another next() was pending";
                        return Err(client.throw(Failure::new(ErrorKind::Config, &ITERATE_TICKETS, message)));
                    }
                    p.fetching = true;
                    let mut query = p.windows.front().cloned().unwrap_or_default();
                    query.insert("skip", Value::Number(p.skip));
                    query
                };
                let page = match LIST_TICKETS.prepare(&Value::Object(query), client.config(), &call.context) {
                    Ok(request) => client.send(&LIST_TICKETS, &request, &call).await,
                    Err(violations) => Err(Failure::validation(&LIST_TICKETS, violations)),
                };
                let mut p = progress.borrow_mut();
                p.fetching = false;
                let page = match page {
                    Ok(page) => page,
                    Err(failure) => {
                        p.done = true;
                        return Err(client.throw(failure));
                    }
                };
                let tickets = reflect_get(&page, &"tickets".into()).map(|t| Array::from(&t)).unwrap_or_default();
                for ticket in tickets.iter() {
                    let id = reflect_get(&ticket, &"_id".into()).ok().and_then(|id| id.as_string()).unwrap_or_default();
                    if p.seen.insert(id) {
                        p.buffer.push_back(ticket);
                    }
                }
                let pagination = reflect_get(&page, &"pagination".into()).unwrap_or(JsValue::UNDEFINED);
                let has_more =
                    reflect_get(&pagination, &"hasMore".into()).ok().and_then(|v| v.as_bool()).unwrap_or(false);
                let limit = p.windows.front().and_then(|w| w.get("limit")).and_then(|v| {
                    if let Value::Number(n) = v {
                        Some(*n)
                    } else {
                        None
                    }
                });
                if has_more && tickets.length() > 0 {
                    p.skip += limit.unwrap_or(f64::from(tickets.length()));
                } else {
                    p.windows.pop_front();
                    p.skip = 0.0;
                }
            }
        })
    }

    /// Stops the iteration (what `break` calls): no further requests.
    #[wasm_bindgen(js_name = "return", unchecked_return_type = "Promise<IteratorResult<MavaTicket, undefined>>")]
    pub fn finish(&self) -> Promise {
        let mut p = self.progress.borrow_mut();
        p.done = true;
        p.buffer.clear();
        Promise::resolve(&result(JsValue::UNDEFINED, true))
    }
}
