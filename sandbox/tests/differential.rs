//! The SDK against the sandbox, over generated inputs for every operation. Inputs are drawn from
//! the SDK's own field tables (the SDK side), mostly valid, with noise a client may send: types
//! a server coerces, unknown fields, formats just off, limits plus one. The sandbox checks them
//! with its own descriptions (`sandbox/schemas/`), as the servers do. Each input is one of:
//! - both accept;
//! - both refuse, and the sandbox's error (each of them, for Tickiti) is among the SDK's
//!   violations, same path and same code (and, where its schema found it, the same Ajv keyword
//!   as the violation's `rule`);
//! - lenient: the SDK refuses what the server takes through its leniency (coercion, unknown
//!   fields dropped or ignored, values the server reads its own way, text in a path or query),
//!   shown by the SDK accepting the input as the server normalised it; or the server refuses
//!   it only after such a leniency changed it;
//! - SDK-only: a rule the contract adds on purpose and the provider's page does not have
//!   (listed below, each with its reason);
//! - a disagreement: anything else. There must be none.
//!
//! `TICKETWIRE_DIFFERENTIAL_CASES` (per operation, default 2000) and
//! `TICKETWIRE_DIFFERENTIAL_SEED` set the run; `scripts/differential.sh` runs a long one.

use std::collections::BTreeMap;
use ticketwire::operation::{Input, Operation};
use ticketwire::request::Config;
use ticketwire::rules::{Field, Format, Rule};
use ticketwire::value::{js_number, Object, Value};
use ticketwire_sandbox::endpoints::{self, Endpoint, Provider, ENDPOINTS};
use ticketwire_sandbox::schema::Leniency;

/// Rules the contract keeps on purpose where the provider's page has none: the server accepts.
const SDK_ONLY: &[(&str, &str, &str, &str, &str)] = &[
    (
        "mava",
        "identify",
        "",
        "must have a non-empty",
        "CONTRACT §1.2; the page: with no id a customer is created each time",
    ),
    ("mava", "identify", "/emailAddress", "must match format", "the published identify schema has no format"),
    (
        "mava",
        "updateTicket",
        "",
        "must have at least one of",
        "CONTRACT §1.4; the page: only values that differ change",
    ),
];

/// Disagreements the differential found in the SDK, reported and listed apart until fixed
/// there: (provider, operation, field, the characters that split the two sides, what differs).
const FINDINGS: &[(&str, &str, &str, &[char], &str)] = &[];

/// The finding that explains a disagreement on `input`, if one does.
fn finding(op: &Operation, input: &Value) -> Option<&'static str> {
    FINDINGS.iter().find_map(|(provider, name, field, chars, what)| {
        let value = input.as_object()?.get(field)?.as_str()?;
        (*provider == op.provider.id() && *name == op.name && value.contains(*chars)).then_some(*what)
    })
}

/// A SplitMix64 stream: a run is repeatable from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn s(text: impl AsRef<str>) -> Value {
    Value::String(text.as_ref().into())
}

