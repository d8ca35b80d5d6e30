//! What Mava's server does with a request it took (CONTRACT §1, sources/mava-*.md): find-or-create
//! customers, tickets with tenant-checked references, messages, audited updates, and ticket search.

use crate::endpoints::{Handled, Request};
use crate::json::{n, obj, opt, parse, s, text};
use crate::{db, Reply};
use rusqlite::{params, params_from_iter, OptionalExtension, Transaction};
use ticketwire::value::{Object, Value};

fn err(status: u16, code: &str) -> Reply {
    Reply::json(status, obj([("error", s(code))]))
}

/// Any database failure is the server's: the request is rolled back.
fn sql<T>(result: rusqlite::Result<T>) -> Result<T, Reply> {
    result.map_err(|_| err(500, "INTERNAL_ERROR"))
}

/// Whether `id` is a row of `table` in `org` (and, where the table has it, not archived).
fn owned(tx: &Transaction, table: &str, org: &str, id: &str) -> Result<bool, Reply> {
    let archived = if matches!(table, "mava_categories" | "mava_agents") { " AND archived = 0" } else { "" };
    let query = format!("SELECT 1 FROM {table} WHERE id = ?1 AND org = ?2{archived}");
    sql(tx.query_row(&query, params![id, org], |_| Ok(())).optional()).map(|found| found.is_some())
}

pub(super) fn create_ticket(tx: &Transaction, req: &Request) -> Handled {
    let input = req.input;
    let customer = match (text(input, "customerId"), input.get("customer").and_then(Value::as_object)) {
        (Some(id), _) => {
            if !owned(tx, "mava_customers", req.org, id)? {
                return Err(err(404, "CUSTOMER_NOT_FOUND"));
            }
            id.to_owned()
        }
        (None, Some(customer)) => find_or_create_customer(tx, req, customer)?,
        (None, None) => return Err(err(400, "INVALID_CUSTOMER_MODE")),
    };
    if let Some(agent) = text(input, "assignedTo") {
        if !owned(tx, "mava_agents", req.org, agent)? {
            return Err(err(404, "ASSIGNEE_NOT_FOUND"));
        }
    }
    if let Some(category) = text(input, "category") {
        if !owned(tx, "mava_categories", req.org, category)? {
            return Err(err(404, "CATEGORY_NOT_FOUND"));
        }
    }
    let tags: Vec<&str> = match input.get("tags") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    for tag in &tags {
        if !owned(tx, "mava_tags", req.org, tag)? {
            return Err(err(404, "TAG_NOT_FOUND"));
        }
    }
    let flag = |k: &str| match input.get(k) {
        Some(Value::Bool(b)) => *b,
        _ => true,
    };
    // Silent override: silent forces both notify and triggerAutomations to false.
    let silent = input.get("silent") == Some(&Value::Bool(true));
    let (notify, automations) = if silent { (false, false) } else { (flag("notify"), flag("triggerAutomations")) };
    let id = sql(db::object_id(tx, req.now))?;
    let status = text(input, "status").unwrap_or("Open");
    let priority = match input.get("priority") {
        Some(Value::Number(p)) => *p as i64,
        _ => 2,
    };
    sql(tx.execute(
        "INSERT INTO mava_tickets (id, org, customer, status, priority, source_type, assigned_to, category, tags,
           attributes, email_subject, notify, trigger_automations, created_ms, updated_ms, resolved_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15)",
        params![
            id,
            req.org,
            customer,
            status,
            priority,
            text(input, "sourceType").unwrap_or("web"),
            text(input, "assignedTo"),
            text(input, "category"),
            Value::Array(tags.iter().map(|t| s(t)).collect()).to_json(),
            input.get("attributes").map_or("[]".to_owned(), Value::to_json),
            text(input, "emailSubjectLine"),
            notify,
            automations,
            req.now,
            (status == "Resolved").then_some(req.now),
        ],
    ))?;
    req.emit("ticket.created", || ticket_json(tx, &id, View::Webhook))?;
    if let Some(message) = input.get("message").and_then(Value::as_object) {
        let attachments = message.get("attachments").map_or("[]".to_owned(), Value::to_json);
        insert_message(
            tx,
            req,
            &id,
            text(message, "content").unwrap_or(""),
            "ExternalMessage",
            "customer",
            &attachments,
        )?;
    }
    Ok(Reply::json(201, obj([("ticket", ticket_json(tx, &id, View::Created)?)])))
}

