//! Field rules as data, and the one walker that checks an input against them.
//!
//! An operation declares its input as a table of [`Field`]s; [`check_input`] walks the
//! untyped [`Value`] in input order, depth first, and reports every violation at once.

pub mod attachment_url;
pub mod date;
pub mod format;
pub mod source;

use crate::value::{Object, Unreadable, Value, MAX_DEPTH, MAX_STRING_UNITS, MAX_TOTAL_STRING_UNITS, MAX_VALUES};
use crate::violation::{AllowedValues, Keyword, Pointer, Violations};
pub use format::Format;
pub use source::{Kind, Node, Source};

/// What a field's value must be.
#[derive(Debug, Clone, Copy)]
pub enum Rule {
    /// A string of `min..=max` code points, in `format` if one is given.
    Text {
        /// Fewest code points.
        min: usize,
        /// Most code points, if limited.
        max: Option<usize>,
        /// The format the text must match, if any.
        format: Option<Format>,
    },
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// A number, one of these integers.
    IntEnum(&'static [i64]),
    /// `true` or `false`.
    Bool,
    /// A finite number, at least `min` when given.
    Number {
        /// The smallest allowed, if any.
        min: Option<f64>,
    },
    /// An integer in `min..=max`.
    Integer {
        /// The smallest allowed.
        min: i64,
        /// The largest allowed.
        max: i64,
    },
    /// An object with exactly these fields.
    Object(&'static Shape),
    /// A rule with a name of its own in TypeScript (`MavaTicketStatus`).
    Named(&'static Alias),
    /// Any JSON object, passed through as given.
    AnyObject,
    /// An array of at most `max` items, each matching `item`.
    List {
        /// Most items, if limited.
        max: Option<usize>,
        /// What each item must be.
        item: &'static Rule,
    },
    /// One value, or an array of values (a query parameter that repeats).
    OneOrMany(&'static Rule),
    /// `null`, or a value matching the inner rule.
    Nullable(&'static Rule),
    /// A value matching the first rule or the second, chosen by its JSON type.
    Either(&'static Rule, &'static Rule),
    /// A field that must not be given (`never` in TypeScript).
    Absent,
    /// An object with these fields and any others, passed through as given.
    Open(&'static Shape),
    /// A value only the host can give (a function, an `AbortSignal`, a limiter): the JS layer
    /// takes it out of an options object before the rest is checked, so the walker meets one
    /// only where JSON was given instead.
    Host(&'static HostValue),
}

/// A host value an option may hold: how the JS layer recognises it, and how it is named.
#[derive(Debug, Clone, Copy)]
pub struct HostValue {
    /// Which test the JS layer applies.
    pub kind: HostKind,
    /// Its TypeScript type.
    pub ts: &'static str,
    /// What the message says it must be (`must be function`).
    pub expected: &'static str,
}

/// The host values options hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostKind {
    /// A function.
    Function,
    /// An `AbortSignal`, from any realm.
    AbortSignal,
    /// An object with an `acquire()` method.
    RateLimiter,
    /// An object with `append()` and `read()` methods.
    ConversationStore,
}

impl HostValue {
    /// Its name in a violation's `params.type`: `function`, or its TypeScript type.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            HostKind::Function => "function",
            HostKind::AbortSignal | HostKind::RateLimiter | HostKind::ConversationStore => self.ts,
        }
    }
}

impl Rule {
    /// The host value this rule takes, directly or as one side of an [`Rule::Either`].
    pub fn host_value(&self) -> Option<&'static HostValue> {
        match *self {
            Rule::Host(host) => Some(host),
            Rule::Either(a, b) => a.host_value().or(b.host_value()),
            _ => None,
        }
    }
}

/// The largest integer a JS number holds exactly (2^53 − 1).
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// Any string.
pub const TEXT: Rule = Rule::Text { min: 0, max: None, format: None };
/// A string with at least one character.
pub const NON_EMPTY_TEXT: Rule = Rule::Text { min: 1, max: None, format: None };
/// A MongoDB ObjectId: 24 hex digits.
pub const OBJECT_ID: Rule = Rule::Text { min: 0, max: None, format: Some(Format::ObjectId) };
/// An email address (ajv-formats "email").
pub const EMAIL: Rule = Rule::Text { min: 0, max: None, format: Some(Format::Email) };
/// A string in `format`.
pub const fn formatted(format: Format) -> Rule {
    Rule::Text { min: 0, max: None, format: Some(format) }
}
/// A string of at most `max` code points.
pub const fn text_max(max: usize) -> Rule {
    Rule::Text { min: 0, max: Some(max), format: None }
}

/// One named field of an object, with its rule: everything the SDK knows of it, written once
/// (the TypeScript types are generated from it: `src/typescript.rs`).
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The wire name.
    pub name: &'static str,
    /// What its value must be.
    pub rule: Rule,
    /// Whether it must be present.
    pub required: bool,
    /// The provider's code for mistakes in this field (and below it), if not the default.
    pub code: Option<&'static str>,
    /// The provider's code when it is missing, if not its parent's.
    pub missing_code: Option<&'static str>,
    /// One line for the TypeScript docs (the rule's limits are added to it).
    pub doc: &'static str,
}

/// An optional field.
pub const fn field(name: &'static str, rule: Rule) -> Field {
    Field { name, rule, required: false, code: None, missing_code: None, doc: "" }
}

/// A required field.
pub const fn required(name: &'static str, rule: Rule) -> Field {
    Field { name, rule, required: true, code: None, missing_code: None, doc: "" }
}

impl Field {
    /// The same field, reporting its mistakes with `code`.
    pub const fn code(self, code: &'static str) -> Field {
        Field { code: Some(code), ..self }
    }

    /// The same field, reporting its absence with `code`.
    pub const fn missing_code(self, code: &'static str) -> Field {
        Field { missing_code: Some(code), ..self }
    }

    /// The same field, documented.
    pub const fn doc(self, doc: &'static str) -> Field {
        Field { doc: kept(doc), ..self }
    }
}

/// A doc for the generated TypeScript (`src/typescript.rs`): a wasm build keeps none, so the
/// text a page downloads carries no docs.
pub const fn kept(doc: &'static str) -> &'static str {
    if cfg!(target_arch = "wasm32") {
        ""
    } else {
        doc
    }
}

/// A union's variants, for the generated TypeScript only: a wasm build keeps none (its
/// cross-field check, not these, tells the shapes apart).
pub const fn kept_variants(variants: &'static [Variant]) -> &'static [Variant] {
    if cfg!(target_arch = "wasm32") {
        &[]
    } else {
        variants
    }
}

/// An object's fields, with its TypeScript name and doc.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Its name in TypeScript (`MavaCreateTicketInput`).
    pub name: &'static str,
    /// One line for the TypeScript docs.
    pub doc: &'static str,
    /// Its fields, in the order the docs list them.
    pub fields: &'static [Field],
    /// The shapes it comes in, when a cross-field check tells them apart (a TypeScript union of
    /// these; none for a plain interface).
    pub variants: &'static [Variant],
}

/// One shape of an input that comes in several (Tickiti's create ticket: A, B or C): its
/// table's fields, with some required, some narrowed and some ruled out. Its cross-field check
/// (the operation's `checks`) tells the variants apart; the TypeScript union comes from these.
#[derive(Debug, Clone, Copy)]
pub struct Variant {
    /// Its name in TypeScript.
    pub name: &'static str,
    /// One line for the TypeScript docs.
    pub doc: &'static str,
    /// Fields of the table this shape requires.
    pub requires: &'static [&'static str],
    /// Fields of the table this shape types more narrowly (or rules out, with [`Rule::Absent`]).
    pub narrows: &'static [Field],
}

/// A rule with a name in TypeScript, for a type the answers use too (`MavaTicketStatus`).
#[derive(Debug, Clone, Copy)]
pub struct Alias {
    /// Its name in TypeScript.
    pub name: &'static str,
    /// One line for the TypeScript docs.
    pub doc: &'static str,
    /// What it is.
    pub rule: Rule,
}

/// A rule that spans fields (exactly one customer mode, a date range), beside the field table:
/// the root fields it reads, and the check. Validating JSON text
/// ([`Operation::validate_text`](crate::operation::Operation::validate_text)) it is handed only
/// those, with their fields, and arrays and objects below them empty.
#[derive(Debug, Clone, Copy)]
pub struct CrossFieldCheck {
    /// The root fields it reads: a one-pass walk keeps no others for it.
    pub reads: &'static [&'static str],
    /// The check.
    pub check: fn(&Object, &mut Violations),
}

/// Facts from the client's configuration that some rules need.
#[derive(Debug, Clone, Copy)]
pub struct RuleContext<'a> {
    /// Mava attachment URLs must point into a bucket whose name starts with this.
    pub attachment_bucket_prefix: &'a str,
}