/// Valid and invalid samples of each format, with the edges a server may read otherwise.
fn samples(format: Format) -> (Vec<String>, Vec<String>) {
    let v = |list: &[&str]| list.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    let (good, bad): (Vec<String>, Vec<String>) = match format {
        Format::Email | Format::EmailOrEmpty => (
            v(&["jane@example.com", "a.b+c@sub.example.co", "Jane.Doe@Example.COM", "x_y@a-b.example"]),
            v(&[
                "x@localhost",
                "a..b@example.com",
                ".a@example.com",
                "\u{212a}@example.com",
                "jane",
                "a@-b.com",
                " a@b.co",
            ]),
        ),
        Format::ObjectId | Format::ObjectIdOr(_) => (
            v(&["645abc1234567890abcdef12", "645ABC1234567890ABCDEF12", "64f0000000000000000a2001"]),
            v(&["645ghi1234567890abcdef34", "645abc", "645abc1234567890abcdef123", "agent@example.com"]),
        ),
        Format::WalletAddress => (
            v(&["0x52908400098527886E0F7030069857D2E4169EE7"]),
            v(&["0x12", "0X52908400098527886E0F7030069857D2E4169EE7", "52908400098527886E0F7030069857D2E4169EE7ab"]),
        ),
        Format::IsoDate => (
            v(&[
                "2026-01-01",
                "2026-03-01T10:00:00Z",
                "2026-02-01T00:00:00.250+02:00",
                "2024-02-29",
                "2026-06-30t23:59:59z",
            ]),
            v(&[
                "2026-02-30",
                "01/02/2026",
                "2026-01-01T10:00:00",
                "2026-1-1",
                "2026-01-01T24:00:00Z",
                "2026-01-01 10:00:00Z",
            ]),
        ),
        Format::DateTime => (
            v(&[
                "2026-01-01T10:00:00Z",
                "2026-01-01T10:00:00.5+02:00",
                "2026-01-01t10:00:00z",
                "2026-05-14T12:00:00.000Z",
            ]),
            v(&["2026-01-01", "10:00", "2026-01-01 10:00:00Z", "2026-01-01T10:00:00+0200", "2026-13-01T00:00:00Z"]),
        ),
        Format::HttpUrl => (
            v(&[
                "https://example.com/a.png",
                "http://cdn.example/f?x=1",
                "HTTPS://EXAMPLE.COM",
                "https://x.example:8443/a#b",
            ]),
            v(&[
                "ftp://x",
                "/relative",
                "https://",
                "https:///x",
                "https://a b.com",
                "https://x.com/\\y",
                "https//x.com",
            ]),
        ),
        Format::MimeType => (
            v(&["image/png", "application/pdf", "application/vnd.ms-excel", "text/plain"]),
            v(&["png", "image/", "/png", "image/png/x", "ima ge/png", "image/png; charset=x"]),
        ),
        Format::Digits => (v(&["123", "987654321012345678", "0", "007"]), v(&["12a", "", "-1", "1.5", " 12", "1e3"])),
        Format::NonBlank => (v(&["hi", " text ", "a\n", "\u{85}"]), v(&["   ", "", "\n\t", "\u{feff}", "\u{3000}"])),
        Format::Origin => (v(&["https://shop.example"]), v(&["*"])),
        Format::MavaAttachmentUrl => (
            v(&[
                "https://s3.eu-central-1.amazonaws.com/app.mava.container.2/receipt.jpg",
                "https://app.mava.x.s3.amazonaws.com/f.png",
                "https://app.mava.x.s3.us-east-1.amazonaws.com:443/a/b.png",
                "HTTPS://S3.AMAZONAWS.COM/app.mava.y/file.pdf",
            ]),
            v(&[
                "https://evil.example/x.png",
                "https://s3.amazonaws.com/app.mava.c/%2e%2e/x",
                "https://s3.amazonaws.com/app.mava.c/..%2fx",
                "https://s3.amazonaws.com/app.mava.c/%252E%252e/x",
                "http://s3.amazonaws.com/app.mava.c/x",
                "https://s3.amazonaws.com:8443/app.mava.c/x",
                "https://user@s3.amazonaws.com/app.mava.c/x",
                "https://s3.amazonaws.com/other-bucket/x",
                "https://s3.amazonaws.com/app.mava.c\\x",
                "https://app.mava.x.s3.amazonaws.com.evil.example/x",
                "https://s3.amazonaws.com/app.mava.c/a b",
            ]),
        ),
    };
    let mut good = good;
    if let Format::EmailOrEmpty = format {
        good.push(String::new());
    }
    if let Format::ObjectIdOr(keyword) = format {
        good.push(keyword.to_owned());
    }
    (good, bad)
}

/// A small value of any JSON type.
fn any(rng: &mut Rng, depth: u32) -> Value {
    match rng.below(if depth > 1 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(0.5)),
        2 => Value::Number((rng.below(2_000_000) as f64 - 1e6) / 8.0),
        3 => Value::Number(rng.below(5) as f64),
        4 => s(rng.pick(&["", "x", "3", "true", "false", " 1 ", "0x1f", "null", "a@b.co", "Open"])),
        5 => s("ab".repeat(rng.below(5))),
        6 => Value::Array((0..rng.below(3)).map(|_| any(rng, depth + 1)).collect()),
        _ => Value::Object((0..rng.below(3)).map(|i| (format!("k{i}"), any(rng, depth + 1))).collect()),
    }
}

