//! One rate limit across isolates (CONTRACT §6.1): a Durable Object class that keeps the
//! core's sliding window for every isolate and relay with the key, and the adapter that gives
//! it the `{ acquire(call) }` limiter interface. The window is the same `RateLimiter` the
//! clients use in one isolate; the Durable Object only makes it one for all. Every decision of
//! the order protocol is the core's (`rate_limit::shared`); this file reads requests, keeps the
//! waiting callers' `resolve`s, sets the one timer, writes the windows the core hands out to
//! the object's storage and reads them back when the object starts, and sends orders (a
//! relay's visitor counts too, `countVisitor`).

use super::error::set;
use super::sys::{call_method, clear_timeout, set_timeout};
use super::transport::{describe, new_response};
use crate::rate_limit::shared::{
    read_answer, AdapterQuotas, Answer, LimiterObject, Order, OrderOutcome, Refusal, WaitToken, DEFAULT_OBJECT_NAME,
    STORAGE_PREFIX,
};
use crate::rate_limit::RateLimit;
use js_sys::{Date, Function, Map, Object, Promise, Reflect};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

#[wasm_bindgen(typescript_custom_section)]
const NAMESPACE_TS: &'static str = r#"
/** What the limiter uses of a Durable Object namespace binding (`env.TICKETWIRE_LIMITER`). */
export interface TicketwireLimiterNamespace {
    /** The id of the limiter object named `name` (the option `name`, default "ticketwire"). */
    idFromName(name: string): unknown;
    /** The stub of the object with that id. */
    get(id: unknown): {
        /** Sends a request to the object (its windows answer it). */
        fetch(input: string, init?: RequestInit): Promise<Response>;
    };
}

/** What `durableObjectRateLimiter` takes besides the namespace. */
export interface DurableObjectRateLimiterOptions {
    /** The object's name in the namespace (default "ticketwire"): limiters with one name share their windows. */
    name?: string;
    /** A limit per provider (default: the published one, Mava 90 per 30 s; providers without one are not paced). */
    quotas?: Partial<Record<TicketwireProviderId, RateLimitQuota>>;
}

export interface TicketwireRateLimitObject {
    /**
     * Marks the class as a Durable Object, as `DurableObject` of `cloudflare:workers` is, so
     * the `Env` that `wrangler types` generates takes it (`DurableObjectNamespace<TicketwireRateLimitObject>`).
     * A type only: nothing at run time.
     */
    readonly __DURABLE_OBJECT_BRAND: never;
}
"#;

/// The Durable Object class: export it from your Worker and bind it (see the README). It keeps
/// one waiting line per provider, key and limit: callers wait in it, in order, until a slot is
/// free; each line's window is kept in the object's storage, so it survives an eviction.
#[wasm_bindgen]
pub struct TicketwireRateLimitObject {
    state: Rc<RefCell<LimiterHost>>,
    /// Serves the lines again when a slot frees (the one timer's callback); kept alive here.
    _on_timer: Closure<dyn FnMut()>,
    /// Settles once the stored windows are read back: every order waits for it.
    ready: Option<Promise>,
}

#[derive(Default)]
struct LimiterHost {
    /// The lines and who waits in them: every decision is the core's.
    object: LimiterObject,
    /// Each waiting caller's `resolve`, by the core's token.
    waiting: HashMap<WaitToken, Function>,
    /// The one timer: when it fires, and its id.
    timer: Option<(f64, JsValue)>,
    /// What the timer calls (the object's `on_timer`).
    callback: Option<Function>,
    /// `state.storage`, where the windows are kept, if the runtime gave one.
    storage: Option<JsValue>,
    /// Swallows a failed storage write's rejection (the runtime resets the object then).
    ignore: Option<Closure<dyn FnMut(JsValue)>>,
}

