//! An operation as data (endpoint, input rules, retry safety), and the generic steps every
//! operation shares: [`Operation::validate`] and [`Operation::prepare`].

use crate::json::JsonError;
use crate::provider::Provider;
use crate::request::{form_encode, path_encode, Config, PreparedRequest, CAPABILITY_HEADER, USER_HASH_HEADER};
use crate::rules::source::{Source, Stop};
use crate::rules::{check_input, walk_input, RuleContext, Shape};
use crate::value::{Object, Value};
use crate::violation::{Violation, Violations};

/// The HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`: reads, always safe to repeat.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
}

impl Method {
    /// The method as sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
        }
    }
}

/// When repeating a call cannot do harm (CONTRACT §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetrySafety {
    /// Repeating it changes nothing more (reads, find-or-create, calls with an idempotency key).
    Idempotent,
    /// The provider rolls the whole request back on `500`, so a `500` may be retried.
    RolledBackOn500,
    /// Once it may have reached the server it is never repeated.
    Unsafe,
}

/// Where an operation's input goes on the wire.
#[derive(Debug, Clone, Copy)]
pub enum Input {
    /// The operation takes no input.
    None,
    /// A JSON body of this shape.
    Body(&'static Shape),
    /// A query string of this shape (arrays repeat the parameter).
    Query(&'static Shape),
    /// Only path parameters (`{field}` in the path), of this shape.
    Path(&'static Shape),
}

pub use crate::rules::CrossFieldCheck;

/// Everything the SDK knows about one operation.
#[derive(Debug)]
pub struct Operation {
    /// Whose API this is.
    pub provider: Provider,
    /// The JS method stem: `createTicket`.
    pub name: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path under the base URL; `{field}` takes that input field, percent-encoded.
    pub path: &'static str,
    /// Where the input goes, and its field rules.
    pub input: Input,
    /// Rules spanning fields, run after the field rules.
    pub checks: &'static [CrossFieldCheck],
    /// When a retry is safe.
    pub safety: RetrySafety,
    /// Whether each call carries an `Idempotency-Key` header.
    pub idempotency_key: bool,
    /// Reshapes a success body where the contract asks (identify surfaces the customer id):
    /// given the parsed body and its exact text, the JSON text of the result.
    pub reshape: Option<fn(&Value, &str) -> String>,
    /// What the edge relay may do with it, and what it checks (CONTRACT §6).
    pub relaying: Relaying,
}

/// What the edge relay (CONTRACT §6) may do with an operation, and what it must check first.
#[derive(Debug, Clone, Copy)]
pub struct Relaying {
    /// Whether a relay serves it.
    pub access: RelayAccess,
    /// How it names a ticket, for ticket capabilities.
    pub ticket: TicketRole,
    /// How it names a customer, for customer capabilities.
    pub customer: CustomerRole,
    /// A field that would make a visitor write as the business.
    pub staff_field: Option<StaffField>,
    /// The fields naming the identity it acts for (identify), in the order an identity hash
    /// covers them.
    pub identity: &'static [&'static str],
    /// The fields a visitor may send, whole (`message`) or some of an object's (`customer.email`);
    /// `None`: every field of the input.
    pub visitor_fields: Option<&'static [&'static str]>,
    /// Whether the relay's `ticketDefaults` for the provider are merged into it (creates).
    pub takes_ticket_defaults: bool,
    /// What a visitor whose identity was not verified gets of a success answer: the answer
    /// text rewritten, where the whole record is not theirs to read.
    pub unverified_answer: Option<fn(&Value) -> String>,
}

impl Relaying {
    /// Reads everyone's data: a relay never serves it.
    pub const NEVER: Relaying = Relaying {
        access: RelayAccess::Never("reads everyone's data"),
        ticket: TicketRole::None,
        customer: CustomerRole::None,
        staff_field: None,
        identity: &[],
        visitor_fields: None,
        takes_ticket_defaults: false,
        unverified_answer: None,
    };
    /// Speaks or acts as the business: a relay never serves it.
    pub const BUSINESS_ONLY: Relaying =
        Relaying { access: RelayAccess::Never("speaks or acts as the business"), ..Relaying::NEVER };
    /// What a visitor needs: served unless the relay's `operations` leave it out.
    pub const FOR_VISITORS: Relaying = Relaying { access: RelayAccess::ByDefault, ..Relaying::NEVER };
    /// Served only when the relay's `operations` name it.
    pub const WHEN_LISTED: Relaying = Relaying { access: RelayAccess::WhenListed, ..Relaying::NEVER };
}

/// Whether a relay serves an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelayAccess {
    /// Unless the relay's `operations` leave it out.
    ByDefault,
    /// Only when the relay's `operations` name it.
    WhenListed,
    /// Only when the relay's `operations` name it and it has an `identitySecret` (it reads and
    /// rewrites a customer's record by what the visitor names).
    WhenListedWithIdentitySecret,
    /// Never: `createRelay` refuses to enable it, for this reason.
    Never(&'static str),
}

/// How an operation names a ticket (CONTRACT §6, ticket capabilities).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketRole {
    /// It names none.
    None,
    /// It creates one; the new ticket's id is at this path in the answer.
    Creates(&'static [&'static str]),
    /// It acts on the ticket this input field names: a capability for it is required.
    ActsOn(&'static str),
}

