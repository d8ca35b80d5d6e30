//! What every provider's client shares: its settings, and the loop of one call
//! (validate → prepare → fetch → interpret). Provider classes only name their operations.

use super::convert;
use super::error::{set, to_js_error, violations_to_js};
use super::options::{read_call_options, read_client_options, CallSettings, RateLimitMode, Settings};
use super::sys::{call_method, date_now, json_parse, reflect_get, to_promise};
use super::transport::{self, sleep, TransportError};
use crate::error::{ErrorKind, Failure};
use crate::operation::{Operation, Provider};
use crate::rate_limit::{RateLimiter, Slot};
use crate::request::PreparedRequest;
use crate::response::{read_response, RawResponse};
use crate::retry::{self, Decision, Outcome};
use js_sys::{Function, Object, Promise};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

thread_local! {
    /// One limiter per provider and API key, shared by every client in this isolate.
    static LIMITERS: RefCell<HashMap<String, Rc<RefCell<RateLimiter>>>> = RefCell::new(HashMap::new());
}

/// The shared limiter for this provider, key and quota, where there is a limit to keep.
fn shared_limiter(provider: Provider, settings: &Settings) -> Option<Rc<RefCell<RateLimiter>>> {
    let limit = settings.quota.or(provider.rate_limit())?;
    let key = settings.config.api_key.as_ref()?;
    let id = format!("{}\u{0}{}\u{0}{}/{}", provider.id(), key.expose(), limit.requests, limit.window_ms);
    Some(LIMITERS.with(|all| {
        all.borrow_mut().entry(id).or_insert_with(|| Rc::new(RefCell::new(RateLimiter::new(limit)))).clone()
    }))
}

/// One client's state, shared with the calls it has in flight.
pub struct Client {
    provider: Provider,
    settings: Settings,
    limiter: Option<Rc<RefCell<RateLimiter>>>,
}

impl Client {
    /// Reads the options; the error is a thrown `TicketwireError` of kind `config`.
    pub fn new(provider: Provider, class_name: &str, options: &JsValue) -> Result<Rc<Client>, JsValue> {
        match read_client_options(provider, class_name, options) {
            Ok(settings) => {
                let limiter = shared_limiter(provider, &settings);
                Ok(Rc::new(Client { provider, settings, limiter }))
            }
            Err(failure) => Err(to_js_error(failure, None)),
        }
    }

    fn secret(&self) -> Option<&str> {
        self.settings.config.api_key.as_ref().map(|k| k.expose())
    }

    /// The client's core settings.
    pub fn config(&self) -> &crate::request::Config {
        &self.settings.config
    }

    /// `failure` as a thrown `TicketwireError`, without the key.
    pub fn throw(&self, failure: Failure) -> JsValue {
        to_js_error(failure, self.secret())
    }

    /// Every violation of `input`; never throws.
    pub fn validate(&self, op: &Operation, input: &JsValue) -> JsValue {
        violations_to_js(&op.validate(&convert::read(input), &self.settings.config)).into()
    }

    /// The exact first request `op` would send, or a thrown `TicketwireError`.
    pub fn prepare(&self, op: &Operation, input: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
        let call = read_call_options(op, options).map_err(|f| self.throw(f))?;
        let request = self.prepare_request(op, input, &call).map_err(|f| self.throw(f))?;
        Ok(request_to_js(&request))
    }

    /// Reads the call options as `op` takes them.
    pub fn call_settings(&self, op: &Operation, options: &JsValue) -> Result<CallSettings, JsValue> {
        read_call_options(op, options).map_err(|f| self.throw(f))
    }

    fn prepare_request(
        &self,
        op: &Operation,
        input: &JsValue,
        call: &CallSettings,
    ) -> Result<PreparedRequest, Failure> {
        op.prepare(&convert::read(input), &self.settings.config, &call.context).map_err(|v| Failure::validation(op, v))
    }

    /// Sends `op`; the promise resolves to the parsed body or rejects with a `TicketwireError`.
    pub fn call(self: &Rc<Self>, op: &'static Operation, input: &JsValue, options: &JsValue) -> Promise {
        // Read the input now: the caller may change its object as soon as we return.
        let prepared =
            read_call_options(op, options).and_then(|call| Ok((self.prepare_request(op, input, &call)?, call)));
        let client = self.clone();
        future_to_promise(async move {
            let (request, call) = prepared.map_err(|f| client.throw(f))?;
            client.send(op, &request, &call).await.map_err(|f| client.throw(f))
        })
    }

