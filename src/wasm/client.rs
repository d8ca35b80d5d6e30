//! What every provider's client shares: its settings, and the loop of one call
//! (validate → prepare → fetch → interpret). Provider classes only name their operations.

use super::convert;
use super::error::{set, to_js_error, violations_to_js};
use super::options::{read_call_options, read_client_options, CallSettings, Settings};
use super::sys::{date_now, json_parse, reflect_get};
use super::transport::{self, TransportError};
use crate::error::{ErrorKind, Failure};
use crate::operation::{Operation, Provider};
use crate::request::PreparedRequest;
use crate::response::{read_response, RawResponse};
use js_sys::{Function, Object, Promise};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// One client's state, shared with the calls it has in flight.
pub struct Client {
    provider: Provider,
    settings: Settings,
}

impl Client {
    /// Reads the options; the error is a thrown `TicketwireError` of kind `config`.
    pub fn new(provider: Provider, class_name: &str, options: &JsValue) -> Result<Rc<Client>, JsValue> {
        match read_client_options(provider, class_name, options) {
            Ok(settings) => Ok(Rc::new(Client { provider, settings })),
            Err(failure) => Err(to_js_error(failure, None)),
        }
    }

    fn secret(&self) -> Option<&str> {
        self.settings.config.api_key.as_ref().map(|k| k.expose())
    }

    fn throw(&self, failure: Failure) -> JsValue {
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

    async fn send(&self, op: &Operation, request: &PreparedRequest, call: &CallSettings) -> Result<JsValue, Failure> {
        let fetch = self.fetch(op)?;
        let timeout = self.settings.timeout_ms;
        let response = transport::send(&fetch, request, timeout, call.signal.as_ref()).await.map_err(|e| {
            let provider = self.provider.display_name();
            match e {
                TransportError::Timeout => {
                    // `timeoutMs` is a checked integer: no float formatting needed.
                    let ms = timeout as u32;
                    Failure::new(ErrorKind::Timeout, op, format!("{provider} {} timed out after {ms} ms", op.name))
                }
                TransportError::Aborted => {
                    Failure::new(ErrorKind::Aborted, op, format!("{provider} {} was aborted", op.name))
                }
                TransportError::Network(why) => {
                    Failure::new(ErrorKind::Network, op, format!("{provider} {} got no response: {why}", op.name))
                }
            }
        })?;
        let raw =
            RawResponse { status: response.status, retry_after: response.retry_after.as_deref(), body: &response.body };
        let json = read_response(op, raw, date_now() as u64)?;
        // read_response only passes JSON it has parsed itself.
        Ok(json_parse(&json).unwrap_or(JsValue::NULL))
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
