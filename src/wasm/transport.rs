//! The host's I/O for one call: an HTTP attempt through `fetch` (with no `credentials`, `mode`
//! or `cache` fields, which Workers rejects, and `redirect: "manual"`: never followed), its body
//! read up to a limit, and a [`Wake`]: the host timer and the caller's abort as one promise.
//! Every JS promise an attempt waits on races the wake, so a `fetch` or a body that ignores its
//! signal never holds a call past its timeout, deadline or abort. No rule lives here: the
//! core's `Call` says what to do.

use super::error::set;
use super::sys::{call_method, clear_timeout, set_timeout, AbortController, AbortSignal, ReadableStream, TextDecoder};
use crate::call::{CallEvent, Millis, Transmit};
use crate::response::Response;
use js_sys::{Array, ArrayBuffer, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// `setTimeout` fires at once for delays past 2^31 − 1 ms, so no timer is set longer.
pub const MAX_TIMER_MS: f64 = crate::options::MAX_TIMER_MS as f64;

/// Why a [`Wake`] woke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Woke {
    /// Its time came.
    Timer,
    /// The caller's signal aborted.
    Aborted,
}

/// A promise that resolves when a host timer fires or the caller's signal aborts, whichever
/// is first. Dropping it clears the timer and removes the listener.
pub struct Wake {
    promise: Promise,
    /// What the promise resolves with when the timer fires, and when the signal aborts:
    /// objects of our own, which no `fetch` can return.
    timer_token: JsValue,
    abort_token: JsValue,
    timer: Option<JsValue>,
    listener: Option<(AbortSignal, Function)>,
}

impl Wake {
    /// A wake in `delay_ms` (none: only the abort), or at once when `signal` has aborted. A
    /// signal or timer that throws is reported in words, for a `HostFailed` event.
    pub fn new(delay_ms: Option<Millis>, signal: Option<&AbortSignal>) -> Result<Wake, String> {
        let timer_token: JsValue = Object::new().into();
        let abort_token: JsValue = Object::new().into();
        let mut resolve_with: Option<Function> = None;
        let promise = Promise::new(&mut |resolve, _| resolve_with = Some(resolve));
        let resolve = resolve_with.ok_or("the host's Promise did not run its executor")?;
        let mut wake = Wake {
            promise,
            timer_token: timer_token.clone(),
            abort_token: abort_token.clone(),
            timer: None,
            listener: None,
        };
        if let Some(signal) = signal {
            if has_aborted(Some(signal))? {
                let _ = resolve.call1(&JsValue::UNDEFINED, &abort_token);
                return Ok(wake);
            }
            let on_abort: Function = call_method(&resolve, "bind", &[&JsValue::NULL, &abort_token])
                .ok()
                .and_then(|f| f.dyn_into().ok())
                .ok_or("Function.prototype.bind is missing")?;
            if let Err(error) = signal.add_event_listener("abort", &on_abort) {
                return Err(format!("options.signal threw when listened to: {}", describe(&error)));
            }
            wake.listener = Some((signal.clone(), on_abort));
        }
        if let Some(delay) = delay_ms {
            let delay = delay.clamp(0.0, MAX_TIMER_MS);
            match set_timeout(&resolve, delay, &timer_token) {
                Ok(timer) => wake.timer = Some(timer),
                Err(error) => return Err(format!("the host's setTimeout threw: {}", describe(&error))),
            }
        }
        Ok(wake)
    }

    /// Waits for the wake.
    pub async fn wait(&self) -> Woke {
        let woke = JsFuture::from(self.promise.clone()).await.unwrap_or(JsValue::UNDEFINED);
        self.why(&woke)
    }

    /// Waits for `value` (a promise, a thenable or a plain value) or the wake, whichever is first.
    pub async fn race(&self, value: &JsValue) -> Result<Result<JsValue, JsValue>, Woke> {
        let raced = JsFuture::from(Promise::race(&Array::of2(value, &self.promise))).await;
        match raced {
            Ok(value) if self.is_token(&value) => Err(self.why(&value)),
            settled => Ok(settled),
        }
    }

