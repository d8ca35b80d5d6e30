//! What every provider's client shares: its settings, and the host side of one call. The
//! core's `Call` decides everything (attempts, waits, the deadline, the limiter); this loop
//! only does what it asks: take a slot, send, read, set a timer, listen for the abort.

use super::convert;
use super::error::{set, to_js_error, violations_to_js};
use super::options::{read_call_options, read_client_options, CallSettings, Settings};
use super::schema;
use super::sys::call_method;
use super::transport::{attempt, describe, has_aborted, AttemptEnd, Outgoing, Wake, Woke};
use crate::call::{Call, CallEvent, CallPolicy, LimiterRequest, Pacing, Sent};
use crate::conversation::follow::FollowPolicy;
use crate::error::{ErrorKind, Failure};
use crate::json::write_json_string;
use crate::operation::{CallContext, Operation};
use crate::options::client::RateLimitChoice;
use crate::provider::Provider;
use crate::rate_limit::Slot;
#[cfg(feature = "full")]
use crate::rate_limit::{key_hash, LimiterTable, SharedLimiter};
#[cfg(feature = "full")]
use crate::redact::Redactor;
use crate::request::PreparedRequest;
use crate::value::Value;
use js_sys::{Date, Function, Object, Promise, Reflect, JSON};
#[cfg(feature = "full")]
use std::cell::OnceCell;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

#[cfg(feature = "full")]
thread_local! {
    /// The per-key limiters of this isolate, shared by every client with the same key.
    static LIMITERS: RefCell<LimiterTable> = RefCell::new(LimiterTable::new(LimiterTable::DEFAULT_CAPACITY));
}

/// Lets the caller's limiter hear how the call went (`release`, `penalize`) before the call
/// ends, within a bound: a Worker may stop its work once the answer is sent.
async fn settle_reports(reports: &[JsValue]) {
    if reports.is_empty() {
        return;
    }
    if let Ok(wake) = Wake::new(Some(REPORT_WAIT_MS), None) {
        for report in reports {
            if wake.race(report).await.is_err() {
                return;
            }
        }
    }
}

/// The limiter of `ticketwire/lite`, which keeps none (a client there has no key): a type with
/// no value, so the code that would use one is not compiled in.
#[cfg(not(feature = "full"))]
#[derive(Clone, Copy)]
enum NoLimiter {}

#[cfg(not(feature = "full"))]
impl NoLimiter {
    fn borrow_mut(&self) -> &mut crate::rate_limit::RateLimiter {
        match *self {}
    }
}

/// The longest a call waits for its limiter's `release`/`penalize` to settle.
const REPORT_WAIT_MS: f64 = 1_000.0;

/// One client's state, shared with the calls it has in flight.
pub struct Client {
    provider: Provider,
    settings: Settings,
    /// The shared limiter's id (a hash) and the limiter, where there is a limit to keep: found
    /// or made at the first call. `ticketwire/lite` holds no key, so it keeps none.
    #[cfg(feature = "full")]
    limiter: OnceCell<Option<(u64, SharedLimiter)>>,
    /// What scrubs the key from errors: made for the first error. Not in `ticketwire/lite`,
    /// which holds no key.
    #[cfg(feature = "full")]
    redactor: OnceCell<Option<Redactor>>,
    /// Its `schemas`, made on first use.
    schemas: RefCell<Option<Object>>,
    /// Each operation's request head (`{ method, url, headers }`) where it is the same for
    /// every call (`Operation::request_head` with no call context), made on first use.
    heads: RefCell<Vec<(&'static str, JsValue)>>,
}

impl Client {
    /// Reads the options; the error is a thrown `TicketwireError` of kind `config`.
    pub fn new(provider: Provider, class_name: &str, options: &JsValue) -> Result<Rc<Client>, JsValue> {
        let settings = read_client_options(provider, class_name, options).map_err(to_js_error)?;
        Ok(Client::from_settings(provider, settings))
    }

    /// A client with settings already read (a relay's, for one provider).
    pub fn from_settings(provider: Provider, settings: Settings) -> Rc<Client> {
        Rc::new(Client {
            provider,
            settings,
            #[cfg(feature = "full")]
            limiter: OnceCell::new(),
            #[cfg(feature = "full")]
            redactor: OnceCell::new(),
            schemas: RefCell::new(None),
            heads: RefCell::default(),
        })
    }

