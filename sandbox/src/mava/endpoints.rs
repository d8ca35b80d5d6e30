//! Mava's endpoints, one row each, and the checks its handlers make beyond the schemas
//! (sources/mava-*.md, CONTRACT §1).

use super::handlers;
use crate::dates;
use crate::endpoints::{Checks, Endpoint, Input, Mistake};
use crate::provider::Provider::Mava;
use crate::route::percent_decode;
use crate::schema::{self, js_to_number, pointer, Leniency, Relaxed};
use ticketwire::value::{js_number, Object, Value};

/// Every Mava endpoint the sandbox serves.
pub(crate) const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        provider: Mava,
        name: "createTicket",
        method: "POST",
        path: "/api/ticket",
        input: Input::Body(include_str!("../../schemas/mava/create-ticket.json")),
        checks: Checks { fields: Some(create_ticket), ..Checks::NONE },
        handler: handlers::create_ticket,
    },
    Endpoint {
        provider: Mava,
        name: "identify",
        method: "POST",
        path: "/api/identify",
        input: Input::Body(include_str!("../../schemas/mava/identify.json")),
        checks: Checks::NONE,
        handler: handlers::identify,
    },
    Endpoint {
        provider: Mava,
        name: "sendMessage",
        method: "PUT",
        path: "/api/message",
        input: Input::Body(include_str!("../../schemas/mava/send-message.json")),
        checks: Checks { fields: Some(send_message), ..Checks::NONE },
        handler: handlers::send_message,
    },
    Endpoint {
        provider: Mava,
        name: "updateTicket",
        method: "PUT",
        path: "/api/ticket",
        input: Input::Body(include_str!("../../schemas/mava/update-ticket.json")),
        checks: Checks { fields: Some(update_ticket), ..Checks::NONE },
        handler: handlers::update_ticket,
    },
    Endpoint {
        provider: Mava,
        name: "listCategories",
        method: "GET",
        path: "/api/categories",
        input: Input::None,
        checks: Checks::NONE,
        handler: handlers::list_categories,
    },
    Endpoint {
        provider: Mava,
        name: "listAgents",
        method: "GET",
        path: "/api/agents",
        input: Input::None,
        checks: Checks::NONE,
        handler: handlers::list_agents,
    },
    Endpoint {
        provider: Mava,
        name: "listTickets",
        method: "GET",
        path: "/api/tickets",
        input: Input::Query(list_tickets),
        checks: Checks::NONE,
        handler: handlers::list_tickets,
    },
];

const MODE: &str = "INVALID_CUSTOMER_MODE";

/// The handler's checks of a create (sources/mava-create-ticket.md, Error Responses): exactly
/// one customer mode, then attachment URLs in the storage allow-list.
fn create_ticket(input: &Object, _: &mut Vec<Relaxed>) -> Vec<Mistake> {
    let customer = input.get("customer").and_then(Value::as_object);
    let mistake = match (input.get("customerId").is_some(), input.get("customer").is_some()) {
        (true, true) => Some(Mistake::new("", MODE, "must have exactly one of 'customerId' or 'customer', not both")),
        (false, false) => Some(Mistake::new("", MODE, "must have exactly one of 'customerId' or 'customer'")),
        (false, true) if customer.is_some_and(|c| c.get("email").is_none() && c.get("walletAddress").is_none()) => {
            Some(Mistake::new("/customer", MODE, "must have an 'email' or a 'walletAddress'"))
        }
        _ => None,
    };
    if let Some(mistake) = mistake {
        return vec![mistake];
    }
    let attachments = input.get("message").and_then(Value::as_object).and_then(|m| m.get("attachments"));
    if let Some(Value::Array(items)) = attachments {
        for (i, item) in items.iter().enumerate() {
            let url = item.as_object().and_then(|o| o.get("url")).and_then(Value::as_str).unwrap_or("");
            if let Err(why) = attachment_url(url, "app.mava.") {
                let path = format!("/message/attachments/{i}/url");
                return vec![Mistake::new(&path, "INVALID_ATTACHMENT_URL", why)];
            }
        }
    }
    Vec::new()
}