#[wasm_bindgen]
impl TicketwireRateLimitObject {
    /// Made by the Workers runtime, with the object's state (its `storage` keeps the windows)
    /// and environment (unused). Reads the stored windows back before it takes an order.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "unknown")] durable_state: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] _env: JsValue,
    ) -> TicketwireRateLimitObject {
        let state = Rc::new(RefCell::new(LimiterHost::default()));
        let on_timer = {
            let state = state.clone();
            Closure::<dyn FnMut()>::new(move || {
                state.borrow_mut().timer = None;
                serve(&state, Date::now());
            })
        };
        let storage = Reflect::get(&durable_state, &"storage".into()).ok().filter(JsValue::is_object);
        {
            let mut host = state.borrow_mut();
            host.callback = Some(on_timer.as_ref().unchecked_ref::<Function>().clone());
            host.ignore = Some(Closure::new(|_| {}));
            host.storage = storage.clone();
        }
        let ready = storage.map(|storage| {
            let read = future_to_promise(restore(state.clone(), storage));
            // Hold every event until the windows are back, where the runtime offers it.
            let hold = Closure::once_into_js({
                let read = read.clone();
                move || read
            });
            let _ = call_method(&durable_state, "blockConcurrencyWhile", &[&hold]);
            read
        });
        TicketwireRateLimitObject { state, _on_timer: on_timer, ready }
    }

    /// Answers the adapter: a JSON `{ action, provider, requests, windowMs, slot?, retryAfterMs? }`
    /// in; for `acquire`, once the caller's turn comes, `{ slot }`, or `{ waitMs }` when no slot
    /// would come within 60 s; for a relay's visitor `hit`, at once, `{ slot }` or `{ waitMs }`;
    /// else `{}`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Response>")]
    pub fn fetch(&self, #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue) -> Promise {
        let text = call_method(&request, "text", &[]);
        let state = self.state.clone();
        let ready = self.ready.clone();
        future_to_promise(async move {
            if let Some(ready) = ready {
                let _ = JsFuture::from(ready).await; // a window that cannot be read starts empty
            }
            let body = match text {
                Ok(promise) => JsFuture::from(Promise::resolve(&promise)).await.ok().and_then(|t| t.as_string()),
                Err(_) => None,
            };
            let now = Date::now();
            let outcome = state.borrow_mut().object.handle_order(body.as_deref().unwrap_or_default(), now);
            match outcome {
                OrderOutcome::Answer(answer) => {
                    serve(&state, now);
                    Ok(json_response(&answer))
                }
                OrderOutcome::Waiting(token) => {
                    // Resolved with the answer's `Response` once this caller's turn comes.
                    let mut resolve_with = None;
                    let turn = Promise::new(&mut |resolve, _| resolve_with = Some(resolve));
                    state.borrow_mut().waiting.extend(resolve_with.map(|resolve| (token, resolve)));
                    serve(&state, now);
                    Ok(JsFuture::from(turn).await.unwrap_or(JsValue::NULL))
                }
            }
        })
    }
}

/// Reads the windows kept in `storage` into the object (before it takes an order).
async fn restore(state: Rc<RefCell<LimiterHost>>, storage: JsValue) -> Result<JsValue, JsValue> {
    let options = Object::new();
    set(&options, "prefix", STORAGE_PREFIX);
    let listed = JsFuture::from(Promise::resolve(&call_method(&storage, "list", &[&options.into()])?)).await?;
    let mut stored = Vec::new();
    if let Some(map) = listed.dyn_ref::<Map>() {
        map.for_each(&mut |value, key| {
            if let (Some(key), Some(value)) = (key.as_string(), value.as_string()) {
                stored.push((key, value));
            }
        });
    }
    state.borrow_mut().object = LimiterObject::restore(stored);
    Ok(JsValue::UNDEFINED)
}