/// What a loose client sends instead of `valid`: the forms a server's coercion takes (digits,
/// `"true"`, one-item arrays, `null`), and plain wrong values.
fn loose(rng: &mut Rng, valid: Value) -> Value {
    match rng.below(6) {
        0 => match &valid {
            Value::Number(n) => s(js_number(*n)),
            Value::Bool(b) => rng.pick(&[s(b.to_string()), Value::Number(f64::from(u8::from(*b)))]).clone(),
            Value::String(t) => match t.parse::<f64>() {
                Ok(n) if n.is_finite() => Value::Number(n),
                _ => Value::Number(rng.below(10) as f64),
            },
            _ => Value::Null,
        },
        1 => Value::Array(vec![valid]),
        2 => Value::Null,
        _ => any(rng, 1),
    }
}

fn text(rng: &mut Rng, min: usize, max: Option<usize>) -> String {
    let chars = ['a', 'z', 'é', '👍', ' ', '5'];
    let limit = max.unwrap_or(min + 8);
    if max.is_some() && rng.chance(0.1) {
        return "👍".repeat(limit); // exactly the limit, in code points
    }
    let n = min + rng.below(limit.min(min + 8) - min + 1);
    (0..n).map(|_| *rng.pick(&chars)).collect()
}

/// Mostly a value `rule` takes, sometimes one it refuses.
fn value_for(rng: &mut Rng, rule: &Rule) -> Value {
    if rng.chance(0.8) {
        return valid(rng, rule);
    }
    match *rule {
        Rule::Named(alias) => value_for(rng, &alias.rule),
        Rule::Text { format: Some(format), .. } => s(rng.pick(&samples(format).1)),
        Rule::Text { min, max: Some(max), format: None } if rng.chance(0.4) => {
            s(&if rng.chance(0.5) || min == 0 { "x".repeat(max + 1) } else { "x".repeat(min - 1) })
        }
        Rule::Text { min: 1.., .. } if rng.chance(0.4) => s(rng.pick(&["", " "])),
        Rule::IntEnum(_) | Rule::Enum(_) if rng.chance(0.4) => {
            rng.pick(&[Value::Number(4.0), s("open"), Value::Number(0.0)]).clone()
        }
        Rule::Integer { min, max } if rng.chance(0.4) => {
            Value::Number(*rng.pick(&[min as f64 - 1.0, max as f64 + 1.0, min as f64 + 0.5]))
        }
        Rule::Number { min: Some(min) } if rng.chance(0.4) => Value::Number(min - 1.0),
        Rule::List { max: Some(max), item } if rng.chance(0.4) => {
            Value::Array((0..=max).map(|_| valid(rng, item)).collect())
        }
        _ => {
            let v = valid(rng, rule);
            loose(rng, v)
        }
    }
}

