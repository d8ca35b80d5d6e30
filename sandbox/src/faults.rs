//! Fault injection, off unless asked through `POST /_sandbox/faults`: a queue of faults, each
//! applied to the next matching request(s).

use ticketwire::value::{Object, Value};

/// What happens to the connection when a fault drops it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drop {
    /// Writes are rolled back, then the connection is cut.
    BeforeCommit,
    /// Writes are committed, then the connection is cut.
    AfterCommit,
}

/// One fault and the requests it applies to.
#[derive(Debug, Clone, Default)]
pub struct Fault {
    /// `mava`, `helpwave` or `tickiti`; any when absent.
    pub provider: Option<String>,
    /// `GET`, `POST`, `PUT`; any when absent.
    pub method: Option<String>,
    /// The path under the provider (`/api/ticket`); any when absent.
    pub path: Option<String>,
    /// How many matching requests it applies to.
    pub times: u32,
    /// Waits this long before handling.
    pub delay_ms: u64,
    /// Answers this status (in the provider's error format).
    pub status: Option<u16>,
    /// With `status`: the `Retry-After` header to send.
    pub retry_after: Option<String>,
    /// With `status`: do the writes first, then roll them back and answer.
    pub after_writes: bool,
    /// Cuts the connection instead of answering.
    pub drop: Option<Drop>,
    /// Sends only the first half of the body.
    pub truncate: bool,
    /// Sends an HTML page instead of JSON.
    pub non_json: bool,
}

impl Fault {
    /// Reads a fault from its JSON description; the error says which field is wrong.
    pub fn from_json(value: &Value) -> Result<Fault, String> {
        let Value::Object(o) = value else { return Err("a fault is a JSON object".into()) };
        let known = [
            "provider",
            "method",
            "path",
            "times",
            "delayMs",
            "status",
            "retryAfter",
            "afterWrites",
            "drop",
            "truncate",
            "nonJson",
        ];
        if let Some((key, _)) = o.iter().find(|(k, _)| !known.contains(k)) {
            return Err(format!("unknown fault field '{key}'"));
        }
        let text = |k: &str| -> Result<Option<String>, String> {
            match o.get(k) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.to_string())),
                Some(_) => Err(format!("'{k}' must be a string")),
            }
        };
        let number = |k: &str| -> Result<Option<f64>, String> {
            match o.get(k) {
                None => Ok(None),
                Some(Value::Number(n)) if *n >= 0.0 && n.fract() == 0.0 => Ok(Some(*n)),
                Some(_) => Err(format!("'{k}' must be a whole number")),
            }
        };
        let flag = |k: &str| -> Result<bool, String> {
            match o.get(k) {
                None => Ok(false),
                Some(Value::Bool(b)) => Ok(*b),
                Some(_) => Err(format!("'{k}' must be a boolean")),
            }
        };
        let drop = match text("drop")?.as_deref() {
            None => None,
            Some("before_commit") => Some(Drop::BeforeCommit),
            Some("after_commit") => Some(Drop::AfterCommit),
            Some(_) => return Err("'drop' is 'before_commit' or 'after_commit'".into()),
        };
        let retry_after = text("retryAfter")?;
        // A header value is visible ASCII, spaces and tabs: anything else would split the answer.
        if retry_after.as_deref().is_some_and(|v| !v.bytes().all(|b| b == b'\t' || (0x20..0x7f).contains(&b))) {
            return Err("'retryAfter' must be a valid header value (visible ASCII)".into());
        }
        let status = number("status")?.map(|s| s as u16);
        if status.is_some_and(|s| !(100..=599).contains(&s)) {
            return Err("'status' must be an HTTP status".into());
        }
        Ok(Fault {
            provider: text("provider")?,
            method: text("method")?.map(|m| m.to_ascii_uppercase()),
            path: text("path")?,
            times: number("times")?.map_or(1, |n| n as u32),
            delay_ms: number("delayMs")?.unwrap_or(0.0) as u64,
            status,
            retry_after,
            after_writes: flag("afterWrites")?,
            drop,
            truncate: flag("truncate")?,
            non_json: flag("nonJson")?,
        })
    }

    fn matches(&self, provider: &str, method: &str, path: &str) -> bool {
        self.provider.as_deref().is_none_or(|p| p == provider)
            && self.method.as_deref().is_none_or(|m| m == method)
            && self.path.as_deref().is_none_or(|p| p == path)
    }
}

/// The queue of armed faults.
#[derive(Debug, Default)]
pub struct Faults {
    queue: Vec<Fault>,
}

impl Faults {
    /// Arms a fault.
    pub fn push(&mut self, fault: Fault) {
        self.queue.push(fault);
    }

    /// Disarms every fault.
    pub fn clear(&mut self) {
        self.queue.clear();
    }

    /// The first armed fault matching this request, used up once.
    pub fn take(&mut self, provider: &str, method: &str, path: &str) -> Option<Fault> {
        let at = self.queue.iter().position(|f| f.times > 0 && f.matches(provider, method, path))?;
        let fault = self.queue[at].clone();
        self.queue[at].times -= 1;
        if self.queue[at].times == 0 {
            self.queue.remove(at);
        }
        Some(fault)
    }

    /// How many faults are still armed.
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// Whether none is armed.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }
}

/// `{ "armed": n }`.
pub fn armed(faults: &Faults) -> Value {
    let mut o = Object::new();
    o.insert("armed", Value::Number(faults.len() as f64));
    Value::Object(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_parse_match_and_wear_out() {
        let value = Value::from_json(
            r#"{"provider":"mava","method":"post","path":"/api/ticket","times":2,"status":503,"retryAfter":"1"}"#,
        )
        .unwrap();
        let mut faults = Faults::default();
        faults.push(Fault::from_json(&value).unwrap());
        assert!(faults.take("mava", "GET", "/api/ticket").is_none());
        assert_eq!(faults.take("mava", "POST", "/api/ticket").unwrap().status, Some(503));
        assert_eq!(faults.take("mava", "POST", "/api/ticket").unwrap().retry_after.as_deref(), Some("1"));
        assert!(faults.take("mava", "POST", "/api/ticket").is_none());
        assert!(faults.is_empty());
    }

    #[test]
    fn bad_fault_descriptions_say_what_is_wrong() {
        for (text, error) in [
            (r#"{"drop":"sometimes"}"#, "'drop' is 'before_commit' or 'after_commit'"),
            (r#"{"status":42}"#, "'status' must be an HTTP status"),
            (r#"{"stauts":500}"#, "unknown fault field 'stauts'"),
            (r#"{"times":-1}"#, "'times' must be a whole number"),
            (r#"{"status":503,"retryAfter":"1\r\nx: y"}"#, "'retryAfter' must be a valid header value (visible ASCII)"),
        ] {
            assert_eq!(Fault::from_json(&Value::from_json(text).unwrap()).unwrap_err(), error);
        }
    }
}