    fn is_token(&self, value: &JsValue) -> bool {
        Object::is(value, &self.timer_token) || Object::is(value, &self.abort_token)
    }

    fn why(&self, value: &JsValue) -> Woke {
        if Object::is(value, &self.timer_token) {
            Woke::Timer
        } else {
            Woke::Aborted
        }
    }
}

impl Drop for Wake {
    fn drop(&mut self) {
        if let Some(timer) = &self.timer {
            let _ = clear_timeout(timer);
        }
        if let Some((signal, listener)) = &self.listener {
            let _ = signal.remove_event_listener("abort", listener);
        }
    }
}

/// Whether the caller's signal has aborted; a signal whose getter throws, in words.
pub fn has_aborted(signal: Option<&AbortSignal>) -> Result<bool, String> {
    match signal.map(AbortSignal::aborted) {
        None => Ok(false),
        Some(Ok(aborted)) => Ok(aborted.as_bool() == Some(true)),
        Some(Err(error)) => Err(format!("options.signal threw when read: {}", describe(&error))),
    }
}

/// An outgoing attempt, built before anything is awaited.
pub struct Outgoing {
    url: JsValue,
    init: Object,
    controller: Option<AbortController>,
    max_response_bytes: usize,
}

impl Outgoing {
    /// The `fetch` arguments for `transmit`, with a signal of our own to cancel it.
    pub fn new(transmit: &Transmit) -> Outgoing {
        let request = transmit.request;
        let headers = Object::new();
        for (name, value) in &request.headers {
            set(&headers, name, value.as_str());
        }
        let init = Object::new();
        set(&init, "method", request.method.as_str());
        set(&init, "headers", headers);
        // Never follow a redirect (CONTRACT §6): fetch would send the key headers it does not
        // know (`x-auth-token`, `x-api-key`), and the body on a 307/308, to another host. The
        // core reads the 3xx (or a browser's opaque redirect) as `UNEXPECTED_REDIRECT`.
        set(&init, "redirect", "manual");
        if let Some(body) = &request.body {
            set(&init, "body", body.as_str());
        }
        let controller = AbortController::new().ok();
        if let Some(controller) = &controller {
            set(&init, "signal", controller.signal());
        }
        Outgoing { url: request.url.as_str().into(), init, controller, max_response_bytes: transmit.max_response_bytes }
    }
}

/// How an attempt ended, as owned data for a [`CallEvent`].
pub enum AttemptEnd {
    /// An answer, body read whole.
    Response(Response),
    /// An answer whose body is over the limit (not read past it).
    TooLarge {
        /// The HTTP status.
        status: u16,
    },
    /// No answer; the host's words.
    Failed(String),
}

impl AttemptEnd {
    /// The event for the core's `Call`.
    pub fn event(&self) -> CallEvent<'_> {
        match self {
            AttemptEnd::Response(answer) => CallEvent::Response(answer),
            AttemptEnd::TooLarge { status } => CallEvent::ResponseTooLarge { status: *status },
            AttemptEnd::Failed(why) => CallEvent::TransportFailed(why),
        }
    }
}

/// Cancels the request (through its signal) unless the attempt finished.
struct CancelOnDrop<'a>(Option<&'a AbortController>);

impl Drop for CancelOnDrop<'_> {
    fn drop(&mut self) {
        if let Some(controller) = self.0 {
            let _ = controller.abort();
        }
    }
}

/// Sends `outgoing` through `fetch` and reads the answer, racing every step against `wake`.
pub async fn attempt(fetch: &Function, outgoing: Outgoing, wake: &Wake) -> Result<AttemptEnd, Woke> {
    let mut cancel = CancelOnDrop(outgoing.controller.as_ref());
    let end = match fetch.call2(&JsValue::UNDEFINED, &outgoing.url, &outgoing.init) {
        Ok(fetched) => match wake.race(&fetched).await? {
            Ok(response) => read_response(&response, outgoing.max_response_bytes, wake).await?,
            Err(error) => AttemptEnd::Failed(describe(&error)),
        },
        Err(error) => AttemptEnd::Failed(describe(&error)),
    };
    if matches!(end, AttemptEnd::Response(_)) {
        cancel.0 = None; // read whole: nothing to cancel
    }
    Ok(end)
}