    /// Sends `request` until it succeeds or the retry policy says stop: the same request (and
    /// so the same `Idempotency-Key`) on every attempt, waiting on the host's timers between.
    pub async fn send(
        &self,
        op: &Operation,
        request: &PreparedRequest,
        call: &CallSettings,
    ) -> Result<JsValue, Failure> {
        let fetch = self.fetch(op)?;
        let name = self.provider.display_name();
        let deadline = call.deadline_ms.or(self.settings.deadline_ms).map(|ms| date_now() + ms);
        let past_deadline =
            || Failure::new(ErrorKind::Timeout, op, format!("{name} {} ran past its deadline", op.name));
        let aborted = || Failure::new(ErrorKind::Aborted, op, format!("{name} {} was aborted", op.name));
        let signal = call.signal.as_ref();
        let mut retries = 0;
        loop {
            let slot = self.wait_for_rate_limit(op, call, deadline).await?;
            let left = deadline.map_or(f64::INFINITY, |d| d - date_now());
            if left <= 0.0 {
                return Err(past_deadline());
            }
            let timeout = self.settings.timeout_ms.min(left);
            let attempt = transport::send(&fetch, request, timeout, signal).await;
            if let (Some(slot), Some(limiter)) = (slot, &self.limiter) {
                limiter.borrow_mut().release(slot, date_now());
            }
            let (outcome, failure) = match attempt {
                Ok(response) => {
                    let raw = RawResponse {
                        status: response.status,
                        retry_after: response.retry_after.as_deref(),
                        body: &response.body,
                    };
                    match read_response(op, raw, date_now() as u64) {
                        // read_response only passes JSON it has parsed itself.
                        Ok(json) => return Ok(json_parse(&json).unwrap_or(JsValue::NULL)),
                        Err(failure) => (Outcome::Status(response.status), failure),
                    }
                }
                Err(TransportError::Aborted) => return Err(aborted()),
                Err(TransportError::Timeout) if timeout < self.settings.timeout_ms => return Err(past_deadline()),
                Err(TransportError::Timeout) => {
                    // `timeoutMs` is a checked integer: no float formatting needed.
                    let ms = timeout as u32;
                    (
                        Outcome::TimedOut,
                        Failure::new(ErrorKind::Timeout, op, format!("{name} {} timed out after {ms} ms", op.name)),
                    )
                }
                Err(TransportError::Network(why)) => (
                    Outcome::NoResponse,
                    Failure::new(ErrorKind::Network, op, format!("{name} {} got no response: {why}", op.name)),
                ),
            };
            let random = js_sys::Math::random();
            let decision =
                retry::decide(retries, self.settings.max_retries, outcome, op.safety, failure.retry_after_ms, random);
            if let (Some(429), Some(limiter)) = (failure.status, &self.limiter) {
                // Someone else is using the key: hold every call with it for as long as this one waits.
                let wait = match decision {
                    Decision::RetryAfter(ms) => Some(ms),
                    Decision::Stop => failure.retry_after_ms,
                };
                limiter.borrow_mut().penalize(date_now(), wait);
            }
            match decision {
                Decision::Stop => return Err(failure),
                Decision::RetryAfter(ms) => {
                    if deadline.is_some_and(|d| date_now() + ms as f64 >= d) {
                        return Err(failure); // waiting would run past the deadline
                    }
                    sleep(ms as f64, signal).await.map_err(|_| aborted())?;
                    retries += 1;
                }
            }
        }
    }

