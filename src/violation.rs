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

/// A JSON Pointer under construction: each level borrows its parent, so walking an input
/// allocates nothing; text is made only for a violation (`render`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Pointer<'a> {
    /// The level above and this level's segment; `None` at the root.
    up: Option<(&'a Pointer<'a>, Segment<'a>)>,
}

/// One level of a [`Pointer`]: an object key or an array index.
#[derive(Debug, Clone, Copy)]
pub enum Segment<'a> {
    /// An object key.
    Key(&'a str),
    /// An array index.
    Index(usize),
}

impl<'a> From<&'a str> for Segment<'a> {
    fn from(key: &'a str) -> Self {
        Segment::Key(key)
    }
}

impl From<usize> for Segment<'_> {
    fn from(index: usize) -> Self {
        Segment::Index(index)
    }
}

impl<'a> Pointer<'a> {
    /// The pointer one level down, at `segment` (a key or an index).
    pub fn child(&'a self, segment: impl Into<Segment<'a>>) -> Pointer<'a> {
        Pointer { up: Some((self, segment.into())) }
    }

    /// The pointer as text: `/message/attachments/0/url` (with `~0`/`~1` escapes).
    pub fn render(&self) -> String {
        let mut segments = Vec::new();
        let mut at = self;
        while let Some((parent, segment)) = &at.up {
            segments.push(*segment);
            at = parent;
        }
        let mut out = String::new();
        for segment in segments.iter().rev() {
            out.push('/');
            match segment {
                Segment::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
                Segment::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
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
        assert_eq!(Pointer::default().child("a/b").child("m~n").child(3usize).render(), "/a~1b/m~0n/3");
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
