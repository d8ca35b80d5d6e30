//! The endpoint row every provider's table is made of, the flat list of them all, and the
//! walker that checks a request against its row. The rows themselves are the providers' own
//! (`mava/endpoints.rs`, `helpwave/endpoints.rs`, `tickiti/endpoints.rs`), written from their
//! pages (`shared/spec/sources/`) and CONTRACT §1–§3, never from the SDK's operation tables:
//! each body has a JSON Schema in `sandbox/schemas/`, read as its server reads it (Mava:
//! Fastify's Ajv, coercing, dropping unknown fields, answering the first error), then the
//! handler's own checks, which have their own codes or sentences.

pub use crate::provider::Provider;
use crate::route::percent_decode;
use crate::schema::{self, pointer, Leniency, Relaxed, SchemaError};
use crate::webhooks::Event;
use crate::{helpwave, mava, tickiti, Reply};
use rusqlite::Transaction;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;
use ticketwire::value::{Object, Value};

/// One endpoint: a row of its provider's table.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    /// Whose.
    pub provider: Provider,
    /// The SDK's name for the call (for reports).
    pub name: &'static str,
    /// `GET`, `POST`, `PUT`.
    pub method: &'static str,
    /// The path under the provider's prefix; `{name}` is a path parameter.
    pub path: &'static str,
    /// What the request carries besides path parameters, and how it is read.
    pub(crate) input: Input,
    /// The server's checks beyond the schema.
    pub(crate) checks: Checks,
    /// What the server does with a request it took.
    pub(crate) handler: Handler,
}

/// What a request carries besides its path parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Input {
    /// Nothing more.
    None,
    /// A JSON body, checked against this JSON Schema (the text of its file in `sandbox/schemas/`).
    Body(&'static str),
    /// A query string, read by the handler itself: the fields it takes, or its first mistake.
    Query(fn(&str, &mut Vec<Relaxed>) -> Result<Object, Mistake>),
}

/// An endpoint's checks beyond its schema, each run where its server runs it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Checks {
    /// The path parameters, before the body is read.
    pub params: Option<ParamsCheck>,
    /// The body as it came, before the schema.
    pub body: Option<BodyCheck>,
    /// The handler's own, on the fields the schema let through.
    pub fields: Option<FieldsCheck>,
}

/// A check of the path parameters: the mistake, if any.
pub(crate) type ParamsCheck = fn(&[(&str, String)]) -> Option<Mistake>;

/// A check of the body as it came: the mistake, if any.
pub(crate) type BodyCheck = fn(&Value) -> Option<Mistake>;

/// A check of the fields: every mistake, in the handler's order; it may note where it was lenient.
pub(crate) type FieldsCheck = fn(&Object, &mut Vec<Relaxed>) -> Vec<Mistake>;

impl Checks {
    /// The schema's checks only.
    pub const NONE: Checks = Checks { params: None, body: None, fields: None };
}

/// A handler: runs inside the request's transaction, which commits unless it answers `Err`.
pub(crate) type Handler = fn(&Transaction, &Request) -> Handled;

/// A handler's answer: the success reply, or the provider's refusal.
pub(crate) type Handled = Result<Reply, Reply>;

/// Facts of one request a handler needs.
pub(crate) struct Request<'a> {
    /// The caller's organisation.
    pub org: &'a str,
    /// The validated input.
    pub input: &'a Object,
    /// The `Idempotency-Key` header.
    pub idempotency_key: Option<&'a str>,
    /// Now, in Unix milliseconds.
    pub now: i64,
    /// Where Mava's handlers record webhook events, sent once the transaction commits; `None`
    /// when no webhook URL is set.
    pub events: Option<&'a RefCell<Vec<Event>>>,
}

impl Request<'_> {
    /// Records a webhook event; its document is built only when webhooks are on.
    pub fn emit(&self, kind: &'static str, document: impl FnOnce() -> Result<Value, Reply>) -> Result<(), Reply> {
        if let Some(events) = self.events {
            let document = document()?;
            events.borrow_mut().push(Event { kind, document });
        }
        Ok(())
    }
}