/// How an operation names a customer (CONTRACT §6, customer capabilities).
#[derive(Debug, Clone, Copy)]
pub enum CustomerRole {
    /// It names none.
    None,
    /// It finds or creates one (identify); its answer names the id this reads.
    Identifies(fn(&Value) -> Option<String>),
    /// This input field names an existing customer: a customer capability for it, or an
    /// identity hash over it, is required.
    Names(&'static str),
}

/// A field whose value makes a call the business's own (CONTRACT §6: a visitor is never staff).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffField {
    /// The field.
    pub name: &'static str,
    /// The value that marks staff: this string, or `true` when `None`.
    pub staff_text: Option<&'static str>,
    /// What the relay sends when the visitor left it out, where the provider's default is staff.
    pub visitor_value: Option<bool>,
}

/// Extra facts for one call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallContext {
    /// The `Idempotency-Key` to send, for operations that take one.
    pub idempotency_key: Option<String>,
    /// A ticket capability for the relay (`x-ticketwire-capability`, CONTRACT §6).
    pub capability: Option<String>,
    /// The app backend's identity hash for the relay (`x-ticketwire-user-hash`, CONTRACT §6).
    pub user_hash: Option<String>,
}

impl Operation {
    /// Whether a relay may ever serve it to a visitor (CONTRACT §6 "What is enabled"): the
    /// rule `createRelay` refuses operations by, and what `ticketwire/lite`, the build for pages
    /// that call through a relay, is made of (`catalog`).
    pub const fn servable_to_visitors(&self) -> bool {
        !matches!(self.relaying.access, RelayAccess::Never(_))
    }

    /// Whether a call given `key` must be handed a fresh one before it is prepared: one key
    /// per logical call, made once, so every retry and `prepareX` carry the same (CONTRACT §4).
    pub fn needs_fresh_key(&self, key: Option<&str>) -> bool {
        self.idempotency_key && key.is_none()
    }

