//! `TicketwireConversation`, what `client.conversation(ticketId, { capability })` returns
//! (CONTRACT §7.3): the host side of the core's [`Follow`]. It sends the polls the follow asks
//! for, sets the timers it asks for, listens for the caller's abort and for `return()`, and
//! yields the batches the follow hands out. No rule lives here.
//!
//! Long poll only. A WebSocket transport (§7.2, in Workers) would plug in here: where the relay
//! answers the upgrade, open the socket instead of `attempt`, send `{ capability, after }`
//! first, and hand each frame to the follow as an answer.

use super::client::Client;
use super::convert;
use super::iterate::result;
use super::options::is_abort_signal;
use super::sys::{call_method, AbortController, AbortSignal};
use super::transport::{attempt, describe, has_aborted, Outgoing, Wake, Woke};
use crate::call::CallEvent;
use crate::conversation::follow::{self, Follow};
use crate::error::{ErrorKind, Failure};
use crate::operation::Operation;
use crate::value::{Object, Value};
use js_sys::{Date, Function, Promise, Reflect, JSON};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// The options type `conversation` takes.
#[wasm_bindgen(typescript_custom_section)]
const OPTIONS_TS: &'static str = r#"
/** What `client.conversation(ticketId, options)` takes. */
export interface TicketwireConversationOptions {
    /** The ticket's capability: what its create answered with through the relay (`result.capability`). */
    capability: string;
    /** Resume after this cursor (a batch's `cursor`, kept e.g. in `sessionStorage`); the whole thread when absent. */
    after?: string;
    /** Stops the iteration (it ends, without an error) when aborted. */
    signal?: AbortSignal;
}
"#;

struct Following {
    client: Rc<Client>,
    op: &'static Operation,
    follow: RefCell<Follow>,
    /// Ours: aborted by `return()` and by the caller's signal; every wait listens to it.
    stop: Option<AbortController>,
    /// The caller's signal and our listener on it, removed when the iteration ends.
    caller: RefCell<Option<(AbortSignal, Function)>>,
    /// Whether a `next()` is running.
    busy: Cell<bool>,
}

/// The iterator `conversation` returns: `for await (const { messages, cursor } of it)`;
/// `break` (or `return()`) and the caller's `signal` end it.
#[wasm_bindgen]
pub struct TicketwireConversation {
    inner: Rc<Following>,
}

/// Starts following `ticket_id` (what `MavaClient.conversation` and `HelpWaveClient.conversation`
/// do). Throws a `TicketwireError` (kind "validation") for a bad ticket id or options.
pub fn conversation(
    client: &Rc<Client>,
    ticket_id: &JsValue,
    options: &JsValue,
) -> Result<TicketwireConversation, JsValue> {
    let Some(op) = follow::operation(client.provider()) else {
        let message = format!("{} tickets have no conversation to follow", client.provider().display_name());
        return Err(client.throw(Failure::config(client.provider(), "conversation", message, Vec::new())));
    };
    // The caller's signal is a host value: taken out before the core reads the rest.
    let raw_signal = if options.is_object() {
        Reflect::get(options, &"signal".into()).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    };
    let signal = is_abort_signal(&raw_signal).then(|| raw_signal.unchecked_into::<AbortSignal>());
    let mut read = convert::read(options);
    if let (Value::Object(object), Some(_)) = (&read, &signal) {
        let mut rest = Object::new();
        for (key, value) in object.iter().filter(|(k, _)| *k != "signal") {
            rest.insert(key, value.clone());
        }
        read = Value::Object(rest);
    }
    let seed = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
    let follow =
        Follow::new(op, &client.config().base_url, &convert::read(ticket_id), &read, client.follow_policy(), seed)
            .map_err(|failure| client.throw(failure))?;
    let stop = AbortController::new().ok();
    let inner = Rc::new(Following {
        client: client.clone(),
        op,
        follow: RefCell::new(follow),
        stop,
        caller: RefCell::new(None),
        busy: Cell::new(false),
    });
    if let Some(signal) = signal {
        inner.listen(signal).map_err(|why| inner.client.throw(Failure::new(ErrorKind::Config, op, why)))?;
    }
    Ok(TicketwireConversation { inner })
}