    /// The limiter this client's calls share with every client of the same key and limit, if it
    /// keeps one (a key, a limit, and no limiter of the caller's, which then keeps the count).
    #[cfg(feature = "full")]
    fn limiter(&self) -> Option<&(u64, SharedLimiter)> {
        self.limiter
            .get_or_init(|| {
                let settings = &self.settings.core;
                let key = settings.config.api_key.as_ref()?.expose();
                let limit = settings.quota.or(self.provider.rate_limit())?;
                if settings.rate_limit == RateLimitChoice::Custom {
                    return None;
                }
                let id = LimiterTable::id(self.provider.id(), key, limit);
                Some((id, LIMITERS.with(|table| table.borrow_mut().limiter(id, limit))))
            })
            .as_ref()
    }

    /// None in `ticketwire/lite`: a client there has no key.
    #[cfg(not(feature = "full"))]
    fn limiter(&self) -> Option<&(u64, NoLimiter)> {
        None
    }

    /// What scrubs this client's key from what an error carries, if it has a key.
    #[cfg(feature = "full")]
    fn redactor(&self) -> Option<&Redactor> {
        self.redactor
            .get_or_init(|| self.settings.core.config.api_key.as_ref().map(|k| Redactor::new(k.expose())))
            .as_ref()
    }

    /// The client's core settings.
    pub fn config(&self) -> &crate::request::Config {
        &self.settings.core.config
    }

    /// Its `schemas`: a Standard Schema view of each operation's input, made once.
    pub fn schemas(&self) -> Object {
        self.schemas.borrow_mut().get_or_insert_with(|| schema::schemas(self.provider, self.config())).clone()
    }

    /// The provider it speaks to.
    pub fn provider(&self) -> Provider {
        self.provider
    }

    /// The settings a conversation's long polls run under: the client's per-attempt timeout
    /// (on top of the poll's wait) and its largest body.
    pub fn follow_policy(&self) -> FollowPolicy {
        let settings = &self.settings.core;
        // A socket would bypass a `fetch` of the caller's (a service binding, added headers).
        let sockets = self.settings.fetch.is_none()
            && Reflect::get(&js_sys::global(), &"WebSocket".into()).is_ok_and(|class| class.is_function());
        FollowPolicy { timeout_ms: settings.timeout_ms, max_response_bytes: settings.max_response_bytes, sockets }
    }

    /// The exact request `op` sends for `input` (a core value): the one prepare path, shared
    /// by `prepareX`, `X` and the relay.
    pub fn prepare_input(
        &self,
        op: &Operation,
        input: &Value,
        json: Option<&str>,
        context: &CallContext,
    ) -> Result<PreparedRequest, Failure> {
        op.prepare_with_json(input, json, &self.settings.core.config, context).map_err(|v| Failure::validation(op, v))
    }

    /// `failure` as a thrown `TicketwireError`, without the key in any form.
    pub fn throw(&self, #[allow(unused_mut)] mut failure: Failure) -> JsValue {
        #[cfg(feature = "full")]
        if let Some(redactor) = self.redactor() {
            failure.redact(redactor);
        }
        to_js_error(failure)
    }

    /// Every violation of `input`; never throws.
    pub fn validate(&self, op: &Operation, input: &JsValue) -> JsValue {
        violations_to_js(&convert::validate(op, self.config(), input)).into()
    }

    /// The exact first request `op` would send, or a thrown `TicketwireError`.
    pub fn prepare(&self, op: &'static Operation, input: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
        let call = read_call_options(op, options).map_err(|f| self.throw(f))?;
        let config = self.config();
        let mut buffer = convert::TextBuffer::take();
        let checked = if op.sends_input_as_body() {
            // Validated in one pass; the body is the host's own string, the head the client's.
            let violations = buffer.read(input).and_then(|text| op.validate_text(text, config).ok());
            violations.map(|violations| match violations.is_empty() {
                true => Ok(self.input_as_body(op, &call.context)),
                false => Err(Failure::validation(op, violations)),
            })
        } else {
            let prepared = buffer.read(input).and_then(|text| op.prepare_text(text, config, &call.context).ok());
            prepared.map(|prepared| {
                let request = prepared.map_err(|violations| Failure::validation(op, violations))?;
                let body = request.body.as_deref().map_or(JsValue::NULL, JsValue::from_str);
                Ok(request_to_js(&request, body))
            })
        };
        drop(buffer);
        if let Some(checked) = checked {
            return checked.map_err(|f| self.throw(f));
        }
        let value = convert::read_carefully(input);
        let request = self.prepare_input(op, &value, None, &call.context).map_err(|f| self.throw(f))?;
        let body = request.body.as_deref().map_or(JsValue::NULL, JsValue::from_str);
        Ok(request_to_js(&request, body))
    }

