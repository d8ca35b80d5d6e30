//! `TicketwireConversation`, what `client.conversation(ticketId, { capability })` returns
//! (CONTRACT §7.3): the host side of the core's [`Follow`]. It sends the polls the follow asks
//! for, sets the timers it asks for, listens for the caller's abort and for `return()`, and
//! yields the batches the follow hands out. No rule lives here.
//!
//! Where the follow asks for a WebSocket (the relay offered one, and the host has `WebSocket`),
//! it opens it, sends the follow's first message once open, and hands each frame and the close
//! to the follow; the loop waits on the socket's events as it waits on a poll.

use super::client::Client;
use super::convert;
use super::error::set;
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
    /// The socket open, if any.
    socket: RefCell<Option<Socket>>,
    /// What the socket said, not yet handed to the follow, and who waits to hear it.
    heard: Rc<Heard>,
}

#[derive(Default)]
struct Heard {
    /// Frames (`Some`) and the close (`None`), in order.
    events: RefCell<std::collections::VecDeque<Option<String>>>,
    /// Resolves the loop's wait for the next event.
    notify: RefCell<Option<Function>>,
}

impl Heard {
    fn push(&self, event: Option<String>) {
        self.events.borrow_mut().push_back(event);
        if let Some(notify) = self.notify.borrow_mut().take() {
            let _ = notify.call0(&JsValue::UNDEFINED);
        }
    }
}

/// A WebSocket and its handlers (kept alive while it is open).
struct Socket {
    socket: JsValue,
    _handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl Socket {
    /// Opens `open.url`; sends `open.hello` once open; every frame and the close go to `heard`.
    fn open(open: &follow::SocketOpen, heard: &Rc<Heard>) -> Result<Socket, JsValue> {
        let class: Function = Reflect::get(&js_sys::global(), &"WebSocket".into())?.dyn_into()?;
        let socket = Reflect::construct(&class, &js_sys::Array::of1(&open.url.as_str().into()))?;
        let on_open = {
            let (socket, hello) = (socket.clone(), open.hello.clone());
            Closure::<dyn FnMut(JsValue)>::new(move |_| {
                let _ = call_method(&socket, "send", &[&hello.as_str().into()]);
            })
        };
        let on_message = {
            let heard = heard.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                let data = Reflect::get(&event, &"data".into()).ok().and_then(|d| d.as_string());
                heard.push(Some(data.unwrap_or_default())); // a binary frame reads as not JSON
            })
        };
        let on_close = {
            let heard = heard.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |_| heard.push(None))
        };
        for (name, handler) in [("onopen", &on_open), ("onmessage", &on_message), ("onclose", &on_close)] {
            Reflect::set(&socket, &name.into(), handler.as_ref())?;
        }
        Ok(Socket { socket, _handlers: vec![on_open, on_message, on_close] })
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        for name in ["onopen", "onmessage", "onclose"] {
            let _ = Reflect::set(&self.socket, &name.into(), &JsValue::NULL);
        }
        let _ = call_method(&self.socket, "close", &[&1000.into()]);
    }
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
        socket: RefCell::new(None),
        heard: Rc::new(Heard::default()),
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
            let (outgoing, timeout, hear) = {
                let mut follow = self.follow.borrow_mut();
                if let Some(batch) = follow.poll_batch() {
                    return Ok(result(JSON::parse(&batch.json).unwrap_or(JsValue::NULL), false));
                }
                if let Some(end) = follow.poll_end() {
                    self.unlisten();
                    self.socket.borrow_mut().take();
                    return end.map(|()| result(JsValue::UNDEFINED, true)).map_err(|f| self.client.throw(f));
                }
                if follow.is_finished() {
                    self.socket.borrow_mut().take();
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
                if let Some(open) = follow.poll_socket() {
                    self.heard.events.borrow_mut().clear();
                    match Socket::open(&open, &self.heard) {
                        Ok(socket) => *self.socket.borrow_mut() = Some(socket),
                        Err(_) => follow.handle_socket_closed(now), // a URL or host it refuses
                    }
                }
                if follow.is_on_socket() {
                    let event = self.heard.events.borrow_mut().pop_front();
                    let event_was_heard = event.is_some();
                    match event {
                        Some(Some(frame)) => follow.handle_socket_message(now, &frame),
                        Some(None) => {
                            self.socket.borrow_mut().take();
                            follow.handle_socket_closed(now);
                        }
                        None => {}
                    }
                    if event_was_heard {
                        continue; // a batch to yield, or the next event
                    }
                    (None, None, true) // nothing heard yet: wait for it
                } else {
                    (follow.poll_transmit(now).map(|transmit| Outgoing::new(&transmit)), follow.poll_timeout(), false)
                }
            };
            if hear {
                self.hear(signal.as_ref()).await;
                continue;
            }
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

impl Following {
    /// Waits for the socket's next event, or the stop.
    async fn hear(&self, signal: Option<&AbortSignal>) {
        let mut resolver = None;
        let heard = Promise::new(&mut |resolve, _| resolver = Some(resolve));
        *self.heard.notify.borrow_mut() = resolver;
        let Ok(wake) = Wake::new(None, signal) else { return };
        if let Err(Woke::Aborted) = wake.race(&heard).await {
            self.follow.borrow_mut().stop();
        }
        self.heard.notify.borrow_mut().take();
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
        self.inner.socket.borrow_mut().take();
        if let Some(stop) = &self.inner.stop {
            let _ = stop.abort();
        }
        self.inner.unlisten();
        Promise::resolve(&result(JsValue::UNDEFINED, true))
    }
}

/// `{ value, done }`, what an async iterator's `next()` resolves to.
pub(super) fn result(value: JsValue, done: bool) -> JsValue {
    let out = js_sys::Object::new();
    set(&out, "value", value);
    set(&out, "done", done);
    out.into()
}