/// Checks `input` against `fields`, as an object at the root of the input.
pub fn check_input(fields: &[Field], input: &Value, ctx: &RuleContext, out: &mut Violations) {
    walk_input(&mut Source::tree(), Node::Value(input), fields, ctx, out);
}

/// [`check_input`], reading the input from a [`Source`]: a tree, or JSON text read once.
pub fn walk_input<'s>(
    source: &mut Source<'s>,
    input: Node<'s>,
    fields: &[Field],
    ctx: &RuleContext,
    out: &mut Violations,
) {
    check_object(source, fields, false, input, &Pointer::default(), None, ctx, out);
}

/// Which fields of a table an object gave, by their place in the table (a test keeps every
/// table within [`Given::MAX_FIELDS`]).
#[derive(Default)]
struct Given(u64);

impl Given {
    /// The most fields a table may have.
    const MAX_FIELDS: usize = u64::BITS as usize;

    fn add(&mut self, i: usize) {
        debug_assert!(i < Self::MAX_FIELDS, "a table of more than {} fields", Self::MAX_FIELDS);
        self.0 |= 1u64.checked_shl(i as u32).unwrap_or(0);
    }

    fn has(&self, i: usize) -> bool {
        self.0 & 1u64.checked_shl(i as u32).unwrap_or(0) != 0
    }
}

