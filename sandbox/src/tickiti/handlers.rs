//! What Tickiti's server does with a request it took (CONTRACT §3): idempotency keys that replay or
//! conflict, queues, templates and interventions, and responses on tickets.

use crate::endpoints::{Handled, Request};
use crate::json::{n, obj, s, text};
use crate::{db, Reply};
use rusqlite::{params, OptionalExtension, Transaction};
use ticketwire::value::{Object, Value};

fn err(status: u16, code: &str, message: &str) -> Reply {
    Reply::json(status, obj([("code", s(code)), ("message", s(message))]))
}

fn invalid(message: &str) -> Reply {
    err(422, "validation_failed", message)
}

fn sql<T>(result: rusqlite::Result<T>) -> Result<T, Reply> {
    result.map_err(|_| err(500, "server_error", "Server Error"))
}

/// The same key with the same body replays the stored answer; with another body it conflicts.
pub(super) fn idempotent(tx: &Transaction, req: &Request, operation: fn(&Transaction, &Request) -> Handled) -> Handled {
    let Some(key) = req.idempotency_key else {
        return Err(invalid("The Idempotency-Key header is required."));
    };
    let request = Value::Object(req.input.clone()).to_json();
    let stored: Option<(String, u16, String)> = sql(tx
        .query_row(
            "SELECT request, status, response FROM tickiti_idempotency WHERE org = ?1 AND key = ?2",
            params![req.org, key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional())?;
    match stored {
        Some((same, status, response)) if same == request => {
            Ok(Reply { status, body: Some(response), headers: Vec::new() })
        }
        Some(_) => {
            Err(err(409, "idempotency_key_conflict", "The idempotency key was already used with a different payload."))
        }
        None => {
            let reply = operation(tx, req)?;
            sql(tx.execute(
                "INSERT INTO tickiti_idempotency (org, key, request, status, response) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![req.org, key, request, reply.status, reply.body.clone().unwrap_or_default()],
            ))?;
            Ok(reply)
        }
    }
}

/// The originator's user, created if unknown.
fn originator(tx: &Transaction, req: &Request) -> Result<i64, Reply> {
    let email = text(req.input, "originator_email_address").unwrap_or("");
    sql(tx.execute("INSERT OR IGNORE INTO tickiti_users (org, email) VALUES (?1, ?2)", params![req.org, email]))?;
    sql(tx
        .query_row("SELECT id FROM tickiti_users WHERE org = ?1 AND email = ?2", params![req.org, email], |r| r.get(0)))
}

fn known(tx: &Transaction, table: &str, column: &str, org: &str, value: &str) -> Result<Option<String>, Reply> {
    let query = format!(
        "SELECT {} FROM {table} WHERE org = ?1 AND {column} = ?2",
        if table == "tickiti_queues" { "name" } else { "queue" }
    );
    sql(tx.query_row(&query, params![org, value], |r| r.get(0)).optional())
}

/// Files a ticket and its first response; returns (ticket id, number, secure id).
fn file_ticket(
    tx: &Transaction,
    req: &Request,
    queue: &str,
    subject: &str,
    content: &str,
    public: bool,
) -> Result<(i64, i64, String), Reply> {
    if known(tx, "tickiti_queues", "name", req.org, queue)?.is_none() {
        return Err(invalid("The selected queue is invalid."));
    }
    let user = originator(tx, req)?;
    let number = 100_000 + sql(db::next(tx, "tickiti_ticket"))?;
    let secure_id = format!("{:016x}", (number as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    sql(tx.execute(
        "INSERT INTO tickiti_tickets (org, number, secure_id, originator, queue, subject, status, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'Open', ?7)",
        params![req.org, number, secure_id, user, queue, subject, req.now],
    ))?;
    let id = tx.last_insert_rowid();
    sql(tx.execute(
        "INSERT INTO tickiti_responses (org, ticket, content, public, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![req.org, id, content, public, req.now],
    ))?;
    Ok((id, number, secure_id))
}

pub(super) fn create_ticket(tx: &Transaction, req: &Request) -> Handled {
    let input = req.input;
    let empty = Object::new();
    let data = input.get("data").and_then(Value::as_object).unwrap_or(&empty);
    let public = input.get("is_public") != Some(&Value::Bool(false));
    let template = text(input, "template_identifier");
    let intervention = text(input, "intervention");
    let default_queue = match (template, intervention) {
        (Some(t), _) => known(tx, "tickiti_templates", "identifier", req.org, t)?
            .ok_or_else(|| invalid("The selected template is invalid."))?,
        (_, Some(i)) => known(tx, "tickiti_interventions", "identifier", req.org, i)?
            .ok_or_else(|| invalid("The selected intervention is invalid."))?,
        _ => "Inbox".to_owned(),
    };
    let queue = text(data, "queue_name").map_or(default_queue, str::to_owned);
    let (subject, content) = match (template, intervention) {
        (Some(t), _) => (format!("Template {t}"), format!("{t}: {}", Value::Object(data.clone()).to_json())),
        (_, Some(i)) => (format!("Intervention {i}"), format!("{i}: {}", Value::Object(data.clone()).to_json())),
        _ => (text(data, "subject").unwrap_or("").to_owned(), text(data, "content").unwrap_or("").to_owned()),
    };
    file_ticket(tx, req, &queue, &subject, &content, public)?;
    let used = |b: bool| Value::Bool(b);
    let data = obj([
        ("queue", s(&queue)),
        ("used_template", used(template.is_some())),
        ("used_intervention", used(intervention.is_some())),
        ("used_private_template", used(template.is_some() && !public)),
        ("used_public_template", used(template.is_some() && public)),
    ]);
    Ok(Reply::json(201, obj([("ok", Value::Bool(true)), ("data", data)])))
}

pub(super) fn create_ticket_unified(tx: &Transaction, req: &Request) -> Handled {
    let input = req.input;
    let queue = text(input, "queue_name").unwrap_or("Inbox");
    let public = input.get("is_public") != Some(&Value::Bool(false));
    let subject = text(input, "subject").unwrap_or("");
    let (id, number, secure_id) = file_ticket(tx, req, queue, subject, text(input, "content").unwrap_or(""), public)?;
    Ok(Reply::json(201, obj([("ticket_number", n(number)), ("ticket_id", n(id)), ("secure_id", s(&secure_id))])))
}

pub(super) fn respond(tx: &Transaction, req: &Request) -> Handled {
    let input = req.input;
    let number = match input.get("ticket_number") {
        Some(Value::Number(n)) => *n as i64,
        Some(Value::String(digits)) => digits.parse().unwrap_or(-1),
        _ => -1,
    };
    let ticket: Option<(i64, String)> = sql(tx
        .query_row(
            "SELECT id, status FROM tickiti_tickets WHERE org = ?1 AND number = ?2",
            params![req.org, number],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional())?;
    let Some((id, status)) = ticket else {
        return Err(err(404, "not_found", "Ticket not found."));
    };
    let reopened = status != "Open";
    if reopened {
        sql(tx.execute("UPDATE tickiti_tickets SET status = 'Open' WHERE id = ?1", params![id]))?;
    }
    let internal = input.get("is_internal") == Some(&Value::Bool(true));
    sql(tx.execute(
        "INSERT INTO tickiti_responses (org, ticket, content, public, from_email, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![req.org, id, text(input, "content").unwrap_or(""), !internal, text(input, "from_email"), req.now],
    ))?;
    let data =
        obj([("ticket_id", n(id)), ("response_id", n(tx.last_insert_rowid())), ("reopened", Value::Bool(reopened))]);
    Ok(Reply::json(201, obj([("ok", Value::Bool(true)), ("data", data)])))
}