/// A value `rule` takes (cross-field rules aside).
fn valid(rng: &mut Rng, rule: &Rule) -> Value {
    match *rule {
        Rule::Text { format: Some(format), .. } => s(rng.pick(&samples(format).0)),
        Rule::Text { min, max, format: None } => s(text(rng, min, max)),
        Rule::Enum(values) => s(rng.pick(values)),
        Rule::IntEnum(values) => Value::Number(*rng.pick(values) as f64),
        Rule::Bool => Value::Bool(rng.chance(0.5)),
        Rule::Number { min } => {
            Value::Number(if rng.chance(0.3) { min.unwrap_or(0.0) } else { rng.below(100_000) as f64 / 4.0 })
        }
        Rule::Integer { min, max } => Value::Number(match rng.below(3) {
            0 => min as f64,
            1 => max as f64,
            _ => (min + (rng.next() % ((max - min) as u64).clamp(1, 1_000_000)) as i64) as f64,
        }),
        Rule::Object(shape) | Rule::Open(shape) => object_for(rng, shape.fields),
        Rule::Named(alias) => valid(rng, &alias.rule),
        Rule::AnyObject => Value::Object((0..rng.below(3)).map(|i| (format!("k{i}"), any(rng, 1))).collect()),
        Rule::List { max, item } => {
            let n = match max {
                Some(max) if rng.chance(0.1) => max,
                Some(max) => rng.below(max.min(3) + 1),
                None => rng.below(4),
            };
            Value::Array((0..n).map(|_| value_for(rng, item)).collect())
        }
        Rule::OneOrMany(item) => {
            if rng.chance(0.5) {
                value_for(rng, item)
            } else {
                Value::Array((0..1 + rng.below(2)).map(|_| value_for(rng, item)).collect())
            }
        }
        Rule::Nullable(inner) => {
            if rng.chance(0.25) {
                Value::Null
            } else {
                value_for(rng, inner)
            }
        }
        Rule::Either(a, b) => {
            if rng.chance(0.5) {
                value_for(rng, a)
            } else {
                value_for(rng, b)
            }
        }
        // Only options take a host value, and only a variant's types rule a field out.
        Rule::Host(_) | Rule::Absent => unreachable!("no operation's table has {rule:?}"),
    }
}

/// An object of `fields`, each present or not, sometimes with an unknown field (a typo of a
/// known one, or a stranger).
fn object_for(rng: &mut Rng, fields: &[Field]) -> Value {
    let mut object = Object::new();
    for f in fields {
        if rng.chance(if f.required { 0.92 } else { 0.35 }) {
            object.insert(f.name, value_for(rng, &f.rule));
        }
    }
    if rng.chance(0.1) {
        let key = match rng.below(3) {
            0 if !fields.is_empty() => {
                let name: Vec<char> = rng.pick(fields).name.chars().collect();
                let cut = rng.below(name.len());
                name.iter().enumerate().filter(|(i, _)| *i != cut).map(|(_, c)| *c).collect()
            }
            1 => "platformUserId".to_owned(),
            _ => "extra".to_owned(),
        };
        if object.get(&key).is_none() && !fields.iter().any(|f| f.name == key) {
            object.insert(key, any(rng, 1));
        }
    }
    Value::Object(object)
}

/// Often makes the cross-field rules hold, so valid inputs are common enough to compare.
fn shape(rng: &mut Rng, op: &Operation, input: Value) -> Value {
    let Value::Object(mut object) = input else { return input };
    if !rng.chance(0.6) {
        return Value::Object(object);
    }
    match (op.provider.id(), op.name) {
        ("mava", "listTickets") => {
            object.insert("startDate", s(rng.pick(&["2026-01-01", "2024-02-29", "2026-03-01T10:00:00Z"])));
            object.insert(
                "endDate",
                s(rng.pick(&["2026-04-01", "2026-12-31T23:59:59.999Z", "2027-01-01", "2027-03-01"])),
            );
        }
        ("tickiti", "createTicket") => {
            let data = |rng: &mut Rng| {
                let mut d = Object::new();
                d.insert("subject", s(rng.pick(&["Cracked", "", "x"])));
                d.insert("content", s(rng.pick(&["The plate snapped.", "y"])));
                if rng.chance(0.3) {
                    d.insert("queue_name", s(rng.pick(&["Returns", "Inbox"])));
                }
                Value::Object(d)
            };
            let shape = rng.below(3);
            object = object
                .iter()
                .filter(|(k, _)| !matches!(*k, "template_identifier" | "intervention" | "uid" | "data"))
                .map(|(k, v)| (k, v.clone()))
                .collect();
            match shape {
                0 => object.insert("data", data(rng)),
                1 => {
                    object.insert("template_identifier", s("warranty_acknowledgement"));
                    object.insert("data", data(rng));
                }
                _ => {
                    object.insert("intervention", s("warranty_claim"));
                    object.insert("uid", s("crm-claim-58221"));
                    object.insert("data", Value::Object(Object::new()));
                }
            }
        }
        _ => {}
    }
    Value::Object(object)
}

