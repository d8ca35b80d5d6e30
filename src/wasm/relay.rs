//! `createRelay` (CONTRACT §6): the host side of the core's relay. It reads the request, asks
//! the core what to do at each step, verifies and makes HMACs with Web Crypto
//! (`crypto.subtle`: no hash code in the wasm, and a constant-time compare), counts visitors
//! in the Durable Object limiter when `rateLimit` is one, sends the upstream call through the
//! provider's ordinary `Client` (its prepare path and its `Call`), runs a Mava webhook's Web
//! Crypto steps, holds a conversation's long poll on a timer and wakes the other requests
//! waiting on a thread when the core says so (CONTRACT §7.2), and writes the answers the core
//! builds. The threads themselves are the core's (its in-memory store, one per relay).

use super::client::Client;
use super::error::{set, to_js_error};
use super::options::{is_abort_signal, is_browser_page, new_idempotency_key, take_apart, CallSettings, Settings};
use super::sys::{call_method, AbortSignal};
use super::transport::{describe, new_response, read_stream, Body, Wake, Woke};
use crate::error::Failure;
use crate::options::client::HostFacts;
use crate::options::HostValues;
use crate::rate_limit::RateLimit;
use crate::relay::conversation::object::{append_body, read_order_body};
use crate::relay::exchange::{BodyProblem, Event, Head, Step, StoreOrder};
use crate::relay::{relay_error, Answer, Relay as RelayCore, Secret, ThreadStore};
use js_sys::{Array, Date, Function, Object, Promise, Reflect, Uint8Array, JSON};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

#[wasm_bindgen]
extern "C" {
    /// `RelayOptions`, as JS passed it.
    #[wasm_bindgen(typescript_type = "RelayOptions")]
    pub type RelayOptions;
}

/// A relay: a `fetch` handler that holds the providers' keys (CONTRACT §6).
#[wasm_bindgen]
pub struct Relay {
    state: Rc<State>,
}

struct State {
    core: RefCell<RelayCore>,
    clients: Vec<Rc<Client>>,
    /// `crypto.subtle.importKey` promises of the capability and identity secrets.
    capability_key: Option<JsValue>,
    identity_key: Option<JsValue>,
    visitor_key: Option<Function>,
    /// `rateLimit`, when it can count visitors for every isolate (the Durable Object adapter's
    /// `countVisitor`).
    visitor_counter: Option<JsValue>,
    /// Whether `cf-connecting-ip` is the platform's (workerd), not something a client sent.
    in_workerd: bool,
    now: Option<Function>,
    /// Mava's signing key once Web Crypto imported it (for the webhooks after the first).
    webhook_key: RefCell<Option<JsValue>>,
    /// The requests waiting on each thread: the resolver of each one's wake.
    waiters: RefCell<HashMap<String, Vec<Function>>>,
    /// `conversations`: where Mava's threads live, when not in the core's memory.
    store: Option<JsValue>,
}

