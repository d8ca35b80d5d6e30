//! What validation reports: one [`Violation`] per mistake, worded as Ajv words it, with the rule
//! it broke as data ([`Keyword`]: its name and parameters, Ajv's where Ajv has the keyword).

use crate::json::write_json_string;
use crate::number::js_number;
use crate::redact::Redactor;
use std::borrow::Cow;
use std::fmt::Write as _;

/// A violation's message: the place it names (its parts joined), a space, the words; the words
/// alone where it names no place.
fn message(place: [&str; 2], words: &str) -> String {
    if place.iter().all(|part| part.is_empty()) {
        return words.to_owned();
    }
    let mut message = String::with_capacity(place[0].len() + place[1].len() + 1 + words.len());
    message.extend([place[0], place[1], " ", words]);
    message
}

/// One mistake in an input: where, the provider's own error code, an Ajv-style message, and the
/// rule it broke with that rule's parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// JSON Pointer into the input (`""` for the whole input, `/customer/email`).
    pub path: String,
    /// The error code the provider would answer (`VALIDATION_ERROR`, `INVALID_CUSTOMER_MODE`, …).
    pub code: String,
    /// Ajv wording: `body/priority must be equal to one of the allowed values`.
    pub message: String,
    /// The rule broken, with its parameters (`maxLength`, `{ limit: 998 }`).
    pub rule: Keyword,
    /// The message without the place it names: `must be equal to one of the allowed values`.
    words: String,
}

impl Violation {
    /// A violation at `path` whose message names `subject` (`body/priority`, or nothing) and then
    /// says `words`.
    pub fn new(path: impl Into<String>, code: impl Into<String>, subject: &str, rule: Keyword, words: &str) -> Self {
        Violation {
            path: path.into(),
            code: code.into(),
            message: message([subject, ""], words),
            rule,
            words: words.to_owned(),
        }
    }

    /// The message without the place it names (`must match format "email"`): what a form shows
    /// beside the field.
    pub fn words(&self) -> &str {
        &self.words
    }

    /// The path as keys, as Standard Schema's `issue.path` has them: each JSON Pointer segment
    /// unescaped, an array index (digits with no leading zero) as a number.
    pub fn keys(&self) -> Vec<PathKey> {
        if self.path.is_empty() {
            return Vec::new();
        }
        self.path
            .split('/')
            .skip(1)
            .map(|segment| match array_index(segment) {
                Some(index) => PathKey::Index(index),
                None => PathKey::Key(segment.replace("~1", "/").replace("~0", "~")),
            })
            .collect()
    }

    /// Replaces every form of the key in all the violation carries (a key may be a property name).
    pub fn redact(&mut self, redactor: &Redactor) {
        self.message = redactor.scrub(&self.message);
        self.words = redactor.scrub(&self.words);
        self.path = redactor.scrub(&self.path);
        if let Keyword::AdditionalProperties { property, .. } = &mut self.rule {
            *property = Cow::Owned(redactor.scrub(property));
        }
    }

    /// Writes `{"path":…,"code":…,"message":…,"rule":…,"params":{…}}`.
    pub fn write_json(&self, out: &mut String) {
        out.push_str("{\"path\":");
        write_json_string(&self.path, out);
        out.push_str(",\"code\":");
        write_json_string(&self.code, out);
        out.push_str(",\"message\":");
        write_json_string(&self.message, out);
        self.rule.write_json(out);
        out.push('}');
    }

    /// Writes the violation as a Standard Schema issue, its message without the place (which
    /// `path` gives as keys): `{"message":…,"path":[…],"code":…,"rule":…,"params":{…}}`.
    pub fn write_issue_json(&self, out: &mut String) {
        out.push_str("{\"message\":");
        write_json_string(&self.words, out);
        out.push_str(",\"path\":[");
        for (i, key) in self.keys().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match key {
                PathKey::Key(key) => write_json_string(key, out),
                PathKey::Index(index) => out.push_str(&index.to_string()),
            }
        }
        out.push_str("],\"code\":");
        write_json_string(&self.code, out);
        self.rule.write_json(out);
        out.push('}');
    }
}