/// Answers every caller the core serves at `now`, writes the windows that changed to storage,
/// and sets the one timer for its next turn.
fn serve(state: &Rc<RefCell<LimiterHost>>, now: f64) {
    let mut host = state.borrow_mut();
    let LimiterHost { object, waiting, timer, callback, storage, ignore } = &mut *host;
    let answers: Vec<(Function, Answer)> = object
        .poll_served(now)
        .into_iter()
        .filter_map(|(token, answer)| waiting.remove(&token).map(|resolve| (resolve, answer)))
        .collect();
    if let Some(storage) = storage {
        // Not awaited: the runtime holds the answers until the writes are durable.
        for (key, value) in object.take_changed(now) {
            let written = call_method(storage, "put", &[&key.into(), &value.into()]);
            if let (Ok(promise), Some(ignore)) = (written, ignore.as_ref()) {
                let _ = Promise::resolve(&promise).catch(ignore);
            }
        }
    }
    let next = object.poll_timeout();
    if timer.as_ref().map(|(at, _)| *at) != next {
        if let Some((_, old)) = timer.take() {
            let _ = clear_timeout(&old);
        }
        if let (Some(at), Some(callback)) = (next, callback.as_ref()) {
            *timer = set_timeout(callback, (at - now).max(0.0), &JsValue::UNDEFINED).ok().map(|id| (at, id));
        }
    }
    drop(host);
    for (resolve, answer) in answers {
        let _ = resolve.call1(&JsValue::UNDEFINED, &json_response(&answer));
    }
}

fn json_response(answer: &Answer) -> JsValue {
    let headers = [("content-type".to_owned(), "application/json".to_owned())];
    new_response(answer.status, &headers, &answer.json).unwrap_or(JsValue::NULL)
}

/// The `{ acquire(call) }` limiter over a `TicketwireRateLimitObject` namespace.
#[wasm_bindgen]
pub struct DurableObjectRateLimiter {
    state: Rc<Adapter>,
}

struct Adapter {
    namespace: JsValue,
    name: String,
    quotas: AdapterQuotas,
}