/// Checks an object's fields; an `open` object passes other fields through (as JSON).
#[allow(clippy::too_many_arguments)] // the walker's state, passed down as one call's
fn check_object<'s>(
    source: &mut Source<'s>,
    fields: &[Field],
    open: bool,
    node: Node<'s>,
    at: &Pointer,
    code: Option<&'static str>,
    ctx: &RuleContext,
    out: &mut Violations,
) {
    let kind = node.kind();
    if kind != Kind::Object {
        return type_error(kind, "object", at, code, out);
    }
    let mut given = Given::default();
    // Keys not in the table, to find one given twice (the table's are in `given`); rare.
    let mut others: Vec<String> = Vec::new();
    // Inputs list their fields in the table's order, mostly: the field after the last one found
    // is tried first.
    let mut next = 0;
    // A key given twice is left to the tree (which keeps its first place and last value).
    source.distinct_entries(node, &mut |source, key, item| match find_field(fields, key, next) {
        Some(i) if given.has(i) => source.given_twice(),
        Some(i) => {
            given.add(i);
            next = i + 1;
            let f = &fields[i];
            check(source, &f.rule, item, &at.child(key), f.code.or(code), ctx, out)
        }
        None if others.len() >= source::MAX_KEYS || others.iter().any(|other| other == key) => source.given_twice(),
        None => {
            others.push(key.to_owned());
            if open {
                return check_any(source, item, &at.child(key), code, out);
            }
            let suggestion = did_you_mean(key, fields.iter().map(|f| f.name));
            let rule = Keyword::AdditionalProperties { property: key.to_owned().into(), suggestion };
            out.add_at(&at.child(key), at, code, rule);
        }
    });
    let missing = fields.iter().enumerate().filter(|(i, f)| f.required && !given.has(*i));
    for (_, f) in missing {
        // Absence is a schema mistake of the parent; a field's own code is for what it holds.
        out.add_at(&at.child(f.name), at, f.missing_code.or(code), Keyword::Required(f.name.into()));
    }
}

/// The place of the field named `key` in `fields`, trying `hint` first.
#[inline]
fn find_field(fields: &[Field], key: &str, hint: usize) -> Option<usize> {
    // Byte by byte, not `==`: field names are short, and a call to `memcmp` costs more.
    let same = |f: &Field| f.name.len() == key.len() && f.name.bytes().zip(key.bytes()).all(|(a, b)| a == b);
    if fields.get(hint).is_some_and(same) {
        return Some(hint);
    }
    fields.iter().position(same)
}

/// Checks one value against one rule, recording what is wrong with it.
pub fn check<'s>(
    source: &mut Source<'s>,
    rule: &Rule,
    node: Node<'s>,
    at: &Pointer,
    code: Option<&'static str>,
    ctx: &RuleContext,
    out: &mut Violations,
) {
    let kind = node.kind();
    if let Kind::Unreadable(why) = kind {
        if let Some((rule, words)) = unreadable_rule(why, string_limit(rule)) {
            return out.add_worded(at, code, rule, words);
        }
    }
    match *rule {
        Rule::Text { min, max, format } => {
            let Kind::String(text) = kind else {
                return type_error(kind, "string", at, code, out);
            };
            // Counting code points costs a pass over the text: only when a limit needs it.
            let length = if min > 0 || max.is_some() { code_points(text) } else { 0 };
            if length < min {
                out.add(at, code, Keyword::MinLength(min));
            } else if let Some(max) = max.filter(|max| length > *max) {
                out.add(at, code, Keyword::MaxLength(max));
            } else if let Some(format) = format {
                if let Err((rule, words)) = format.check(text, ctx) {
                    out.add_worded(at, code, rule, words);
                }
            }
        }
        Rule::Enum(allowed) => match kind {
            Kind::String(s) if allowed.contains(&s) => {}
            Kind::String(_) => out.add(at, code, Keyword::Enum(AllowedValues::Texts(allowed))),
            _ => type_error(kind, "string", at, code, out),
        },
        Rule::IntEnum(allowed) => match kind {
            Kind::Number(n) if allowed.iter().any(|a| *a as f64 == n) => {}
            Kind::Number(n) if n.is_finite() => out.add(at, code, Keyword::Enum(AllowedValues::Integers(allowed))),
            _ => type_error(kind, "number", at, code, out),
        },
        Rule::Bool => {
            if !matches!(kind, Kind::Bool(_)) {
                type_error(kind, "boolean", at, code, out)
            }
        }
        Rule::Number { min } => match kind {
            Kind::Number(n) if n.is_finite() => {
                if let Some(min) = min.filter(|min| n < *min) {
                    out.add(at, code, Keyword::Minimum(min));
                }
            }
            _ => type_error(kind, "number", at, code, out),
        },
        Rule::Integer { min, max } => match kind {
            Kind::Number(n) if n.is_finite() && n.fract() == 0.0 => {
                if n < min as f64 {
                    out.add(at, code, Keyword::Minimum(min as f64));
                } else if n > max as f64 {
                    out.add(at, code, Keyword::Maximum(max as f64));
                }
            }
            _ => type_error(kind, "integer", at, code, out),
        },
        Rule::Object(shape) => check_object(source, shape.fields, false, node, at, code, ctx, out),
        Rule::Open(shape) => check_object(source, shape.fields, true, node, at, code, ctx, out),
        Rule::Absent => out.add(at, code, Keyword::Not),
        Rule::Named(alias) => check(source, &alias.rule, node, at, code, ctx, out),
        Rule::AnyObject => match kind {
            Kind::Object => check_any(source, node, at, code, out),
            _ => type_error(kind, "object", at, code, out),
        },
        Rule::List { max, item } => {
            if kind != Kind::Array {
                return type_error(kind, "array", at, code, out);
            }
            // The count comes first in the list, before what is wrong with each item.
            let before_items = out.len();
            let count = source.items(node, &mut |source, i, v| check(source, item, v, &at.child(i), code, ctx, out));
            if let Some(max) = max.filter(|max| count > *max) {
                out.insert(before_items, at, code, Keyword::MaxItems(max));
            }
        }
        Rule::OneOrMany(item) => match kind {
            Kind::Array => {
                source.items(node, &mut |source, i, v| check(source, item, v, &at.child(i), code, ctx, out));
            }
            _ if type_matches(item, kind) => check(source, item, node, at, code, ctx, out),
            _ => type_error(kind, &type_names(rule), at, code, out),
        },
        Rule::Nullable(inner) => match kind {
            Kind::Null => {}
            _ if type_matches(inner, kind) => check(source, inner, node, at, code, ctx, out),
            _ => type_error(kind, &type_names(rule), at, code, out),
        },
        Rule::Either(first, second) => {
            if type_matches(first, kind) {
                check(source, first, node, at, code, ctx, out)
            } else if type_matches(second, kind) {
                check(source, second, node, at, code, ctx, out)
            } else {
                type_error(kind, &type_names(rule), at, code, out)
            }
        }
        Rule::Host(host) => {
            out.add_worded(at, code, Keyword::Type(host.type_name().into()), format!("must be {}", host.expected))
        }
    }
}