    /// The request for a valid input whose body is the input as given (the host's text of the
    /// last read): a copy of the head (an object made once per operation where nothing of the
    /// call's own goes into it) and that text.
    fn input_as_body(&self, op: &'static Operation, context: &CallContext) -> JsValue {
        let head = |client: &Self| {
            let text = head_json(&op.request_head(client.config(), context));
            JSON::parse(&text).unwrap_or(JsValue::NULL)
        };
        if *context != CallContext::default() {
            return convert::request_with_host_text(&head(self));
        }
        let mut heads = self.heads.borrow_mut();
        let index = match heads.iter().position(|(name, _)| *name == op.name) {
            Some(index) => index,
            None => {
                heads.push((op.name, head(self)));
                heads.len() - 1
            }
        };
        convert::request_with_host_text(&heads[index].1)
    }

    /// Reads the call options as `op` takes them.
    #[cfg(feature = "full")]
    pub fn call_settings(&self, op: &Operation, options: &JsValue) -> Result<CallSettings, JsValue> {
        read_call_options(op, options).map_err(|f| self.throw(f))
    }

    fn prepare_request(
        &self,
        op: &Operation,
        input: &JsValue,
        call: &CallSettings,
    ) -> Result<PreparedRequest, Failure> {
        let config = self.config();
        let mut buffer = convert::TextBuffer::take();
        let from_text = buffer.read(input).and_then(|text| op.prepare_text(text, config, &call.context).ok());
        match from_text {
            Some(prepared) => prepared.map_err(|violations| Failure::validation(op, violations)),
            None => self.prepare_input(op, &convert::read_carefully(input), None, &call.context),
        }
    }

    /// Sends `op`; the promise resolves to the parsed body or rejects with a `TicketwireError`.
    pub fn call(self: &Rc<Self>, op: &'static Operation, input: &JsValue, options: &JsValue) -> Promise {
        // Read the input now: the caller may change its object as soon as we return.
        let prepared =
            read_call_options(op, options).and_then(|call| Ok((self.prepare_request(op, input, &call)?, call)));
        let client = self.clone();
        future_to_promise(async move {
            let (request, call) = prepared.map_err(|f| client.throw(f))?;
            let sent = client.send(op, request, &call).await;
            let body = sent.end.map_err(|f| client.throw(f))?;
            // The core passes only JSON it has parsed itself.
            let result = JSON::parse(&body).unwrap_or(JsValue::NULL);
            // Through a relay, a create's answer carries its ticket's capability.
            if let (Some(token), true) = (sent.last.and_then(|a| a.capability), result.is_object()) {
                set(result.unchecked_ref(), "capability", token.as_str());
            }
            Ok(result)
        })
    }

    /// The rules the core's `Call` runs this call under.
    fn policy(&self, call: &CallSettings) -> CallPolicy {
        let settings = &self.settings.core;
        let pacing = match (settings.rate_limit, self.limiter()) {
            (RateLimitChoice::Custom, _) => Pacing::External,
            (_, None) => Pacing::Unpaced,
            (RateLimitChoice::Fail, Some(_)) => Pacing::FailFast,
            (RateLimitChoice::Wait, Some(_)) => Pacing::Wait,
        };
        CallPolicy {
            max_retries: settings.max_retries,
            timeout_ms: settings.timeout_ms,
            deadline_ms: call.deadline_ms.or(settings.deadline_ms),
            pacing,
            max_response_bytes: settings.max_response_bytes,
        }
    }