async fn read_response(response: &JsValue, max_bytes: usize, wake: &Wake) -> Result<AttemptEnd, Woke> {
    // A browser hides a redirect it did not follow: `type: "opaqueredirect"`, status 0, no body.
    let kind = Reflect::get(response, &"type".into()).ok().and_then(|t| t.as_string());
    if kind.as_deref() == Some("opaqueredirect") {
        return Ok(AttemptEnd::Response(Response::new(crate::response::OPAQUE_REDIRECT, "")));
    }
    let status = Reflect::get(response, &"status".into()).ok().and_then(|s| s.as_f64());
    let Some(status) = status.filter(|s| (100.0..=599.0).contains(s) && s.fract() == 0.0).map(|s| s as u16) else {
        return Ok(AttemptEnd::Failed("fetch resolved to something that is not a Response".to_owned()));
    };
    let header = |name: &str| {
        Reflect::get(response, &"headers".into())
            .and_then(|headers| call_method(&headers, "get", &[&name.into()]))
            .ok()
            .and_then(|v| v.as_string())
    };
    let retry_after = header("retry-after");
    let content_type = header("content-type");
    let capability = header(crate::request::CAPABILITY_HEADER);
    let socket_offered = header(crate::request::SOCKET_HEADER).as_deref() == Some("offered");
    let declared = header("content-length").and_then(|n| n.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > max_bytes as u64) {
        cancel_body(response);
        return Ok(AttemptEnd::TooLarge { status });
    }
    let stream = Reflect::get(response, &"body".into()).unwrap_or(JsValue::UNDEFINED);
    let readable = stream.is_object() && Reflect::get(&stream, &"getReader".into()).is_ok_and(|f| f.is_function());
    let body = if readable {
        read_stream(&stream, max_bytes, wake, false).await?
    } else {
        read_text(response, max_bytes, wake).await?
    };
    Ok(match body {
        Body::Text(body) => {
            AttemptEnd::Response(Response { status, retry_after, content_type, capability, socket_offered, body })
        }
        Body::TooLarge => AttemptEnd::TooLarge { status },
        Body::Failed(why) => AttemptEnd::Failed(why),
    })
}

/// A body read whole, or why not.
pub enum Body {
    /// The text.
    Text(String),
    /// Over the limit (not read past it).
    TooLarge,
    /// The stream failed, or (when decoding strictly) the bytes are not UTF-8; in words.
    Failed(String),
}

/// Reads a `ReadableStream` whole, stopping (and cancelling it) past `max_bytes`. The bytes stay
/// in JS until the whole body is known to fit, so a body over the limit never grows wasm
/// memory; the text is decoded as `Response.text()` does (`TextDecoder`: UTF-8, a leading BOM
/// dropped, bad bytes replaced), or refused when `strict` and not UTF-8. A byte stream (a fetch
/// body in workerd, Node and most browsers) is read in pieces of up to [`BYOB_READ_BYTES`];
/// any other stream chunk by chunk, as it comes.
pub async fn read_stream(stream: &JsValue, max_bytes: usize, wake: &Wake, strict: bool) -> Result<Body, Woke> {
    let whole = match read_bytes(stream, max_bytes, wake).await? {
        Ok(whole) => whole,
        Err(body) => return Ok(body),
    };
    let options = Object::new();
    set(&options, "fatal", strict);
    let text = TextDecoder::new("utf-8", &options).and_then(|decoder| decoder.decode(&whole));
    Ok(match text {
        Ok(text) => Body::Text(String::from(text)),
        Err(error) => Body::Failed(describe(&error)),
    })
}

/// The most a BYOB read asks for, and the least workerd's `readAtLeast` waits for: workerd
/// otherwise hands a fetch body over in pieces of about 3 KB, each a promise to wait for.
const BYOB_READ_BYTES: u32 = 64 * 1024;