/// How many code points `text` holds: its bytes that do not continue a UTF-8 sequence (what
/// `chars().count()` counts), eight bytes at a time.
fn code_points(text: &str) -> usize {
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut continuing = 0;
    let mut rest = text.as_bytes();
    while let [a, b, c, d, e, f, g, h, tail @ ..] = rest {
        let word = u64::from_le_bytes([*a, *b, *c, *d, *e, *f, *g, *h]);
        // 0b10xx_xxxx: the high bit set, the next one clear.
        continuing += (word & !(word << 1) & HIGHS).count_ones() as usize;
        rest = tail;
    }
    while let [b, tail @ ..] = rest {
        continuing += usize::from((*b as i8) < -0x40);
        rest = tail;
    }
    text.len() - continuing
}

/// Reports every value inside a pass-through object that JSON cannot carry.
fn check_any<'s>(
    source: &mut Source<'s>,
    node: Node<'s>,
    at: &Pointer,
    code: Option<&'static str>,
    out: &mut Violations,
) {
    match node.kind() {
        Kind::Unreadable(Unreadable::InexactInteger) => out.add(at, code, Keyword::SafeInteger),
        Kind::Unreadable(why) => match unreadable_rule(why, Some(MAX_STRING_UNITS)) {
            Some((rule, words)) => out.add_worded(at, code, rule, words),
            None => {
                out.add_worded(at, code, Keyword::JsonValue, format!("must be a JSON value, not {}", host_type(why)))
            }
        },
        Kind::Number(n) if !n.is_finite() => out.add_worded(at, code, Keyword::JsonValue, "must be a finite number"),
        Kind::Array => {
            source.items(node, &mut |source, i, v| check_any(source, v, &at.child(i), code, out));
        }
        Kind::Object => source.entries(node, &mut |source, k, v| check_any(source, v, &at.child(k), code, out)),
        _ => {}
    }
}

/// The rule an unreadable value broke and its words, or `None` when a plain type error says
/// it best. `string_limit` is the longest string the rule accepts, `None` when it wants no string.
fn unreadable_rule(why: Unreadable, string_limit: Option<usize>) -> Option<(Keyword, String)> {
    let rule = match why {
        Unreadable::Threw => Keyword::Readable,
        Unreadable::TooDeep => Keyword::MaxDepth(MAX_DEPTH),
        Unreadable::Circular => Keyword::Acyclic,
        Unreadable::TooLarge => Keyword::MaxSize { values: MAX_VALUES, characters: MAX_TOTAL_STRING_UNITS },
        Unreadable::IllFormedString if string_limit.is_some() => Keyword::WellFormed,
        Unreadable::IllFormedKey => {
            let words = "must NOT be a key holding a lone surrogate: it cannot be sent as given";
            return Some((Keyword::WellFormed, words.to_owned()));
        }
        // Where a string is also wanted, "must be string" says it best.
        Unreadable::InexactInteger if string_limit.is_none() => Keyword::SafeInteger,
        Unreadable::OversizedString => Keyword::MaxLength(string_limit?),
        _ => return None,
    };
    let words = rule.words();
    Some((rule, words))
}

fn type_error(kind: Kind, expected: &str, at: &Pointer, code: Option<&'static str>, out: &mut Violations) {
    // An inexact integer is a number: where a number is not wanted, its type is the mistake.
    if let Kind::Unreadable(why) = kind {
        let rule = match why {
            Unreadable::InexactInteger => None,
            why => unreadable_rule(why, None),
        };
        if let Some((rule, words)) = rule {
            return out.add_worded(at, code, rule, words);
        }
    }
    out.add(at, code, Keyword::Type(expected.to_owned().into()));
}