/// Looks a customer up by email, else wallet; creates one when there is none. An existing
/// customer's name and attributes are never overwritten.
fn find_or_create_customer(tx: &Transaction, req: &Request, customer: &Object) -> Result<String, Reply> {
    let (column, value) = match (text(customer, "email"), text(customer, "walletAddress")) {
        (Some(email), _) => ("email", email),
        (None, Some(wallet)) => ("wallet", wallet),
        (None, None) => return Err(err(400, "INVALID_CUSTOMER_MODE")),
    };
    let query = format!("SELECT id FROM mava_customers WHERE org = ?1 AND {column} = ?2");
    if let Some(id) = sql(tx.query_row(&query, params![req.org, value], |r| r.get::<_, String>(0)).optional())? {
        return Ok(id);
    }
    let id = sql(db::object_id(tx, req.now))?;
    sql(tx.execute(
        "INSERT INTO mava_customers (id, org, name, email, wallet, attributes) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            id,
            req.org,
            text(customer, "name"),
            text(customer, "email"),
            text(customer, "walletAddress"),
            customer.get("attributes").map_or("[]".to_owned(), Value::to_json)
        ],
    ))?;
    Ok(id)
}

/// Stores a message and records its `message.created` webhook: every message has one.
fn insert_message(
    tx: &Transaction,
    req: &Request,
    ticket: &str,
    content: &str,
    kind: &str,
    sender: &str,
    attachments: &str,
) -> Result<String, Reply> {
    let id = sql(db::object_id(tx, req.now))?;
    sql(tx.execute(
        "INSERT INTO mava_messages (id, org, ticket, content, message_type, sender_type, attachments, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![id, req.org, ticket, content, kind, sender, attachments, req.now],
    ))?;
    sql(tx.execute("UPDATE mava_tickets SET updated_ms = ?1 WHERE id = ?2", params![req.now, ticket]))?;
    req.emit("message.created", || message_document(tx, &id))?;
    Ok(id)
}

/// A reply or an internal note written by an agent in Mava's dashboard (the sandbox's control
/// route): the message as its webhook carries it, or `None` when there is no such ticket.
/// Its `message.created` event is recorded in `req.events`; `req.org` is ignored.
pub(crate) fn agent_message(
    tx: &Transaction,
    req: &Request,
    ticket: &str,
    content: &str,
    internal: bool,
) -> Result<Option<Value>, Reply> {
    let org: Option<String> =
        sql(tx.query_row("SELECT org FROM mava_tickets WHERE id = ?1", params![ticket], |r| r.get(0)).optional())?;
    let Some(org) = org else { return Ok(None) };
    let req = Request { org: &org, ..*req };
    let kind = if internal { "InternalNote" } else { "ExternalMessage" };
    let id = insert_message(tx, &req, ticket, content, kind, "agent", "[]")?;
    message_document(tx, &id).map(Some)
}

