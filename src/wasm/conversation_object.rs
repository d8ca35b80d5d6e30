//! Live conversations in Workers (CONTRACT §7.2): `TicketwireConversationObject`, the Durable
//! Object class that holds one ticket's thread and its visitors' WebSockets (the hibernation
//! API: `acceptWebSocket`, so an idle visitor costs nothing), and
//! `durableObjectConversations(namespace)`, the relay's `conversations` store built on it.
//! Every decision is the core's (`relay::conversation::object`); this file keeps the sockets,
//! the long polls' resolvers and timers, the alarm, and the storage I/O.

use super::error::set;
use super::sys::{call_method, clear_timeout, set_timeout};
use super::transport::new_response;
use crate::relay::conversation::object::{
    read_append, read_read, ThreadObject, Writes, CLOSE_NOT_ALLOWED, HELLO_WITHIN_MS, MAX_ORDER_BYTES,
};
use crate::relay::conversation::{thread_body, Message};
use js_sys::{Array, Date, Function, Object, Promise, Reflect, JSON};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

#[wasm_bindgen(typescript_custom_section)]
const STORE_TS: &'static str = r#"
/** A public message of a ticket's thread, as a visitor reads it (CONTRACT §7.2). */
export interface TicketwireThreadMessage {
    id: string;
    from: "agent" | "customer";
    text: string;
    attachments: { url: string; fileName: string; fileType: string }[];
    at: string;
}

/** A visitor's read of a thread, its capability verified by the relay. */
export interface TicketwireThreadRead {
    /** The cursor of the visitor's last answer (absent: from the start). */
    after?: string;
    /** How long to hold the answer for a message, in milliseconds (0 to 25000). */
    waitMs: number;
    /** The ticket's capability, verified: a socket's first message may carry it. */
    capability: string;
    /** When the capability stops holding, in Unix seconds. */
    expiry: number;
}

/**
 * Where a relay keeps Mava's threads (the `conversations` option of `createRelay`): by
 * default its own memory (one process); in Workers, `durableObjectConversations(env.X)`.
 * Threads are named `"mava/<ticketId>"`.
 */
export interface TicketwireConversationStore {
    /** Stores a webhook's public messages, each id once, unless one of `keys` (its webhookId, its signature) was stored in the last 24 h. */
    append(thread: string, messages: TicketwireThreadMessage[], keys: string[]): Promise<unknown>;
    /** The messages after `read.after`, oldest first, held up to `read.waitMs` for one. */
    read(thread: string, read: TicketwireThreadRead): Promise<{ messages: TicketwireThreadMessage[]; cursor: string }>;
    /**
     * Takes a visitor's WebSocket upgrade for the thread (answers 101), if the store keeps sockets.
     * The relay has checked the origin and the visitor's limit but no capability (a browser cannot
     * send one on an upgrade): the socket's first message carries it, and the store must let the
     * socket in only with one that `read` was given for this thread, unexpired, as the
     * conversation object does.
     */
    connect?(thread: string, request: Request): Promise<Response>;
    /**
     * The turn to pull a HelpWave thread upstream, at most once per 5 s for every isolate: with it,
     * HelpWave's threads live in the store too (without it, in each relay's memory).
     */
    claim?(thread: string): Promise<{ pull: boolean; nextAt?: number }>;
}

export interface TicketwireConversationObject {
    /** Marks the class as a Durable Object for wrangler's generated `Env` (a type only, as on `TicketwireRateLimitObject`). */
    readonly __DURABLE_OBJECT_BRAND: never;
}

/** What `durableObjectConversations` uses of a Durable Object namespace binding (`env.TICKETWIRE_CONVERSATIONS`). */
export interface TicketwireConversationNamespace {
    /** The id of the object that holds the thread named `name`. */
    idFromName(name: string): unknown;
    /** The stub of the object with that id. */
    get(id: unknown): {
        /** Sends a request to the object (the thread's messages, a visitor's socket). */
        fetch(input: string, init?: RequestInit): Promise<Response>;
    };
}
"#;

