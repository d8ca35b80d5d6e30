//! One rate limit across isolates (CONTRACT §6.1): a Durable Object class that keeps the
//! core's sliding window for every isolate and relay with the key, and the adapter that gives
//! it the `{ acquire(call) }` limiter interface. The window is the same `RateLimiter` the
//! clients use in one isolate; the Durable Object only makes it one for all.

use super::error::set;
use super::sys::{call_method, clear_timeout, date_now, reflect_get, set_timeout};
use super::transport::{describe, new_response};
use crate::call::MAX_WAIT_MS;
use crate::provider::Provider;
use crate::rate_limit::{RateLimit, Served, Slot, WaitingLine};
use crate::value::{Object as JsonObject, Value};
use js_sys::{Function, Object, Promise};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

#[wasm_bindgen(typescript_custom_section)]
const NAMESPACE_TS: &'static str = r#"
/** What the limiter uses of a Durable Object namespace binding (`env.TICKETWIRE_LIMITER`). */
export interface TicketwireLimiterNamespace {
    idFromName(name: string): unknown;
    get(id: unknown): { fetch(input: string, init?: RequestInit): Promise<Response> };
}
"#;

/// The Durable Object class: export it from your Worker and bind it (see the README). It keeps
/// one waiting line per provider and limit, in memory: callers wait in it, in order, until a
/// slot is free.
#[wasm_bindgen]
pub struct TicketwireRateLimitObject {
    state: Rc<RefCell<Lines>>,
    /// Serves the lines again when a slot frees (the one timer's callback); kept alive here.
    _on_timer: Closure<dyn FnMut()>,
}

#[derive(Default)]
struct Lines {
    lines: HashMap<String, WaitingLine>,
    /// Each waiting caller's `resolve`, by line and ticket.
    waiting: HashMap<(String, u64), Function>,
    /// The one timer: when it fires, and its id.
    timer: Option<(f64, JsValue)>,
    /// What the timer calls (the object's `on_timer`).
    callback: Option<Function>,
}

#[wasm_bindgen]
impl TicketwireRateLimitObject {
    /// Made by the Workers runtime, with the object's state and environment (unused).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "unknown")] _state: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] _env: JsValue,
    ) -> TicketwireRateLimitObject {
        let state = Rc::new(RefCell::new(Lines::default()));
        let on_timer = {
            let state = state.clone();
            Closure::<dyn FnMut()>::new(move || {
                state.borrow_mut().timer = None;
                serve_all(&state);
            })
        };
        state.borrow_mut().callback = Some(on_timer.as_ref().unchecked_ref::<Function>().clone());
        TicketwireRateLimitObject { state, _on_timer: on_timer }
    }

    /// Answers the adapter: a JSON `{ action, provider, requests, windowMs, slot?, retryAfterMs? }`
    /// in; for `acquire`, once the caller's turn comes, `{ slot }`, or `{ waitMs }` when no slot
    /// would come within 60 s; else `{}`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Response>")]
    pub fn fetch(&self, #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue) -> Promise {
        let text = call_method(&request, "text", &[]);
        let state = self.state.clone();
        future_to_promise(async move {
            let body = match text {
                Ok(promise) => JsFuture::from(Promise::resolve(&promise)).await.ok().and_then(|t| t.as_string()),
                Err(_) => None,
            };
            let order = body.and_then(|b| Value::from_json(&b).ok()).and_then(|v| v.as_object().cloned());
            let answer = match order.as_ref().map(read_order) {
                Some(Ok(order)) => handle(&state, order).await,
                Some(Err(why)) => error(why),
                None => error("the limiter takes a JSON order"),
            };
            Ok(json_response(&answer))
        })
    }
}

/// One order from the adapter.
struct Order {
    action: String,
    line: String,
    limit: RateLimit,
    slot: Option<u64>,
    retry_after_ms: Option<u64>,
}

fn read_order(order: &JsonObject) -> Result<Order, &'static str> {
    let number = |key| order.get(key).and_then(Value::as_number);
    let (Some(provider), Some(requests), Some(window_ms)) =
        (order.get("provider").and_then(Value::as_str), number("requests"), number("windowMs"))
    else {
        return Err("an order names provider, requests and windowMs");
    };
    if !(1.0..=1e6).contains(&requests) || !(1.0..=2_147_483_647.0).contains(&window_ms) {
        return Err("requests or windowMs out of range");
    }
    let limit = RateLimit { requests: requests as u32, window_ms: window_ms as u64 };
    Ok(Order {
        action: order.get("action").and_then(Value::as_str).unwrap_or_default().to_owned(),
        line: format!("{provider}/{}/{}", limit.requests, limit.window_ms),
        limit,
        slot: number("slot").map(|n| n as u64),
        retry_after_ms: number("retryAfterMs").map(|n| n as u64),
    })
}