/// A BYOB reader of `stream` when it is the host's own `ReadableStream` and a byte stream (a
/// look-alike's `getReader` may ignore the mode and hand over a default reader).
fn byob_reader(stream: &JsValue) -> Option<JsValue> {
    if !stream.is_instance_of::<ReadableStream>() {
        return None;
    }
    let options = Object::new();
    set(&options, "mode", "byob");
    // A stream that is not a byte stream throws, and stays unlocked for a default reader.
    call_method(stream, "getReader", &[&options]).ok()
}

/// Reads a stream's bytes whole, or says why not; the pieces stay in JS until the whole is
/// known to fit, then are joined once.
///
/// A byte stream is read through a BYOB reader, never asked for more than `max_bytes + 1` in
/// all, into a buffer of [`BYOB_READ_BYTES`]: a piece that fills at least half of it is kept
/// as it is (the next read gets a new buffer), a smaller one is copied out and the buffer
/// reused. workerd's `readAtLeast` waits until a piece is full, so there a body of 1 MiB takes
/// 17 reads, not 320, and no copy; elsewhere a read takes what has come. Any other stream is
/// read through a default reader, chunk by chunk as it gives them.
async fn read_bytes(stream: &JsValue, max_bytes: usize, wake: &Wake) -> Result<Result<Uint8Array, Body>, Woke> {
    // Past this many bytes the body is over the limit.
    let limit = u32::try_from(max_bytes).map_or(u32::MAX, |n| n.saturating_add(1));
    let size = BYOB_READ_BYTES.min(limit);
    let (reader, mut scratch) = match byob_reader(stream) {
        Some(reader) => (reader, Some(ArrayBuffer::new(size))),
        None => match call_method(stream, "getReader", &[]) {
            Ok(reader) => (reader, None),
            Err(error) => return Ok(Err(Body::Failed(describe(&error)))),
        },
    };
    let read_at_least = match scratch {
        Some(_) => Reflect::get(&reader, &"readAtLeast".into()).ok().and_then(|f| f.dyn_into::<Function>().ok()),
        None => None,
    };
    let pieces = Array::new();
    let mut total: u32 = 0;
    loop {
        let ask = (limit - total).min(size);
        let read = match (&scratch, &read_at_least) {
            (None, _) => call_method(&reader, "read", &[]),
            (Some(buffer), read_at_least) => {
                let view = Uint8Array::new_with_byte_offset_and_length(buffer, 0, ask);
                match read_at_least {
                    Some(read_at_least) => read_at_least.call2(&reader, &ask.into(), &view),
                    None => call_method(&reader, "read", &[&view]),
                }
            }
        };
        let read = match read {
            Ok(read) => read,
            Err(error) => return Ok(Err(Body::Failed(describe(&error)))),
        };
        let chunk = match wake.race(&read).await {
            Ok(Ok(chunk)) => chunk,
            Ok(Err(error)) => return Ok(Err(Body::Failed(describe(&error)))),
            Err(woke) => {
                settle_quietly(call_method(&reader, "cancel", &[]));
                return Err(woke);
            }
        };
        // A BYOB `done` may come with bytes (as the standard's `read(view, { min })` brings the
        // last piece; Node 20 gets that option wrong, so it is not asked for): keep them.
        let done = Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()) == Some(true);
        let value = Reflect::get(&chunk, &"value".into()).unwrap_or(JsValue::UNDEFINED);
        if done && (scratch.is_none() || !ArrayBuffer::is_view(&value)) {
            break;
        }
        let Some(part) = bytes_of_any_realm(value) else {
            settle_quietly(call_method(&reader, "cancel", &[]));
            return Ok(Err(Body::Failed("the response body gave something that is not bytes".to_owned())));
        };
        let length = part.length();
        if u64::from(total) + u64::from(length) > max_bytes as u64 {
            settle_quietly(call_method(&reader, "cancel", &[]));
            return Ok(Err(Body::TooLarge));
        }
        total += length;
        match &scratch {
            Some(_) if !done => {
                // The read transferred the buffer passed: it came back as the piece's.
                let back = part.buffer();
                if length < size / 2 && back.byte_length() >= size {
                    pieces.push(&part.slice(0, length));
                    scratch = Some(back);
                } else {
                    pieces.push(&part);
                    scratch = Some(ArrayBuffer::new(size));
                }
            }
            _ => {
                pieces.push(&part);
            }
        }
        if done {
            break;
        }
    }
    // One BYOB piece is the whole (a default reader's chunk may be of another realm: copied).
    if scratch.is_some() && pieces.length() == 1 {
        return Ok(Ok(pieces.get(0).unchecked_into()));
    }
    let whole = Uint8Array::new_with_length(total);
    let mut at = 0;
    for part in pieces.iter() {
        let part: Uint8Array = part.unchecked_into();
        whole.set(&part, at);
        at += part.length();
    }
    Ok(Ok(whole))
}