/// `durableObjectConversations(namespace)`: the relay's `conversations` store, one
/// `TicketwireConversationObject` per thread.
#[wasm_bindgen(js_name = durableObjectConversations)]
pub fn durable_object_conversations(
    #[wasm_bindgen(unchecked_param_type = "TicketwireConversationNamespace")] namespace: JsValue,
) -> Result<DurableObjectConversations, JsValue> {
    let has = |name: &str| Reflect::get(&namespace, &name.into()).is_ok_and(|f| f.is_function());
    if !has("idFromName") || !has("get") {
        let message =
            "durableObjectConversations needs a Durable Object namespace binding (env.TICKETWIRE_CONVERSATIONS)";
        return Err(super::error::to_js_error(crate::error::Failure::relay_config(message.to_owned(), Vec::new())));
    }
    Ok(DurableObjectConversations { namespace })
}

/// The store `durableObjectConversations` makes (a `TicketwireConversationStore`).
#[wasm_bindgen]
pub struct DurableObjectConversations {
    namespace: JsValue,
}

#[wasm_bindgen]
impl DurableObjectConversations {
    /// Hands a webhook's public messages to the thread's object.
    #[wasm_bindgen(unchecked_return_type = "Promise<unknown>")]
    pub fn append(
        &self,
        thread: String,
        #[wasm_bindgen(unchecked_param_type = "TicketwireThreadMessage[]")] messages: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string[]")] keys: JsValue,
    ) -> Promise {
        let order = Object::new();
        set(&order, "messages", messages);
        set(&order, "keys", keys);
        self.order(&thread, "append", order.into())
    }

    /// Forwards a visitor's read to the thread's object (which holds it up to `waitMs`).
    #[wasm_bindgen(unchecked_return_type = "Promise<{ messages: TicketwireThreadMessage[]; cursor: string }>")]
    pub fn read(
        &self,
        thread: String,
        #[wasm_bindgen(unchecked_param_type = "TicketwireThreadRead")] read: JsValue,
    ) -> Promise {
        self.order(&thread, "read", read)
    }

    /// Asks the thread's object for the turn to pull it upstream (HelpWave).
    #[wasm_bindgen(unchecked_return_type = "Promise<{ pull: boolean; nextAt?: number }>")]
    pub fn claim(&self, thread: String) -> Promise {
        self.order(&thread, "claim", Object::new().into())
    }

    /// Hands a visitor's WebSocket upgrade to the thread's object; its 101 answer as is.
    #[wasm_bindgen(unchecked_return_type = "Promise<Response>")]
    pub fn connect(
        &self,
        thread: String,
        #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    ) -> Promise {
        let stub = self.stub(&thread);
        future_to_promise(async move {
            let init = Object::new();
            set(&init, "headers", Reflect::get(&request, &"headers".into())?);
            let answer = call_method(&stub?, "fetch", &[&"https://conversation/connect".into(), &init])?;
            JsFuture::from(Promise::resolve(&answer)).await
        })
    }
}

impl DurableObjectConversations {
    fn stub(&self, thread: &str) -> Result<JsValue, JsValue> {
        let id = call_method(&self.namespace, "idFromName", &[&thread.into()])?;
        call_method(&self.namespace, "get", &[&id])
    }

    /// POSTs `order` (as JSON) to the thread's object at `/{action}`; its JSON answer.
    fn order(&self, thread: &str, action: &str, order: JsValue) -> Promise {
        let stub = self.stub(thread);
        let url = format!("https://conversation/{action}");
        future_to_promise(async move {
            let init = Object::new();
            set(&init, "method", "POST");
            set(&init, "body", JSON::stringify(&order)?);
            let answer =
                JsFuture::from(Promise::resolve(&call_method(&stub?, "fetch", &[&url.into(), &init])?)).await?;
            let status = Reflect::get(&answer, &"status".into())?.as_f64().unwrap_or(0.0);
            let text = JsFuture::from(Promise::resolve(&call_method(&answer, "text", &[])?)).await?;
            if status != 200.0 {
                let why = text.as_string().unwrap_or_default();
                return Err(js_sys::Error::new(&format!("the conversation object answered {status}: {why}")).into());
            }
            JSON::parse(&text.as_string().unwrap_or_default())
        })
    }
}

