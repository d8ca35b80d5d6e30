//! The sandbox's own description of every endpoint, written from the providers' pages
//! (`shared/spec/sources/`) and CONTRACT §1–§3, never from the SDK's operation tables: each
//! body has a JSON Schema in `sandbox/schemas/`, read as its server reads it (Mava: Fastify's
//! Ajv, coercing, dropping unknown fields, answering the first error), then the handler's own
//! checks, which have their own codes or sentences.

use crate::route::percent_decode;
use crate::schema::{self, js_to_number, pointer, Dialect, Leniency, Relaxed, SchemaError};
use crate::Reply;
use std::collections::HashMap;
use std::sync::OnceLock;
use ticketwire::value::{js_number, Object, Value};

/// A provider the sandbox stands in for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    /// Mava: Fastify with Ajv.
    Mava,
    /// HelpWave: sentences, no codes.
    HelpWave,
    /// Tickiti: `422 validation_failed` with every field's errors.
    Tickiti,
}

impl Provider {
    /// Its prefix in the sandbox's URLs.
    pub fn id(self) -> &'static str {
        match self {
            Provider::Mava => "mava",
            Provider::HelpWave => "helpwave",
            Provider::Tickiti => "tickiti",
        }
    }

    /// The provider at a URL prefix.
    pub fn from_id(id: &str) -> Option<Provider> {
        [Provider::Mava, Provider::HelpWave, Provider::Tickiti].into_iter().find(|p| p.id() == id)
    }

    /// The code a field mistake carries where the server names none of its own (CONTRACT §0).
    pub fn validation_code(self) -> &'static str {
        match self {
            Provider::Mava | Provider::HelpWave => "VALIDATION_ERROR",
            Provider::Tickiti => "validation_failed",
        }
    }

    fn dialect(self) -> Dialect {
        match self {
            Provider::Mava => schema::FASTIFY,
            // Handlers that pick the fields they know: the rest is ignored, types are not coerced.
            Provider::HelpWave => Dialect { coerce: false, remove_additional: true, all_errors: false },
            Provider::Tickiti => Dialect { coerce: false, remove_additional: true, all_errors: true },
        }
    }
}

/// One endpoint.
#[derive(Debug)]
pub struct Endpoint {
    /// Whose.
    pub provider: Provider,
    /// The SDK's name for the call (for handlers and reports).
    pub name: &'static str,
    /// `GET`, `POST`, `PUT`.
    pub method: &'static str,
    /// The path under the provider's prefix; `{name}` is a path parameter.
    pub path: &'static str,
    /// The body's schema file, for endpoints that read a body.
    schema: Option<&'static str>,
}

const fn ep(
    provider: Provider,
    name: &'static str,
    method: &'static str,
    path: &'static str,
    schema: Option<&'static str>,
) -> Endpoint {
    Endpoint { provider, name, method, path, schema }
}

use Provider::{HelpWave, Mava, Tickiti};

/// Every endpoint the sandbox serves.
pub const ENDPOINTS: &[Endpoint] = &[
    ep(Mava, "createTicket", "POST", "/api/ticket", Some("mava/create-ticket")),
    ep(Mava, "identify", "POST", "/api/identify", Some("mava/identify")),
    ep(Mava, "sendMessage", "PUT", "/api/message", Some("mava/send-message")),
    ep(Mava, "updateTicket", "PUT", "/api/ticket", Some("mava/update-ticket")),
    ep(Mava, "listCategories", "GET", "/api/categories", None),
    ep(Mava, "listAgents", "GET", "/api/agents", None),
    ep(Mava, "listTickets", "GET", "/api/tickets", None),
    ep(HelpWave, "createTicket", "POST", "/api/v1/tickets", Some("helpwave/create-ticket")),
    ep(HelpWave, "identify", "POST", "/api/v1/customers", Some("helpwave/identify")),
    ep(HelpWave, "sendMessage", "POST", "/api/v1/tickets/{ticketId}/comments", Some("helpwave/comment")),
    ep(HelpWave, "listComments", "GET", "/api/v1/tickets/{ticketId}/comments", None),
    ep(Tickiti, "createTicket", "POST", "/api/create_ticket", Some("tickiti/create-ticket")),
    ep(Tickiti, "createTicketUnified", "POST", "/api/tickets/create", Some("tickiti/create-ticket-unified")),
    ep(Tickiti, "sendMessage", "POST", "/api/v1/tickets/respond", Some("tickiti/respond")),
];

