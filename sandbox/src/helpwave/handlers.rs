//! What HelpWave's server does with a request it took (CONTRACT §2): conversations with BigInt ids
//! serialized as strings, customers found or created (`existing: true`), and comments.

use crate::endpoints::{Handled, Request};
use crate::json::{n, obj, parse, s, text};
use crate::{db, schema, Reply};
use rusqlite::{params, OptionalExtension, Transaction};
use ticketwire::value::{js_number, Object, Value};

/// The first ticket id handed out: past 2^53, as HelpWave's BigInt ids are.
const FIRST_TICKET_ID: i64 = 987_654_321_012_345_678;

fn err(status: u16, sentence: &str) -> Reply {
    Reply::json(status, obj([("error", s(sentence))]))
}

fn sql<T>(result: rusqlite::Result<T>) -> Result<T, Reply> {
    result.map_err(|_| err(500, "Internal server error"))
}

/// An id as the server reads it: "parsed as integers when present" (JS `parseInt`).
fn parse_id(value: Option<&Value>) -> Option<i64> {
    js_parse_int(value?).filter(|n| n.is_finite() && n.abs() < 9.3e18).map(|n| n as i64)
}

/// JS `parseInt(String(value), 10)`-style reading (the page: ids "are parsed as integers").
fn js_parse_int(value: &Value) -> Option<f64> {
    let text = match value {
        Value::String(s) => s.to_string(),
        Value::Number(n) => js_number(*n),
        Value::Array(items) => items
            .iter()
            .map(|v| match v {
                Value::Null => String::new(),
                Value::String(s) => s.to_string(),
                Value::Number(n) => js_number(*n),
                Value::Bool(b) => b.to_string(),
                _ => "[object Object]".into(),
            })
            .collect::<Vec<_>>()
            .join(","),
        _ => return None,
    };
    let t = text.trim_start_matches(schema::is_js_space);
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (digits, radix) = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => (hex, 16),
        None => (t, 10),
    };
    let n = digits
        .chars()
        .map_while(|c| c.to_digit(radix))
        .try_fold(None, |acc: Option<f64>, d| Some(Some(acc.unwrap_or(0.0) * f64::from(radix) + f64::from(d))))??;
    Some(if negative { -n } else { n })
}

pub(super) fn create_ticket(tx: &Transaction, req: &Request) -> Handled {
    let input = req.input;
    let customer = parse_id(input.get("customerId")).unwrap_or(-1);
    let known = sql(tx
        .query_row(
            "SELECT 1 FROM helpwave_customers WHERE id = ?1 AND org = ?2",
            params![customer, req.org],
            |_| Ok(()),
        )
        .optional())?;
    if known.is_none() {
        return Err(err(404, "Customer not found"));
    }
    let id = (FIRST_TICKET_ID - 1 + sql(db::next(tx, "helpwave_ticket"))?).to_string();
    let now = s(&db::iso(req.now));
    let mut ticket = Object::new();
    ticket.insert("id", s(&id));
    ticket.insert("customerID", n(customer));
    for (key, value) in input.iter() {
        match key {
            "customerId" => {}
            "assigned_to" => ticket.insert(key, parse_id(Some(value)).map_or(Value::Null, n)),
            // The server takes the string 'true' too; the SDK only sends booleans.
            "isOpenedTicket" => {
                ticket.insert(key, Value::Bool(matches!(value, Value::Bool(true)) || value.as_str() == Some("true")))
            }
            _ => ticket.insert(key, value.clone()),
        }
    }
    for key in ["date", "lastMessageTime"] {
        if ticket.get(key).is_none() {
            ticket.insert(key, now.clone());
        }
    }
    let body = Value::Object(ticket);
    sql(tx.execute(
        "INSERT INTO helpwave_tickets (id, org, customer, body, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, req.org, customer, body.to_json(), req.now],
    ))?;
    Ok(Reply::json(201, obj([("success", Value::Bool(true)), ("ticket", body)])))
}