/// The Durable Object class: export it from your Worker and bind it (see the README). One
/// object per ticket holds its thread (in its storage, so it survives an eviction) and the
/// WebSockets of the visitors reading it.
#[wasm_bindgen]
pub struct TicketwireConversationObject {
    host: Rc<ObjectHost>,
}

struct ObjectHost {
    /// The object's state: `storage`, `acceptWebSocket`, `getWebSockets`.
    state: JsValue,
    /// The thread, once read back from storage.
    object: RefCell<Option<ThreadObject>>,
    /// Settles once the thread is read back (every event waits for it).
    ready: RefCell<Option<Promise>>,
    /// Reads held for a message: the cursor, the resolver of the answer, the timer.
    reads: RefCell<Vec<HeldRead>>,
}

struct HeldRead {
    after: Option<String>,
    resolve: Function,
    timer: Option<JsValue>,
    /// Kept alive until the timer fires or is cleared.
    _on_timer: Option<Closure<dyn FnMut()>>,
}

#[wasm_bindgen]
impl TicketwireConversationObject {
    /// Made by the Workers runtime with the object's state and environment (unused).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "unknown")] state: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] _env: JsValue,
    ) -> TicketwireConversationObject {
        let host = Rc::new(ObjectHost {
            state,
            object: RefCell::new(None),
            ready: RefCell::new(None),
            reads: RefCell::new(Vec::new()),
        });
        TicketwireConversationObject { host }
    }

    /// The relay's orders: `POST /append`, `POST /read`, and a WebSocket upgrade at `/connect`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Response>")]
    pub fn fetch(&self, #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue) -> Promise {
        let host = self.host.clone();
        future_to_promise(async move {
            host.loaded().await;
            let url = Reflect::get(&request, &"url".into())?.as_string().unwrap_or_default();
            let action = url.rsplit('/').next().unwrap_or_default().to_owned();
            if action == "connect" {
                return host.connect();
            }
            let body = JsFuture::from(Promise::resolve(&call_method(&request, "text", &[])?)).await?;
            let body = body.as_string().filter(|b| b.len() <= MAX_ORDER_BYTES).unwrap_or_default();
            match action.as_str() {
                "append" => host.append(&body).await,
                "claim" => host.claim().await,
                "read" => host.read(&body).await,
                _ => Ok(text_response(404, r#"{"error":"NOT_FOUND"}"#)),
            }
        })
    }

    /// A visitor's socket spoke: its first message must be `{ capability, after }`.
    #[wasm_bindgen(js_name = webSocketMessage, unchecked_return_type = "Promise<void>")]
    pub fn web_socket_message(
        &self,
        #[wasm_bindgen(unchecked_param_type = "WebSocket")] socket: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | ArrayBuffer")] message: JsValue,
    ) -> Promise {
        let host = self.host.clone();
        future_to_promise(async move {
            host.loaded().await;
            if is_open(&socket) {
                return Ok(JsValue::UNDEFINED); // a visitor has nothing more to say on it
            }
            let hello = message.as_string().unwrap_or_default();
            let answer = host.object.borrow().as_ref().map(|o| o.hello(&hello, Date::now()));
            match answer {
                Some(Ok(after)) => {
                    let open = Object::new();
                    set(&open, "open", true);
                    let _ = call_method(&socket, "serializeAttachment", &[&open]);
                    let body = host.object.borrow().as_ref().map(|o| o.read_body(after.as_deref())).unwrap_or_default();
                    let _ = call_method(&socket, "send", &[&body.into()]);
                }
                Some(Err(why)) => close(&socket, CLOSE_NOT_ALLOWED, why),
                None => close(&socket, 1011, "the thread could not be read"),
            }
            Ok(JsValue::UNDEFINED)
        })
    }

    /// A visitor closed its socket: close ours too.
    #[wasm_bindgen(js_name = webSocketClose)]
    pub fn web_socket_close(
        &self,
        #[wasm_bindgen(unchecked_param_type = "WebSocket")] socket: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] code: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] reason: JsValue,
        #[wasm_bindgen(js_name = wasClean, unchecked_param_type = "boolean")] was_clean: JsValue,
    ) {
        let _ = (reason, was_clean); // the runtime's arguments: nothing to keep of them
        let code = code.as_f64().filter(|c| (3000.0..5000.0).contains(c) || *c == 1000.0).unwrap_or(1000.0);
        close(&socket, code as u16, "");
    }

    /// A visitor's socket failed: nothing to keep.
    #[wasm_bindgen(js_name = webSocketError)]
    pub fn web_socket_error(
        &self,
        #[wasm_bindgen(unchecked_param_type = "WebSocket")] socket: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] error: JsValue,
    ) {
        let _ = error;
        close(&socket, 1011, "");
    }

    /// The alarm: closes the sockets that sent no valid first message within 10 s.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn alarm(&self) -> Promise {
        let host = self.host.clone();
        future_to_promise(async move {
            host.close_silent_sockets();
            Ok(JsValue::UNDEFINED)
        })
    }
}