/// The `{name}`s of a path pattern.
fn path_fields(path: &str) -> Vec<&str> {
    path.split('/').filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).collect()
}

/// A value as a path or query carries it: a string as it is, anything else as JSON text.
fn as_text(value: &Value) -> String {
    match value {
        Value::String(t) => t.to_string(),
        other => other.to_json(),
    }
}

fn form_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// How one input came out.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    BothAccept,
    BothRefuse,
    Lenient(String),
    SdkOnly(&'static str),
    Finding(&'static str),
    Disagree(String),
}

fn leniency_name(how: &Leniency) -> &'static str {
    match how {
        Leniency::Coerced { .. } => "coerced",
        Leniency::Removed => "unknown field dropped",
        Leniency::Ignored => "unknown field ignored",
        Leniency::Interpreted => "read its own way",
        Leniency::Text => "text in path/query",
    }
}

fn sandbox_endpoint(op: &Operation) -> &'static Endpoint {
    let provider = Provider::from_id(op.provider.id()).expect("a provider the sandbox serves");
    let endpoint = ENDPOINTS
        .iter()
        .find(|e| e.provider == provider && e.name == op.name)
        .unwrap_or_else(|| panic!("the sandbox serves {} {}", op.provider.id(), op.name));
    assert_eq!((endpoint.method, endpoint.path), (op.method.as_str(), op.path), "the routes agree");
    endpoint
}