/// A limiter shared by every isolate: `rateLimit: durableObjectRateLimiter(env.TICKETWIRE_LIMITER)`.
/// `options.name` names the object (default "ticketwire"); `options.quotas` sets a limit per
/// provider (default: the published one, Mava 90 per 30 s; providers without one are not paced).
#[wasm_bindgen(js_name = durableObjectRateLimiter)]
pub fn durable_object_rate_limiter(
    #[wasm_bindgen(unchecked_param_type = "TicketwireLimiterNamespace")] namespace: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "DurableObjectRateLimiterOptions")] options: Option<Object>,
) -> DurableObjectRateLimiter {
    let options: JsValue = options.map_or(JsValue::UNDEFINED, Into::into);
    let name = Reflect::get(&options, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_else(|| DEFAULT_OBJECT_NAME.to_owned());
    let quotas = Reflect::get(&options, &"quotas".into()).unwrap_or(JsValue::UNDEFINED);
    let quotas = AdapterQuotas::read(&super::convert::read(&quotas));
    DurableObjectRateLimiter { state: Rc::new(Adapter { namespace, name, quotas }) }
}

#[wasm_bindgen]
impl DurableObjectRateLimiter {
    /// Resolves when the call may be sent, with the slot to release once it has its answer;
    /// rejects with an `Error` carrying `retryAfterMs` when no slot would come in time. The
    /// window is the key's (`call.keyHash`), and the object answers within `call.deadlineMs`.
    #[wasm_bindgen(unchecked_return_type = "Promise<void | TicketwireRateLimitSlot>")]
    pub fn acquire(&self, #[wasm_bindgen(unchecked_param_type = "TicketwireRateLimitCall")] call: JsValue) -> Promise {
        let state = self.state.clone();
        future_to_promise(async move { state.acquire(&call).await })
    }

    /// A relay's visitor limit, counted once for every isolate: counts one request of the
    /// visitor whose hash is `visitor` against `requests` per `windowMs`, at once. Resolves with
    /// 0 when it counted, else the milliseconds until the visitor may come back; rejects when the
    /// object could not say. The relay calls it; it is not part of the limiter interface.
    #[wasm_bindgen(js_name = countVisitor, skip_typescript)]
    pub fn count_visitor(
        &self,
        visitor: String,
        requests: u32,
        #[wasm_bindgen(js_name = windowMs)] window_ms: f64,
    ) -> Promise {
        let state = self.state.clone();
        future_to_promise(async move {
            let order = Order::hit(&visitor, RateLimit { requests, window_ms: window_ms as u64 });
            let stub = state.stub().map_err(|why| JsValue::from_str(&why))?;
            let answer = send(&stub, &order).await.map_err(|why| JsValue::from_str(&why))?;
            match read_answer(&answer) {
                Ok(_) => Ok(0.into()),
                Err(Refusal { retry_after_ms: Some(ms), .. }) => Ok((ms.max(1) as f64).into()),
                Err(refusal) => Err(JsValue::from_str(&refusal.message)),
            }
        })
    }
}

impl Adapter {
    async fn acquire(&self, call: &JsValue) -> Result<JsValue, JsValue> {
        let field = |key: &str| Reflect::get(call, &key.into()).ok();
        let provider = field("provider").and_then(|p| p.as_string());
        let Some((provider, limit)) = provider.as_deref().and_then(|id| self.quotas.limit_for(id)) else {
            return Ok(JsValue::UNDEFINED); // no limit to keep
        };
        let key_hash = field("keyHash").and_then(|h| h.as_string());
        let deadline_ms = field("deadlineMs").and_then(|ms| ms.as_f64());
        let order = Order::acquire(provider, limit).for_key(key_hash.as_deref()).within(deadline_ms);
        let stub = self.stub().map_err(|why| JsValue::from_str(&why))?;
        // The object answers once this caller's turn comes, or before its deadline.
        let answer = send(&stub, &order).await.map_err(|why| JsValue::from_str(&why))?;
        match read_answer(&answer) {
            Ok(grant) => Ok(DurableObjectSlot { stub, order, slot: grant.slot }.into()),
            Err(refusal) => {
                let error = js_sys::Error::new(&refusal.message);
                if let Some(ms) = refusal.retry_after_ms {
                    set(&error, "retryAfterMs", ms as f64);
                }
                Err(error.into())
            }
        }
    }

    fn stub(&self) -> Result<JsValue, String> {
        let id = call_method(&self.namespace, "idFromName", &[&self.name.as_str().into()]).map_err(|e| describe(&e))?;
        call_method(&self.namespace, "get", &[&id]).map_err(|e| describe(&e))
    }
}

/// A slot the shared limiter gave: `release()` once the call has its answer, `penalize(ms)`
/// when the server answered 429 anyway.
#[wasm_bindgen]
pub struct DurableObjectSlot {
    stub: JsValue,
    /// The `acquire` it answered: its line (provider, key, limit).
    order: Order,
    slot: f64,
}

#[wasm_bindgen]
impl DurableObjectSlot {
    /// Counts the slot from now.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn release(&self) -> Promise {
        self.report(self.order.releasing(self.slot))
    }

    /// Holds every isolate's calls for `retryAfterMs` (a whole window when undefined).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn penalize(&self, #[wasm_bindgen(js_name = retryAfterMs)] retry_after_ms: Option<f64>) -> Promise {
        self.report(self.order.penalizing(retry_after_ms))
    }
}

impl DurableObjectSlot {
    fn report(&self, order: Order) -> Promise {
        let stub = self.stub.clone();
        future_to_promise(async move {
            let _ = send(&stub, &order).await;
            Ok(JsValue::UNDEFINED)
        })
    }
}

/// Sends one order to the object; the text of its answer, or why none came.
async fn send(stub: &JsValue, order: &Order) -> Result<String, String> {
    let init = Object::new();
    set(&init, "method", "POST");
    set(&init, "body", order.to_json());
    let url = JsValue::from_str("https://ticketwire.limiter/");
    let fetched = call_method(stub, "fetch", &[&url, &init.into()]).map_err(|e| describe(&e))?;
    let response = JsFuture::from(Promise::resolve(&fetched)).await.map_err(|e| describe(&e))?;
    let text = call_method(&response, "text", &[]).map_err(|e| describe(&e))?;
    Ok(JsFuture::from(Promise::resolve(&text)).await.map_err(|e| describe(&e))?.as_string().unwrap_or_default())
}