    /// Waits for (or refuses) a slot under the provider's rate limit, or asks the caller's limiter.
    async fn wait_for_rate_limit(
        &self,
        op: &Operation,
        call: &CallSettings,
        deadline: Option<f64>,
    ) -> Result<Option<Slot>, Failure> {
        let name = self.provider.display_name();
        let refused = |message: String, retry_after_ms: Option<u64>| Failure {
            retry_after_ms,
            ..Failure::new(ErrorKind::RateLimited, op, message)
        };
        if let RateLimitMode::Custom(limiter) = &self.settings.rate_limit {
            let request = Object::new();
            set(&request, "provider", self.provider.id());
            set(&request, "operation", op.name);
            let acquired = call_method(limiter, "acquire", &[&request.into()]);
            return match acquired.map(|p| wasm_bindgen_futures::JsFuture::from(to_promise(&p))) {
                Ok(waiting) => waiting
                    .await
                    .map(|_| None)
                    .map_err(|_| refused(format!("{name} {}: the rate limiter refused the call", op.name), None)),
                Err(_) => Err(refused(format!("{name} {}: the rate limiter's acquire() threw", op.name), None)),
            };
        }
        let Some(limiter) = &self.limiter else { return Ok(None) };
        loop {
            let wait = match limiter.borrow_mut().try_acquire(date_now()) {
                Ok(slot) => return Ok(Some(slot)),
                Err(wait) => wait,
            };
            if matches!(self.settings.rate_limit, RateLimitMode::Fail) {
                let message = format!("{name} {}: over the client-side rate limit; a slot frees in {wait} ms", op.name);
                return Err(refused(message, Some(wait)));
            }
            if deadline.is_some_and(|d| date_now() + wait as f64 >= d) {
                return Err(Failure::new(ErrorKind::Timeout, op, format!("{name} {} ran past its deadline", op.name)));
            }
            sleep(wait as f64, call.signal.as_ref())
                .await
                .map_err(|_| Failure::new(ErrorKind::Aborted, op, format!("{name} {} was aborted", op.name)))?;
        }
    }

    /// `options.fetch`, else the global `fetch` as it is now (polyfills may come late).
    fn fetch(&self, op: &Operation) -> Result<Function, Failure> {
        if let Some(fetch) = &self.settings.fetch {
            return Ok(fetch.clone());
        }
        reflect_get(&js_sys::global(), &"fetch".into()).ok().and_then(|f| f.dyn_into::<Function>().ok()).ok_or_else(
            || {
                let message = "this host has no global fetch: pass one as options.fetch".to_owned();
                Failure::config(op.provider, op.name, message, Vec::new())
            },
        )
    }
}

/// A prepared request as the plain object `PreparedRequest`.
fn request_to_js(request: &PreparedRequest) -> JsValue {
    let headers = Object::new();
    for (name, value) in &request.headers {
        set(&headers, name, value.as_str());
    }
    let out = Object::new();
    set(&out, "method", request.method.as_str());
    set(&out, "url", request.url.as_str());
    set(&out, "headers", headers);
    set(&out, "body", request.body.as_deref().map_or(JsValue::NULL, JsValue::from_str));
    out.into()
}

/// Declares a client's validate/prepare/call triple for one operation, with exact TS types:
/// `$input` is the JS input's type (`Ts<SomeTsifyStruct>`, or an extern type for a TS union).
macro_rules! operation_methods {
    ($client:ident, $op:path, $input:ty, $result:literal,
     $validate:ident = $validate_js:literal, $prepare:ident = $prepare_js:literal, $call:ident = $call_js:literal) => {
        #[wasm_bindgen]
        impl $client {
            /// Checks an input without sending anything: every violation, in input order. Never throws.
            #[wasm_bindgen(js_name = $validate_js, unchecked_return_type = "Violation[]")]
            pub fn $validate(&self, #[wasm_bindgen(unchecked_param_type = "unknown")] input: JsValue) -> JsValue {
                self.client.validate(&$op, &input)
            }

            /// The exact request the call would send (first attempt). Throws `TicketwireError` (kind "validation") for a bad input.
            #[wasm_bindgen(js_name = $prepare_js, unchecked_return_type = "PreparedRequest")]
            pub fn $prepare(
                &self,
                input: $input,
                options: Option<$crate::wasm::options::CallOptions>,
            ) -> Result<JsValue, JsValue> {
                self.client.prepare(&$op, &input.into(), &options.map_or(JsValue::UNDEFINED, Into::into))
            }

            /// Validates, then sends. Rejects with `TicketwireError`; nothing is sent for a bad input.
            #[wasm_bindgen(js_name = $call_js, unchecked_return_type = $result)]
            pub fn $call(&self, input: $input, options: Option<$crate::wasm::options::CallOptions>) -> js_sys::Promise {
                self.client.call(&$op, &input.into(), &options.map_or(JsValue::UNDEFINED, Into::into))
            }
        }
    };
}

pub(crate) use operation_methods;