pub(super) fn identify(tx: &Transaction, req: &Request) -> Handled {
    let input = req.input;
    let (email, phone) = (text(input, "email"), text(input, "phone_number"));
    let found: Option<(i64, String)> = sql(tx
        .query_row(
            "SELECT id, profile FROM helpwave_customers WHERE org = ?1 AND ((?2 IS NOT NULL AND email = ?2) OR (?3 IS NOT NULL AND phone_number = ?3))",
            params![req.org, email, phone],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional())?;
    let (status, existing, id) = match found {
        Some((id, _)) => (200, true, id),
        None => {
            let profile: Object = input
                .iter()
                .filter(|(k, _)| !matches!(*k, "email" | "phone_number"))
                .map(|(k, v)| (k.to_owned(), v.clone()))
                .collect();
            sql(tx.execute(
                "INSERT INTO helpwave_customers (org, email, phone_number, profile) VALUES (?1, ?2, ?3, ?4)",
                params![req.org, email, phone, Value::Object(profile).to_json()],
            ))?;
            (201, false, tx.last_insert_rowid())
        }
    };
    let (email, phone, profile): (Option<String>, Option<String>, String) = sql(tx.query_row(
        "SELECT email, phone_number, profile FROM helpwave_customers WHERE id = ?1",
        params![id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    ))?;
    let mut customer = Object::new();
    customer.insert("id", n(id));
    customer.insert("email", crate::json::opt(email));
    customer.insert("phone_number", crate::json::opt(phone));
    if let Value::Object(profile) = parse(&profile) {
        for (k, v) in profile.iter() {
            customer.insert(k, v.clone());
        }
    }
    Ok(Reply::json(
        status,
        obj([
            ("success", Value::Bool(true)),
            ("existing", Value::Bool(existing)),
            ("customer", Value::Object(customer)),
        ]),
    ))
}

/// The ticket's stored body, when it belongs to the caller's organisation.
fn ticket_in_org(tx: &Transaction, req: &Request) -> Result<Object, Reply> {
    let id = text(req.input, "ticketId").unwrap_or("");
    let body: Option<String> = sql(tx
        .query_row("SELECT body FROM helpwave_tickets WHERE id = ?1 AND org = ?2", params![id, req.org], |r| r.get(0))
        .optional())?;
    match body.map(|b| parse(&b)) {
        Some(Value::Object(ticket)) => Ok(ticket),
        _ => Err(err(404, "Ticket not found")),
    }
}

pub(super) fn comment(tx: &Transaction, req: &Request) -> Handled {
    let ticket = ticket_in_org(tx, req)?;
    let ticket_id = text(req.input, "ticketId").unwrap_or("");
    let mut comment = Object::new();
    comment.insert("id", n(sql(db::next(tx, "helpwave_comment"))?));
    comment.insert("ticketId", s(ticket_id));
    for (key, value) in req.input.iter().filter(|(k, _)| *k != "ticketId") {
        comment.insert(key, value.clone());
    }
    if comment.get("time").is_none() {
        comment.insert("time", s(&db::iso(req.now)));
    }
    if comment.get("Channel").is_none() {
        comment.insert("Channel", ticket.get("Channel").cloned().unwrap_or(Value::Null));
    }
    if comment.get("isFromShop").is_none() {
        comment.insert("isFromShop", Value::Bool(true));
    }
    let comment = Value::Object(comment);
    sql(tx.execute(
        "INSERT INTO helpwave_comments (org, ticket, body, created_ms) VALUES (?1, ?2, ?3, ?4)",
        params![req.org, ticket_id, comment.to_json(), req.now],
    ))?;
    Ok(Reply::json(201, obj([("success", Value::Bool(true)), ("comment", comment)])))
}

pub(super) fn list_comments(tx: &Transaction, req: &Request) -> Handled {
    ticket_in_org(tx, req)?;
    let ticket_id = text(req.input, "ticketId").unwrap_or("");
    let mut stmt = sql(tx.prepare("SELECT body FROM helpwave_comments WHERE ticket = ?1 AND org = ?2 ORDER BY id"))?;
    let comments = sql(stmt
        .query_map(params![ticket_id, req.org], |r| Ok(parse(&r.get::<_, String>(0)?)))
        .and_then(Iterator::collect::<rusqlite::Result<Vec<_>>>))?;
    let total = comments.len() as i64;
    Ok(Reply::json(
        200,
        obj([("success", Value::Bool(true)), ("comments", Value::Array(comments)), ("totalCount", n(total))]),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_int_reads_as_javascript_does() {
        let p = |json: &str| js_parse_int(&Value::from_json(json).unwrap());
        assert_eq!(p(r#""12abc""#), Some(12.0));
        assert_eq!(p(r#"" -7""#), Some(-7.0));
        assert_eq!(p(r#""0x1A""#), Some(26.0));
        assert_eq!(p("12.9"), Some(12.0));
        assert_eq!(p("[45]"), Some(45.0));
        assert_eq!(p(r#""abc""#), None);
        assert_eq!(p("true"), None);
    }
}