/// Every endpoint the sandbox serves: the providers' tables, one after the other.
pub const ENDPOINTS: &[Endpoint] = &join::<COUNT>([mava::ENDPOINTS, helpwave::ENDPOINTS, tickiti::ENDPOINTS]);

const COUNT: usize = mava::ENDPOINTS.len() + helpwave::ENDPOINTS.len() + tickiti::ENDPOINTS.len();

/// The tables as one array: a `const` slice cannot be concatenated otherwise.
const fn join<const N: usize>(tables: [&[Endpoint]; 3]) -> [Endpoint; N] {
    let mut all = [tables[0][0]; N];
    let (mut table, mut row, mut n) = (0, 0, 0);
    while table < tables.len() {
        while row < tables[table].len() {
            all[n] = tables[table][row];
            (row, n) = (row + 1, n + 1);
        }
        (table, row) = (table + 1, 0);
    }
    assert!(n == N, "COUNT is the tables' rows");
    all
}

impl Endpoint {
    /// The body's schema, parsed once; `None` when the endpoint reads no body.
    pub fn schema(&self) -> Option<&'static Value> {
        match self.input {
            Input::Body(text) => Some(parsed(text)),
            _ => None,
        }
    }
}

/// A schema file's text, parsed once (every table's at first use).
fn parsed(text: &'static str) -> &'static Value {
    static PARSED: OnceLock<HashMap<&'static str, Value>> = OnceLock::new();
    let all = PARSED.get_or_init(|| {
        let text = |e: &Endpoint| match e.input {
            Input::Body(text) => Some((text, schema::parse(text))),
            _ => None,
        };
        ENDPOINTS.iter().filter_map(text).collect()
    });
    &all[text]
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
    /// Those its schema found, as (path, Ajv keyword): the rule the SDK's violation names.
    pub keywords: Vec<(String, &'static str)>,
    /// What was relaxed before the refusal.
    pub relaxed: Vec<Relaxed>,
}

/// One mistake, before it is answered.
#[derive(Debug)]
pub(crate) struct Mistake {
    /// JSON Pointer of the field, as the SDK names it.
    pub path: String,
    /// The provider's code for it.
    pub code: &'static str,
    /// Ajv's `instancePath` (for the message's subject).
    pub at: String,
    /// The rest of the message (`must be …`).
    pub message: String,
    /// A sentence the server answers instead of the code (Mava's update and message).
    pub sentence: Option<&'static str>,
    /// Ajv's keyword, where the schema found it (not a handler's own check).
    pub keyword: Option<&'static str>,
}

impl Mistake {
    /// A mistake at `path`, which is also the message's subject.
    pub fn new(path: &str, code: &'static str, message: impl Into<String>) -> Mistake {
        Mistake {
            path: path.to_owned(),
            code,
            at: path.to_owned(),
            message: message.into(),
            sentence: None,
            keyword: None,
        }
    }

    /// The same mistake, its message about `at` (Ajv names a missing field's parent).
    pub fn on(mut self, at: &str) -> Mistake {
        self.at = at.to_owned();
        self
    }

    /// The same mistake, answered with the server's own `sentence`.
    pub fn worded(mut self, sentence: &'static str) -> Mistake {
        self.sentence = Some(sentence);
        self
    }

    fn from_schema(e: &SchemaError, code: &'static str) -> Mistake {
        Mistake {
            path: e.path.clone(),
            code,
            at: e.instance_path.clone(),
            message: e.message.clone(),
            sentence: None,
            keyword: Some(e.keyword),
        }
    }

    /// Ajv's message: `body/priority must be …`.
    pub fn text(&self, root: &str) -> String {
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
    let server = endpoint.provider.server();
    let mut relaxed = Vec::new();
    let mut input = Object::new();
    for (name, value) in params {
        // A path carries text only: a number there is read as its digits.
        relaxed.push(Relaxed { path: pointer("", name), how: Leniency::Text });
        input.insert(*name, Value::String(value.as_str().into()));
    }
    let root = match endpoint.input {
        Input::Query(_) => "querystring",
        Input::None => "params",
        Input::Body(_) => "body",
    };
    if let Some(check_params) = endpoint.checks.params.filter(|_| !params.is_empty()) {
        if let Some(mistake) = check_params(params) {
            return Err(refuse(endpoint, "params", vec![mistake], relaxed));
        }
    }
    let schema = match endpoint.input {
        Input::None => return Ok(Accepted { input, relaxed }),
        Input::Query(read) => {
            return match read(query, &mut relaxed) {
                Ok(fields) => Ok(Accepted { input: fields, relaxed }),
                Err(mistake) => Err(refuse(endpoint, root, vec![mistake], relaxed)),
            }
        }
        Input::Body(text) => parsed(text),
    };
    let body = body.unwrap_or_else(server.absent_body);
    if let Some(mistake) = endpoint.checks.body.and_then(|check_body| check_body(&body)) {
        return Err(refuse(endpoint, root, vec![mistake], relaxed));
    }
    let checked = schema::check(schema, body, server.dialect);
    relaxed.extend(checked.relaxed);
    let mut mistakes: Vec<Mistake> =
        checked.errors.iter().map(|e| Mistake::from_schema(e, server.validation_code)).collect();
    // Where the server stops at the first error, the handler never runs its own checks.
    if !mistakes.is_empty() && !server.dialect.all_errors {
        return Err(refuse(endpoint, root, mistakes, relaxed));
    }
    let fields = match checked.value {
        Value::Object(fields) => fields,
        // Only a refused body is not an object (every schema says `object`).
        _ => Object::new(),
    };
    if let Some(check_fields) = endpoint.checks.fields {
        mistakes.extend(check_fields(&fields, &mut relaxed));
    }
    if !mistakes.is_empty() {
        return Err(refuse(endpoint, root, mistakes, relaxed));
    }
    for (key, value) in fields.iter() {
        input.insert(key, value.clone());
    }
    Ok(Accepted { input, relaxed })
}

/// The answer to `mistakes`: the provider's refusal, naming the first or, where the server
/// lists them all, every one.
fn refuse(endpoint: &Endpoint, root: &str, mistakes: Vec<Mistake>, relaxed: Vec<Relaxed>) -> Box<Refused> {
    let server = endpoint.provider.server();
    let reply = (server.refusal)(root, &mistakes);
    let first = &mistakes[0];
    let named = if server.dialect.all_errors { &mistakes[..] } else { &mistakes[..1] };
    let all = named.iter().map(|m| (m.path.clone(), m.code.to_owned())).collect();
    let keywords = named.iter().filter_map(|m| Some((m.path.clone(), m.keyword?))).collect();
    Box::new(Refused { path: first.path.clone(), code: first.code.to_owned(), reply, all, keywords, relaxed })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Provider::{HelpWave, Mava, Tickiti};

    #[test]
    fn every_schema_parses_and_requests_find_their_endpoint() {
        for e in ENDPOINTS.iter().filter(|e| matches!(e.input, Input::Body(_))) {
            assert!(e.schema().and_then(Value::as_object).is_some(), "{} {}", e.provider.id(), e.name);
        }
        let (e, params) = find(HelpWave, "POST", "/api/v1/tickets/987654321012345678/comments").unwrap();
        assert_eq!((e.name, params), ("sendMessage", vec![("ticketId", "987654321012345678".to_owned())]));
        assert_eq!(find(Mava, "PUT", "/api/ticket").unwrap().0.name, "updateTicket");
        assert!(find(Mava, "DELETE", "/api/ticket").is_none());
        assert!(find(Tickiti, "POST", "/api/nope").is_none());
    }
}