    /// The fields of its input table (none when it takes no input).
    pub fn input_fields(&self) -> &'static [crate::rules::Field] {
        match self.input {
            Input::None => &[],
            Input::Body(shape) | Input::Query(shape) | Input::Path(shape) => shape.fields,
        }
    }

    /// Every violation in `input`, in input order, depth first; empty when it is valid.
    pub fn validate(&self, input: &Value, config: &Config) -> Vec<Violation> {
        let Some((fields, mut out)) = self.violations() else { return Vec::new() };
        let ctx = RuleContext { attachment_bucket_prefix: &config.attachment_bucket_prefix };
        check_input(fields, input, &ctx, &mut out);
        if let Value::Object(object) = input {
            self.check_across(object, &mut out);
        }
        out.into_vec()
    }

    /// [`validate`](Self::validate) of the input `text` is, read once as JSON with no value
    /// tree: the same violations as `validate(&Value::from_json(text)?)`, and its error for a
    /// text that is not JSON.
    pub fn validate_text(&self, text: &str, config: &Config) -> Result<Vec<Violation>, JsonError> {
        let Some((fields, mut out)) = self.violations() else {
            return Value::from_json(text).map(|_| Vec::new()); // nothing to check but the JSON
        };
        let mut source = Source::text(text, self.checks);
        let ctx = RuleContext { attachment_bucket_prefix: &config.attachment_bucket_prefix };
        let root = source.root();
        walk_input(&mut source, root, fields, &ctx, &mut out);
        match source.finish() {
            Ok(sketch) => {
                if let Some(object) = sketch {
                    self.check_across(&object, &mut out);
                }
                Ok(out.into_vec())
            }
            Err(Stop::NotJson(error)) => Err(error),
            Err(Stop::NeedsTree) => Ok(self.validate(&Value::from_json(text)?, config)),
        }
    }

    /// Its input's fields and an empty list of violations, worded for where the input goes;
    /// `None` when it takes no input.
    fn violations(&self) -> Option<(&'static [crate::rules::Field], Violations)> {
        let (root, fields) = match self.input {
            Input::None => return None,
            Input::Body(shape) => ("body", shape.fields),
            Input::Query(shape) => ("querystring", shape.fields),
            Input::Path(shape) => ("params", shape.fields),
        };
        Some((fields, Violations::new(root, self.provider.validation_code())))
    }

    /// Runs the cross-field checks on an input that is an object.
    fn check_across(&self, input: &Object, out: &mut Violations) {
        for across in self.checks {
            (across.check)(input, out);
        }
    }

    /// The exact request this call sends, or every violation when `input` is invalid.
    pub fn prepare(
        &self,
        input: &Value,
        config: &Config,
        call: &CallContext,
    ) -> Result<PreparedRequest, Vec<Violation>> {
        self.prepare_with_json(input, None, config, call)
    }

    /// [`prepare`](Self::prepare), given `input` already written as JSON (`json`, as
    /// `JSON.stringify` writes it, which the body writer matches byte for byte): a body that is
    /// the whole input is then that text, not written again.
    pub fn prepare_with_json(
        &self,
        input: &Value,
        json: Option<&str>,
        config: &Config,
        call: &CallContext,
    ) -> Result<PreparedRequest, Vec<Violation>> {
        let violations = self.validate(input, config);
        if !violations.is_empty() {
            return Err(violations);
        }
        Ok(self.prepare_valid(input, json, config, call))
    }

    /// [`prepare_with_json`](Self::prepare_with_json) of the input given only as its JSON text
    /// (as `JSON.stringify` writes it), validated in one pass ([`validate_text`](Self::validate_text));
    /// a value tree is read only for a body or URL made of some of its fields.
    pub fn prepare_text(
        &self,
        text: &str,
        config: &Config,
        call: &CallContext,
    ) -> Result<Result<PreparedRequest, Vec<Violation>>, JsonError> {
        let violations = self.validate_text(text, config)?;
        if !violations.is_empty() {
            return Ok(Err(violations));
        }
        if self.sends_input_as_body() {
            let PreparedRequest { method, url, headers, .. } = self.request_head(config, call);
            return Ok(Ok(PreparedRequest { method, url, headers, body: Some(text.to_owned()) }));
        }
        Ok(Ok(self.prepare_valid(&Value::from_json(text)?, Some(text), config, call)))
    }

    /// Whether a valid input's body is the input as given, its JSON text unchanged: a JSON
    /// body with no path fields taken out of it.
    pub fn sends_input_as_body(&self) -> bool {
        matches!(self.input, Input::Body(_)) && !self.path.contains('{')
    }

    /// Where [`sends_input_as_body`](Self::sends_input_as_body) holds, the request for any
    /// valid input but its body (the input's JSON text): its method, URL and headers, which only
    /// the client's settings and `call` decide.
    pub fn request_head(&self, config: &Config, call: &CallContext) -> PreparedRequest {
        PreparedRequest {
            method: self.method.as_str().to_owned(),
            url: format!("{}{}", config.base_url, self.path),
            headers: self.headers(true, config, call),
            body: None,
        }
    }

    /// The request for a valid `input` (`json`: its text, as in `prepare_with_json`).
    fn prepare_valid(&self, input: &Value, json: Option<&str>, config: &Config, call: &CallContext) -> PreparedRequest {
        let empty = Object::new();
        let object = input.as_object().unwrap_or(&empty);
        let (path, in_path) = self.fill_path(object);
        let rest = object.iter().filter(|(k, _)| !in_path.contains(k));
        let mut url = format!("{}{}", config.base_url, path);
        let mut body = None;
        match self.input {
            Input::None | Input::Path(_) => {}
            Input::Body(_) => match json {
                Some(json) if in_path.is_empty() => body = Some(json.to_owned()),
                _ => {
                    let mut text = String::with_capacity(256);
                    crate::json::write_json_object(rest, &mut text);
                    body = Some(text);
                }
            },
            Input::Query(_) => append_query(&mut url, rest),
        }
        let headers = self.headers(body.is_some(), config, call);
        PreparedRequest { method: self.method.as_str().to_owned(), url, headers, body }
    }

    /// The headers of a request, with a body or not.
    fn headers(&self, has_body: bool, config: &Config, call: &CallContext) -> Vec<(String, String)> {
        let mut headers = Vec::new();
        if let Some(key) = &config.api_key {
            headers.push(self.provider.auth().header(key));
        }
        if has_body {
            headers.push(("content-type".to_owned(), "application/json".to_owned()));
        }
        if let Some(key) = &call.idempotency_key {
            headers.push(("idempotency-key".to_owned(), key.clone()));
        }
        if let Some(token) = &call.capability {
            headers.push((CAPABILITY_HEADER.to_owned(), token.clone()));
        }
        if let Some(hash) = &call.user_hash {
            headers.push((USER_HASH_HEADER.to_owned(), hash.clone()));
        }
        headers
    }

    /// The path with each `{field}` replaced by that (validated, string) input field.
    fn fill_path<'a>(&self, input: &'a Object) -> (String, Vec<&'a str>) {
        let mut path = String::new();
        let mut used = Vec::new();
        let mut rest = self.path;
        while let Some(open) = rest.find('{') {
            path.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
            let name = &rest[open + 1..close];
            if let Some((key, value)) = input.iter().find(|(k, _)| *k == name) {
                path_encode(value.as_str().unwrap_or(""), &mut path);
                used.push(key);
            }
            rest = rest.get(close + 1..).unwrap_or("");
        }
        path.push_str(rest);
        (path, used)
    }
}