fn schema_text(name: &str) -> &'static str {
    match name {
        "mava/create-ticket" => include_str!("../schemas/mava/create-ticket.json"),
        "mava/identify" => include_str!("../schemas/mava/identify.json"),
        "mava/send-message" => include_str!("../schemas/mava/send-message.json"),
        "mava/update-ticket" => include_str!("../schemas/mava/update-ticket.json"),
        "helpwave/create-ticket" => include_str!("../schemas/helpwave/create-ticket.json"),
        "helpwave/identify" => include_str!("../schemas/helpwave/identify.json"),
        "helpwave/comment" => include_str!("../schemas/helpwave/comment.json"),
        "tickiti/create-ticket" => include_str!("../schemas/tickiti/create-ticket.json"),
        "tickiti/create-ticket-unified" => include_str!("../schemas/tickiti/create-ticket-unified.json"),
        "tickiti/respond" => include_str!("../schemas/tickiti/respond.json"),
        other => panic!("no sandbox schema named {other}"),
    }
}

/// The parsed schema of `name`, parsed once.
pub fn schema(name: &str) -> &'static Value {
    static SCHEMAS: OnceLock<HashMap<&'static str, Value>> = OnceLock::new();
    let all = SCHEMAS.get_or_init(|| {
        ENDPOINTS.iter().filter_map(|e| e.schema).map(|n| (n, schema::parse(schema_text(n)))).collect()
    });
    &all[name]
}

/// The endpoint a provider's `method path` is, with its (percent-decoded) path parameters.
pub fn find(provider: Provider, method: &str, path: &str) -> Option<(&'static Endpoint, Vec<(&'static str, String)>)> {
    ENDPOINTS.iter().filter(|e| e.provider == provider && e.method == method).find_map(|e| {
        let pattern: Vec<&str> = e.path.split('/').collect();
        let actual: Vec<&str> = path.split('/').collect();
        if pattern.len() != actual.len() {
            return None;
        }
        let mut params = Vec::new();
        for (want, got) in pattern.iter().zip(&actual) {
            match want.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                Some(name) => params.push((name, percent_decode(got, false))),
                None if want == got => {}
                None => return None,
            }
        }
        Some((e, params))
    })
}

/// A request the server takes: its input as the handler reads it, and where it was lenient.
#[derive(Debug)]
pub struct Accepted {
    /// Body fields (coerced, unknown ones dropped), query fields or path parameters.
    pub input: Object,
    /// Every leniency on the way.
    pub relaxed: Vec<Relaxed>,
}

/// A request the server refuses before its handler touches data.
#[derive(Debug)]
pub struct Refused {
    /// JSON Pointer of the (first) mistake, as the SDK would name it.
    pub path: String,
    /// The provider's code for it (`VALIDATION_ERROR` where the answer is a sentence).
    pub code: String,
    /// The whole answer.
    pub reply: Reply,
    /// Every mistake the answer names, as (path, code); one unless the server lists them all.
    pub all: Vec<(String, String)>,
    /// What was relaxed before the refusal.
    pub relaxed: Vec<Relaxed>,
}

/// One mistake, before it is answered.
struct Mistake {
    path: String,
    code: &'static str,
    /// Ajv's `instancePath` (for the message's subject).
    at: String,
    /// The rest of the message (`must be …`).
    message: String,
    /// A sentence the server answers instead of the code (Mava's update and message).
    sentence: Option<&'static str>,
}

impl Mistake {
    fn new(path: &str, code: &'static str, message: impl Into<String>) -> Mistake {
        Mistake { path: path.to_owned(), code, at: path.to_owned(), message: message.into(), sentence: None }
    }

    fn on(mut self, at: &str) -> Mistake {
        self.at = at.to_owned();
        self
    }

    fn from_schema(e: &SchemaError, code: &'static str) -> Mistake {
        Mistake { path: e.path.clone(), code, at: e.instance_path.clone(), message: e.message.clone(), sentence: None }
    }

    fn text(&self, root: &str) -> String {
        format!("{root}{} {}", self.at, self.message)
    }
}

