//! What validation reports: one [`Violation`] per mistake, worded as Ajv words it.

use serde::Serialize;

/// One mistake in an input: where, the provider's own error code, and an Ajv-style message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Violation {
    /// JSON Pointer into the input (`""` for the whole input, `/customer/email`).
    pub path: String,
    /// The error code the provider would answer (`VALIDATION_ERROR`, `INVALID_CUSTOMER_MODE`, …).
    pub code: String,
    /// Ajv wording: `body/priority must be equal to one of the allowed values`.
    pub message: String,
}

/// A JSON Pointer under construction, one segment per level.
#[derive(Debug, Clone, Default)]
pub struct Pointer {
    segments: Vec<String>,
}

impl Pointer {
    /// The pointer one level down, at `segment` (a key or an index).
    pub fn child(&self, segment: impl ToString) -> Pointer {
        let mut segments = self.segments.clone();
        segments.push(segment.to_string());
        Pointer { segments }
    }

    /// The pointer as text: `/message/attachments/0/url` (with `~0`/`~1` escapes).
    pub fn render(&self) -> String {
        self.segments.iter().map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1"))).collect()
    }
}

/// Collects violations for one input, in the order they are found.
#[derive(Debug)]
pub struct Violations {
    /// What Ajv calls the root in messages: `body` or `querystring`.
    root: &'static str,
    /// The code for violations that name none of their own.
    default_code: &'static str,
    list: Vec<Violation>,
}

impl Violations {
    /// An empty list for an input whose messages start with `root`.
    pub fn new(root: &'static str, default_code: &'static str) -> Self {
        Self { root, default_code, list: Vec::new() }
    }

    /// The code used where a rule names none.
    pub fn default_code(&self) -> &'static str {
        self.default_code
    }

    /// Records that the value at `at` `message`s (`"must be string"`), with `code` or the default.
    pub fn add(&mut self, at: &Pointer, code: Option<&'static str>, message: impl AsRef<str>) {
        let path = at.render();
        self.list.push(Violation {
            message: format!("{}{} {}", self.root, path, message.as_ref()),
            path,
            code: code.unwrap_or(self.default_code).to_owned(),
        });
    }

    /// Records a violation whose message names a different place than its path points at
    /// (Ajv reports a missing property on its parent).
    pub fn add_at(&mut self, path: &Pointer, subject: &Pointer, code: Option<&'static str>, message: impl AsRef<str>) {
        self.list.push(Violation {
            message: format!("{}{} {}", self.root, subject.render(), message.as_ref()),
            path: path.render(),
            code: code.unwrap_or(self.default_code).to_owned(),
        });
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The violations, in order.
    pub fn into_vec(self) -> Vec<Violation> {
        self.list
    }
}

/// Violations as `(path, code, message)` triples, for exact comparisons in tests.
#[cfg(test)]
pub(crate) fn triples(list: Vec<Violation>) -> Vec<(String, String, String)> {
    list.into_iter().map(|Violation { path, code, message }| (path, code, message)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_tilde_and_slash() {
        let p = Pointer::default().child("a/b").child("m~n").child(3);
        assert_eq!(p.render(), "/a~1b/m~0n/3");
        assert_eq!(Pointer::default().render(), "");
    }

    #[test]
    fn messages_prefix_the_root_and_path() {
        let mut v = Violations::new("body", "VALIDATION_ERROR");
        v.add(&Pointer::default().child("priority"), None, "must be equal to one of the allowed values");
        v.add(
            &Pointer::default(),
            Some("INVALID_CUSTOMER_MODE"),
            "must have exactly one of 'customerId' or 'customer'",
        );
        let list = v.into_vec();
        assert_eq!(
            list[0],
            Violation {
                path: "/priority".into(),
                code: "VALIDATION_ERROR".into(),
                message: "body/priority must be equal to one of the allowed values".into(),
            }
        );
        assert_eq!(list[1].message, "body must have exactly one of 'customerId' or 'customer'");
        assert_eq!(list[1].code, "INVALID_CUSTOMER_MODE");
    }
}