    /// Runs `request` through the core's `Call`: how it ended, and the last answer it had.
    pub async fn send(&self, op: &'static Operation, request: PreparedRequest, call: &CallSettings) -> Sent {
        let mut sent = Sent { end: Err(Failure::new(ErrorKind::Config, op, "not sent")), attempts: 0, last: None };
        let fetch = match self.fetch(op) {
            Ok(fetch) => fetch,
            Err(failure) => {
                sent.end = Err(failure);
                return sent;
            }
        };
        #[cfg(feature = "full")]
        let limiter = self.limiter().map(|(id, limiter)| {
            LIMITERS.with(|table| table.borrow_mut().touch(*id));
            limiter.clone()
        });
        #[cfg(not(feature = "full"))]
        let limiter: Option<NoLimiter> = None;
        let seed = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
        let mut machine = Call::new(op, request, self.policy(call), Date::now(), seed);
        let signal = call.signal.as_ref();
        // The caller's limiter: its answer while the call waits for it, the slot it gave, and
        // what its release/penalize returned (settled before the call ends).
        let mut acquiring: Option<JsValue> = None;
        let mut external_slot = JsValue::UNDEFINED;
        let mut reports: Vec<JsValue> = Vec::new();
        loop {
            let now = Date::now();
            // An abort that came while nothing listened (before the call, between waits).
            match has_aborted(signal) {
                Ok(false) => {}
                Ok(true) => machine.handle_event(now, CallEvent::Aborted),
                Err(why) => machine.handle_event(now, CallEvent::HostFailed(&why)),
            }
            while let Some(ask) = machine.poll_limiter(now) {
                match (ask, &limiter) {
                    (LimiterRequest::Acquire, _) => {
                        match self.acquire_from_caller(op, machine.deadline().map(|d| d - now)) {
                            Some(Ok(answer)) => acquiring = Some(answer),
                            Some(Err(why)) => machine.handle_event(now, CallEvent::SlotRefused(&why, None)),
                            None => {
                                let event = match &limiter {
                                    Some(limiter) => match limiter.borrow_mut().try_acquire(now) {
                                        Ok(slot) => CallEvent::SlotGranted(Some(slot)),
                                        Err(wait) => CallEvent::SlotBusy(wait),
                                    },
                                    None => CallEvent::SlotGranted(None),
                                };
                                machine.handle_event(now, event);
                            }
                        }
                    }
                    (LimiterRequest::Release(slot), Some(limiter)) => limiter.borrow_mut().release(slot, now),
                    (LimiterRequest::Penalize(ms), Some(limiter)) => limiter.borrow_mut().penalize(now, ms),
                    (LimiterRequest::Release(_), None) => {
                        reports.extend(call_method(&external_slot, "release", &[]).ok());
                    }
                    (LimiterRequest::Penalize(ms), None) => {
                        let ms = ms.map_or(JsValue::UNDEFINED, |ms| JsValue::from(ms as f64));
                        reports.extend(call_method(&external_slot, "penalize", &[&ms]).ok());
                    }
                }
            }
            if let Some(end) = machine.poll() {
                settle_reports(&reports).await;
                sent.end = end;
                sent.attempts = machine.attempts();
                return sent;
            }
            if !machine.is_acquiring() {
                acquiring = None; // an answer the call no longer waits for
            }
            let outgoing = machine.poll_transmit(now).map(|transmit| Outgoing::new(&transmit));
            let wake = match Wake::new(machine.poll_timeout().map(|at| at - now), signal) {
                Ok(wake) => wake,
                Err(why) => {
                    machine.handle_event(now, CallEvent::HostFailed(&why));
                    continue;
                }
            };
            let woke = if let Some(outgoing) = outgoing {
                match attempt(&fetch, outgoing, &wake).await {
                    Ok(end) => {
                        machine.handle_event(Date::now(), end.event());
                        if let AttemptEnd::Response(answer) = end {
                            sent.last = Some(answer);
                        }
                        continue;
                    }
                    Err(woke) => woke,
                }
            } else if let Some(answer) = &acquiring {
                match wake.race(answer).await {
                    Ok(answer) => {
                        acquiring = None;
                        let event = match answer {
                            Ok(slot) => {
                                external_slot = slot;
                                CallEvent::SlotGranted(Some(Slot::EXTERNAL))
                            }
                            Err(reason) => {
                                CallEvent::SlotRefused("the rate limiter refused the call", retry_after_of(&reason))
                            }
                        };
                        machine.handle_event(Date::now(), event);
                        continue;
                    }
                    Err(woke) => woke,
                }
            } else {
                wake.wait().await
            };
            let now = Date::now();
            match woke {
                Woke::Timer => machine.handle_timeout(now),
                Woke::Aborted => machine.handle_event(now, CallEvent::Aborted),
            }
        }
    }

    /// Asks the caller's limiter (`rateLimit: { acquire }`), if there is one: its answer (a
    /// promise or a value), or why asking it failed. It hears the key's hash (never the key)
    /// and how long the call waits at most (`deadline_ms` from now).
    fn acquire_from_caller(&self, op: &Operation, deadline_ms: Option<f64>) -> Option<Result<JsValue, String>> {
        let limiter = self.settings.limiter.as_ref()?;
        let request = Object::new();
        set(&request, "provider", self.provider.id());
        set(&request, "operation", op.name);
        #[cfg(feature = "full")]
        if let Some(key) = &self.settings.core.config.api_key {
            set(&request, "keyHash", key_hash(self.provider.id(), key.expose()));
        }
        if let Some(ms) = deadline_ms {
            set(&request, "deadlineMs", ms.max(0.0).floor());
        }
        Some(
            call_method(limiter, "acquire", &[&request.into()])
                .map_err(|error| format!("the rate limiter's acquire() threw: {}", describe(&error))),
        )
    }