/// Checks a request as the provider's server does before its handler reads or writes data.
/// `body` is the parsed body (`None` when the request had none).
pub fn check(
    endpoint: &Endpoint,
    params: &[(&str, String)],
    query: &str,
    body: Option<Value>,
) -> Result<Accepted, Box<Refused>> {
    let provider = endpoint.provider;
    let mut relaxed = Vec::new();
    let mut mistakes = Vec::new();
    let mut input = Object::new();
    for (name, value) in params {
        // A path carries text only: a number there is read as its digits.
        relaxed.push(Relaxed { path: pointer("", name), how: Leniency::Text });
        input.insert(*name, Value::String(value.as_str().into()));
    }
    let root = match endpoint.name {
        "listTickets" => "querystring",
        _ if endpoint.schema.is_none() => "params",
        _ => "body",
    };
    if provider == HelpWave && !params.is_empty() {
        let id = params.iter().find(|(n, _)| *n == "ticketId").map_or("", |(_, v)| v.as_str());
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            mistakes.push(Mistake::new("/ticketId", "VALIDATION_ERROR", "must match pattern \"^[0-9]+$\""));
            return Err(refuse(endpoint, "params", mistakes, relaxed));
        }
    }
    if endpoint.name == "listTickets" {
        let (fields, mistake) = mava_list_tickets(query, &mut relaxed);
        if let Some(mistake) = mistake {
            return Err(refuse(endpoint, root, vec![mistake], relaxed));
        }
        return Ok(Accepted { input: fields, relaxed });
    }
    let Some(schema_name) = endpoint.schema else { return Ok(Accepted { input, relaxed }) };
    // Express and Laravel read an absent body as no fields; Fastify validates `undefined`.
    let body = match (provider, body) {
        (Mava, None) => Value::Unreadable(ticketwire::value::Unreadable::Undefined),
        (_, None) => Value::Object(Object::new()),
        (_, Some(body)) => body,
    };
    if provider == HelpWave && endpoint.name == "createTicket" {
        if let Some(mistake) = helpwave_required(&body) {
            return Err(refuse(endpoint, root, vec![mistake], relaxed));
        }
    }
    let code = provider.validation_code();
    let checked = schema::check(schema(schema_name), body, provider.dialect());
    relaxed.extend(checked.relaxed);
    mistakes.extend(checked.errors.iter().map(|e| Mistake::from_schema(e, code)));
    if !mistakes.is_empty() && provider != Tickiti {
        return Err(refuse(endpoint, root, mistakes, relaxed));
    }
    let fields = match checked.value {
        Value::Object(fields) => fields,
        // Only a refused body is not an object (every schema says `object`).
        _ => Object::new(),
    };
    let handler_checks: fn(&Object, &mut Vec<Relaxed>) -> Vec<Mistake> = match (provider, endpoint.name) {
        (Mava, "createTicket") => mava_create_ticket,
        (Mava, "sendMessage") => mava_send_message,
        (Mava, "updateTicket") => mava_update_ticket,
        (HelpWave, "createTicket") => helpwave_create_ticket,
        (HelpWave, "identify") => helpwave_identify,
        (HelpWave, "sendMessage") => helpwave_comment,
        (Tickiti, "createTicket") => tickiti_create_ticket,
        _ => |_, _| Vec::new(),
    };
    if mistakes.is_empty() || provider == Tickiti {
        mistakes.extend(handler_checks(&fields, &mut relaxed));
    }
    if !mistakes.is_empty() {
        return Err(refuse(endpoint, root, mistakes, relaxed));
    }
    for (key, value) in fields.iter() {
        input.insert(key, value.clone());
    }
    Ok(Accepted { input, relaxed })
}

