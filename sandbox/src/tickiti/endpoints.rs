//! Tickiti's endpoints, one row each, and the checks its handlers make beyond the schemas
//! (sources/tickiti-*.md, CONTRACT §3).

use super::handlers::{self, idempotent};
use crate::endpoints::{Checks, Endpoint, Input, Mistake};
use crate::provider::Provider::Tickiti;
use crate::schema::{pointer, Relaxed};
use ticketwire::value::{Object, Value};

/// Every Tickiti endpoint the sandbox serves.
pub(crate) const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        provider: Tickiti,
        name: "createTicket",
        method: "POST",
        path: "/api/create_ticket",
        input: Input::Body(include_str!("../../schemas/tickiti/create-ticket.json")),
        checks: Checks { fields: Some(create_ticket), ..Checks::NONE },
        handler: |tx, req| idempotent(tx, req, handlers::create_ticket),
    },
    Endpoint {
        provider: Tickiti,
        name: "createTicketUnified",
        method: "POST",
        path: "/api/tickets/create",
        input: Input::Body(include_str!("../../schemas/tickiti/create-ticket-unified.json")),
        checks: Checks::NONE,
        handler: handlers::create_ticket_unified,
    },
    Endpoint {
        provider: Tickiti,
        name: "sendMessage",
        method: "POST",
        path: "/api/v1/tickets/respond",
        input: Input::Body(include_str!("../../schemas/tickiti/respond.json")),
        checks: Checks::NONE,
        handler: |tx, req| idempotent(tx, req, handlers::respond),
    },
];

/// Exactly one payload shape (sources/tickiti-create-ticket.md, Body; CONTRACT §3.1).
fn create_ticket(input: &Object, _: &mut Vec<Relaxed>) -> Vec<Mistake> {
    const CODE: &str = "validation_failed";
    let mut out = Vec::new();
    let data = input.get("data").and_then(Value::as_object);
    let has = |k: &str| input.get(k).is_some();
    let (template, intervention) = (has("template_identifier"), has("intervention"));
    let require = |key: &str, out: &mut Vec<Mistake>| {
        if !has(key) {
            out.push(Mistake::new(&pointer("", key), CODE, format!("must have required property '{key}'")).on(""));
        }
    };
    if has("uid") && !intervention {
        out.push(Mistake::new("/uid", CODE, "must NOT be given without 'intervention'"));
    }
    match (template, intervention) {
        (true, true) => out.push(Mistake::new(
            "",
            CODE,
            "must have exactly one of 'template_identifier' or 'intervention', not both",
        )),
        (false, true) => {
            require("uid", &mut out);
            require("data", &mut out);
            if data.is_some_and(|d| d.get("queue_name").is_some()) {
                out.push(Mistake::new(
                    "/data/queue_name",
                    CODE,
                    "must NOT be set with an intervention (it picks the queue)",
                ));
            }
        }
        (true, false) => require("data", &mut out),
        (false, false) => {
            require("data", &mut out);
            for key in ["subject", "content"] {
                let at = format!("/data/{key}");
                match data.map(|d| d.get(key)) {
                    None => {}
                    Some(Some(Value::String(s))) if !s.is_empty() => {}
                    Some(Some(Value::String(_))) => {
                        out.push(Mistake::new(&at, CODE, "must NOT have fewer than 1 characters"))
                    }
                    Some(Some(_)) => out.push(Mistake::new(&at, CODE, "must be string")),
                    Some(None) => {
                        out.push(Mistake::new(&at, CODE, format!("must have required property '{key}'")).on("/data"))
                    }
                }
            }
        }
    }
    if !intervention && data.and_then(|d| d.get("queue_name")).is_some_and(|q| q.as_str().is_none()) {
        out.push(Mistake::new("/data/queue_name", CODE, "must be string"));
    }
    out
}