    /// `options.fetch`, else the global `fetch` as it is now (polyfills may come late).
    pub fn fetch(&self, op: &Operation) -> Result<Function, Failure> {
        if let Some(fetch) = &self.settings.fetch {
            return Ok(fetch.clone());
        }
        Reflect::get(&js_sys::global(), &"fetch".into()).ok().and_then(|f| f.dyn_into::<Function>().ok()).ok_or_else(
            || {
                let message = "this host has no global fetch: pass one as options.fetch".to_owned();
                Failure::config(op.provider, op.name, message, Vec::new())
            },
        )
    }
}

/// The `retryAfterMs` a limiter's rejection carries (a whole, non-negative number of ms), if any.
fn retry_after_of(reason: &JsValue) -> Option<u64> {
    let ms = Reflect::get(reason, &"retryAfterMs".into()).ok()?.as_f64()?;
    (ms.is_finite() && ms >= 0.0).then(|| ms.ceil() as u64)
}

/// A prepared request as the plain object `PreparedRequest`: the head as one JSON text the host
/// parses, then `body` (the request's, as a JS string or null).
fn request_to_js(request: &PreparedRequest, body: JsValue) -> JsValue {
    let Ok(out) = JSON::parse(&head_json(request)) else {
        return JsValue::NULL; // unreachable: the head is JSON
    };
    set(out.unchecked_ref(), "body", body);
    out
}

/// `{"method":…,"url":…,"headers":{…}}` of a prepared request.
fn head_json(request: &PreparedRequest) -> String {
    let mut head = String::from("{\"method\":");
    write_json_string(&request.method, &mut head);
    head.push_str(",\"url\":");
    write_json_string(&request.url, &mut head);
    head.push_str(",\"headers\":{");
    for (i, (name, value)) in request.headers.iter().enumerate() {
        if i > 0 {
            head.push(',');
        }
        write_json_string(name, &mut head);
        head.push(':');
        write_json_string(value, &mut head);
    }
    head.push_str("}}");
    head
}

/// Declares a client's validate/prepare/call triple for one operation. The input's TS type is
/// the operation's own (generated from its table: src/typescript.rs), named by `$input`.
/// `visitor` operations are in every build; `full` ones (a relay never serves them to a
/// visitor) only with the "full" feature, not in `ticketwire/lite`. Which is which is the
/// operation's own `relaying` (`Operation::servable_to_visitors`): the mark is checked against it
/// at compile time.
macro_rules! operation_methods {
    (visitor $client:ident, $op:path, $($rest:tt)*) => {
        const _: () = assert!($op.servable_to_visitors(), "a relay never serves it to a visitor: mark it `full`");
        $crate::wasm::client::operation_methods!(@methods $client, $op, $($rest)*);
    };
    (full $client:ident, $op:path, $($rest:tt)*) => {
        const _: () = assert!(!$op.servable_to_visitors(), "a relay may serve it to a visitor: mark it `visitor`");
        #[cfg(feature = "full")]
        $crate::wasm::client::operation_methods!(@methods $client, $op, $($rest)*);
    };
    (@methods $client:ident, $op:path, $input:literal, $result:literal,
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
                #[wasm_bindgen(unchecked_param_type = $input)] input: JsValue,
                options: Option<$crate::wasm::options::CallOptions>,
            ) -> Result<JsValue, JsValue> {
                self.client.prepare(&$op, &input, &options.map_or(JsValue::UNDEFINED, Into::into))
            }

            /// Validates, then sends. Rejects with `TicketwireError`; nothing is sent for a bad input.
            #[wasm_bindgen(js_name = $call_js, unchecked_return_type = $result)]
            pub fn $call(
                &self,
                #[wasm_bindgen(unchecked_param_type = $input)] input: JsValue,
                options: Option<$crate::wasm::options::CallOptions>,
            ) -> js_sys::Promise {
                self.client.call(&$op, &input, &options.map_or(JsValue::UNDEFINED, Into::into))
            }
        }
    };
}

pub(crate) use operation_methods;
