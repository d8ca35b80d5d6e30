//! Which core operation a request is, and its input as the SDK would have sent it: the sandbox
//! routes by the same operation tables the SDK prepares from, so the two cannot disagree.

use ticketwire::operation::{Input, Operation, Provider};
use ticketwire::rules::{Field, Rule};
use ticketwire::value::{Object, Value};
use ticketwire::{helpwave, mava, tickiti};

/// The operation a provider's `method path` is, with its path parameters.
pub fn find(provider: Provider, method: &str, path: &str) -> Option<(&'static Operation, Vec<(&'static str, String)>)> {
    let operations = match provider {
        Provider::Mava => mava::OPERATIONS,
        Provider::HelpWave => helpwave::OPERATIONS,
        Provider::Tickiti => tickiti::OPERATIONS,
    };
    operations.iter().copied().filter(|op| op.method.as_str() == method).find_map(|op| {
        let pattern: Vec<&str> = op.path.split('/').collect();
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
        Some((op, params))
    })
}

/// The request's input as a value: the JSON body (or query) with the path parameters in it.
pub fn input(
    op: &Operation,
    params: Vec<(&'static str, String)>,
    query: &str,
    body: &str,
) -> Result<Value, &'static str> {
    let mut object = Object::new();
    for (name, value) in params {
        object.insert(name, Value::String(value.into()));
    }
    match op.input {
        Input::None | Input::Path(_) => Ok(Value::Object(object)),
        Input::Query(fields) => {
            for (key, value) in coerce_query(fields.fields, query).iter() {
                object.insert(key, value.clone());
            }
            Ok(Value::Object(object))
        }
        Input::Body(_) => match Value::from_json(if body.trim().is_empty() { "null" } else { body }) {
            Ok(Value::Object(fields)) => {
                for (key, value) in fields.iter() {
                    object.insert(key, value.clone());
                }
                Ok(Value::Object(object))
            }
            Ok(other) if object.is_empty() => Ok(other),
            Ok(_) => Err("the body must be a JSON object"),
            Err(_) => Err("the body is not valid JSON"),
        },
    }
}

/// A query string as typed values, as Fastify coerces one: numbers and booleans where the
/// field wants them, and a repeated parameter as an array.
fn coerce_query(fields: &[Field], query: &str) -> Object {
    let mut grouped: Vec<(String, Vec<String>)> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (key, value) = (percent_decode(key, true), percent_decode(value, true));
        match grouped.iter_mut().find(|(k, _)| *k == key) {
            Some((_, values)) => values.push(value),
            None => grouped.push((key, vec![value])),
        }
    }
    grouped
        .into_iter()
        .map(|(key, values)| {
            let rule = fields.iter().find(|f| f.name == key).map(|f| f.rule);
            let value = match (rule, values.len()) {
                (Some(Rule::OneOrMany(item)), n) if n > 1 => {
                    Value::Array(values.iter().map(|v| coerce(Some(*item), v)).collect())
                }
                (Some(Rule::OneOrMany(item)), _) => coerce(Some(*item), &values[0]),
                (rule, 1) => coerce(rule, &values[0]),
                (rule, _) => Value::Array(values.iter().map(|v| coerce(rule, v)).collect()),
            };
            (key, value)
        })
        .collect()
}

fn coerce(rule: Option<Rule>, text: &str) -> Value {
    let number = || text.parse::<f64>().ok().filter(|n| n.is_finite() && !text.is_empty()).map(Value::Number);
    match rule {
        Some(Rule::Integer { .. } | Rule::Number { .. } | Rule::IntEnum(_)) => {
            number().unwrap_or(Value::String(text.into()))
        }
        Some(Rule::Bool) => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.into()),
        },
        _ => Value::String(text.into()),
    }
}

/// Undoes percent-encoding (and `+` for space in a query), keeping invalid escapes as written.
pub fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        match bytes[i] {
            b'%' if hex(i + 1).is_some() && hex(i + 2).is_some() => {
                out.push((hex(i + 1).unwrap_or(0) * 16 + hex(i + 2).unwrap_or(0)) as u8);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_find_their_core_operation_and_path_parameters() {
        let (op, params) = find(Provider::HelpWave, "POST", "/api/v1/tickets/987654321012345678/comments").unwrap();
        assert_eq!((op.name, params), ("sendMessage", vec![("ticketId", "987654321012345678".to_owned())]));
        assert_eq!(find(Provider::Mava, "PUT", "/api/ticket").unwrap().0.name, "updateTicket");
        assert_eq!(find(Provider::Mava, "POST", "/api/ticket").unwrap().0.name, "createTicket");
        assert!(find(Provider::Mava, "DELETE", "/api/ticket").is_none());
        assert!(find(Provider::Tickiti, "POST", "/api/nope").is_none());
    }

    #[test]
    fn a_query_is_coerced_as_fastify_does() {
        let (op, params) = find(Provider::Mava, "GET", "/api/tickets").unwrap();
        let value = input(
            op,
            params,
            "startDate=2026-01-01T00%3A00%3A00.000Z&endDate=2026-04-01&limit=20&status=Open&status=Pending&includeMessages=true&csatValues=5&skip=x",
            "",
        )
        .unwrap();
        assert_eq!(
            value.to_json(),
            r#"{"startDate":"2026-01-01T00:00:00.000Z","endDate":"2026-04-01","limit":20,"status":["Open","Pending"],"includeMessages":true,"csatValues":"5","skip":"x"}"#
        );
    }
}