/// A relay that serves the providers configured in `options`. Throws `TicketwireError` (kind "config") for bad options, with no key or secret in it.
#[wasm_bindgen(js_name = createRelay)]
pub fn create_relay(options: RelayOptions) -> Result<Relay, JsValue> {
    let mut apart = take_apart(&options.into(), &crate::options::RELAY);
    let given = apart.given();
    let host = HostFacts {
        values: HostValues { given: &given, other_objects: &apart.other_objects },
        in_browser_page: is_browser_page(),
        page_origin: None, // an upstream is never relative to a page
    };
    let in_workerd = is_workerd();
    let mut settings = crate::options::relay::read(&apart.value, host, in_workerd).map_err(to_js_error)?;
    let fetch = apart.take("fetch").map(JsCast::unchecked_into::<Function>);
    let limiter = apart.take("rateLimit");
    let visitor_counter =
        limiter.clone().filter(|l| Reflect::get(l, &COUNT_VISITOR.into()).is_ok_and(|method| method.is_function()));
    settings.policy.shared_visitors = visitor_counter.is_some();
    let clients = settings
        .clients
        .into_iter()
        .map(|(provider, core)| {
            Client::from_settings(provider, Settings { core, fetch: fetch.clone(), limiter: limiter.clone() })
        })
        .collect();
    let import = |secret: Option<String>| secret.map(|s| import_hmac_key(&s)).transpose();
    let (capability_key, identity_key) = match (import(settings.capability_secret), import(settings.identity_secret)) {
        (Ok(c), Ok(i)) => (c, i),
        (Err(why), _) | (_, Err(why)) => {
            return Err(to_js_error(Failure::relay_config(format!("createRelay: {why}"), Vec::new())))
        }
    };
    let store = apart.take("conversations");
    let mut core = RelayCore::new(settings.policy).with_epoch(Date::now() as u64);
    if let Some(store) = &store {
        let has = |name: &str| Reflect::get(store, &name.into()).is_ok_and(|f| f.is_function());
        core = core.with_store(ThreadStore { sockets: has("connect"), pulls: has("claim") });
    }
    let state = State {
        core: RefCell::new(core),
        clients,
        capability_key,
        identity_key,
        visitor_key: apart.take("visitorKey").map(JsCast::unchecked_into),
        visitor_counter,
        in_workerd,
        now: apart.take("now").map(JsCast::unchecked_into),
        webhook_key: RefCell::new(None),
        waiters: RefCell::new(HashMap::new()),
        store,
    };
    Ok(Relay { state: Rc::new(state) })
}

#[wasm_bindgen]
impl Relay {
    /// Serves one request: always an answer (`Response`), never a rejection.
    #[wasm_bindgen(unchecked_return_type = "Promise<Response>")]
    pub fn fetch(&self, #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue) -> Promise {
        let state = self.state.clone();
        future_to_promise(async move { Ok(state.serve(&request).await) })
    }
}

impl State {
    fn now(&self) -> f64 {
        self.now
            .as_ref()
            .and_then(|f| f.call0(&JsValue::UNDEFINED).ok())
            .and_then(|n| n.as_f64())
            .unwrap_or_else(Date::now)
    }

    fn read_head(&self, request: &JsValue) -> Result<Head, String> {
        let text = |key: &str| Reflect::get(request, &key.into()).ok().and_then(|v| v.as_string());
        let (Some(method), Some(url)) = (text("method"), text("url")) else {
            return Err("relay.fetch was given something that is not a Request".to_owned());
        };
        let headers = Reflect::get(request, &"headers".into()).map_err(|e| describe(&e))?;
        let header = |name: &str| call_method(&headers, "get", &[&name.into()]).ok().and_then(|v| v.as_string());
        let visitor = match &self.visitor_key {
            Some(key) => key
                .call1(&JsValue::UNDEFINED, request)
                .map_err(|e| format!("visitorKey threw: {}", describe(&e)))?
                .as_string()
                .ok_or("visitorKey returned something that is not a string")?,
            None if self.in_workerd => header("cf-connecting-ip").unwrap_or_default(),
            None => String::new(), // no visitor limit: createRelay required a visitorKey otherwise
        };
        Ok(Head::read(method, url, visitor, header))
    }