/// The answer to `mistakes` (the first one, unless the provider lists them all).
fn refuse(endpoint: &Endpoint, root: &str, mistakes: Vec<Mistake>, relaxed: Vec<Relaxed>) -> Box<Refused> {
    let first = &mistakes[0];
    let reply = match endpoint.provider {
        Mava => match first.sentence {
            Some(sentence) => Reply::json(400, crate::json::obj([("error", crate::json::s(sentence))])),
            None => Reply::json(
                400,
                crate::json::obj([
                    ("error", crate::json::s(first.code)),
                    ("message", crate::json::s(&first.text(root))),
                ]),
            ),
        },
        HelpWave => Reply::json(
            400,
            crate::json::obj([(
                "error",
                crate::json::s(first.sentence.map_or_else(|| first.text(root), str::to_owned).as_str()),
            )]),
        ),
        Tickiti => {
            // Laravel's shape: every field with its messages, keyed by dotted path.
            let mut errors = Object::new();
            for m in &mistakes {
                let key = m.path.trim_start_matches('/').replace('/', ".");
                let key = if key.is_empty() { "payload".to_owned() } else { key };
                let mut list = match errors.get(&key) {
                    Some(Value::Array(list)) => list.clone(),
                    _ => Vec::new(),
                };
                list.push(crate::json::s(&m.text(root)));
                errors.insert(key, Value::Array(list));
            }
            Reply::json(
                422,
                crate::json::obj([
                    ("code", crate::json::s("validation_failed")),
                    ("message", crate::json::s("The given data was invalid.")),
                    ("errors", Value::Object(errors)),
                ]),
            )
        }
    };
    let all = match endpoint.provider {
        Tickiti => mistakes.iter().map(|m| (m.path.clone(), m.code.to_owned())).collect(),
        _ => vec![(first.path.clone(), first.code.to_owned())],
    };
    Box::new(Refused { path: first.path.clone(), code: first.code.to_owned(), reply, all, relaxed })
}

const MODE: &str = "INVALID_CUSTOMER_MODE";

/// The handler's checks of a create (sources/mava-create-ticket.md, Error Responses): exactly
/// one customer mode, then attachment URLs in the storage allow-list.
fn mava_create_ticket(input: &Object, _: &mut Vec<Relaxed>) -> Vec<Mistake> {
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
            if let Err(why) = mava_attachment_url(url, "app.mava.") {
                let path = format!("/message/attachments/{i}/url");
                return vec![Mistake::new(&path, "INVALID_ATTACHMENT_URL", why)];
            }
        }
    }
    Vec::new()
}

/// CONTRACT §1.1's allow-list: `https:`, no user info, no port but 443, an Amazon S3 host whose
/// bucket starts with `prefix`, no `.`/`..` path segment however it is escaped, no backslash.
pub fn mava_attachment_url(url: &str, prefix: &str) -> Result<(), String> {
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
fn mava_send_message(input: &Object, _: &mut Vec<Relaxed>) -> Vec<Mistake> {
    let content = matches!(input.get("content"), Some(Value::String(s)) if !s.is_empty());
    let attachments = matches!(input.get("attachments"), Some(Value::Array(a)) if !a.is_empty());
    if content || attachments {
        return Vec::new();
    }
    let mut m = Mistake::new("", "VALIDATION_ERROR", "must have a non-empty 'content' or 'attachments'");
    m.sentence = Some("Content or attachments are required");
    vec![m]
}

/// `Invalid status or priority` (sources/mava-update-ticket.md).
fn mava_update_ticket(input: &Object, _: &mut Vec<Relaxed>) -> Vec<Mistake> {
    let status_ok = |v: &Value| matches!(v.as_str(), Some("Open" | "Pending" | "Resolved" | "Waiting"));
    let priority_ok = |v: &Value| matches!(v, Value::Number(n) if [1.0, 2.0, 3.0].contains(n));
    for (key, ok) in [("status", &status_ok as &dyn Fn(&Value) -> bool), ("priority", &priority_ok)] {
        if input.get(key).is_some_and(|v| !ok(v)) {
            let mut m =
                Mistake::new(&pointer("", key), "VALIDATION_ERROR", "must be equal to one of the allowed values");
            m.sentence = Some("Invalid status or priority");
            return vec![m];
        }
    }
    Vec::new()
}

/// Fetch tickets' query (sources/mava-api-overview.md, Fetch Tickets): the handler's own codes,
/// checked in the order the page lists them; filters as CONTRACT §1.6 names their values.
fn mava_list_tickets(query: &str, relaxed: &mut Vec<Relaxed>) -> (Object, Option<Mistake>) {
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
            return (
                fields,
                Some(
                    Mistake::new(
                        &pointer("", key),
                        "MISSING_DATE_RANGE",
                        format!("must have required property '{key}'"),
                    )
                    .on(""),
                ),
            );
        }
    }
    let date = |key: &str| match one(key) {
        Some([text]) => crate::dates::parse(text, true),
        _ => None,
    };
    for key in ["startDate", "endDate"] {
        if date(key).is_none() {
            let m = Mistake::new(
                &pointer("", key),
                "INVALID_DATE_RANGE",
                "must be an ISO 8601 date (YYYY-MM-DD) or date-time",
            );
            return (fields, Some(m));
        }
    }
    let (start, end) = (date("startDate").unwrap_or(0), date("endDate").unwrap_or(0));
    if end <= start {
        return (fields, Some(Mistake::new("/endDate", "INVALID_DATE_RANGE", "must be after startDate")));
    }
    if end > crate::dates::one_year_after(start) {
        return (
            fields,
            Some(Mistake::new("/endDate", "INVALID_DATE_RANGE", "must NOT be more than one year after startDate")),
        );
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
                return (fields, Some(Mistake::new(&pointer("", key), code, bound)));
            }
            _ => return (fields, Some(Mistake::new(&pointer("", key), code, "must be integer"))),
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
            Some(_) => {
                return (
                    fields,
                    Some(Mistake::new(&pointer("", key), code, "must be equal to one of the allowed values")),
                )
            }
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
                return (
                    fields,
                    Some(Mistake::new(&at, "VALIDATION_ERROR", "must be equal to one of the allowed values")),
                );
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
    (fields, None)
}