/// Runs one input through both sides.
fn compare(op: &Operation, input: &Value, config: &Config) -> Outcome {
    let sdk = op.validate(input, config);
    // The SDK's other reader, the input's text read once: the same violations.
    assert_eq!(
        op.validate_text(&input.to_json(), config).as_ref(),
        Ok(&sdk),
        "{} {}: {input:?}",
        op.provider.id(),
        op.name
    );
    let endpoint = sandbox_endpoint(op);
    let object = input.as_object().cloned().unwrap_or_default();
    let in_path = path_fields(op.path);
    let params: Vec<(&str, String)> =
        in_path.iter().map(|name| (*name, object.get(name).map(as_text).unwrap_or_default())).collect();
    let rest: Object = object.iter().filter(|(k, _)| !in_path.contains(k)).map(|(k, v)| (k, v.clone())).collect();
    let (query, body) = match op.input {
        Input::Body(_) => (String::new(), Some(Value::from_json(&Value::Object(rest).to_json()).expect("JSON"))),
        Input::Query(_) => {
            let mut pairs = Vec::new();
            for (key, value) in rest.iter() {
                let values = match value {
                    Value::Array(items) => items.iter().collect(),
                    one => vec![one],
                };
                for v in values {
                    pairs.push(format!("{}={}", form_encode(key), form_encode(&as_text(v))));
                }
            }
            (pairs.join("&"), None)
        }
        Input::Path(_) | Input::None => (String::new(), None),
    };
    let checked = endpoints::check(endpoint, &params, &query, body);
    let among = |path: &str, code: &str| sdk.iter().any(|v| v.path == path && v.code == code);
    match checked {
        Ok(_) if sdk.is_empty() => Outcome::BothAccept,
        Err(refused) if sdk.is_empty() => Outcome::Disagree(format!(
            "the SDK accepts, the sandbox refuses at {:?} {}: {}",
            refused.path,
            refused.code,
            refused.reply.body.unwrap_or_default()
        )),
        Err(refused) => {
            let at_or_under = |path: &str, root: &str| path == root || path.starts_with(&format!("{root}/"));
            // A refusal the SDK words elsewhere only because of a leniency: after a coercion,
            // at or under the coerced value the SDK refused whole; a repeated query parameter
            // or a one-item list, which the wire cannot tell apart, at the list (SDK: its item).
            let after_leniency = |(p, c): &(String, String)| {
                refused.relaxed.iter().find(|r| match r.how {
                    Leniency::Coerced { .. } => at_or_under(p, &r.path) && sdk.iter().any(|v| v.path == r.path),
                    Leniency::Interpreted => at_or_under(p, &r.path),
                    Leniency::Text => {
                        *p == r.path && sdk.iter().any(|v| v.code == *c && v.path.starts_with(&format!("{p}/")))
                    }
                    Leniency::Removed | Leniency::Ignored => false,
                })
            };
            let unmatched: Vec<&(String, String)> = refused.all.iter().filter(|(p, c)| !among(p, c)).collect();
            // What the sandbox's schema found, the SDK names by the same Ajv keyword there, or by
            // `type` (its rules check the type first; a schema with no `type` goes straight to
            // `enum` or `pattern`).
            let named = |p: &str, k: &str| sdk.iter().any(|v| v.path == p && [k, "type"].contains(&v.rule.name()));
            let other_rule = refused.keywords.iter().find(|(p, k)| unmatched.is_empty() && !named(p, k));
            if let Some((p, k)) = other_rule {
                Outcome::Disagree(format!(
                    "the sandbox refuses at {p:?} for {k}, which the SDK names otherwise: SDK {:?}",
                    sdk.iter().map(|v| (&v.path, v.rule.name(), &v.message)).collect::<Vec<_>>()
                ))
            } else if unmatched.is_empty() {
                Outcome::BothRefuse
            } else if let Some(how) = unmatched.iter().map(|m| after_leniency(m)).collect::<Option<Vec<_>>>() {
                Outcome::Lenient(format!("refused after: {}", leniency_name(&how[0].how)))
            } else {
                Outcome::Disagree(format!(
                    "the sandbox refuses at {:?} {}, which the SDK does not name: SDK {:?}",
                    unmatched[0].0,
                    unmatched[0].1,
                    sdk.iter().map(|v| (&v.path, &v.code, &v.message)).collect::<Vec<_>>()
                ))
            }
        }
        Ok(accepted) => {
            // What the server took, as its handler sees it: the SDK must accept that, or name
            // only what the server reads its own way, or an SDK-only rule.
            let mut normalised = accepted.input.clone();
            for (name, _) in &params {
                if let Some(v) = object.get(name) {
                    if accepted.relaxed.iter().all(|r| r.path != format!("/{name}")) {
                        normalised.insert(*name, v.clone());
                    }
                }
            }
            let again = op.validate(&Value::Object(normalised), config);
            // Read its own way: whatever the SDK says there. Kept but unread: only that it is unknown.
            let explained = |v: &ticketwire::violation::Violation| {
                accepted.relaxed.iter().any(|r| match r.how {
                    Leniency::Interpreted => r.path == v.path || v.path.starts_with(&format!("{}/", r.path)),
                    Leniency::Ignored => r.path == v.path && v.message.contains("must NOT have additional properties"),
                    _ => false,
                })
            };
            let mut sdk_only = None;
            for v in &again {
                if explained(v) {
                    continue;
                }
                let rule = SDK_ONLY.iter().find(|(p, o, path, message, _)| {
                    *p == op.provider.id() && *o == op.name && *path == v.path && v.message.contains(message)
                });
                match rule {
                    Some(rule) => sdk_only = Some(rule.4),
                    None => {
                        return Outcome::Disagree(format!(
                            "the sandbox accepts what the SDK refuses at {:?} {}: {}",
                            v.path, v.code, v.message
                        ))
                    }
                }
            }
            match sdk_only {
                // The contract's own rule refuses it whatever else the server relaxed.
                Some(reason) => Outcome::SdkOnly(reason),
                None => {
                    let mut kinds: Vec<&str> = accepted
                        .relaxed
                        .iter()
                        .filter(|r| {
                            sdk.iter().any(|v| {
                                v.path == r.path || v.path.starts_with(&format!("{}/", r.path)) || v.path.is_empty()
                            })
                        })
                        .map(|r| leniency_name(&r.how))
                        .collect();
                    if kinds.is_empty() {
                        kinds = accepted.relaxed.iter().map(|r| leniency_name(&r.how)).collect();
                    }
                    // A query sends nothing for an empty list: the server never sees the field.
                    let empty_list = |v: &ticketwire::violation::Violation| matches!(object.get(v.path.trim_start_matches('/')), Some(Value::Array(items)) if items.is_empty());
                    if matches!(op.input, Input::Query(_)) && sdk.iter().any(empty_list) {
                        kinds.push("text in path/query");
                    }
                    if kinds.is_empty() {
                        return Outcome::Disagree("the SDK refuses, the sandbox accepts with no leniency".into());
                    }
                    kinds.sort_unstable();
                    kinds.dedup();
                    Outcome::Lenient(kinds.join(" + "))
                }
            }
        }
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn the_sdk_and_the_sandbox_agree_outside_the_servers_leniency() {
    let cases = env_number("TICKETWIRE_DIFFERENTIAL_CASES", 2000);
    let seed = env_number("TICKETWIRE_DIFFERENTIAL_SEED", 0x5eed_2026);
    let config = Config::new("https://api.example", None);
    let operations: Vec<&Operation> = ticketwire::mava::OPERATIONS
        .iter()
        .chain(ticketwire::helpwave::OPERATIONS)
        .chain(ticketwire::tickiti::OPERATIONS)
        .copied()
        .collect();
    let mut rng = Rng(seed);
    let mut disagreements = Vec::new();
    let mut totals: BTreeMap<&str, u64> = BTreeMap::new();
    println!("differential: {cases} generated inputs per operation, seed {seed}");
    println!(
        "{:<30} {:>7} {:>7} {:>7} {:>8} {:>8} {:>8} {:>9}",
        "operation", "inputs", "accept", "refuse", "lenient", "SDK-only", "finding", "disagree"
    );
    let mut lenient_kinds: BTreeMap<String, u64> = BTreeMap::new();
    let mut sdk_only_reasons: BTreeMap<String, u64> = BTreeMap::new();
    let mut findings: BTreeMap<String, u64> = BTreeMap::new();
    for op in &operations {
        let mut counts = [0u64; 6];
        for _ in 0..cases {
            let input = match op.input {
                Input::Body(table) | Input::Query(table) | Input::Path(table) => {
                    let generated = object_for(&mut rng, table.fields);
                    shape(&mut rng, op, generated)
                }
                Input::None => Value::Object(Object::new()),
            };
            let outcome = match compare(op, &input, &config) {
                Outcome::Disagree(why) => finding(op, &input).map_or(Outcome::Disagree(why), Outcome::Finding),
                other => other,
            };
            let slot = match &outcome {
                Outcome::BothAccept => 0,
                Outcome::BothRefuse => 1,
                Outcome::Lenient(kind) => {
                    *lenient_kinds.entry(format!("{} {}: {kind}", op.provider.id(), op.name)).or_default() += 1;
                    2
                }
                Outcome::SdkOnly(reason) => {
                    *sdk_only_reasons.entry(format!("{} {}: {reason}", op.provider.id(), op.name)).or_default() += 1;
                    3
                }
                Outcome::Finding(what) => {
                    *findings.entry(format!("{} {}: {what}", op.provider.id(), op.name)).or_default() += 1;
                    4
                }
                Outcome::Disagree(why) => {
                    if disagreements.len() < 20 {
                        let shown: String = input.to_json().chars().take(400).collect();
                        disagreements.push(format!("{} {} {shown}\n    {why}", op.provider.id(), op.name));
                    }
                    5
                }
            };
            counts[slot] += 1;
        }
        for (name, n) in ["accept", "refuse", "lenient", "sdk-only", "finding", "disagree"].iter().zip(counts) {
            *totals.entry(name).or_default() += n;
        }
        println!(
            "{:<30} {:>7} {:>7} {:>7} {:>8} {:>8} {:>8} {:>9}",
            format!("{} {}", op.provider.id(), op.name),
            cases,
            counts[0],
            counts[1],
            counts[2],
            counts[3],
            counts[4],
            counts[5]
        );
        if matches!(op.input, Input::Body(_) | Input::Query(_) | Input::Path(_)) {
            assert!(counts[0] > 0, "{} {}: no generated input was valid", op.provider.id(), op.name);
            assert!(counts[1] > 0, "{} {}: no generated input was refused by both", op.provider.id(), op.name);
        }
    }
    println!(
        "{:<30} {:>7} {:>7} {:>7} {:>8} {:>8} {:>8} {:>9}",
        "all",
        cases * operations.len() as u64,
        totals["accept"],
        totals["refuse"],
        totals["lenient"],
        totals["sdk-only"],
        totals["finding"],
        totals["disagree"]
    );
    println!("\nlenient, by what the server did (the contract's intended strictness):");
    for (kind, n) in &lenient_kinds {
        println!("  {n:>7}  {kind}");
    }
    println!("\nSDK-only rules (the server accepts):");
    for (reason, n) in &sdk_only_reasons {
        println!("  {n:>7}  {reason}");
    }
    println!("\nfindings in the SDK (reported; listed apart until fixed there):");
    for (what, n) in &findings {
        println!("  {n:>7}  {what}");
    }
    assert!(disagreements.is_empty(), "disagreements:\n{}", disagreements.join("\n"));
}

/// The router answers exactly what the check decides: a sample of the same inputs over HTTP.
#[tokio::test]
async fn over_http_a_refusal_is_the_checks_answer_byte_for_byte() {
    use axum::body::{to_bytes, Body};
    use tower::ServiceExt;
    let sandbox = ticketwire_sandbox::Sandbox::new(None, 1_000_000, std::time::Duration::from_secs(30)).unwrap();
    let mut rng = Rng(7);
    let mut refused = 0;
    for op in ticketwire::mava::OPERATIONS
        .iter()
        .chain(ticketwire::helpwave::OPERATIONS)
        .chain(ticketwire::tickiti::OPERATIONS)
    {
        let endpoint = sandbox_endpoint(op);
        let Input::Body(shape) = op.input else { continue };
        for _ in 0..100 {
            let input = object_for(&mut rng, shape.fields);
            let object = input.as_object().cloned().unwrap_or_default();
            let in_path = path_fields(op.path);
            let params: Vec<(&str, String)> =
                in_path.iter().map(|n| (*n, object.get(n).map(as_text).unwrap_or_default())).collect();
            // Path parameters the router could not route (empty, or with a slash) are the
            // check's own business, tested above.
            if params.iter().any(|(_, v)| v.is_empty() || v.contains(['/', '?', '#', '%'])) {
                continue;
            }
            let rest: Object =
                object.iter().filter(|(k, _)| !in_path.contains(k)).map(|(k, v)| (k, v.clone())).collect();
            let body = Value::Object(rest).to_json();
            let Err(expected) = endpoints::check(endpoint, &params, "", Value::from_json(&body).ok()) else { continue };
            let mut path = format!("/{}{}", op.provider.id(), op.path);
            for (name, value) in &params {
                path = path.replace(&format!("{{{name}}}"), &form_encode(value));
            }
            let (header, key) = match op.provider.id() {
                "mava" => ("x-auth-token", "sandbox_mava_acme"),
                "helpwave" => ("x-api-key", "sandbox_helpwave_acme"),
                _ => ("authorization", "Bearer sandbox_tickiti_acme"),
            };
            let request = axum::http::Request::builder()
                .method(op.method.as_str())
                .uri(path)
                .header(header, key)
                .header("content-type", "application/json")
                .header("content-length", body.len())
                .header("idempotency-key", "differential")
                .body(Body::from(body.clone()))
                .unwrap();
            let response = ticketwire_sandbox::app(sandbox.clone()).oneshot(request).await.unwrap();
            let status = response.status().as_u16();
            let text = String::from_utf8(to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec()).unwrap();
            assert_eq!(
                (status, Some(text)),
                (expected.reply.status, expected.reply.body.clone()),
                "{} {} {body}",
                op.provider.id(),
                op.name
            );
            refused += 1;
        }
    }
    assert!(refused > 300, "only {refused} refusals compared");
}
