//! One HTTP attempt through the host's `fetch`, with a per-attempt timeout and the caller's
//! `AbortSignal`. No `credentials`/`mode`/`cache` fields: Workers rejects them.

use super::error::set;
use super::sys::{call_method, clear_timeout, reflect_get, set_timeout, to_promise, AbortController, AbortSignal};
use crate::request::PreparedRequest;
use js_sys::{Function, Object};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// What one attempt got back.
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The `Retry-After` header.
    pub retry_after: Option<String>,
    /// The body text.
    pub body: String,
}

/// Why an attempt got no response.
pub enum TransportError {
    /// The timer fired first.
    Timeout,
    /// The caller aborted.
    Aborted,
    /// The connection failed or broke; the host's own words.
    Network(String),
}

/// Sends `request` once and reads the whole response.
pub async fn send(
    fetch: &Function,
    request: &PreparedRequest,
    timeout_ms: f64,
    caller: Option<&AbortSignal>,
) -> Result<HttpResponse, TransportError> {
    if caller.is_some_and(|s| s.aborted()) {
        return Err(TransportError::Aborted);
    }
    let controller = Rc::new(AbortController::new().map_err(|e| TransportError::Network(describe(&e)))?);
    let timed_out = Rc::new(Cell::new(false));

    let on_timeout = {
        let (controller, timed_out) = (controller.clone(), timed_out.clone());
        Closure::<dyn FnMut()>::new(move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let on_abort = {
        let controller = controller.clone();
        Closure::<dyn FnMut()>::new(move || controller.abort())
    };
    let timer = set_timeout(on_timeout.as_ref().unchecked_ref(), timeout_ms);
    if let Some(signal) = caller {
        let _ = signal.add_event_listener("abort", on_abort.as_ref().unchecked_ref());
    }

    let outcome = attempt(fetch, request, &controller.signal()).await;

    // Disarm both before the closures are dropped, so neither can fire afterwards.
    clear_timeout(&timer);
    if let Some(signal) = caller {
        let _ = signal.remove_event_listener("abort", on_abort.as_ref().unchecked_ref());
    }
    outcome.map_err(|e| {
        if caller.is_some_and(|s| s.aborted()) {
            TransportError::Aborted
        } else if timed_out.get() {
            TransportError::Timeout
        } else {
            TransportError::Network(describe(&e))
        }
    })
}

async fn attempt(fetch: &Function, request: &PreparedRequest, signal: &AbortSignal) -> Result<HttpResponse, JsValue> {
    let headers = Object::new();
    for (name, value) in &request.headers {
        set(&headers, name, value.as_str());
    }
    let init = Object::new();
    set(&init, "method", request.method.as_str());
    set(&init, "headers", headers);
    if let Some(body) = &request.body {
        set(&init, "body", body.as_str());
    }
    set(&init, "signal", signal);

    let response =
        JsFuture::from(to_promise(&fetch.call2(&JsValue::UNDEFINED, &request.url.as_str().into(), &init)?)).await?;
    let status = reflect_get(&response, &"status".into())?
        .as_f64()
        .filter(|s| (100.0..=599.0).contains(s))
        .ok_or_else(|| JsValue::from_str("fetch resolved to something that is not a Response"))?;
    let headers = reflect_get(&response, &"headers".into())?;
    let retry_after = call_method(&headers, "get", &[&"retry-after".into()])?.as_string();
    let body = JsFuture::from(to_promise(&call_method(&response, "text", &[])?)).await?;
    Ok(HttpResponse { status: status as u16, retry_after, body: body.as_string().unwrap_or_default() })
}

/// A JS error as one line: its message and its cause's (Node puts `ECONNREFUSED` there).
fn describe(error: &JsValue) -> String {
    let message_of = |e: &JsValue| reflect_get(e, &"message".into()).ok().and_then(|m| m.as_string());
    let Some(message) = message_of(error).or_else(|| error.as_string()) else {
        return "fetch failed".to_owned();
    };
    match reflect_get(error, &"cause".into()).ok().as_ref().and_then(message_of) {
        Some(cause) => format!("{message}: {cause}"),
        None => message,
    }
}

/// Waits `ms` on the host's timers; `Err` as soon as the caller's signal aborts, even mid-wait.
pub async fn sleep(ms: f64, caller: Option<&AbortSignal>) -> Result<(), ()> {
    if caller.is_some_and(|s| s.aborted()) {
        return Err(());
    }
    let mut timer = JsValue::UNDEFINED;
    let mut on_abort: Option<Function> = None;
    let waited = js_sys::Promise::new(&mut |resolve, reject| {
        timer = set_timeout(&resolve, ms);
        if let Some(signal) = caller {
            let _ = signal.add_event_listener("abort", &reject);
            on_abort = Some(reject);
        }
    });
    let result = JsFuture::from(waited).await;
    clear_timeout(&timer);
    if let (Some(signal), Some(listener)) = (caller, &on_abort) {
        let _ = signal.remove_event_listener("abort", listener);
    }
    result.map(|_| ()).map_err(|_| ())
}