/// JS `parseInt(String(value), 10)`-style reading (the page: ids "are parsed as integers").
pub fn js_parse_int(value: &Value) -> Option<f64> {
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
fn helpwave_required(body: &Value) -> Option<Mistake> {
    let object = body.as_object();
    for key in ["customerId", "Channel"] {
        if falsy(object.and_then(|o| o.get(key))) {
            let mut m =
                Mistake::new(&pointer("", key), "VALIDATION_ERROR", format!("must have required property '{key}'"));
            m.sentence = Some(if key == "customerId" { "customerId is required" } else { "Channel is required" });
            return Some(m);
        }
    }
    None
}

fn helpwave_create_ticket(input: &Object, relaxed: &mut Vec<Relaxed>) -> Vec<Mistake> {
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

fn helpwave_identify(input: &Object, _: &mut Vec<Relaxed>) -> Vec<Mistake> {
    if input.get("email").is_none() && input.get("phone_number").is_none() {
        return vec![Mistake::new("", "VALIDATION_ERROR", "must have required property 'email' or 'phone_number'")];
    }
    Vec::new()
}

/// A comment's text must hold more than white space, as JS `trim()` reads it.
fn helpwave_comment(input: &Object, _: &mut Vec<Relaxed>) -> Vec<Mistake> {
    match input.get("text").and_then(Value::as_str) {
        Some(text) if text.trim_matches(schema::is_js_space).is_empty() => {
            vec![Mistake::new("/text", "VALIDATION_ERROR", "must NOT be blank")]
        }
        _ => Vec::new(),
    }
}

/// Exactly one payload shape (sources/tickiti-create-ticket.md, Body; CONTRACT §3.1).
fn tickiti_create_ticket(input: &Object, _: &mut Vec<Relaxed>) -> Vec<Mistake> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_parses_and_requests_find_their_endpoint() {
        for e in ENDPOINTS.iter().filter_map(|e| e.schema) {
            assert!(schema(e).as_object().is_some(), "{e}");
        }
        let (e, params) = find(HelpWave, "POST", "/api/v1/tickets/987654321012345678/comments").unwrap();
        assert_eq!((e.name, params), ("sendMessage", vec![("ticketId", "987654321012345678".to_owned())]));
        assert_eq!(find(Mava, "PUT", "/api/ticket").unwrap().0.name, "updateTicket");
        assert!(find(Mava, "DELETE", "/api/ticket").is_none());
        assert!(find(Tickiti, "POST", "/api/nope").is_none());
    }

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

    #[test]
    fn attachment_urls_follow_the_allow_list() {
        for ok in [
            "https://s3.eu-central-1.amazonaws.com/app.mava.container.2/receipt.jpg",
            "HTTPS://app.mava.x.s3.amazonaws.com/f.png",
            "https://app.mava.x.s3.us-east-1.amazonaws.com:443/f.png",
        ] {
            assert_eq!(mava_attachment_url(ok, "app.mava."), Ok(()), "{ok}");
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
            assert!(mava_attachment_url(bad, "app.mava.").is_err(), "{bad}");
        }
    }
}