impl ObjectHost {
    fn storage(&self) -> Option<JsValue> {
        Reflect::get(&self.state, &"storage".into()).ok().filter(JsValue::is_object)
    }

    /// Reads the thread back from storage once (an empty one when there is none).
    async fn loaded(self: &Rc<Self>) {
        if self.object.borrow().is_some() {
            return;
        }
        let pending = self.ready.borrow().clone();
        let ready = match pending {
            Some(ready) => ready,
            None => {
                let host = self.clone();
                let ready = future_to_promise(async move {
                    let entries = host.stored_entries().await;
                    let (object, writes) = ThreadObject::restore(entries, Date::now());
                    host.write(writes).await;
                    *host.object.borrow_mut() = Some(object);
                    Ok(JsValue::UNDEFINED)
                });
                *self.ready.borrow_mut() = Some(ready.clone());
                ready
            }
        };
        let _ = JsFuture::from(ready).await;
    }

    async fn stored_entries(&self) -> Vec<(String, String)> {
        let Some(storage) = self.storage() else { return Vec::new() };
        let Ok(listed) = call_method(&storage, "list", &[]) else { return Vec::new() };
        let Ok(map) = JsFuture::from(Promise::resolve(&listed)).await else { return Vec::new() };
        let mut entries = Vec::new();
        if let Ok(iterator) = call_method(&map, "entries", &[]) {
            for entry in Array::from(&iterator).iter() {
                let pair = Array::from(&entry);
                if let (Some(key), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                    entries.push((key, value));
                }
            }
        }
        entries
    }

    async fn write(&self, writes: Writes) {
        let Some(storage) = self.storage() else { return };
        if !writes.put.is_empty() {
            let entries = Object::new();
            for (key, json) in &writes.put {
                set(&entries, key, json.as_str());
            }
            if let Ok(done) = call_method(&storage, "put", &[&entries]) {
                let _ = JsFuture::from(Promise::resolve(&done)).await;
            }
        }
        if !writes.delete.is_empty() {
            let keys: Array = writes.delete.iter().map(|k| JsValue::from_str(k)).collect();
            if let Ok(done) = call_method(&storage, "delete", &[&keys]) {
                let _ = JsFuture::from(Promise::resolve(&done)).await;
            }
        }
    }