/// Appends `?k=v&…` in input order; an array repeats its key, as the providers expect.
fn append_query<'a>(url: &mut String, entries: impl Iterator<Item = (&'a str, &'a Value)>) {
    let mut first = true;
    let mut pair = |url: &mut String, key: &str, value: &Value| {
        url.push(if first { '?' } else { '&' });
        first = false;
        form_encode(key, url);
        url.push('=');
        match value {
            Value::String(s) => form_encode(s, url),
            other => form_encode(&other.to_json(), url),
        }
    };
    for (key, value) in entries {
        match value {
            Value::Array(items) => items.iter().for_each(|item| pair(url, key, item)),
            single => pair(url, key, single),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helpwave::SEND_MESSAGE as COMMENT;
    use crate::request::ApiKey;
    use crate::tickiti::SEND_MESSAGE as RESPOND;

    #[test]
    fn path_fields_are_encoded_into_the_path_and_left_out_of_the_body() {
        let config = Config::new("https://hw.example/", Some(ApiKey::new("k")));
        let input = Value::from_json(r#"{"ticketId":"123","text":"hi"}"#).unwrap();
        let request = COMMENT.prepare(&input, &config, &CallContext::default()).unwrap();
        assert_eq!(request.url, "https://hw.example/api/v1/tickets/123/comments");
        assert_eq!(request.body.as_deref(), Some(r#"{"text":"hi"}"#));
        assert_eq!(
            request.headers,
            vec![("x-api-key".into(), "k".into()), ("content-type".into(), "application/json".into())]
        );
    }

    #[test]
    fn without_a_key_no_auth_header_is_sent() {
        let config = Config::new("https://hw.example", None);
        let input = Value::from_json(r#"{"ticketId":"1","text":"hi"}"#).unwrap();
        let request = COMMENT.prepare(&input, &config, &CallContext::default()).unwrap();
        assert_eq!(request.headers, vec![("content-type".into(), "application/json".into())]);
    }

    #[test]
    fn an_idempotency_key_is_sent_as_given() {
        let config = Config::new("https://t.example", None);
        let input = Value::from_json(r#"{"ticket_number":482113,"content":"hi"}"#).unwrap();
        let call = CallContext { idempotency_key: Some("key-1".into()), ..CallContext::default() };
        let request = RESPOND.prepare(&input, &config, &call).unwrap();
        assert_eq!(request.header("idempotency-key"), Some("key-1"));
    }

    #[test]
    fn a_capability_and_a_user_hash_for_the_relay_become_headers() {
        let config = Config::new("https://relay.example/helpwave", None);
        let input = Value::from_json(r#"{"ticketId":"12","text":"hi"}"#).unwrap();
        let call =
            CallContext { capability: Some("tw1.1.x".into()), user_hash: Some("ab".into()), ..CallContext::default() };
        let request = COMMENT.prepare(&input, &config, &call).unwrap();
        assert_eq!(request.header("x-ticketwire-capability"), Some("tw1.1.x"));
        assert_eq!(request.header("x-ticketwire-user-hash"), Some("ab"));
    }

    #[test]
    fn an_invalid_input_prepares_nothing() {
        let config = Config::new("https://hw.example", None);
        let input = Value::from_json(r#"{"ticketId":1}"#).unwrap();
        let violations = COMMENT.prepare(&input, &config, &CallContext::default()).unwrap_err();
        let messages: Vec<&str> = violations.iter().map(|v| v.message.as_str()).collect();
        assert_eq!(messages, ["body/ticketId must be string", "body must have required property 'text'"]);
    }
}