/// A message as Mava's webhooks carry it (sources/mava-webhooks.md, Message), with its `_id` and
/// its ticket. Who sent an agent's message is not stored: the ticket's assignee, else the
/// organisation's first agent.
fn message_document(tx: &Transaction, id: &str) -> Result<Value, Reply> {
    type Row = (String, String, String, String, String, String, i64);
    let (org, ticket, content, kind, sender_type, attachments, created): Row = sql(tx.query_row(
        "SELECT org, ticket, content, message_type, sender_type, attachments, created_ms FROM mava_messages
         WHERE id = ?1",
        params![id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
    ))?;
    let from_customer = sender_type == "customer";
    let sender: (Option<String>, Option<String>) = if from_customer {
        sql(tx.query_row(
            "SELECT c.name, c.email FROM mava_tickets t JOIN mava_customers c ON c.id = t.customer WHERE t.id = ?1",
            params![ticket],
            |r| Ok((r.get(0)?, r.get(1)?)),
        ))?
    } else {
        sql(tx
            .query_row(
                "SELECT name, email FROM mava_agents WHERE org = ?1 AND archived = 0
                 ORDER BY id = (SELECT assigned_to FROM mava_tickets WHERE id = ?2) DESC, id LIMIT 1",
                params![org, ticket],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional())?
        .unwrap_or((None, None))
    };
    Ok(obj([
        ("_id", s(id)),
        ("messageType", s(&kind)),
        ("senderReferenceType", s(if from_customer { "Customer" } else { "ClientMember" })),
        ("sender", obj([("name", opt(sender.0)), ("email", opt(sender.1))])),
        ("fromCustomer", Value::Bool(from_customer)),
        ("content", s(&content)),
        ("attachments", parse(&attachments)),
        ("ticket", ticket_json(tx, &ticket, View::Webhook)?),
        ("createdAt", s(&db::iso(created))),
    ]))
}

pub(super) fn identify(tx: &Transaction, req: &Request) -> Handled {
    let input = req.input;
    let non_empty = |k: &str| text(input, k).filter(|v| !v.is_empty());
    let id = if let Some(id) = non_empty("mavaCustomerId") {
        if !owned(tx, "mava_customers", req.org, id)? {
            return Err(err(404, "CUSTOMER_NOT_FOUND"));
        }
        id.to_owned()
    } else {
        // With no identity at all the page says a customer is created, every time.
        let found = match (non_empty("emailAddress"), non_empty("plaformUserId")) {
            (Some(email), _) => Some(("email", email)),
            (None, Some(user)) => Some(("platform_user_id", user)),
            (None, None) => None,
        };
        let existing = match found {
            Some((column, value)) => {
                let query = format!("SELECT id FROM mava_customers WHERE org = ?1 AND {column} = ?2");
                sql(tx.query_row(&query, params![req.org, value], |r| r.get::<_, String>(0)).optional())?
            }
            None => None,
        };
        match existing {
            Some(id) => id,
            None => {
                let id = sql(db::object_id(tx, req.now))?;
                sql(tx.execute(
                    "INSERT INTO mava_customers (id, org, email, platform_user_id) VALUES (?1, ?2, ?3, ?4)",
                    params![id, req.org, non_empty("emailAddress"), non_empty("plaformUserId")],
                ))?;
                id
            }
        }
    };
    if let Some(attributes) = input.get("customAttributes") {
        sql(tx.execute("UPDATE mava_customers SET attributes = ?1 WHERE id = ?2", params![attributes.to_json(), id]))?;
    }
    let customer = customer_json(tx, &id)?;
    Ok(Reply::json(200, obj([("mavaCustomerId", s(&id)), ("customer", customer)])))
}

pub(super) fn send_message(tx: &Transaction, req: &Request) -> Handled {
    let input = req.input;
    let ticket = text(input, "ticketId").unwrap_or("");
    if !owned(tx, "mava_tickets", req.org, ticket)? {
        return Err(err(400, "Ticket not found"));
    }
    let kind = text(input, "messageType").unwrap_or("ExternalMessage");
    let attachments = input.get("attachments").map_or("[]".to_owned(), Value::to_json);
    let id = insert_message(tx, req, ticket, text(input, "content").unwrap_or(""), kind, "agent", &attachments)?;
    let message = message_json(tx, &id)?;
    let sender = obj([("type", s("api")), ("name", s("API"))]);
    Ok(Reply::json(
        200,
        obj([("message", message), ("ticket", ticket_json(tx, ticket, View::Created)?), ("sender", sender)]),
    ))
}

pub(super) fn update_ticket(tx: &Transaction, req: &Request) -> Handled {
    let input = req.input;
    let id = text(input, "ticketId").unwrap_or("");
    let current = sql(tx
        .query_row(
            "SELECT status, priority, category, assigned_to FROM mava_tickets WHERE id = ?1 AND org = ?2",
            params![id, req.org],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            },
        )
        .optional())?;
    let Some((status, priority, category, assignee)) = current else {
        return Err(err(400, "Ticket not found"));
    };
    if let Some(new) = text(input, "categoryId") {
        if !owned(tx, "mava_categories", req.org, new)? {
            return Err(err(400, "Category not found"));
        }
    }
    if let Some(new) = text(input, "assignedTo") {
        if !owned(tx, "mava_agents", req.org, new)? {
            return Err(err(400, "Assignee not found"));
        }
    }
    // Only values that differ change, each with an audit-log message.
    let audit =
        |column: &str, label: &str, from: String, to: String, value: rusqlite::types::Value| -> Result<(), Reply> {
            if from == to {
                return Ok(());
            }
            sql(tx.execute(&format!("UPDATE mava_tickets SET {column} = ?1 WHERE id = ?2"), params![value, id]))?;
            insert_message(tx, req, id, &format!("{label} changed from {from} to {to}"), "AuditLog", "system", "[]")
                .map(|_| ())
        };
    if let Some(new) = text(input, "status") {
        audit("status", "Status", status.clone(), new.to_owned(), new.to_owned().into())?;
        if new != status {
            let resolved = (new == "Resolved").then_some(req.now);
            sql(tx.execute("UPDATE mava_tickets SET resolved_ms = ?1 WHERE id = ?2", params![resolved, id]))?;
        }
    }
    if let Some(Value::Number(new)) = input.get("priority") {
        audit("priority", "Priority", priority.to_string(), (*new as i64).to_string(), (*new as i64).into())?;
    }
    if let Some(new) = text(input, "categoryId") {
        audit(
            "category",
            "Category",
            category.unwrap_or_else(|| "none".into()),
            new.to_owned(),
            new.to_owned().into(),
        )?;
    }
    match input.get("assignedTo") {
        Some(Value::Null) => audit(
            "assigned_to",
            "Assignee",
            assignee.unwrap_or_else(|| "none".into()),
            "none".into(),
            rusqlite::types::Value::Null,
        )?,
        Some(Value::String(new)) => audit(
            "assigned_to",
            "Assignee",
            assignee.unwrap_or_else(|| "none".into()),
            new.to_string(),
            new.to_string().into(),
        )?,
        _ => {}
    }
    Ok(Reply::json(200, obj([("message", s("Ticket updated"))])))
}

pub(super) fn list_categories(tx: &Transaction, req: &Request) -> Handled {
    let mut stmt =
        sql(tx.prepare("SELECT id, name FROM mava_categories WHERE org = ?1 AND archived = 0 ORDER BY name"))?;
    let rows = sql(stmt.query_map(params![req.org], |r| {
        Ok(obj([("_id", s(&r.get::<_, String>(0)?)), ("name", s(&r.get::<_, String>(1)?))]))
    }))?;
    let categories = sql(rows.collect::<rusqlite::Result<Vec<_>>>())?;
    Ok(Reply::json(200, obj([("categories", Value::Array(categories))])))
}

pub(super) fn list_agents(tx: &Transaction, req: &Request) -> Handled {
    let mut stmt = sql(
        tx.prepare("SELECT id, email, username, wallet FROM mava_agents WHERE org = ?1 AND archived = 0 ORDER BY id")
    )?;
    let rows = sql(stmt.query_map(params![req.org], |r| {
        Ok(obj([
            ("id", s(&r.get::<_, String>(0)?)),
            ("email", opt(r.get(1)?)),
            ("username", opt(r.get(2)?)),
            ("walletAddress", opt(r.get(3)?)),
        ]))
    }))?;
    let agents = sql(rows.collect::<rusqlite::Result<Vec<_>>>())?;
    Ok(Reply::json(200, obj([("agents", Value::Array(agents))])))
}

/// The values of a filter that takes one value or an array.
fn values(input: &Object, key: &str) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.to_string()),
        Value::Number(n) => Some(ticketwire::value::js_number(*n)),
        _ => None,
    };
    match input.get(key) {
        Some(Value::Array(items)) => items.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    }
}