/// Carries out an order; an `acquire` waits in its line for its turn.
async fn handle(state: &Rc<RefCell<Lines>>, order: Order) -> JsonObject {
    let now = date_now();
    let turn = {
        let mut lines = state.borrow_mut();
        let line = lines.lines.entry(order.line.clone()).or_insert_with(|| WaitingLine::new(order.limit, MAX_WAIT_MS));
        match order.action.as_str() {
            "acquire" => {
                let ticket = line.join(now);
                let mut resolve_with = None;
                let turn = Promise::new(&mut |resolve, _| resolve_with = Some(resolve));
                lines.waiting.extend(resolve_with.map(|resolve| ((order.line.clone(), ticket), resolve)));
                Some(turn)
            }
            "release" => {
                line.release(Slot(order.slot.unwrap_or(0)), now);
                None
            }
            "penalize" => {
                line.penalize(now, order.retry_after_ms);
                None
            }
            _ => return error("the action is acquire, release or penalize"),
        }
    };
    serve_all(state);
    match turn {
        Some(turn) => {
            let served = JsFuture::from(turn).await.unwrap_or(JsValue::UNDEFINED);
            let mut out = JsonObject::new();
            if let Some(slot) = reflect_get(&served, &"slot".into()).ok().and_then(|s| s.as_f64()) {
                out.insert("slot", Value::Number(slot));
            } else {
                let wait = reflect_get(&served, &"waitMs".into()).ok().and_then(|w| w.as_f64()).unwrap_or(0.0);
                out.insert("waitMs", Value::Number(wait));
            }
            out
        }
        None => JsonObject::new(),
    }
}

/// Serves every line's callers whose turn has come, and sets the one timer for the next turn.
fn serve_all(state: &Rc<RefCell<Lines>>) {
    let now = date_now();
    let mut lines = state.borrow_mut();
    let mut next: Option<f64> = None;
    let mut answers = Vec::new();
    let Lines { lines: all, waiting, timer, callback } = &mut *lines;
    for (key, line) in all.iter_mut() {
        let (served, wake) = line.serve(now);
        for (ticket, outcome) in served {
            if let Some(resolve) = waiting.remove(&(key.clone(), ticket)) {
                let answer = Object::new();
                match outcome {
                    Served::Granted(slot) => set(&answer, "slot", slot.0 as f64),
                    Served::Refused(wait) => set(&answer, "waitMs", wait as f64),
                }
                answers.push((resolve, answer));
            }
        }
        next = match (next, wake) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    if let (Some(at), Some(callback)) = (next, callback.as_ref()) {
        if timer.as_ref().is_none_or(|(set_for, _)| at < *set_for) {
            if let Some((_, old)) = timer.take() {
                let _ = clear_timeout(&old);
            }
            *timer = set_timeout(callback, (at - now).max(0.0), &JsValue::UNDEFINED).ok().map(|id| (at, id));
        }
    }
    drop(lines);
    for (resolve, answer) in answers {
        let _ = resolve.call1(&JsValue::UNDEFINED, &answer);
    }
}

fn error(message: &str) -> JsonObject {
    let mut out = JsonObject::new();
    out.insert("error", Value::String(message.into()));
    out
}

fn json_response(body: &JsonObject) -> JsValue {
    let status = if body.get("error").is_some() { 400 } else { 200 };
    let headers = [("content-type".to_owned(), "application/json".to_owned())];
    new_response(status, &headers, &Value::Object(body.clone()).to_json()).unwrap_or(JsValue::NULL)
}

/// The `{ acquire(call) }` limiter over a `TicketwireRateLimitObject` namespace.
#[wasm_bindgen]
pub struct DurableObjectRateLimiter {
    state: Rc<Adapter>,
}

struct Adapter {
    namespace: JsValue,
    name: String,
    quotas: Vec<(Provider, RateLimit)>,
}

/// A limiter shared by every isolate: `rateLimit: durableObjectRateLimiter(env.TICKETWIRE_LIMITER)`.
/// `options.name` names the object (default "ticketwire"); `options.quotas` sets a limit per
/// provider (default: the published one, Mava 90 per 30 s; providers without one are not paced).
#[wasm_bindgen(js_name = durableObjectRateLimiter)]
pub fn durable_object_rate_limiter(
    #[wasm_bindgen(unchecked_param_type = "TicketwireLimiterNamespace")] namespace: JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "{ name?: string; quotas?: Partial<Record<\"mava\" | \"helpwave\" | \"tickiti\", { requests: number; windowMs: number }>> }"
    )]
    options: JsValue,
) -> DurableObjectRateLimiter {
    let name = reflect_get(&options, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_else(|| "ticketwire".to_owned());
    let quotas_js = reflect_get(&options, &"quotas".into()).unwrap_or(JsValue::UNDEFINED);
    let quotas = [Provider::Mava, Provider::HelpWave, Provider::Tickiti]
        .into_iter()
        .filter_map(|provider| {
            let given = reflect_get(&quotas_js, &provider.id().into()).ok().filter(JsValue::is_object);
            let number =
                |key: &str| given.as_ref().and_then(|q| reflect_get(q, &key.into()).ok()).and_then(|n| n.as_f64());
            let limit = match (number("requests"), number("windowMs")) {
                (Some(requests), Some(window_ms)) if requests >= 1.0 && window_ms >= 1.0 => {
                    Some(RateLimit { requests: requests as u32, window_ms: window_ms as u64 })
                }
                _ => provider.rate_limit(),
            };
            limit.map(|limit| (provider, limit))
        })
        .collect();
    DurableObjectRateLimiter { state: Rc::new(Adapter { namespace, name, quotas }) }
}

#[wasm_bindgen]
impl DurableObjectRateLimiter {
    /// Resolves when the call may be sent, with the slot to release once it has its answer.
    #[wasm_bindgen(unchecked_return_type = "Promise<void | TicketwireRateLimitSlot>")]
    pub fn acquire(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "{ provider: \"mava\" | \"helpwave\" | \"tickiti\"; operation: string }"
        )]
        call: JsValue,
    ) -> Promise {
        let state = self.state.clone();
        future_to_promise(async move { state.acquire(&call).await })
    }
}

