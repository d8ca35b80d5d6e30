//! HelpWave's endpoints, one row each, and the checks its handlers make beyond the schemas
//! (sources/helpwave-*.md, CONTRACT §2).

use super::handlers;
use crate::endpoints::{Checks, Endpoint, Input, Mistake};
use crate::provider::Provider::HelpWave;
use crate::schema::{self, pointer, Leniency, Relaxed};
use ticketwire::value::{Object, Value};

/// Every HelpWave endpoint the sandbox serves.
pub(crate) const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        provider: HelpWave,
        name: "createTicket",
        method: "POST",
        path: "/api/v1/tickets",
        input: Input::Body(include_str!("../../schemas/helpwave/create-ticket.json")),
        checks: Checks { body: Some(required), fields: Some(create_ticket), ..Checks::NONE },
        handler: handlers::create_ticket,
    },
    Endpoint {
        provider: HelpWave,
        name: "identify",
        method: "POST",
        path: "/api/v1/customers",
        input: Input::Body(include_str!("../../schemas/helpwave/identify.json")),
        checks: Checks { fields: Some(identify), ..Checks::NONE },
        handler: handlers::identify,
    },
    Endpoint {
        provider: HelpWave,
        name: "sendMessage",
        method: "POST",
        path: "/api/v1/tickets/{ticketId}/comments",
        input: Input::Body(include_str!("../../schemas/helpwave/comment.json")),
        checks: Checks { params: Some(ticket_id), fields: Some(comment), ..Checks::NONE },
        handler: handlers::comment,
    },
    Endpoint {
        provider: HelpWave,
        name: "listComments",
        method: "GET",
        path: "/api/v1/tickets/{ticketId}/comments",
        input: Input::None,
        checks: Checks { params: Some(ticket_id), ..Checks::NONE },
        handler: handlers::list_comments,
    },
];

/// A ticket id in a path is digits (BigInt ids, `^[0-9]+$`), before the body is read.
fn ticket_id(params: &[(&str, String)]) -> Option<Mistake> {
    let id = params.iter().find(|(n, _)| *n == "ticketId").map_or("", |(_, v)| v.as_str());
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Mistake::new("/ticketId", "VALIDATION_ERROR", "must match pattern \"^[0-9]+$\""));
    }
    None
}

/// JS truthiness: what `if (!value)` refuses.
fn falsy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) | Some(Value::Bool(false)) => true,
        Some(Value::Number(n)) => *n == 0.0 || n.is_nan(),
        Some(Value::String(s)) => s.is_empty(),
        _ => false,
    }
}

/// `customerId and Channel are required` (sources/helpwave-create-ticket.md): the sentences of
/// CONTRACT §2, before anything else is read.
fn required(body: &Value) -> Option<Mistake> {
    let object = body.as_object();
    for key in ["customerId", "Channel"] {
        if falsy(object.and_then(|o| o.get(key))) {
            let m = Mistake::new(&pointer("", key), "VALIDATION_ERROR", format!("must have required property '{key}'"));
            return Some(m.worded(if key == "customerId" { "customerId is required" } else { "Channel is required" }));
        }
    }
    None
}

/// No refusal of its own: ids that are not canonical and a non-boolean `isOpenedTicket` are read
/// the handler's way (`parseInt`, `'true'`), which the differential counts as leniency.
fn create_ticket(input: &Object, relaxed: &mut Vec<Relaxed>) -> Vec<Mistake> {
    let canonical_id = |v: &Value| match v {
        Value::Number(n) => *n >= 1.0 && n.fract() == 0.0 && *n <= 9_007_199_254_740_991.0,
        Value::String(s) => !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()),
        _ => false,
    };
    for key in ["customerId", "assigned_to"] {
        if input.get(key).is_some_and(|v| !canonical_id(v)) {
            relaxed.push(Relaxed { path: pointer("", key), how: Leniency::Interpreted });
        }
    }
    if input.get("isOpenedTicket").is_some_and(|v| !matches!(v, Value::Bool(_))) {
        relaxed.push(Relaxed { path: "/isOpenedTicket".into(), how: Leniency::Interpreted });
    }
    Vec::new()
}

/// An email or a phone number to find the customer by.
fn identify(input: &Object, _: &mut Vec<Relaxed>) -> Vec<Mistake> {
    if input.get("email").is_none() && input.get("phone_number").is_none() {
        return vec![Mistake::new("", "VALIDATION_ERROR", "must have required property 'email' or 'phone_number'")];
    }
    Vec::new()
}

/// A comment's text must hold more than white space, as JS `trim()` reads it.
fn comment(input: &Object, _: &mut Vec<Relaxed>) -> Vec<Mistake> {
    match input.get("text").and_then(Value::as_str) {
        Some(text) if text.trim_matches(schema::is_js_space).is_empty() => {
            vec![Mistake::new("/text", "VALIDATION_ERROR", "must NOT be blank")]
        }
        _ => Vec::new(),
    }
}