pub(super) fn list_tickets(tx: &Transaction, req: &Request) -> Handled {
    let input = req.input;
    let millis =
        |k: &str| text(input, k).and_then(|t| crate::dates::parse(t, true)).map_or(0, |ns| (ns / 1_000_000) as i64);
    let mut clauses = vec!["org = ?".to_owned(), "created_ms >= ?".to_owned(), "created_ms < ?".to_owned()];
    let mut args: Vec<rusqlite::types::Value> =
        vec![req.org.to_owned().into(), millis("startDate").into(), millis("endDate").into()];
    let mut any_of = |column: &str, list: Vec<String>, null_word: Option<&str>| {
        if list.is_empty() {
            return;
        }
        let wants_null = null_word.is_some_and(|w| list.iter().any(|v| v == w));
        let concrete: Vec<String> = list.into_iter().filter(|v| Some(v.as_str()) != null_word).collect();
        let mut parts = Vec::new();
        if !concrete.is_empty() {
            parts.push(format!("{column} IN ({})", vec!["?"; concrete.len()].join(",")));
            args.extend(concrete.into_iter().map(Into::into));
        }
        if wants_null {
            parts.push(format!("{column} IS NULL"));
        }
        clauses.push(format!("({})", parts.join(" OR ")));
    };
    any_of("status", values(input, "status"), None);
    any_of("assigned_to", values(input, "assignedTo"), Some("Unassigned"));
    any_of("category", values(input, "category"), None);
    any_of("csat", values(input, "csatValues"), Some("no-rating"));
    any_of("source_type", values(input, "origin"), None);
    let tags = values(input, "tags");
    if !tags.is_empty() {
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM json_each(tags) WHERE value IN ({}))",
            vec!["?"; tags.len()].join(",")
        ));
        args.extend(tags.into_iter().map(Into::into));
    }
    let column = match text(input, "sortBy").unwrap_or("createdAt") {
        "status" => "status",
        "priority" => "priority",
        "sourceType" => "source_type",
        "assignedTo" => "assigned_to",
        "category" => "category",
        "resolutionTime" => "(resolved_ms - created_ms)",
        _ => "created_ms",
    };
    let order = if text(input, "sortOrder") == Some("asc") { "ASC" } else { "DESC" };
    let number = |k: &str, default: i64| match input.get(k) {
        Some(Value::Number(n)) => *n as i64,
        _ => default,
    };
    let (limit, skip) = (number("limit", 50), number("skip", 0));
    let filter = clauses.join(" AND ");
    let count: i64 = sql(tx.query_row(
        &format!("SELECT COUNT(*) FROM mava_tickets WHERE {filter}"),
        params_from_iter(args.iter()),
        |r| r.get(0),
    ))?;
    // The id breaks ties, so pages never overlap or skip when sort keys repeat.
    let query = format!(
        "SELECT id FROM mava_tickets WHERE {filter} ORDER BY {column} {order}, id {order} LIMIT {limit} OFFSET {skip}"
    );
    let mut stmt = sql(tx.prepare(&query))?;
    let ids = sql(stmt
        .query_map(params_from_iter(args.iter()), |r| r.get::<_, String>(0))
        .and_then(Iterator::collect::<rusqlite::Result<Vec<_>>>))?;
    let view =
        if input.get("includeMessages") == Some(&Value::Bool(true)) { View::ListedWithMessages } else { View::Listed };
    let tickets = ids.iter().map(|id| ticket_json(tx, id, view)).collect::<Result<Vec<_>, _>>()?;
    let has_more = skip + (tickets.len() as i64) < count;
    let pagination = obj([("limit", n(limit)), ("skip", n(skip)), ("hasMore", Value::Bool(has_more))]);
    Ok(Reply::json(200, obj([("tickets", Value::Array(tickets)), ("count", n(count)), ("pagination", pagination)])))
}