/// `segment` as an array index: digits, no leading zero, below 10^9.
fn array_index(segment: &str) -> Option<u32> {
    let canonical = segment == "0" || !segment.starts_with('0');
    if segment.is_empty() || segment.len() > 9 || !canonical || !segment.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(segment.bytes().fold(0, |n, b| n * 10 + u32::from(b - b'0')))
}

/// One key of a path: an object's property name or an array's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathKey {
    /// A property name.
    Key(String),
    /// An array index.
    Index(u32),
}

/// The values an `enum` rule allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllowedValues {
    /// These strings.
    Texts(&'static [&'static str]),
    /// These integers.
    Integers(&'static [i64]),
}

/// The rule a value broke, with its parameters: Ajv's keyword and `params` where Ajv has the
/// keyword (`maxLength`, `{ limit }`), else a rule of ticketwire's own (`exactlyOne`). Its
/// name and parameters are in [`Keyword::describe`], its usual words in [`Keyword::words`]; the
/// TypeScript union of violations is generated from [`Keyword::EVERY`].
#[derive(Debug, Clone, PartialEq)]
pub enum Keyword {
    /// Not of the JSON type (or types: `integer,string`), or host value, named.
    Type(Cow<'static, str>),
    /// A required property is absent.
    Required(Cow<'static, str>),
    /// A property the object does not have; the closest known name, if one is near.
    AdditionalProperties {
        /// The unknown property.
        property: Cow<'static, str>,
        /// The known property it probably meant.
        suggestion: Option<&'static str>,
    },
    /// Fewer code points than this.
    MinLength(usize),
    /// More code points than this.
    MaxLength(usize),
    /// Less than this.
    Minimum(f64),
    /// Not more than this.
    ExclusiveMinimum(f64),
    /// More than this.
    Maximum(f64),
    /// More items than this.
    MaxItems(usize),
    /// Text not matching this regular expression.
    Pattern(Cow<'static, str>),
    /// Text not in this format (ajv-formats' name where it has the format).
    Format(&'static str),
    /// None of the allowed values.
    Enum(AllowedValues),
    /// Given where it must not be.
    Not,
    /// `property` given without `missing`.
    DependentRequired {
        /// The property that was given.
        property: &'static str,
        /// The property it needs.
        missing: &'static str,
    },
    /// Not exactly one of these properties (none, or several).
    ExactlyOne(&'static [&'static str]),
    /// More than one of these properties.
    AtMostOne(&'static [&'static str]),
    /// None of these properties.
    AnyRequired(&'static [&'static str]),
    /// None of these properties with a non-empty value.
    AnyNonEmpty(&'static [&'static str]),
    /// Text that is empty once white space is trimmed.
    NotBlank,
    /// A date not after the one in this property.
    DateAfter(&'static str),
    /// A date more than a year after the one in this property.
    DateWithinYear(&'static str),
    /// A value that could not be read (a getter or `Proxy` threw).
    Readable,
    /// Nested deeper than this.
    MaxDepth(usize),
    /// A value that contains itself.
    Acyclic,
    /// An input holding more values or characters than these.
    MaxSize {
        /// Most values in all.
        values: usize,
        /// Most characters (UTF-16 units) in all.
        characters: usize,
    },
    /// A string or key with a lone surrogate, which JSON cannot carry as given.
    WellFormed,
    /// An integer past 2^53, which a double does not hold exactly.
    SafeInteger,
    /// Something JSON cannot carry (a bigint, a function, `NaN`), or text that is not JSON.
    JsonValue,
}

/// One parameter's value, as JSON writes it and TypeScript types it.
#[derive(Debug, Clone, Copy)]
pub enum Param<'a> {
    /// A string.
    Text(&'a str),
    /// This exact string (a literal type in TypeScript: `">="`).
    Literal(&'static str),
    /// A count or limit.
    Count(usize),
    /// A number.
    Number(f64),
    /// Property names.
    Names(&'static [&'static str]),
    /// An enum's values.
    Values(AllowedValues),
}

impl Param<'_> {
    /// Its TypeScript type.
    pub fn ts_type(&self) -> String {
        match self {
            Param::Text(_) => "string".into(),
            Param::Literal(text) => format!("\"{text}\""),
            Param::Count(_) | Param::Number(_) => "number".into(),
            Param::Names(_) => "string[]".into(),
            Param::Values(_) => "Array<string | number>".into(),
        }
    }

    fn write_json(&self, out: &mut String) {
        match *self {
            Param::Text(text) | Param::Literal(text) => write_json_string(text, out),
            Param::Count(n) => out.push_str(&n.to_string()),
            Param::Number(n) => out.push_str(&js_number(n)),
            Param::Names(names) => write_list(names.iter().map(|n| Param::Text(n)), out),
            Param::Values(AllowedValues::Texts(texts)) => write_list(texts.iter().map(|t| Param::Text(t)), out),
            Param::Values(AllowedValues::Integers(numbers)) => {
                write_list(numbers.iter().map(|n| Param::Number(*n as f64)), out)
            }
        }
    }
}

fn write_list<'a>(items: impl Iterator<Item = Param<'a>>, out: &mut String) {
    out.push('[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        item.write_json(out);
    }
    out.push(']');
}