    /// Drives the core's exchange: does each step it asks for, hands back what happened.
    async fn serve(&self, request: &JsValue) -> JsValue {
        let head = match self.read_head(request) {
            Ok(head) => head,
            Err(why) => return respond(&relay_error(None, &why)),
        };
        let mut exchange = self.core.borrow_mut().start(head, self.now());
        let signal = Reflect::get(request, &"signal".into())
            .ok()
            .filter(is_abort_signal)
            .map(JsCast::unchecked_into::<AbortSignal>);
        loop {
            let event = match exchange.poll() {
                Step::Answer(answer) => return respond(&answer),
                Step::CountVisitor { visitor, limit, within_ms } => {
                    let counter = self.visitor_counter.as_ref();
                    match count_visitor(counter, &visitor, limit, within_ms, signal.as_ref()).await {
                        Some(counted) => Event::VisitorCounted(counted),
                        None => Event::VisitorNotCounted,
                    }
                }
                Step::ReadBody { max_bytes } => {
                    Event::Body(read_request_body(request, max_bytes, signal.as_ref()).await)
                }
                Step::Verify { secret, message, mac } => {
                    let key = match secret {
                        Secret::Capability => &self.capability_key,
                        Secret::Identity => &self.identity_key,
                    };
                    Event::Verified(verify(key.as_ref(), &mac, &message).await)
                }
                Step::FreshKey => Event::FreshKey(new_idempotency_key()),
                Step::Send { op, request, context } => {
                    match self.clients.iter().find(|c| c.provider() == op.provider) {
                        Some(client) => {
                            let settings = CallSettings { signal: signal.clone(), context, deadline_ms: None };
                            Event::Upstream(Box::new(client.send(op, request, &settings).await))
                        }
                        None => Event::HostFailed("no client for this provider".to_owned()),
                    }
                }
                Step::Sign { message } => Event::Signed(sign(self.capability_key.as_ref(), &message).await),
                Step::Webhook => {
                    let mut key = self.webhook_key.borrow().clone();
                    let event = match exchange.webhook_step() {
                        Some(step) => Event::Webhook(super::webhook::run_step(step, subtle().as_ref(), &mut key).await),
                        None => Event::HostFailed("no webhook step to run".to_owned()),
                    };
                    *self.webhook_key.borrow_mut() = key;
                    event
                }
                Step::Wait { thread, until } => self.wait(&thread, until, signal.as_ref()).await,
                Step::Store(order) => Event::Stored(self.store_order(order, signal.as_ref()).await),
                Step::Connect { thread } => return self.connect(&thread, request).await,
                Step::Wake { thread } => {
                    let waiting = self.waiters.borrow_mut().remove(&thread).unwrap_or_default();
                    for resolve in waiting {
                        let _ = resolve.call0(&JsValue::UNDEFINED);
                    }
                    Event::Woken
                }
            };
            exchange.handle(&mut self.core.borrow_mut(), event, self.now());
        }
    }
}

/// The longest a store may take beyond a read's own wait (or to store a message).
const STORE_WAIT_MS: f64 = 10_000.0;

impl State {
    /// Asks the `conversations` store (`append` or `read`); its answer as JSON text.
    async fn store_order(&self, order: StoreOrder, signal: Option<&AbortSignal>) -> Result<String, String> {
        let store = self.store.as_ref().ok_or("the relay has no conversations store")?;
        let parse = |json: String| JSON::parse(&json).map_err(|_| "an order the relay wrote is not JSON".to_owned());
        let (method, args, wait_ms) = match &order {
            StoreOrder::Append { thread, messages, keys } => {
                let order = parse(append_body(messages, keys))?;
                let field = |name: &str| Reflect::get(&order, &name.into()).unwrap_or(JsValue::UNDEFINED);
                ("append", vec![thread.into(), field("messages"), field("keys")], STORE_WAIT_MS)
            }
            StoreOrder::Read { thread, order } => {
                ("read", vec![thread.into(), parse(read_order_body(order))?], order.wait_ms + STORE_WAIT_MS)
            }
            StoreOrder::Claim { thread } => ("claim", vec![thread.into()], STORE_WAIT_MS),
        };
        let args: Vec<&JsValue> = args.iter().collect();
        let answer = call_method(store, method, &args).map_err(|e| format!("{method} threw: {}", describe(&e)))?;
        let wake = Wake::new(Some(wait_ms), signal)?;
        match wake.race(&answer).await {
            Ok(Ok(value)) if value.is_undefined() => Ok("null".to_owned()),
            Ok(Ok(value)) => JSON::stringify(&value)
                .ok()
                .and_then(|text| text.as_string())
                .ok_or_else(|| format!("{method} answered something that is not JSON")),
            Ok(Err(why)) => Err(format!("{method} failed: {}", describe(&why))),
            Err(Woke::Aborted) => Err("the request was aborted".to_owned()),
            Err(Woke::Timer) => Err(format!("{method} did not answer in time")),
        }
    }