#[derive(Clone, Copy, PartialEq)]
enum View {
    /// As create, send message and update answer: references as ids, messages included.
    Created,
    /// As fetch lists: references populated, no messages.
    Listed,
    /// As fetch lists with `includeMessages`.
    ListedWithMessages,
    /// As webhooks carry it: as created, without the messages.
    Webhook,
}

fn named(tx: &Transaction, table: &str, id: Option<String>) -> Result<Value, Reply> {
    let Some(id) = id else { return Ok(Value::Null) };
    let name: Option<String> =
        sql(tx.query_row(&format!("SELECT name FROM {table} WHERE id = ?1"), params![id], |r| r.get(0)).optional())?
            .flatten();
    Ok(obj([("_id", s(&id)), ("name", opt(name))]))
}

fn ticket_json(tx: &Transaction, id: &str, view: View) -> Result<Value, Reply> {
    type Row = (
        String,
        String,
        i64,
        String,
        Option<String>,
        Option<String>,
        String,
        String,
        bool,
        bool,
        Option<i64>,
        i64,
        i64,
        Option<i64>,
    );
    let row: Row = sql(tx.query_row(
        "SELECT customer, status, priority, source_type, assigned_to, category, tags, attributes, notify,
                trigger_automations, csat, created_ms, updated_ms, resolved_ms FROM mava_tickets WHERE id = ?1",
        params![id],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
                r.get(11)?,
                r.get(12)?,
                r.get(13)?,
            ))
        },
    ))?;
    let (
        customer,
        status,
        priority,
        source,
        assignee,
        category,
        tags,
        attributes,
        notify,
        automations,
        csat,
        created,
        updated,
        resolved,
    ) = row;
    let tag_ids: Vec<String> = match parse(&tags) {
        Value::Array(items) => items.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect(),
        _ => Vec::new(),
    };
    let mut o = Object::new();
    o.insert("_id", s(id));
    if matches!(view, View::Created | View::Webhook) {
        o.insert("customer", customer_json(tx, &customer)?);
        o.insert("status", s(&status));
        o.insert("priority", n(priority));
        o.insert("sourceType", s(&source));
        o.insert("assignedTo", opt(assignee));
        o.insert("category", opt(category));
        o.insert("tags", Value::Array(tag_ids.iter().map(|t| s(t)).collect()));
        o.insert("attributes", parse(&attributes));
        o.insert("aiStatus", s("None"));
        o.insert("isVisible", Value::Bool(true));
        o.insert("notify", Value::Bool(notify));
        o.insert("triggerAutomations", Value::Bool(automations));
        if view == View::Created {
            o.insert("messages", messages_json(tx, id)?);
        }
    } else {
        o.insert("status", s(&status));
        o.insert("priority", n(priority));
        o.insert("sourceType", s(&source));
        o.insert("resolutionTime", resolved.map_or(Value::Null, |r| n(r - created)));
        o.insert("assignedTo", named(tx, "mava_agents", assignee)?);
        o.insert("category", named(tx, "mava_categories", category)?);
        let tags = tag_ids.into_iter().map(|t| named(tx, "mava_tags", Some(t))).collect::<Result<Vec<_>, _>>()?;
        o.insert("tags", Value::Array(tags));
        o.insert("csat", csat.map_or(Value::Null, |c| obj([("value", n(c))])));
        o.insert("aiStatus", s("None"));
        o.insert("discordUsers", Value::Array(Vec::new()));
        o.insert("attributes", parse(&attributes));
        o.insert("customer", customer_json(tx, &customer)?);
        if view == View::ListedWithMessages {
            o.insert("messages", messages_json(tx, id)?);
        }
    }
    o.insert("createdAt", s(&db::iso(created)));
    o.insert("updatedAt", s(&db::iso(updated)));
    Ok(Value::Object(o))
}