impl Adapter {
    async fn acquire(&self, call: &JsValue) -> Result<JsValue, JsValue> {
        let provider = reflect_get(call, &"provider".into()).ok().and_then(|p| p.as_string());
        let Some((provider, limit)) = provider
            .as_deref()
            .and_then(Provider::from_id)
            .and_then(|p| self.quotas.iter().find(|(q, _)| *q == p).copied())
        else {
            return Ok(JsValue::UNDEFINED); // no limit to keep
        };
        let stub = self.stub().map_err(|why| JsValue::from_str(&why))?;
        // The object answers once this caller's turn comes.
        let answer = order(&stub, "acquire", provider, limit, None).await.map_err(|why| JsValue::from_str(&why))?;
        match answer.get("slot").and_then(Value::as_number) {
            Some(slot) => Ok(DurableObjectSlot { stub, provider, limit, slot }.into()),
            None => {
                let wait = answer.get("waitMs").and_then(Value::as_number).unwrap_or(0.0);
                Err(JsValue::from_str(&format!("the shared limiter has no slot for {} s", (wait / 1000.0).ceil())))
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
    provider: Provider,
    limit: RateLimit,
    slot: f64,
}

#[wasm_bindgen]
impl DurableObjectSlot {
    /// Counts the slot from now.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn release(&self) -> Promise {
        let (stub, provider, limit, slot) = (self.stub.clone(), self.provider, self.limit, self.slot);
        future_to_promise(async move {
            let _ = order(&stub, "release", provider, limit, Some(("slot", slot))).await;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Holds every isolate's calls for `retryAfterMs` (a whole window when undefined).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn penalize(&self, #[wasm_bindgen(js_name = retryAfterMs)] retry_after_ms: Option<f64>) -> Promise {
        let (stub, provider, limit) = (self.stub.clone(), self.provider, self.limit);
        future_to_promise(async move {
            let extra = retry_after_ms.map(|ms| ("retryAfterMs", ms));
            let _ = order(&stub, "penalize", provider, limit, extra).await;
            Ok(JsValue::UNDEFINED)
        })
    }
}

/// Sends one order to the object; its answer, or why none came.
async fn order(
    stub: &JsValue,
    action: &str,
    provider: Provider,
    limit: RateLimit,
    extra: Option<(&str, f64)>,
) -> Result<JsonObject, String> {
    let mut body = JsonObject::new();
    body.insert("action", Value::String(action.into()));
    body.insert("provider", Value::String(provider.id().into()));
    body.insert("requests", Value::Number(f64::from(limit.requests)));
    body.insert("windowMs", Value::Number(limit.window_ms as f64));
    if let Some((key, value)) = extra {
        body.insert(key, Value::Number(value));
    }
    let init = Object::new();
    set(&init, "method", "POST");
    set(&init, "body", Value::Object(body).to_json());
    let url = JsValue::from_str("https://ticketwire.limiter/");
    let fetched = call_method(stub, "fetch", &[&url, &init.into()]).map_err(|e| describe(&e))?;
    let response = JsFuture::from(Promise::resolve(&fetched)).await.map_err(|e| describe(&e))?;
    let text = call_method(&response, "text", &[]).map_err(|e| describe(&e))?;
    let text = JsFuture::from(Promise::resolve(&text)).await.map_err(|e| describe(&e))?.as_string().unwrap_or_default();
    Value::from_json(&text)
        .ok()
        .and_then(|v| v.as_object().cloned())
        .ok_or_else(|| "the limiter answered no JSON".to_owned())
}