    /// Hands a visitor's WebSocket upgrade to the store: its answer (101) as is.
    async fn connect(&self, thread: &str, request: &JsValue) -> JsValue {
        let refused = |why: String| respond(&relay_error(None, &why));
        let Some(store) = &self.store else { return refused("the relay has no conversations store".to_owned()) };
        let answer = match call_method(store, "connect", &[&thread.into(), request]) {
            Ok(answer) => answer,
            Err(why) => return refused(format!("connect threw: {}", describe(&why))),
        };
        match JsFuture::from(Promise::resolve(&answer)).await {
            Ok(response) if response.is_object() => response,
            Ok(_) => refused("connect answered something that is not a Response".to_owned()),
            Err(why) => refused(format!("connect failed: {}", describe(&why))),
        }
    }

    /// Holds a conversation's answer until `until` (the relay's clock) or until another
    /// request wakes `thread`; a request aborted meanwhile ends (its visitor went away).
    async fn wait(&self, thread: &str, until: f64, signal: Option<&AbortSignal>) -> Event {
        let mut resolver: Option<Function> = None;
        let woken = Promise::new(&mut |resolve, _| resolver = Some(resolve));
        let Some(resolver) = resolver else {
            return Event::HostFailed("the host's Promise did not run its executor".to_owned());
        };
        self.waiters.borrow_mut().entry(thread.to_owned()).or_default().push(resolver.clone());
        let ended = match Wake::new(Some((until - self.now()).max(0.0)), signal) {
            Ok(wake) => match wake.race(&woken).await {
                Err(Woke::Aborted) => Event::HostFailed("the request was aborted".to_owned()),
                Ok(_) | Err(Woke::Timer) => Event::Woke,
            },
            Err(why) => Event::HostFailed(why),
        };
        let mut waiters = self.waiters.borrow_mut();
        if let Some(waiting) = waiters.get_mut(thread) {
            waiting.retain(|r| !js_sys::Object::is(r, &resolver));
            if waiting.is_empty() {
                waiters.remove(thread);
            }
        }
        ended
    }
}

/// The method of a `rateLimit` that counts a relay's visitors in the Durable Object
/// ([`DurableObjectRateLimiter`](super::durable::DurableObjectRateLimiter)'s).
const COUNT_VISITOR: &str = "countVisitor";

/// Counts the visitor's request in the shared limiter: `Ok`, or the wait until the visitor may
/// come back; `None` when it could not say within `within_ms` (it threw, rejected, answered
/// something else, or the request was aborted).
async fn count_visitor(
    counter: Option<&JsValue>,
    visitor: &str,
    limit: RateLimit,
    within_ms: f64,
    signal: Option<&AbortSignal>,
) -> Option<Result<(), u64>> {
    let args = [&visitor.into(), &limit.requests.into(), &(limit.window_ms as f64).into()];
    let answer = call_method(counter?, COUNT_VISITOR, &args).ok()?;
    let wake = Wake::new(Some(within_ms), signal).ok()?;
    let wait_ms = wake.race(&answer).await.ok()?.ok()?.as_f64().filter(|ms| ms.is_finite() && *ms >= 0.0)?;
    Some(if wait_ms == 0.0 { Ok(()) } else { Err(wait_ms.ceil() as u64) })
}

/// The longest the relay waits for a request body.
const BODY_WAIT_MS: f64 = 30_000.0;