impl Following {
    /// Forwards the caller's abort to our own signal.
    fn listen(&self, signal: AbortSignal) -> Result<(), String> {
        if has_aborted(Some(&signal))? {
            self.follow.borrow_mut().stop();
            return Ok(());
        }
        let Some(stop) = &self.stop else { return Ok(()) };
        let abort: Function = Reflect::get(stop, &"abort".into())
            .ok()
            .and_then(|f| call_method(&f, "bind", &[stop]).ok())
            .and_then(|f| f.dyn_into().ok())
            .ok_or("Function.prototype.bind is missing")?;
        signal
            .add_event_listener("abort", &abort)
            .map_err(|error| format!("options.signal threw when listened to: {}", describe(&error)))?;
        *self.caller.borrow_mut() = Some((signal, abort));
        Ok(())
    }

    /// Stops listening to the caller's signal (the iteration has ended).
    fn unlisten(&self) {
        if let Some((signal, listener)) = self.caller.borrow_mut().take() {
            let _ = signal.remove_event_listener("abort", &listener);
        }
    }

    /// Runs the follow until it has a batch to yield or has ended.
    async fn next(&self) -> Result<JsValue, JsValue> {
        let fetch = self.client.fetch(self.op);
        let signal = self.stop.as_ref().map(AbortController::signal);
        loop {
            let now = Date::now();
            // Never hold the borrow across an await.
            let (outgoing, timeout) = {
                let mut follow = self.follow.borrow_mut();
                if let Some(batch) = follow.poll_batch() {
                    return Ok(result(JSON::parse(&batch.json).unwrap_or(JsValue::NULL), false));
                }
                if let Some(end) = follow.poll_end() {
                    self.unlisten();
                    return end.map(|()| result(JsValue::UNDEFINED, true)).map_err(|f| self.client.throw(f));
                }
                if follow.is_finished() {
                    return Ok(result(JsValue::UNDEFINED, true));
                }
                match (&fetch, has_aborted(signal.as_ref())) {
                    (_, Ok(true)) => {
                        follow.stop();
                        continue;
                    }
                    (_, Err(why)) => {
                        follow.handle_event(now, CallEvent::HostFailed(&why));
                        continue;
                    }
                    (Err(failure), _) => {
                        follow.handle_event(now, CallEvent::HostFailed(&failure.message));
                        continue;
                    }
                    (Ok(_), Ok(false)) => {}
                }
                (follow.poll_transmit(now).map(|transmit| Outgoing::new(&transmit)), follow.poll_timeout())
            };
            let wake = match Wake::new(timeout.map(|at| at - now), signal.as_ref()) {
                Ok(wake) => wake,
                Err(why) => {
                    self.follow.borrow_mut().handle_event(now, CallEvent::HostFailed(&why));
                    continue;
                }
            };
            let woke = match (outgoing, &fetch) {
                (Some(outgoing), Ok(fetch)) => match attempt(fetch, outgoing, &wake).await {
                    Ok(end) => {
                        self.follow.borrow_mut().handle_event(Date::now(), end.event());
                        continue;
                    }
                    Err(woke) => woke,
                },
                _ => wake.wait().await,
            };
            let mut follow = self.follow.borrow_mut();
            match woke {
                Woke::Timer => follow.handle_timeout(Date::now()),
                Woke::Aborted => follow.stop(),
            }
        }
    }
}

#[wasm_bindgen]
impl TicketwireConversation {
    /// The next batch of new messages (`{ messages, cursor }`), waiting for one as long as it
    /// takes; `done` once stopped. Rejects with `TicketwireError` when the relay refuses the
    /// follow (403 `CAPABILITY_REQUIRED`, 404 where there is no conversation).
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<TicketwireConversationBatch, undefined>>")]
    pub fn next(&self) -> Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            if inner.busy.replace(true) {
                let message = format!(
                    "{} conversation: next() was called while another next() was pending",
                    inner.client.provider().display_name()
                );
                return Err(inner.client.throw(Failure::new(ErrorKind::Config, inner.op, message)));
            }
            let out = inner.next().await;
            inner.busy.set(false);
            out
        })
    }

    /// Stops the iteration (what `break` calls): a poll out is cancelled, none is sent again.
    #[wasm_bindgen(
        js_name = "return",
        unchecked_return_type = "Promise<IteratorResult<TicketwireConversationBatch, undefined>>"
    )]
    pub fn finish(&self) -> Promise {
        self.inner.follow.borrow_mut().stop();
        if let Some(stop) = &self.inner.stop {
            let _ = stop.abort();
        }
        self.inner.unlisten();
        Promise::resolve(&result(JsValue::UNDEFINED, true))
    }
}