/// `'a' or 'b'`, `'a', 'b' or 'c'`: property names as a message lists them.
pub fn listed(names: &[&str]) -> String {
    let mut out = String::new();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == names.len() { " or " } else { ", " });
        }
        out.push('\'');
        out.push_str(name);
        out.push('\'');
    }
    out
}

/// A key as a message quotes it: at most 64 characters.
fn shorten(key: &str) -> String {
    if key.chars().count() <= 64 {
        key.to_owned()
    } else {
        format!("{}…", key.chars().take(64).collect::<String>())
    }
}

impl Keyword {
    /// One of each rule, for the generated TypeScript (`src/typescript.rs`): the union of rule
    /// names and each one's parameter types come from these.
    pub const EVERY: &'static [Keyword] = &[
        Keyword::Type(Cow::Borrowed("")),
        Keyword::Required(Cow::Borrowed("")),
        Keyword::AdditionalProperties { property: Cow::Borrowed(""), suggestion: None },
        Keyword::MinLength(0),
        Keyword::MaxLength(0),
        Keyword::Minimum(0.0),
        Keyword::ExclusiveMinimum(0.0),
        Keyword::Maximum(0.0),
        Keyword::MaxItems(0),
        Keyword::Pattern(Cow::Borrowed("")),
        Keyword::Format(""),
        Keyword::Enum(AllowedValues::Texts(&[])),
        Keyword::Not,
        Keyword::DependentRequired { property: "", missing: "" },
        Keyword::ExactlyOne(&[]),
        Keyword::AtMostOne(&[]),
        Keyword::AnyRequired(&[]),
        Keyword::AnyNonEmpty(&[]),
        Keyword::NotBlank,
        Keyword::DateAfter(""),
        Keyword::DateWithinYear(""),
        Keyword::Readable,
        Keyword::MaxDepth(0),
        Keyword::Acyclic,
        Keyword::MaxSize { values: 0, characters: 0 },
        Keyword::WellFormed,
        Keyword::SafeInteger,
        Keyword::JsonValue,
    ];

    /// Its name (Ajv's keyword, or ticketwire's own), each parameter handed to `param` in order
    /// (Ajv's `params` where Ajv has the keyword): what a violation says of its rule but its words.
    pub fn describe<'a>(&'a self, mut param: impl FnMut(&'static str, Param<'a>)) -> &'static str {
        use Param::{Count, Literal, Names, Number, Text};
        match self {
            Keyword::Type(t) => {
                param("type", Text(t));
                "type"
            }
            Keyword::Required(p) => {
                param("missingProperty", Text(p));
                "required"
            }
            Keyword::AdditionalProperties { property, .. } => {
                param("additionalProperty", Text(property));
                "additionalProperties"
            }
            Keyword::MinLength(n) => {
                param("limit", Count(*n));
                "minLength"
            }
            Keyword::MaxLength(n) => {
                param("limit", Count(*n));
                "maxLength"
            }
            Keyword::Minimum(n) => {
                param("comparison", Literal(">="));
                param("limit", Number(*n));
                "minimum"
            }
            Keyword::ExclusiveMinimum(n) => {
                param("comparison", Literal(">"));
                param("limit", Number(*n));
                "exclusiveMinimum"
            }
            Keyword::Maximum(n) => {
                param("comparison", Literal("<="));
                param("limit", Number(*n));
                "maximum"
            }
            Keyword::MaxItems(n) => {
                param("limit", Count(*n));
                "maxItems"
            }
            Keyword::Pattern(p) => {
                param("pattern", Text(p));
                "pattern"
            }
            Keyword::Format(f) => {
                param("format", Text(f));
                "format"
            }
            Keyword::Enum(values) => {
                param("allowedValues", Param::Values(*values));
                "enum"
            }
            Keyword::Not => "not",
            Keyword::DependentRequired { property, missing } => {
                param("property", Text(property));
                param("missingProperty", Text(missing));
                param("depsCount", Count(1));
                param("deps", Text(missing));
                "dependentRequired"
            }
            Keyword::ExactlyOne(names) => {
                param("properties", Names(names));
                "exactlyOne"
            }
            Keyword::AtMostOne(names) => {
                param("properties", Names(names));
                "atMostOne"
            }
            Keyword::AnyRequired(names) => {
                param("properties", Names(names));
                "anyRequired"
            }
            Keyword::AnyNonEmpty(names) => {
                param("properties", Names(names));
                "anyNonEmpty"
            }
            Keyword::NotBlank => "notBlank",
            Keyword::DateAfter(p) => {
                param("property", Text(p));
                "dateAfter"
            }
            Keyword::DateWithinYear(p) => {
                param("property", Text(p));
                "dateWithinYear"
            }
            Keyword::Readable => "readable",
            Keyword::MaxDepth(n) => {
                param("limit", Count(*n));
                "maxDepth"
            }
            Keyword::Acyclic => "acyclic",
            Keyword::MaxSize { values, characters } => {
                param("values", Count(*values));
                param("characters", Count(*characters));
                "maxSize"
            }
            Keyword::WellFormed => "wellFormed",
            Keyword::SafeInteger => "safeInteger",
            Keyword::JsonValue => "jsonValue",
        }
    }

    /// What a message says of it unless its place words it otherwise: Ajv's words where Ajv has
    /// the keyword (`must NOT have more than 998 characters`).
    pub fn words(&self) -> String {
        match self {
            Keyword::Type(t) => format!("must be {t}"),
            Keyword::Required(p) => format!("must have required property '{p}'"),
            Keyword::AdditionalProperties { property, suggestion } => {
                let hint = suggestion.map(|s| format!("; did you mean '{s}'?")).unwrap_or_default();
                format!("must NOT have additional properties '{}'{hint}", shorten(property))
            }
            Keyword::MinLength(n) => format!("must NOT have fewer than {n} characters"),
            Keyword::MaxLength(n) => format!("must NOT have more than {n} characters"),
            Keyword::Minimum(n) => format!("must be >= {}", js_number(*n)),
            Keyword::ExclusiveMinimum(n) => format!("must be > {}", js_number(*n)),
            Keyword::Maximum(n) => format!("must be <= {}", js_number(*n)),
            Keyword::MaxItems(n) => format!("must NOT have more than {n} items"),
            Keyword::Pattern(p) => format!("must match pattern \"{p}\""),
            Keyword::Format(f) => format!("must match format \"{f}\""),
            Keyword::Enum(_) => "must be equal to one of the allowed values".into(),
            Keyword::Not => "must NOT be given".into(),
            Keyword::DependentRequired { missing, .. } => format!("must NOT be given without '{missing}'"),
            Keyword::ExactlyOne(names) => format!("must have exactly one of {}", listed(names)),
            Keyword::AtMostOne(names) => format!("must have at most one of {}", listed(names)),
            Keyword::AnyRequired(names) => format!("must have required property {}", listed(names)),
            Keyword::AnyNonEmpty(names) => format!("must have a non-empty {}", listed(names)),
            Keyword::NotBlank => "must NOT be blank".into(),
            Keyword::DateAfter(p) => format!("must be after {p}"),
            Keyword::DateWithinYear(p) => format!("must NOT be more than one year after {p}"),
            Keyword::Readable => "could not be read: a getter or Proxy threw".into(),
            Keyword::MaxDepth(n) => format!("must NOT be nested more than {n} levels deep"),
            Keyword::Acyclic => "must NOT contain a circular reference".into(),
            Keyword::MaxSize { values, characters } => {
                format!("must NOT hold more than {values} values or {characters} characters in all")
            }
            Keyword::WellFormed => "must be a well-formed Unicode string".into(),
            Keyword::SafeInteger => {
                "must be an integer a double holds exactly (past 2^53 it would change): send it as a string".into()
            }
            Keyword::JsonValue => "must be a JSON value".into(),
        }
    }

    /// Its name: Ajv's keyword (`maxLength`), or ticketwire's own (`exactlyOne`).
    pub fn name(&self) -> &'static str {
        self.describe(|_, _| {})
    }

    /// Writes `,"rule":…,"params":{…}`: what it adds to a violation's JSON.
    fn write_json(&self, out: &mut String) {
        let mut params = String::new();
        let name = self.write_params(&mut params);
        out.push_str(",\"rule\":");
        write_json_string(name, out);
        out.push_str(",\"params\":");
        out.push_str(&params);
    }

    /// Writes its `params` as a JSON object (`{"limit":998}`, `{}`); its name.
    pub fn write_params(&self, out: &mut String) -> &'static str {
        let start = out.len();
        let name = self.describe(|key, value| {
            out.push(if out.len() == start { '{' } else { ',' });
            write_json_string(key, out);
            out.push(':');
            value.write_json(out);
        });
        if out.len() == start {
            out.push('{');
        }
        out.push('}');
        name
    }
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
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// Writes the pointer as text, its levels outermost first (no more than the input's depth).
    fn write(&self, out: &mut String) {
        let Some((parent, segment)) = &self.up else { return };
        parent.write(out);
        out.push('/');
        match segment {
            Segment::Key(key) if !key.contains(['~', '/']) => out.push_str(key),
            Segment::Key(key) => {
                for c in key.chars() {
                    match c {
                        '~' => out.push_str("~0"),
                        '/' => out.push_str("~1"),
                        c => out.push(c),
                    }
                }
            }
            Segment::Index(i) => {
                let _ = write!(out, "{i}");
            }
        }
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

    /// Records that the value at `at` broke `rule`, in the rule's usual words, with `code` or the default.
    pub fn add(&mut self, at: &Pointer, code: Option<&'static str>, rule: Keyword) {
        let words = rule.words();
        let path = at.render();
        self.record(path.clone(), &path, code, rule, words);
    }

    /// Records that the value at `at` broke `rule`, worded as `words` (`"must NOT be given: it is in the path"`).
    pub fn add_worded(&mut self, at: &Pointer, code: Option<&'static str>, rule: Keyword, words: impl Into<String>) {
        let path = at.render();
        self.record(path.clone(), &path, code, rule, words.into());
    }

    /// Records a violation whose message names a different place than its path points at
    /// (Ajv reports a missing or unknown property on its parent), in the rule's usual words.
    pub fn add_at(&mut self, path: &Pointer, subject: &Pointer, code: Option<&'static str>, rule: Keyword) {
        let words = rule.words();
        self.record(path.render(), &subject.render(), code, rule, words);
    }

    /// Records a violation at `path` whose message names the place `subject` (a rendered
    /// pointer), worded by [`message`] as [`Violation::new`] words it, with no text made twice.
    fn record(&mut self, path: String, subject: &str, code: Option<&'static str>, rule: Keyword, words: String) {
        let message = message([self.root, subject], &words);
        let code = code.unwrap_or(self.default_code).to_owned();
        self.list.push(Violation { path, code, message, rule, words });
    }

    /// How many were found so far.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Records, as the `index`th found, that the value at `at` broke `rule` (a list's size,
    /// reported before its items but known after them).
    pub fn insert(&mut self, index: usize, at: &Pointer, code: Option<&'static str>, rule: Keyword) {
        self.add(at, code, rule);
        if let Some(v) = self.list.pop() {
            self.list.insert(index.min(self.list.len()), v);
        }
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
    list.into_iter().map(|Violation { path, code, message, .. }| (path, code, message)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_tilde_and_slash() {
        assert_eq!(Pointer::default().child("a/b").child("m~n").child(3usize).render(), "/a~1b/m~0n/3");
        assert_eq!(Pointer::default().render(), "");
        // A tilde is escaped first: its own `~0`, then a slash's `~1`, never `~1` read as `~01`.
        assert_eq!(Pointer::default().child("~1/").child(10usize).child("").render(), "/~01~1/10/");
    }

    #[test]
    fn a_violation_recorded_is_worded_as_violation_new_words_it() {
        let at = Pointer::default();
        let inner = at.child("customer");
        for root in ["body", ""] {
            let mut out = Violations::new(root, "E");
            out.add(&at, None, Keyword::Type("object".into()));
            out.add_worded(&inner.child(0usize), Some("C"), Keyword::Not, "must NOT be given");
            out.add_at(&inner.child("email"), &inner, None, Keyword::Required("email".into()));
            let subject = |path: &str| format!("{root}{path}");
            let expected = [
                Violation::new("", "E", &subject(""), Keyword::Type("object".into()), "must be object"),
                Violation::new("/customer/0", "C", &subject("/customer/0"), Keyword::Not, "must NOT be given"),
                Violation::new(
                    "/customer/email",
                    "E",
                    &subject("/customer"),
                    Keyword::Required("email".into()),
                    "must have required property 'email'",
                ),
            ];
            assert_eq!(out.into_vec(), expected, "root {root:?}");
        }
    }

    #[test]
    fn messages_prefix_the_root_and_path() {
        let mut v = Violations::new("body", "VALIDATION_ERROR");
        v.add(&Pointer::default().child("priority"), None, Keyword::Enum(AllowedValues::Integers(&[1, 2, 3])));
        v.add_worded(
            &Pointer::default(),
            Some("INVALID_CUSTOMER_MODE"),
            Keyword::ExactlyOne(&["customerId", "customer"]),
            "must have exactly one of 'customerId' or 'customer', not both",
        );
        let list = v.into_vec();
        assert_eq!(
            list[0],
            Violation::new(
                "/priority",
                "VALIDATION_ERROR",
                "body/priority",
                Keyword::Enum(AllowedValues::Integers(&[1, 2, 3])),
                "must be equal to one of the allowed values"
            )
        );
        assert_eq!(list[0].message, "body/priority must be equal to one of the allowed values");
        assert_eq!(list[0].words(), "must be equal to one of the allowed values");
        assert_eq!(list[1].message, "body must have exactly one of 'customerId' or 'customer', not both");
        assert_eq!(list[1].code, "INVALID_CUSTOMER_MODE");
    }

    fn json(v: &Violation) -> String {
        let mut out = String::new();
        v.write_json(&mut out);
        out
    }

    fn issue(v: &Violation) -> String {
        let mut out = String::new();
        v.write_issue_json(&mut out);
        out
    }

    #[test]
    fn a_violation_writes_its_rule_and_ajvs_params() {
        let at = |rule: Keyword| Violation::new("/a", "C", "body/a", rule.clone(), &rule.words());
        let cases: Vec<(Keyword, &str)> = vec![
            (Keyword::MaxLength(998), r#""rule":"maxLength","params":{"limit":998}"#),
            (Keyword::Required("email".into()), r#""rule":"required","params":{"missingProperty":"email"}"#),
            (
                Keyword::AdditionalProperties { property: "staus".into(), suggestion: Some("status") },
                r#""rule":"additionalProperties","params":{"additionalProperty":"staus"}"#,
            ),
            (Keyword::Minimum(0.5), r#""rule":"minimum","params":{"comparison":">=","limit":0.5}"#),
            (
                Keyword::Enum(AllowedValues::Texts(&["Open", "x\"y"])),
                r#""rule":"enum","params":{"allowedValues":["Open","x\"y"]}"#,
            ),
            (Keyword::Enum(AllowedValues::Integers(&[1, 2])), r#""rule":"enum","params":{"allowedValues":[1,2]}"#),
            (
                Keyword::ExactlyOne(&["customerId", "customer"]),
                r#""rule":"exactlyOne","params":{"properties":["customerId","customer"]}"#,
            ),
            (Keyword::Not, r#""rule":"not","params":{}"#),
            (
                Keyword::DependentRequired { property: "uid", missing: "intervention" },
                r#""rule":"dependentRequired","params":{"property":"uid","missingProperty":"intervention","depsCount":1,"deps":"intervention"}"#,
            ),
        ];
        for (rule, expected) in cases {
            let v = at(rule);
            let words = v.words().to_owned();
            let mut message = String::new();
            write_json_string(&format!("body/a {words}"), &mut message);
            assert_eq!(json(&v), format!(r#"{{"path":"/a","code":"C","message":{message},{expected}}}"#));
        }
    }

    #[test]
    fn every_rule_has_one_name_and_its_usual_words() {
        let mut names: Vec<&str> = Keyword::EVERY.iter().map(Keyword::name).collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count, "a rule name twice");
        for rule in Keyword::EVERY {
            assert!(rule.words().starts_with("must") || rule.words().starts_with("could"), "{rule:?}");
        }
        assert_eq!(
            Keyword::AdditionalProperties { property: "x".repeat(70).into(), suggestion: None }.words(),
            format!("must NOT have additional properties '{}…'", "x".repeat(64))
        );
        assert_eq!(Keyword::AnyNonEmpty(&["a", "b", "c"]).words(), "must have a non-empty 'a', 'b' or 'c'");
    }

    #[test]
    fn an_issue_has_the_words_and_the_path_as_keys() {
        let v = Violation::new(
            "/message/attachments/0/a~1b~0c/10",
            "VALIDATION_ERROR",
            "body/message/attachments/0/a~1b~0c/10",
            Keyword::Type("string".into()),
            "must be string",
        );
        assert_eq!(
            v.keys(),
            [
                PathKey::Key("message".into()),
                PathKey::Key("attachments".into()),
                PathKey::Index(0),
                PathKey::Key("a/b~c".into()),
                PathKey::Index(10)
            ]
        );
        assert_eq!(
            issue(&v),
            r#"{"message":"must be string","path":["message","attachments",0,"a/b~c",10],"code":"VALIDATION_ERROR","rule":"type","params":{"type":"string"}}"#
        );
        let root = Violation::new("", "C", "body", Keyword::Type("object".into()), "must be object");
        assert_eq!(root.keys(), []);
        // Not array indexes: a leading zero, a sign, a number past u32.
        let odd = Violation::new("/01/-1/99999999999", "C", "", Keyword::Not, "must NOT be given");
        assert_eq!(
            odd.keys(),
            [PathKey::Key("01".into()), PathKey::Key("-1".into()), PathKey::Key("99999999999".into())]
        );
    }

    #[test]
    fn redaction_reaches_the_words_and_an_unknown_property_name() {
        let secret = "sk_live_abcdefgh12345";
        let rule = Keyword::AdditionalProperties { property: secret.into(), suggestion: None };
        let mut v = Violation::new(format!("/{secret}"), "C", "body", rule.clone(), &rule.words());
        v.redact(&Redactor::new(secret));
        assert!(!json(&v).contains(secret) && !issue(&v).contains(secret), "{}", json(&v));
    }
}