    /// A webhook's messages: stored, sent on every open socket, and to the reads held.
    async fn append(&self, body: &str) -> Result<JsValue, JsValue> {
        let Some((messages, keys)) = read_append(body) else {
            return Ok(text_response(400, r#"{"error":"NOT_AN_APPEND"}"#));
        };
        let outcome = self.object.borrow_mut().as_mut().map(|o| o.append(messages, &keys, Date::now()));
        let Some((new, cursor, writes)) = outcome else { return Ok(text_response(500, "{}")) };
        self.write(writes).await;
        if !new.is_empty() {
            let batch = thread_body(&new.iter().collect::<Vec<&Message>>(), &cursor);
            for socket in self.sockets().iter().filter(is_open) {
                let _ = call_method(&socket, "send", &[&batch.as_str().into()]);
            }
            self.answer_held_reads();
        }
        Ok(text_response(200, &format!(r#"{{"added":{},"cursor":"{cursor}"}}"#, new.len())))
    }

    /// A relay's claim of the turn to pull the thread (HelpWave): once per 5 s for all isolates.
    async fn claim(&self) -> Result<JsValue, JsValue> {
        let claimed = self.object.borrow_mut().as_mut().map(|o| o.claim(Date::now()));
        Ok(match claimed {
            Some(Ok(writes)) => {
                self.write(writes).await;
                text_response(200, r#"{"pull":true}"#)
            }
            Some(Err(next_at)) => text_response(200, &format!(r#"{{"pull":false,"nextAt":{next_at}}}"#)),
            None => text_response(500, "{}"),
        })
    }

    /// A visitor's read: its capability trusted for a socket, then answered now or held.
    async fn read(self: &Rc<Self>, body: &str) -> Result<JsValue, JsValue> {
        let Some(order) = read_read(body) else { return Ok(text_response(400, r#"{"error":"NOT_A_READ"}"#)) };
        let writes = self.object.borrow_mut().as_mut().map(|o| o.trust(&order.capability, order.expiry, Date::now()));
        self.write(writes.unwrap_or_default()).await;
        let (has_news, body) = self
            .object
            .borrow()
            .as_ref()
            .map(|o| (!o.read(order.after.as_deref()).0.is_empty(), o.read_body(order.after.as_deref())))
            .unwrap_or_default();
        if has_news || order.wait_ms <= 0.0 {
            return Ok(text_response(200, &body));
        }
        let mut resolver = None;
        let answered = Promise::new(&mut |resolve, _| resolver = Some(resolve));
        let Some(resolve) = resolver else { return Ok(text_response(200, &body)) };
        // The time is up: resolved with no news (the held read is dropped below, never
        // inside its own timer's call).
        let on_timer = {
            let resolve = resolve.clone();
            Closure::<dyn FnMut()>::new(move || {
                let _ = resolve.call1(&JsValue::UNDEFINED, &JsValue::NULL);
            })
        };
        let timer = set_timeout(on_timer.as_ref().unchecked_ref(), order.wait_ms, &JsValue::UNDEFINED).ok();
        let held = HeldRead { after: order.after.clone(), resolve: resolve.clone(), timer, _on_timer: Some(on_timer) };
        self.reads.borrow_mut().push(held);
        let news = JsFuture::from(answered).await.ok().and_then(|b| b.as_string());
        self.reads.borrow_mut().retain(|r| !Object::is(&r.resolve, &resolve));
        // Woken with news, or the time is up: the thread after the cursor as it is now.
        let body = news.unwrap_or_else(|| {
            self.object.borrow().as_ref().map(|o| o.read_body(order.after.as_deref())).unwrap_or(body)
        });
        Ok(text_response(200, &body))
    }

    /// Answers every held read that now has messages after its cursor.
    fn answer_held_reads(&self) {
        let object = self.object.borrow();
        let Some(object) = object.as_ref() else { return };
        self.reads.borrow_mut().retain(|held| {
            if object.read(held.after.as_deref()).0.is_empty() {
                return true;
            }
            if let Some(timer) = &held.timer {
                let _ = clear_timeout(timer);
            }
            let _ = held.resolve.call1(&JsValue::UNDEFINED, &object.read_body(held.after.as_deref()).into());
            false
        });
    }

    fn sockets(&self) -> Array {
        call_method(&self.state, "getWebSockets", &[]).map(|s| Array::from(&s)).unwrap_or_default()
    }

    /// A visitor's socket: accepted (hibernating), waiting for its first message for 10 s.
    fn connect(self: &Rc<Self>) -> Result<JsValue, JsValue> {
        let pair_class = Reflect::get(&js_sys::global(), &"WebSocketPair".into())?.dyn_into::<Function>()?;
        let pair = Reflect::construct(&pair_class, &Array::new())?;
        let (client, server) = (Reflect::get(&pair, &0.into())?, Reflect::get(&pair, &1.into())?);
        call_method(&self.state, "acceptWebSocket", &[&server])?;
        let deadline = Date::now() + HELLO_WITHIN_MS;
        let pending = Object::new();
        set(&pending, "deadline", deadline);
        call_method(&server, "serializeAttachment", &[&pending])?;
        // The alarm survives an eviction; the timer is on time where the runtime's alarms are
        // coarse (Miniflare's), and keeps the object awake only for those 10 s.
        if let Some(storage) = self.storage() {
            let _ = call_method(&storage, "setAlarm", &[&deadline.into()]);
        }
        let host = Rc::downgrade(self);
        let on_time = Closure::once_into_js(move || {
            if let Some(host) = host.upgrade() {
                host.close_silent_sockets();
            }
        });
        let _ = set_timeout(on_time.unchecked_ref(), HELLO_WITHIN_MS + 50.0, &JsValue::UNDEFINED);
        let init = Object::new();
        set(&init, "status", 101);
        set(&init, "webSocket", client);
        let response = Reflect::get(&js_sys::global(), &"Response".into())?.dyn_into::<Function>()?;
        Reflect::construct(&response, &Array::of2(&JsValue::NULL, &init))
    }

    /// Closes every socket whose first message is overdue; sets the alarm for the next one.
    fn close_silent_sockets(&self) {
        let now = Date::now();
        let mut next: Option<f64> = None;
        for socket in self.sockets().iter().filter(|s| !is_open(s)) {
            let deadline =
                attachment(&socket).and_then(|a| Reflect::get(&a, &"deadline".into()).ok()).and_then(|d| d.as_f64());
            match deadline {
                // The runtime's clock moves only with I/O, and an alarm may run a little early.
                Some(at) if at > now + ALARM_SLACK_MS => next = Some(next.map_or(at, |n: f64| n.min(at))),
                _ => close(&socket, CLOSE_NOT_ALLOWED, "no capability within 10 s"),
            }
        }
        if let (Some(at), Some(storage)) = (next, self.storage()) {
            let _ = call_method(&storage, "setAlarm", &[&at.into()]);
        }
    }
}

/// How early a socket's deadline may be met by the alarm.
const ALARM_SLACK_MS: f64 = 1_000.0;

fn attachment(socket: &JsValue) -> Option<JsValue> {
    call_method(socket, "deserializeAttachment", &[]).ok().filter(JsValue::is_object)
}

/// Whether the socket's first message let it in.
fn is_open(socket: &JsValue) -> bool {
    attachment(socket).and_then(|a| Reflect::get(&a, &"open".into()).ok()).and_then(|o| o.as_bool()) == Some(true)
}

fn close(socket: &JsValue, code: u16, reason: &str) {
    let _ = call_method(socket, "close", &[&code.into(), &reason.into()]);
}

fn text_response(status: u16, body: &str) -> JsValue {
    let headers = [("content-type".to_owned(), "application/json".to_owned())];
    new_response(status, &headers, body).unwrap_or(JsValue::NULL)
}
