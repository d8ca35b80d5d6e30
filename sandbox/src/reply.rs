//! What the sandbox answers, and how an answer goes on the wire, mangled by a fault if one is
//! armed (an HTML page, half a body, a cut connection).

use crate::faults::Fault;
use axum::body::{Body, Bytes};
use axum::http::StatusCode;
use axum::response::Response;
use ticketwire::value::Value;

/// What a request gets back, before faults mangle it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body, if any.
    pub body: Option<String>,
    /// Extra headers (`retry-after`).
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    /// A JSON reply.
    pub fn json(status: u16, value: Value) -> Reply {
        Reply { status, body: Some(value.to_json()), headers: Vec::new() }
    }

    /// A reply with no body.
    pub fn empty(status: u16) -> Reply {
        Reply { status, body: None, headers: Vec::new() }
    }
}

/// How a request ended: a reply, or a cut connection.
pub(crate) enum Ending {
    /// An answer, sent as a fault mangles it.
    Reply(Reply),
    /// No answer: the connection is cut (a fault's `drop`).
    Dropped,
}

/// A body that fails at once: hyper then cuts the connection.
struct BrokenBody;

impl http_body::Body for BrokenBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        let cut = std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "sandbox fault: connection dropped");
        std::task::Poll::Ready(Some(Err(cut)))
    }
}

/// The HTTP response for `ending`, as `fault` (if any) mangles it.
pub(crate) fn respond(ending: Ending, fault: Option<&Fault>) -> Response {
    let reply = match ending {
        Ending::Dropped => {
            let mut response = Response::new(Body::new(BrokenBody));
            *response.status_mut() = StatusCode::OK;
            return response;
        }
        Ending::Reply(reply) => reply,
    };
    let mut body = reply.body.unwrap_or_default();
    let mut content_type = "application/json";
    if fault.is_some_and(|f| f.non_json) {
        body = "<html><body><h1>502 Bad Gateway</h1></body></html>".to_owned();
        content_type = "text/html";
    }
    if fault.is_some_and(|f| f.truncate) {
        let mut half = body.len() / 2;
        while !body.is_char_boundary(half) {
            half -= 1;
        }
        body.truncate(half);
    }
    let mut builder = Response::builder().status(reply.status);
    if !body.is_empty() {
        builder = builder.header("content-type", content_type);
    }
    for (name, value) in reply.headers {
        builder = builder.header(name, value);
    }
    builder.body(Body::from(body)).unwrap_or_else(|e| {
        // Never a silent empty 200: say what could not be sent.
        let mut response =
            Response::new(Body::from(format!(r#"{{"error":"the sandbox could not build its answer: {e}"}}"#)));
        *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        response
    })
}

/// A JSON response no fault touches (the sandbox's own routes).
pub(crate) fn json_response(status: u16, value: Value) -> Response {
    respond(Ending::Reply(Reply::json(status, value)), None)
}