/// The request body as text (strict UTF-8), at most `max_bytes`.
async fn read_request_body(
    request: &JsValue,
    max_bytes: usize,
    signal: Option<&AbortSignal>,
) -> Result<String, BodyProblem> {
    let stream = Reflect::get(request, &"body".into()).unwrap_or(JsValue::NULL);
    if stream.is_null() || stream.is_undefined() {
        return Ok(String::new());
    }
    let wake = Wake::new(Some(BODY_WAIT_MS), signal).map_err(|_| BodyProblem::Unreadable)?;
    match read_stream(&stream, max_bytes, &wake, true).await {
        Ok(Body::Text(text)) => Ok(text),
        Ok(Body::TooLarge) => Err(BodyProblem::TooLarge),
        _ => Err(BodyProblem::Unreadable),
    }
}

/// A core answer as a `Response`.
fn respond(answer: &Answer) -> JsValue {
    new_response(answer.status, &answer.headers, &answer.body).unwrap_or_else(|| {
        // A status `Response` refuses (an upstream's odd one): say so instead.
        let fallback = relay_error(None, &format!("the upstream answered status {}", answer.status));
        new_response(502, &fallback.headers, &fallback.body).unwrap_or(JsValue::NULL)
    })
}

/// Whether this is the Workers runtime (`navigator.userAgent` is "Cloudflare-Workers" there),
/// where the platform itself sets `cf-connecting-ip`.
fn is_workerd() -> bool {
    let navigator = Reflect::get(&js_sys::global(), &"navigator".into()).unwrap_or(JsValue::UNDEFINED);
    let agent = Reflect::get(&navigator, &"userAgent".into()).ok().and_then(|a| a.as_string());
    agent.as_deref() == Some("Cloudflare-Workers")
}

/// `crypto.subtle`, if the host has it.
fn subtle() -> Option<JsValue> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).ok()?;
    Reflect::get(&crypto, &"subtle".into()).ok().filter(JsValue::is_object)
}

fn hmac_algorithm() -> Object {
    let algorithm = Object::new();
    set(&algorithm, "name", "HMAC");
    set(&algorithm, "hash", "SHA-256");
    algorithm
}

/// Starts importing `secret` as an HMAC-SHA256 key; the promise is awaited when first needed.
fn import_hmac_key(secret: &str) -> Result<JsValue, String> {
    let subtle = subtle().ok_or("this host has no crypto.subtle (Web Crypto) for the HMACs")?;
    let usages = Array::of2(&"sign".into(), &"verify".into());
    let bytes = Uint8Array::from(secret.as_bytes());
    call_method(&subtle, "importKey", &[&"raw".into(), &bytes, &hmac_algorithm(), &JsValue::FALSE, &usages])
        .map_err(|e| format!("crypto.subtle.importKey failed: {}", describe(&e)))
}

/// Whether `mac` is the HMAC of `message` under `key` (Web Crypto compares in constant time).
async fn verify(key: Option<&JsValue>, mac: &[u8], message: &str) -> bool {
    let (Some(key), Some(subtle)) = (key, subtle()) else { return false };
    let Ok(key) = JsFuture::from(Promise::resolve(key)).await else { return false };
    let args = [&"HMAC".into(), &key, &Uint8Array::from(mac).into(), &Uint8Array::from(message.as_bytes()).into()];
    let Ok(verdict) = call_method(&subtle, "verify", &args) else { return false };
    JsFuture::from(Promise::resolve(&verdict)).await.ok().and_then(|v| v.as_bool()) == Some(true)
}

/// The HMAC of `message` under `key`.
async fn sign(key: Option<&JsValue>, message: &str) -> Option<Vec<u8>> {
    let (key, subtle) = (key?, subtle()?);
    let key = JsFuture::from(Promise::resolve(key)).await.ok()?;
    let signed =
        call_method(&subtle, "sign", &[&"HMAC".into(), &key, &Uint8Array::from(message.as_bytes()).into()]).ok()?;
    let buffer = JsFuture::from(Promise::resolve(&signed)).await.ok()?;
    Some(Uint8Array::new(&buffer).to_vec())
}