/// `response.text()`, for `Response`-like objects without a stream (test doubles).
async fn read_text(response: &JsValue, max_bytes: usize, wake: &Wake) -> Result<Body, Woke> {
    let text = match call_method(response, "text", &[]) {
        Ok(text) => text,
        Err(error) => return Ok(Body::Failed(describe(&error))),
    };
    let text = match wake.race(&text).await? {
        Ok(text) => text,
        Err(error) => return Ok(Body::Failed(describe(&error))),
    };
    let Some(text) = text.dyn_ref::<js_sys::JsString>() else {
        return Ok(Body::Failed("response.text() resolved to something that is not a string".to_owned()));
    };
    // UTF-8 takes at least a byte per UTF-16 unit: a string this long is too large uncopied.
    if text.length() as usize > max_bytes {
        return Ok(Body::TooLarge);
    }
    let text = String::from(text);
    Ok(if text.len() > max_bytes { Body::TooLarge } else { Body::Text(text) })
}

/// Cancels a body not read (its size is over the limit), so the connection is freed.
fn cancel_body(response: &JsValue) {
    if let Ok(stream) = Reflect::get(response, &"body".into()) {
        if stream.is_object() {
            settle_quietly(call_method(&stream, "cancel", &[]));
        }
    }
}

/// Lets a promise we do not wait for settle without an unhandled rejection.
fn settle_quietly(promise: Result<JsValue, JsValue>) {
    if let Ok(promise) = promise {
        drop(JsFuture::from(Promise::race(&Array::of1(&promise))));
    }
}

/// A host `Response` with this status, headers and body (none when empty); `None` when the
/// host has no `Response` or refuses the status. (The edge's: the relay and the limiter answer.)
#[cfg(feature = "edge")]
pub fn new_response(status: u16, headers: &[(String, String)], body: &str) -> Option<JsValue> {
    let header_object = Object::new();
    for (name, value) in headers {
        set(&header_object, name, value.as_str());
    }
    let init = Object::new();
    set(&init, "status", status);
    set(&init, "headers", header_object);
    let body = if body.is_empty() { JsValue::NULL } else { JsValue::from_str(body) };
    let class = Reflect::get(&js_sys::global(), &"Response".into()).ok()?.dyn_into::<Function>().ok()?;
    Reflect::construct(&class, &Array::of2(&body, &init)).ok()
}

/// A JS error as one line: its message and its cause's (Node puts `ECONNREFUSED` there).
pub fn describe(error: &JsValue) -> String {
    let message_of = |e: &JsValue| Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string());
    let Some(message) = message_of(error).or_else(|| error.as_string()) else {
        return "fetch failed".to_owned();
    };
    match Reflect::get(error, &"cause".into()).ok().as_ref().and_then(message_of) {
        Some(cause) => format!("{message}: {cause}"),
        None => message,
    }
}

/// A body chunk as bytes: a `Uint8Array` of any realm. (Under jsdom, Node's `fetch` hands over
/// Node's `Uint8Array`, which is not an `instanceof` the page's.)
fn bytes_of_any_realm(value: JsValue) -> Option<Uint8Array> {
    if !js_sys::ArrayBuffer::is_view(&value) {
        return None;
    }
    let tag = Reflect::get(&value, &js_sys::Symbol::to_string_tag().into()).ok()?;
    (tag.as_string().as_deref() == Some("Uint8Array")).then(|| value.unchecked_into())
}