/// What the host called an unreadable value's type, for messages about pass-through data.
fn host_type(why: Unreadable) -> &'static str {
    match why {
        Unreadable::BigInt => "a bigint",
        Unreadable::Symbol => "a symbol",
        Unreadable::Function => "a function",
        Unreadable::Undefined => "undefined",
        _ => "this value",
    }
}

/// The longest string `rule` accepts, or `None` when it accepts no string at all.
fn string_limit(rule: &Rule) -> Option<usize> {
    match rule {
        Rule::Text { max, .. } => Some(max.unwrap_or(MAX_STRING_UNITS)),
        Rule::Enum(_) => Some(MAX_STRING_UNITS),
        Rule::OneOrMany(inner) | Rule::Nullable(inner) => string_limit(inner),
        Rule::Named(alias) => string_limit(&alias.rule),
        Rule::Either(a, b) => string_limit(a).or(string_limit(b)),
        _ => None,
    }
}

/// Whether a value of `kind` has the JSON type `rule` expects (its other checks aside).
fn type_matches(rule: &Rule, kind: Kind) -> bool {
    let is_string =
        matches!(kind, Kind::String(_) | Kind::Unreadable(Unreadable::IllFormedString | Unreadable::OversizedString));
    match rule {
        Rule::Text { .. } | Rule::Enum(_) => is_string,
        Rule::IntEnum(_) | Rule::Number { .. } | Rule::Integer { .. } => matches!(kind, Kind::Number(_)),
        Rule::Bool => matches!(kind, Kind::Bool(_)),
        Rule::Object(_) | Rule::Open(_) | Rule::AnyObject => kind == Kind::Object,
        Rule::Absent => false,
        Rule::List { .. } => kind == Kind::Array,
        Rule::OneOrMany(inner) => kind == Kind::Array || type_matches(inner, kind),
        Rule::Nullable(inner) => kind == Kind::Null || type_matches(inner, kind),
        Rule::Named(alias) => type_matches(&alias.rule, kind),
        Rule::Either(a, b) => type_matches(a, kind) || type_matches(b, kind),
        Rule::Host(_) => false,
    }
}

/// Ajv's name for the types a rule accepts: `string`, `integer,string`, `string,null`.
fn type_names(rule: &Rule) -> String {
    match rule {
        Rule::Text { .. } | Rule::Enum(_) => "string".into(),
        Rule::IntEnum(_) | Rule::Number { .. } => "number".into(),
        Rule::Integer { .. } => "integer".into(),
        Rule::Bool => "boolean".into(),
        Rule::Object(_) | Rule::Open(_) | Rule::AnyObject => "object".into(),
        Rule::Absent => "absent".into(),
        Rule::List { .. } => "array".into(),
        Rule::OneOrMany(inner) => format!("{},array", type_names(inner)),
        Rule::Nullable(inner) => format!("{},null", type_names(inner)),
        Rule::Named(alias) => type_names(&alias.rule),
        // A host value has no JSON type: the message names the JSON side alone.
        Rule::Either(a, Rule::Host(_)) => type_names(a),
        Rule::Either(a, b) => format!("{},{}", type_names(a), type_names(b)),
        Rule::Host(host) => host.expected.into(),
    }
}

/// The known name within edit distance 2 of an unknown `key`, the closest one.
pub fn did_you_mean(key: &str, known: impl Iterator<Item = &'static str>) -> Option<&'static str> {
    if key.chars().count() > 64 {
        return None;
    }
    let length = key.chars().count();
    known
        // The distance is at least the difference in length: most names need no table.
        .filter(|name| name.chars().count().abs_diff(length) <= 2)
        .map(|name| (edit_distance(key, name), name))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name)
}