fn customer_json(tx: &Transaction, id: &str) -> Result<Value, Reply> {
    let (name, email, attributes): (Option<String>, Option<String>, String) =
        sql(tx.query_row("SELECT name, email, attributes FROM mava_customers WHERE id = ?1", params![id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        }))?;
    Ok(obj([("_id", s(id)), ("name", opt(name)), ("email", opt(email)), ("attributes", parse(&attributes))]))
}

fn message_json(tx: &Transaction, id: &str) -> Result<Value, Reply> {
    sql(tx.query_row(
        "SELECT id, content, message_type, sender_type, attachments, created_ms FROM mava_messages WHERE id = ?1",
        params![id],
        message_row,
    ))
}

fn message_row(r: &rusqlite::Row) -> rusqlite::Result<Value> {
    Ok(obj([
        ("_id", s(&r.get::<_, String>(0)?)),
        ("content", s(&r.get::<_, String>(1)?)),
        ("messageType", s(&r.get::<_, String>(2)?)),
        ("senderType", s(&r.get::<_, String>(3)?)),
        ("senderName", Value::Null),
        ("attachments", parse(&r.get::<_, String>(4)?)),
        ("createdAt", s(&db::iso(r.get(5)?))),
    ]))
}

/// A ticket's messages, oldest first.
fn messages_json(tx: &Transaction, ticket: &str) -> Result<Value, Reply> {
    let mut stmt = sql(tx.prepare(
        "SELECT id, content, message_type, sender_type, attachments, created_ms FROM mava_messages
         WHERE ticket = ?1 ORDER BY created_ms, id",
    ))?;
    let rows =
        sql(stmt.query_map(params![ticket], message_row).and_then(Iterator::collect::<rusqlite::Result<Vec<_>>>))?;
    Ok(Value::Array(rows))
}

/// Creates one ticket per moment in `org`, for a seeded customer, created at that moment.
pub(crate) fn backdate(conn: &mut rusqlite::Connection, org: &str, moments: &[i64]) -> rusqlite::Result<Vec<String>> {
    let tx = conn.transaction()?;
    let customer = db::object_id(&tx, db::now_ms())?;
    tx.execute(
        "INSERT INTO mava_customers (id, org, email) VALUES (?1, ?2, ?3)",
        params![customer, org, format!("history-{customer}@{org}.example")],
    )?;
    let mut ids = Vec::new();
    for &at in moments {
        let id = db::object_id(&tx, at)?;
        tx.execute(
            "INSERT INTO mava_tickets (id, org, customer, status, priority, source_type, notify, trigger_automations, created_ms, updated_ms)
             VALUES (?1, ?2, ?3, 'Open', 2, 'web', 1, 1, ?4, ?4)",
            params![id, org, customer, at],
        )?;
        ids.push(id);
    }
    tx.commit()?;
    Ok(ids)
}