/// CONTRACT §1.1's allow-list: `https:`, no user info, no port but 443, an Amazon S3 host whose
/// bucket starts with `prefix`, no `.`/`..` path segment however it is escaped, no backslash.
fn attachment_url(url: &str, prefix: &str) -> Result<(), String> {
    if url.contains('\\') {
        return Err("must NOT contain a backslash".into());
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must be a URL (no white space or control characters)".into());
    }
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("https://") else {
        return Err("must be an https URL".into());
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if authority.contains('@') {
        return Err("must NOT name a user".into());
    }
    let host = match authority.rsplit_once(':') {
        None => authority,
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            if port.trim_start_matches('0') != "443" {
                return Err("must NOT use a port other than 443".into());
            }
            host
        }
        Some(_) => return Err("must NOT use a port other than 443".into()),
    };
    let path = tail.split(['?', '#']).next().unwrap_or("");
    // Percent-escapes are undone until nothing changes (`%252e` is `.` twice over).
    let mut segments = path.as_bytes().to_vec();
    for round in 0.. {
        if segments.split(|b| *b == b'/' || *b == b'\\').any(|s| s == b"." || s == b"..") {
            return Err("must NOT hold a '.' or '..' path segment".into());
        }
        let decoded = percent_decode(&String::from_utf8_lossy(&segments), false).into_bytes();
        if decoded == segments {
            break;
        }
        if round == 8 {
            return Err("must NOT be escaped this many times over".into());
        }
        segments = decoded;
    }
    let Some(s3) = host.strip_suffix(".amazonaws.com") else {
        return Err("must be in Mava's S3 storage".into());
    };
    let region =
        |r: &str| !r.is_empty() && r.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let bucket = if s3 == "s3" || s3.strip_prefix("s3.").is_some_and(region) {
        path.trim_start_matches('/').split('/').next().unwrap_or("").to_owned()
    } else {
        let before_region = match s3.rsplit_once('.') {
            Some((left, r)) if left.ends_with(".s3") && region(r) => left,
            _ => s3,
        };
        match before_region.strip_suffix(".s3") {
            Some(bucket) => bucket.to_owned(),
            None => return Err("must be in Mava's S3 storage".into()),
        }
    };
    if bucket.is_empty() || !bucket.starts_with(prefix) {
        return Err(format!("must be in Mava's S3 storage (a bucket starting with '{prefix}')"));
    }
    Ok(())
}

/// `Content or attachments are required` (sources/mava-api-overview.md, Send Message).
fn send_message(input: &Object, _: &mut Vec<Relaxed>) -> Vec<Mistake> {
    let content = matches!(input.get("content"), Some(Value::String(s)) if !s.is_empty());
    let attachments = matches!(input.get("attachments"), Some(Value::Array(a)) if !a.is_empty());
    if content || attachments {
        return Vec::new();
    }
    let m = Mistake::new("", "VALIDATION_ERROR", "must have a non-empty 'content' or 'attachments'");
    vec![m.worded("Content or attachments are required")]
}

/// `Invalid status or priority` (sources/mava-update-ticket.md).
fn update_ticket(input: &Object, _: &mut Vec<Relaxed>) -> Vec<Mistake> {
    let status_ok = |v: &Value| matches!(v.as_str(), Some("Open" | "Pending" | "Resolved" | "Waiting"));
    let priority_ok = |v: &Value| matches!(v, Value::Number(n) if [1.0, 2.0, 3.0].contains(n));
    for (key, ok) in [("status", &status_ok as &dyn Fn(&Value) -> bool), ("priority", &priority_ok)] {
        if input.get(key).is_some_and(|v| !ok(v)) {
            let m = Mistake::new(&pointer("", key), "VALIDATION_ERROR", "must be equal to one of the allowed values");
            return vec![m.worded("Invalid status or priority")];
        }
    }
    Vec::new()
}