/// Optimal-string-alignment distance (insertions, deletions, substitutions, transpositions),
/// exact up to 2 and `3` beyond: all that a suggestion needs. Three rolling rows on the stack.
fn edit_distance(a: &str, b: &str) -> usize {
    const FAR: u8 = 3;
    let (mut a_chars, mut b_chars) = (['\0'; 64], ['\0'; 64]);
    let (mut la, mut lb) = (0usize, 0usize);
    for (slot, c) in a_chars.iter_mut().zip(a.chars()) {
        (*slot, la) = (c, la + 1);
    }
    for (slot, c) in b_chars.iter_mut().zip(b.chars()) {
        (*slot, lb) = (c, lb + 1);
    }
    if a.chars().count() > 64 || b.chars().count() > 64 || la.abs_diff(lb) > 2 {
        return usize::from(FAR);
    }
    let (a, b) = (&a_chars[..la], &b_chars[..lb]);
    let mut before = [FAR; 65]; // row i - 2
    let mut above: [u8; 65] = std::array::from_fn(|j| (j as u8).min(FAR)); // row i - 1
    let mut row = [FAR; 65];
    for i in 1..=la {
        row[0] = (i as u8).min(FAR);
        for j in 1..=lb {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let mut best = (above[j] + 1).min(row[j - 1] + 1).min(above[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            row[j] = best.min(FAR);
        }
        if row[..=lb].iter().all(|d| *d >= FAR) {
            return usize::from(FAR); // every path already costs more than a suggestion allows
        }
        before = above;
        above = row;
    }
    usize::from(above[lb])
}

/// Whether `object` holds `key` with a value other than `""`.
pub fn has_non_empty(object: &Object, key: &str) -> bool {
    match object.get(key) {
        Some(Value::String(s)) => !s.is_empty(),
        Some(_) => true,
        None => false,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const CTX: RuleContext = RuleContext { attachment_bucket_prefix: "app.mava." };

    /// Checks JSON `input` against `fields`; returns (path, code, message) triples.
    pub(crate) fn violations_of(fields: &[Field], input: &str) -> Vec<(String, String, String)> {
        let value = Value::from_json(input).expect("test input is JSON");
        let mut out = Violations::new("body", "VALIDATION_ERROR");
        check_input(fields, &value, &CTX, &mut out);
        let violations = out.into_vec();
        // The same walk over the text read once: the same violations, rule and words too.
        let mut source = Source::text(input, &[]);
        let mut once = Violations::new("body", "VALIDATION_ERROR");
        let root = source.root();
        walk_input(&mut source, root, fields, &CTX, &mut once);
        assert_eq!(source.finish(), Ok(None), "{input}");
        assert_eq!(once.into_vec(), violations, "{input}");
        crate::violation::triples(violations)
    }

    fn one(path: &str, message: &str) -> Vec<(String, String, String)> {
        vec![(path.to_owned(), "VALIDATION_ERROR".to_owned(), message.to_owned())]
    }

    const ITEM: Rule = Rule::Text { min: 1, max: Some(3), format: None };
    const NESTED: Shape = Shape { name: "Nested", doc: "", fields: &[required("name", TEXT)], variants: &[] };
    const FIELDS: &[Field] = &[
        field("text", text_max(5)),
        field("nonEmpty", NON_EMPTY_TEXT),
        field("status", Rule::Enum(&["Open", "Pending"])),
        field("priority", Rule::IntEnum(&[1, 2, 3])),
        field("flag", Rule::Bool),
        field("size", Rule::Number { min: Some(0.0) }),
        field("count", Rule::Integer { min: 1, max: 100 }),
        field("nested", Rule::Object(&NESTED)),
        field("data", Rule::AnyObject),
        field("list", Rule::List { max: Some(2), item: &ITEM }),
        field("many", Rule::OneOrMany(&OBJECT_ID)),
        field("maybe", Rule::Nullable(&OBJECT_ID)),
        field("either", Rule::Either(&Rule::Integer { min: 1, max: 9 }, &formatted(Format::Digits))),
        field("limit", Rule::Integer { min: 1, max: 100 }).code("INVALID_LIMIT"),
    ];

    #[test]
    fn a_valid_input_has_no_violations() {
        let input = r#"{"text":"héllo","nonEmpty":"x","status":"Open","priority":2,"flag":false,"size":0,
            "count":100,"nested":{"name":""},"data":{"any":[1,{"x":null}]},"list":["a","abc"],
            "many":"645abc1234567890abcdef12","maybe":null,"either":"123","limit":1}"#;
        assert_eq!(violations_of(FIELDS, input), vec![]);
    }

    #[test]
    fn the_input_itself_must_be_an_object() {
        assert_eq!(violations_of(FIELDS, "[]"), one("", "body must be object"));
        assert_eq!(violations_of(FIELDS, "null"), one("", "body must be object"));
    }

    #[test]
    fn lengths_count_code_points_not_utf16_units_or_bytes() {
        assert_eq!(violations_of(FIELDS, r#"{"text":"👍👍👍👍👍"}"#), vec![]);
        assert_eq!(
            violations_of(FIELDS, r#"{"text":"👍👍👍👍👍👍"}"#),
            one("/text", "body/text must NOT have more than 5 characters")
        );
        assert_eq!(
            violations_of(FIELDS, r#"{"nonEmpty":""}"#),
            one("/nonEmpty", "body/nonEmpty must NOT have fewer than 1 characters")
        );
    }

    #[test]
    fn types_are_strict() {
        assert_eq!(violations_of(FIELDS, r#"{"text":5}"#), one("/text", "body/text must be string"));
        assert_eq!(violations_of(FIELDS, r#"{"priority":"2"}"#), one("/priority", "body/priority must be number"));
        assert_eq!(violations_of(FIELDS, r#"{"flag":"true"}"#), one("/flag", "body/flag must be boolean"));
        assert_eq!(violations_of(FIELDS, r#"{"nested":[]}"#), one("/nested", "body/nested must be object"));
        assert_eq!(violations_of(FIELDS, r#"{"list":"a"}"#), one("/list", "body/list must be array"));
        assert_eq!(violations_of(FIELDS, r#"{"count":1.5}"#), one("/count", "body/count must be integer"));
        assert_eq!(violations_of(FIELDS, r#"{"size":"1"}"#), one("/size", "body/size must be number"));
        assert_eq!(violations_of(FIELDS, r#"{"data":"x"}"#), one("/data", "body/data must be object"));
    }

    #[test]
    fn enums_and_ranges() {
        assert_eq!(
            violations_of(FIELDS, r#"{"status":"open"}"#),
            one("/status", "body/status must be equal to one of the allowed values")
        );
        assert_eq!(
            violations_of(FIELDS, r#"{"priority":4}"#),
            one("/priority", "body/priority must be equal to one of the allowed values")
        );
        assert_eq!(violations_of(FIELDS, r#"{"size":-1}"#), one("/size", "body/size must be >= 0"));
        assert_eq!(violations_of(FIELDS, r#"{"count":0}"#), one("/count", "body/count must be >= 1"));
        assert_eq!(violations_of(FIELDS, r#"{"count":101}"#), one("/count", "body/count must be <= 100"));
    }

    #[test]
    fn lists_report_their_size_and_every_bad_item() {
        assert_eq!(
            violations_of(FIELDS, r#"{"list":["a","",7]}"#),
            vec![
                ("/list".into(), "VALIDATION_ERROR".into(), "body/list must NOT have more than 2 items".into()),
                (
                    "/list/1".into(),
                    "VALIDATION_ERROR".into(),
                    "body/list/1 must NOT have fewer than 1 characters".into()
                ),
                ("/list/2".into(), "VALIDATION_ERROR".into(), "body/list/2 must be string".into()),
            ]
        );
    }

    #[test]
    fn one_or_many_nullable_and_either_name_every_accepted_type() {
        assert_eq!(violations_of(FIELDS, r#"{"many":["645abc1234567890abcdef12"]}"#), vec![]);
        assert_eq!(
            violations_of(FIELDS, r#"{"many":["nope"]}"#),
            one("/many/0", "body/many/0 must match pattern \"^[0-9a-fA-F]{24}$\"")
        );
        assert_eq!(violations_of(FIELDS, r#"{"many":1}"#), one("/many", "body/many must be string,array"));
        assert_eq!(violations_of(FIELDS, r#"{"maybe":1}"#), one("/maybe", "body/maybe must be string,null"));
        assert_eq!(violations_of(FIELDS, r#"{"either":5}"#), vec![]);
        assert_eq!(violations_of(FIELDS, r#"{"either":0}"#), one("/either", "body/either must be >= 1"));
        assert_eq!(
            violations_of(FIELDS, r#"{"either":"12a"}"#),
            one("/either", "body/either must match pattern \"^[0-9]+$\"")
        );
        assert_eq!(violations_of(FIELDS, r#"{"either":true}"#), one("/either", "body/either must be integer,string"));
    }

    #[test]
    fn json_where_only_the_host_can_give_a_value_is_refused_for_what_it_must_be() {
        // The JS layer takes host values out first; the walker sees what JSON stood in for one.
        const LIMITER: HostValue = HostValue { kind: HostKind::RateLimiter, ts: "Limiter", expected: "a limiter" };
        const HOSTED: &[Field] = &[
            field("limiter", Rule::Host(&LIMITER)),
            field("mode", Rule::Either(&Rule::Enum(&["wait"]), &Rule::Host(&LIMITER))),
        ];
        assert_eq!(violations_of(HOSTED, r#"{"limiter":"x"}"#), one("/limiter", "body/limiter must be a limiter"));
        assert_eq!(violations_of(HOSTED, r#"{"mode":5}"#), one("/mode", "body/mode must be string"));
        assert_eq!(violations_of(HOSTED, r#"{"mode":"wait"}"#), vec![]);
        assert_eq!(HOSTED[1].rule.host_value().map(|h| h.ts), Some("Limiter"));
    }

    #[test]
    fn an_open_object_checks_its_fields_and_passes_others_through_and_an_absent_field_is_refused() {
        const DATA: Shape = Shape {
            name: "Data",
            doc: "",
            fields: &[required("subject", NON_EMPTY_TEXT), field("queue", Rule::Absent)],
            variants: &[],
        };
        const OPEN: &[Field] = &[field("data", Rule::Open(&DATA))];
        assert_eq!(violations_of(OPEN, r#"{"data":{"subject":"s","extra":[1,{"x":null}]}}"#), vec![]);
        assert_eq!(
            violations_of(OPEN, r#"{"data":{"extra":1}}"#),
            one("/data/subject", "body/data must have required property 'subject'")
        );
        assert_eq!(
            violations_of(OPEN, r#"{"data":{"subject":"s","queue":"q"}}"#),
            one("/data/queue", "body/data/queue must NOT be given")
        );
        assert_eq!(violations_of(OPEN, r#"{"data":[]}"#), one("/data", "body/data must be object"));
    }

    #[test]
    fn unknown_fields_are_violations_with_a_did_you_mean_hint() {
        assert_eq!(
            violations_of(FIELDS, r#"{"staus":"Open","zzzzzzzz":1}"#),
            vec![
                (
                    "/staus".into(),
                    "VALIDATION_ERROR".into(),
                    "body must NOT have additional properties 'staus'; did you mean 'status'?".into()
                ),
                (
                    "/zzzzzzzz".into(),
                    "VALIDATION_ERROR".into(),
                    "body must NOT have additional properties 'zzzzzzzz'".into()
                ),
            ]
        );
        assert_eq!(
            violations_of(FIELDS, r#"{"nested":{"name":"a","nmae":"b"}}"#),
            one("/nested/nmae", "body/nested must NOT have additional properties 'nmae'; did you mean 'name'?")
        );
    }

    #[test]
    fn required_fields_are_reported_on_their_parent() {
        assert_eq!(
            violations_of(FIELDS, r#"{"nested":{}}"#),
            one("/nested/name", "body/nested must have required property 'name'")
        );
    }

    #[test]
    fn all_violations_come_back_in_input_order_depth_first() {
        let got = violations_of(FIELDS, r#"{"flag":1,"nested":{"name":2},"text":3}"#);
        let paths: Vec<&str> = got.iter().map(|(p, _, _)| p.as_str()).collect();
        assert_eq!(paths, ["/flag", "/nested/name", "/text"]);
    }

    #[test]
    fn a_field_code_applies_to_every_mistake_in_that_field() {
        assert_eq!(
            violations_of(FIELDS, r#"{"limit":"10"}"#),
            vec![("/limit".into(), "INVALID_LIMIT".into(), "body/limit must be integer".into())]
        );
    }

    #[test]
    fn non_finite_numbers_are_not_numbers() {
        let mut out = Violations::new("body", "VALIDATION_ERROR");
        let input = Value::Object([("size".to_owned(), Value::Number(f64::NAN))].into_iter().collect());
        check_input(FIELDS, &input, &CTX, &mut out);
        assert_eq!(out.into_vec()[0].message, "body/size must be number");
    }

    #[test]
    fn unreadable_host_values_get_their_own_message() {
        let cases = [
            ("text", Unreadable::IllFormedString, "body/text must be a well-formed Unicode string"),
            ("text", Unreadable::OversizedString, "body/text must NOT have more than 5 characters"),
            ("nonEmpty", Unreadable::OversizedString, "body/nonEmpty must NOT have more than 1048576 characters"),
            ("size", Unreadable::BigInt, "body/size must be number"),
            ("flag", Unreadable::Symbol, "body/flag must be boolean"),
            ("size", Unreadable::IllFormedString, "body/size must be number"),
            ("nested", Unreadable::Threw, "body/nested could not be read: a getter or Proxy threw"),
            ("nested", Unreadable::TooDeep, "body/nested must NOT be nested more than 64 levels deep"),
            ("nested", Unreadable::Circular, "body/nested must NOT contain a circular reference"),
            (
                "list",
                Unreadable::TooLarge,
                "body/list must NOT hold more than 100000 values or 4194304 characters in all",
            ),
        ];
        for (key, why, message) in cases {
            let mut out = Violations::new("body", "VALIDATION_ERROR");
            let input = Value::Object([(key.to_owned(), Value::Unreadable(why))].into_iter().collect());
            check_input(FIELDS, &input, &CTX, &mut out);
            assert_eq!(out.into_vec()[0].message, message);
        }
    }

    #[test]
    fn pass_through_objects_still_reject_what_json_cannot_carry() {
        let mut data = Object::new();
        data.insert("big", Value::Unreadable(Unreadable::BigInt));
        data.insert("deep", Value::Array(vec![Value::Number(f64::INFINITY)]));
        let input = Value::Object([("data".to_owned(), Value::Object(data))].into_iter().collect());
        let mut out = Violations::new("body", "VALIDATION_ERROR");
        check_input(FIELDS, &input, &CTX, &mut out);
        let messages: Vec<String> = out.into_vec().into_iter().map(|v| v.message).collect();
        assert_eq!(
            messages,
            ["body/data/big must be a JSON value, not a bigint", "body/data/deep/0 must be a finite number"]
        );
    }

    #[test]
    fn every_table_fits_the_walker_s_record_of_given_fields_and_names_each_field_once() {
        fn shapes_of(rule: &Rule, out: &mut Vec<&'static [Field]>) {
            match *rule {
                Rule::Object(shape) | Rule::Open(shape) => {
                    out.push(shape.fields);
                    shape.fields.iter().for_each(|f| shapes_of(&f.rule, out));
                }
                Rule::Named(alias) => shapes_of(&alias.rule, out),
                Rule::List { item, .. } | Rule::OneOrMany(item) | Rule::Nullable(item) => shapes_of(item, out),
                Rule::Either(a, b) => {
                    shapes_of(a, out);
                    shapes_of(b, out);
                }
                _ => {}
            }
        }
        let mut tables = Vec::new();
        for op in crate::fuzz::operations() {
            tables.push(op.input_fields());
            op.input_fields().iter().for_each(|f| shapes_of(&f.rule, &mut tables));
        }
        assert!(tables.len() > 20, "{} tables", tables.len());
        for fields in tables {
            assert!(fields.len() <= Given::MAX_FIELDS, "{} fields", fields.len());
            let mut names: Vec<&str> = fields.iter().map(|f| f.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), fields.len(), "a field named twice in one table");
        }
    }

    #[test]
    fn code_points_are_what_chars_counts() {
        let long = "ab👍cdé€fgh\u{10ffff}".repeat(5);
        for text in ["", "abc", "héllo", "👍👍", "a\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}z", &long] {
            assert_eq!(code_points(text), text.chars().count(), "{text:?}");
        }
    }

    #[test]
    fn edit_distance_counts_transpositions_as_one() {
        assert_eq!(edit_distance("platformUserId", "plaformUserId"), 1);
        assert_eq!(edit_distance("staus", "status"), 1);
        assert_eq!(edit_distance("stauts", "status"), 1);
        assert_eq!(edit_distance("abc", "xyz"), 3);
        assert_eq!(edit_distance("emailSubject", "emailSubjct"), 1);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("customerId", "customer"), 2);
        assert_eq!(edit_distance("a", "abcd"), 3, "beyond 2 is only ever 'far'");
    }
}