/// Fetch tickets' query (sources/mava-api-overview.md, Fetch Tickets): the handler's own codes,
/// checked in the order the page lists them; filters as CONTRACT §1.6 names their values.
fn list_tickets(query: &str, relaxed: &mut Vec<Relaxed>) -> Result<Object, Mistake> {
    let mut grouped: Vec<(String, Vec<String>)> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (key, value) = (percent_decode(key, true), percent_decode(value, true));
        match grouped.iter_mut().find(|(k, _)| *k == key) {
            Some((_, values)) => values.push(value),
            None => grouped.push((key, vec![value])),
        }
    }
    let one = |key: &str| grouped.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_slice());
    let mut fields = Object::new();
    // A query carries text only: `limit=5` does not say whether the client had 5 or "5".
    for (key, _) in &grouped {
        relaxed.push(Relaxed { path: pointer("", key), how: Leniency::Text });
    }
    for key in ["startDate", "endDate"] {
        if one(key).is_none() {
            let m =
                Mistake::new(&pointer("", key), "MISSING_DATE_RANGE", format!("must have required property '{key}'"));
            return Err(m.on(""));
        }
    }
    let date = |key: &str| match one(key) {
        Some([text]) => dates::parse(text, true),
        _ => None,
    };
    for key in ["startDate", "endDate"] {
        if date(key).is_none() {
            let m = Mistake::new(
                &pointer("", key),
                "INVALID_DATE_RANGE",
                "must be an ISO 8601 date (YYYY-MM-DD) or date-time",
            );
            return Err(m);
        }
    }
    let (start, end) = (date("startDate").unwrap_or(0), date("endDate").unwrap_or(0));
    if end <= start {
        return Err(Mistake::new("/endDate", "INVALID_DATE_RANGE", "must be after startDate"));
    }
    if end > dates::one_year_after(start) {
        return Err(Mistake::new("/endDate", "INVALID_DATE_RANGE", "must NOT be more than one year after startDate"));
    }
    for key in ["startDate", "endDate"] {
        fields.insert(key, Value::String(one(key).unwrap_or_default()[0].as_str().into()));
    }
    // `limit` and `skip` are read as JS numbers: "10.0" is 10, "ten" is refused.
    for (key, code, min, max) in
        [("limit", "INVALID_LIMIT", 1.0, 100.0), ("skip", "INVALID_SKIP", 0.0, 9_007_199_254_740_991.0)]
    {
        let Some(values) = one(key) else { continue };
        let n = match values {
            [text] if !text.trim_matches(schema::is_js_space).is_empty() => js_to_number(text),
            _ => None,
        };
        match n {
            Some(n) if n.fract() == 0.0 && (min..=max).contains(&n) => fields.insert(key, Value::Number(n)),
            Some(n) if n.fract() == 0.0 => {
                let bound = if n < min {
                    format!("must be >= {}", js_number(min))
                } else {
                    format!("must be <= {}", js_number(max))
                };
                return Err(Mistake::new(&pointer("", key), code, bound));
            }
            _ => return Err(Mistake::new(&pointer("", key), code, "must be integer")),
        }
    }
    const SORT_FIELDS: &[&str] =
        &["createdAt", "status", "priority", "sourceType", "assignedTo", "category", "resolutionTime"];
    for (key, code, allowed) in
        [("sortBy", "UNSUPPORTED_SORT_FIELD", SORT_FIELDS), ("sortOrder", "UNSUPPORTED_SORT_ORDER", &["asc", "desc"])]
    {
        match one(key) {
            None => {}
            Some([text]) if allowed.contains(&text.as_str()) => fields.insert(key, Value::String(text.as_str().into())),
            Some(_) => return Err(Mistake::new(&pointer("", key), code, "must be equal to one of the allowed values")),
        }
    }
    let object_id = |v: &str| v.len() == 24 && v.bytes().all(|b| b.is_ascii_hexdigit());
    type Allowed<'a> = &'a dyn Fn(&str) -> bool;
    let filters: [(&str, Allowed); 6] = [
        ("status", &|v| ["Open", "Pending", "Resolved", "Waiting"].contains(&v)),
        ("assignedTo", &|v| v == "Unassigned" || object_id(v)),
        ("category", &object_id),
        ("tags", &object_id),
        ("csatValues", &|v| ["1", "2", "3", "4", "5", "no-rating"].contains(&v)),
        ("origin", &|v| ["web", "discord", "telegram", "telegram-group", "email"].contains(&v)),
    ];
    for (key, ok) in filters {
        let Some(values) = one(key) else { continue };
        for (i, v) in values.iter().enumerate() {
            if !ok(v) {
                let at = if values.len() == 1 { pointer("", key) } else { format!("/{key}/{i}") };
                return Err(Mistake::new(&at, "VALIDATION_ERROR", "must be equal to one of the allowed values"));
            }
        }
        let list: Vec<Value> = values.iter().map(|v| Value::String(v.as_str().into())).collect();
        fields.insert(key, Value::Array(list));
    }
    if let Some(values) = one("includeMessages") {
        // Read as `=== 'true'`: any other text means no messages, never an error.
        if !matches!(values, [v] if v == "true" || v == "false") {
            relaxed.push(Relaxed { path: "/includeMessages".into(), how: Leniency::Interpreted });
        }
        fields.insert("includeMessages", Value::Bool(matches!(values, [v] if v == "true")));
    }
    let known = [
        "startDate",
        "endDate",
        "limit",
        "skip",
        "status",
        "assignedTo",
        "category",
        "tags",
        "csatValues",
        "origin",
        "sortBy",
        "sortOrder",
        "includeMessages",
    ];
    for (key, _) in grouped.iter().filter(|(k, _)| !known.contains(&k.as_str())) {
        relaxed.retain(|r| r.path != pointer("", key));
        relaxed.push(Relaxed { path: pointer("", key), how: Leniency::Ignored });
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_urls_follow_the_allow_list() {
        for ok in [
            "https://s3.eu-central-1.amazonaws.com/app.mava.container.2/receipt.jpg",
            "HTTPS://app.mava.x.s3.amazonaws.com/f.png",
            "https://app.mava.x.s3.us-east-1.amazonaws.com:443/f.png",
        ] {
            assert_eq!(attachment_url(ok, "app.mava."), Ok(()), "{ok}");
        }
        for bad in [
            "http://s3.amazonaws.com/app.mava.x/f",
            "https://evil.example/app.mava.x/f",
            "https://s3.amazonaws.com/other/f",
            "https://s3.amazonaws.com:8443/app.mava.x/f",
            "https://u@s3.amazonaws.com/app.mava.x/f",
            "https://s3.amazonaws.com/app.mava.x/%252e%252E/f",
            "https://s3.amazonaws.com/app.mava.x/..%2ff",
            "https://s3.amazonaws.com/app.mava.x\\f",
        ] {
            assert!(attachment_url(bad, "app.mava.").is_err(), "{bad}");
        }
    }
}
