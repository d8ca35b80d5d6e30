//! What the walker reads an input from: a [`Value`] tree, or JSON text read once as it is
//! walked, with no tree (building and freeing the tree was most of a call's time). Text is read
//! with the tree reader's own [`Scanner`], so both read the same JSON; where only a tree reads
//! an input the same way (a key given twice, a key holding a lone surrogate), the walk says so
//! ([`Stop::NeedsTree`]) and the caller walks the tree instead.
//!
//! For the cross-field checks a text walk can keep a sketch of the input: the root fields they
//! read, down to those fields' own fields, where arrays and objects are kept empty.

use super::CrossFieldCheck;
use crate::json::{JsonError, Scanner, Str, Token};
use crate::value::{Object, Text, Unreadable, Value};
use std::borrow::Cow;
use std::sync::Arc;

/// How deep the sketch goes: the root is 0, its fields 1, theirs 2 (kept, but empty when they
/// are arrays or objects).
const SKETCH_DEPTH: usize = 2;

/// The most keys of one object a text walk compares for one given twice: a larger object is
/// left to the tree.
pub(crate) const MAX_KEYS: usize = 64;

/// Why a text was not walked to its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// It is not JSON (as [`Value::from_json`] would say).
    NotJson(JsonError),
    /// Only its value tree reads it the way validation must: a key given twice (the tree
    /// keeps its first place and last value) or a key holding a lone surrogate.
    NeedsTree,
}

/// What a value is, as the walker sees it: a scalar with its value, a container (whose contents
/// its [`Source`] hands over), or why it could not be read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number (non-finite from a host, or from text whose exponent overflows).
    Number(f64),
    /// A well-formed string.
    String(&'a str),
    /// An array.
    Array,
    /// An object.
    Object,
    /// A value the SDK did not read.
    Unreadable(Unreadable),
}

/// One value of an input, as its [`Source`] hands it to the walker.
#[derive(Debug)]
pub enum Node<'s> {
    /// A value of a tree.
    Value(&'s Value),
    /// A value of a text.
    Text(TextNode<'s>),
}

impl Node<'_> {
    /// What it is.
    #[inline]
    pub fn kind(&self) -> Kind<'_> {
        match self {
            Node::Value(value) => match value {
                Value::Null => Kind::Null,
                Value::Bool(b) => Kind::Bool(*b),
                Value::Number(n) => Kind::Number(*n),
                Value::String(s) => Kind::String(s.as_str()),
                Value::Array(_) => Kind::Array,
                Value::Object(_) => Kind::Object,
                Value::Unreadable(why) => Kind::Unreadable(*why),
            },
            Node::Text(node) => match &node.value {
                Scalar::Null => Kind::Null,
                Scalar::Bool(b) => Kind::Bool(*b),
                Scalar::Number(n) => Kind::Number(*n),
                Scalar::InexactInteger => Kind::Unreadable(Unreadable::InexactInteger),
                Scalar::String(text) => Kind::String(text),
                Scalar::IllFormedString => Kind::Unreadable(Unreadable::IllFormedString),
                Scalar::Array => Kind::Array,
                Scalar::Object => Kind::Object,
            },
        }
    }
}

/// One value of a text: a scalar read whole, or a container not yet read.
#[derive(Debug)]
pub struct TextNode<'s> {
    value: Scalar<'s>,
    depth: usize,
}

#[derive(Debug)]
enum Scalar<'s> {
    Null,
    Bool(bool),
    Number(f64),
    InexactInteger,
    String(Cow<'s, str>),
    IllFormedString,
    Array,
    Object,
}

/// Where the walker reads an input from: a value tree ([`Source::tree`]), or JSON text read
/// once, as the walker asks for it ([`Source::text`]).
pub struct Source<'s> {
    scanner: Scanner<'s>,
    /// Where the text starts in memory: a string slice's offset in it is its place.
    start: usize,
    stop: Option<Stop>,
    /// A container just handed to the walker, not yet read: the walker did not want its
    /// contents (a type error), so it is read past when the walker is done with it.
    unread: bool,
    /// The keys of the objects being read (with a hash, compared first), innermost last, to
    /// find a key given twice.
    keys: Vec<(u32, Cow<'s, str>)>,
    /// The text, shared by the sketch's strings, when sketching.
    sketch_source: Option<Arc<str>>,
    /// The cross-field checks the sketch is for: it keeps only the root fields they read.
    sketched: &'static [CrossFieldCheck],
    /// Whether the root field being read is one they read.
    sketching_field: bool,
    /// The sketches of the containers being read within [`SKETCH_DEPTH`], innermost last.
    open: Vec<Sketch>,
    /// The sketch of the container read last.
    done: Option<Value>,
}

/// A container's sketch, as it is read.
enum Sketch {
    Object(Vec<(Text, Value)>),
    Array(Vec<Value>),
}

impl<'s> Source<'s> {
    /// A source for walking a value tree (its nodes are [`Node::Value`]s).
    pub fn tree() -> Self {
        Source {
            scanner: Scanner::new(""),
            start: 0,
            stop: None,
            unread: false,
            keys: Vec::new(),
            sketch_source: None,
            sketched: &[],
            sketching_field: false,
            open: Vec::new(),
            done: None,
        }
    }

    /// A source reading `text`, keeping the sketch the cross-field checks `sketched` read.
    pub fn text(text: &'s str, sketched: &'static [CrossFieldCheck]) -> Self {
        Source {
            scanner: Scanner::new(text),
            start: text.as_ptr() as usize,
            stop: None,
            unread: false,
            // Kept only for objects the walker's table does not read (rare): no room made before.
            keys: Vec::new(),
            // One copy of the text: the sketch's strings without escapes are then slices of it.
            sketch_source: (!sketched.is_empty()).then(|| Arc::from(text)),
            sketched,
            sketching_field: false,
            open: Vec::new(),
            done: None,
        }
    }

    /// The text's root value.
    pub fn root(&mut self) -> Node<'s> {
        Node::Text(self.read(0))
    }

    /// Reads past what the walker left (the root, when it was not an object), and the end of
    /// the text: the root's sketch when it was an object and sketching was asked for, or why
    /// the walk does not count.
    pub fn finish(mut self) -> Result<Option<Object>, Stop> {
        self.skip_unread(0);
        if let Some(stop) = self.stop {
            return Err(stop);
        }
        self.scanner.end().map_err(Stop::NotJson)?;
        Ok(match self.done {
            Some(Value::Object(object)) => Some(object),
            _ => None,
        })
    }

    fn fail(&mut self, stop: Stop) {
        self.stop.get_or_insert(stop);
    }

    /// The value at the scanner, `depth` containers down.
    #[inline]
    fn read(&mut self, depth: usize) -> TextNode<'s> {
        let value = if self.stop.is_some() {
            Scalar::Null
        } else {
            match self.scanner.value(depth) {
                Ok(Token::Null) => Scalar::Null,
                Ok(Token::Bool(b)) => Scalar::Bool(b),
                Ok(Token::Number(n)) => Scalar::Number(n),
                Ok(Token::InexactInteger) => Scalar::InexactInteger,
                Ok(Token::String(Str::Plain(from, to))) => Scalar::String(Cow::Borrowed(self.scanner.slice(from, to))),
                Ok(Token::String(Str::Decoded(text))) => Scalar::String(Cow::Owned(text)),
                Ok(Token::String(Str::IllFormed)) => Scalar::IllFormedString,
                Ok(Token::Array) => Scalar::Array,
                Ok(Token::Object) => Scalar::Object,
                Err(error) => {
                    self.fail(Stop::NotJson(error));
                    Scalar::Null
                }
            }
        };
        self.unread = matches!(value, Scalar::Array | Scalar::Object);
        TextNode { value, depth }
    }

    /// Reads past `node`, a container the walker did not read.
    fn skip(&mut self, node: TextNode<'s>) {
        match node.value {
            // Keys given twice matter only to a sketch: nothing else reads this object.
            Scalar::Object => {
                let find_twice = self.sketches(node.depth);
                self.text_entries(node, find_twice, &mut |_, _, _| {})
            }
            Scalar::Array => {
                self.text_items(node, &mut |_, _, _| {});
            }
            _ => {}
        }
    }

    /// Once the walker is done with the value it was handed last (`depth` containers down):
    /// reads past it if it is a container the walker left unread.
    fn skip_unread(&mut self, depth: usize) {
        if self.unread {
            let value = if self.scanner.peek() == Some(b'{') { Scalar::Object } else { Scalar::Array };
            self.skip(TextNode { value, depth });
        }
    }

    /// The sketch of `node` where it is a scalar or a container at the sketch's last depth;
    /// `None` for a container the sketch goes into (it sketches itself as it is read).
    fn sketch_of(&self, node: &TextNode<'s>) -> Option<Value> {
        Some(match &node.value {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(*b),
            Scalar::Number(n) => Value::Number(*n),
            Scalar::InexactInteger => Value::Unreadable(Unreadable::InexactInteger),
            Scalar::String(text) => Value::String(self.sketch_text(text)),
            Scalar::IllFormedString => Value::Unreadable(Unreadable::IllFormedString),
            Scalar::Array if node.depth >= SKETCH_DEPTH => Value::Array(Vec::new()),
            Scalar::Object if node.depth >= SKETCH_DEPTH => Value::Object(Object::new()),
            Scalar::Array | Scalar::Object => return None,
        })
    }

    /// A string of the text as the sketch holds it: a slice of its copy of the text, or its own
    /// text when it held escapes.
    fn sketch_text(&self, text: &str) -> Text {
        // A slice of the text lies within it; a string decoded from escapes lies elsewhere.
        let from = (text.as_ptr() as usize).wrapping_sub(self.start);
        match &self.sketch_source {
            Some(source) if from <= source.len() && text.len() <= source.len() - from => {
                Text::slice(source, from, from + text.len())
            }
            _ => Text::from(text),
        }
    }

    /// Whether the contents of a container at `depth` go into the sketch (below the root, only
    /// within a root field the checks read).
    fn sketches(&self, depth: usize) -> bool {
        self.sketch_source.is_some() && depth < SKETCH_DEPTH && (depth == 0 || self.sketching_field)
    }

    /// Whether the root field `key` goes into the sketch.
    fn sketched_field(&self, key: &str) -> bool {
        self.sketched.iter().any(|check| check.reads.contains(&key))
    }

    /// Ends the sketch of the container read last.
    fn close_sketch(&mut self) {
        self.done = self.open.pop().map(|sketch| match sketch {
            Sketch::Object(entries) => Value::Object(Object::from_distinct(entries)),
            Sketch::Array(items) => Value::Array(items),
        });
    }
}

/// A key's length and its first and last bytes: keys of one object are compared only where
/// these agree.
fn key_hash(key: &str) -> u32 {
    let bytes = key.as_bytes();
    let edge = |b: Option<&u8>| u32::from(b.copied().unwrap_or(0));
    (bytes.len() as u32) << 16 ^ edge(bytes.first()) << 8 ^ edge(bytes.last())
}

impl<'s> Source<'s> {
    /// Hands each entry of the object `node` to `each`, in input order.
    pub fn entries(&mut self, node: Node<'s>, each: &mut dyn FnMut(&mut Self, &str, Node<'s>)) {
        self.entries_checked(node, true, each)
    }

    /// [`entries`](Self::entries), where `each` finds a key given twice itself (the walker's
    /// table of fields does it for free) and says so with [`given_twice`](Self::given_twice).
    pub fn distinct_entries(&mut self, node: Node<'s>, each: &mut dyn FnMut(&mut Self, &str, Node<'s>)) {
        self.entries_checked(node, false, each)
    }

    /// Says a key of the object being read was given twice: only the tree reads that input as
    /// validation must (a tree's keys are distinct: this is never said of one).
    pub fn given_twice(&mut self) {
        self.fail(Stop::NeedsTree);
    }

    fn entries_checked(&mut self, node: Node<'s>, find_twice: bool, each: &mut dyn FnMut(&mut Self, &str, Node<'s>)) {
        match node {
            Node::Value(Value::Object(object)) => {
                for (key, value) in object.iter() {
                    each(self, key, Node::Value(value));
                }
            }
            Node::Value(_) => {}
            Node::Text(node) => self.text_entries(node, find_twice, each),
        }
    }

    /// Hands each item of the array `node` to `each`, in order; how many it holds.
    pub fn items(&mut self, node: Node<'s>, each: &mut dyn FnMut(&mut Self, usize, Node<'s>)) -> usize {
        match node {
            Node::Value(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    each(self, i, Node::Value(item));
                }
                items.len()
            }
            Node::Value(_) => 0,
            Node::Text(node) => self.text_items(node, each),
        }
    }

    fn text_entries(&mut self, node: TextNode<'s>, find_twice: bool, each: &mut dyn FnMut(&mut Self, &str, Node<'s>)) {
        if !matches!(node.value, Scalar::Object) || self.stop.is_some() {
            return;
        }
        self.unread = false;
        let sketching = self.sketches(node.depth);
        if sketching {
            self.open.push(Sketch::Object(Vec::new()));
        }
        let first_key = self.keys.len();
        let mut first = true;
        loop {
            let key = match self.scanner.next_key(std::mem::take(&mut first)) {
                Ok(Some(Str::Plain(from, to))) => Cow::Borrowed(self.scanner.slice(from, to)),
                Ok(Some(Str::Decoded(key))) => Cow::Owned(key),
                Ok(Some(Str::IllFormed)) => return self.fail(Stop::NeedsTree),
                Ok(None) => break,
                Err(error) => return self.fail(Stop::NotJson(error)),
            };
            // A key given twice: only the tree keeps its first place and last value.
            if find_twice {
                let hash = key_hash(&key);
                let given = &self.keys[first_key..];
                if given.len() >= MAX_KEYS || given.iter().any(|(h, k)| *h == hash && *k == key) {
                    return self.fail(Stop::NeedsTree);
                }
                self.keys.push((hash, key.clone()));
            }
            // At the root, only the fields the checks read are sketched.
            let entry_sketched = sketching && (node.depth > 0 || self.sketched_field(&key));
            if node.depth == 0 {
                self.sketching_field = entry_sketched;
            }
            let child = self.read(node.depth + 1);
            let sketch = if entry_sketched { self.sketch_of(&child) } else { None };
            let depth = child.depth;
            each(self, &key, Node::Text(child));
            self.skip_unread(depth);
            if self.stop.is_some() {
                self.keys.truncate(first_key);
                return;
            }
            if entry_sketched {
                let value = sketch.or_else(|| self.done.take()).unwrap_or(Value::Null);
                let key = self.sketch_text(&key);
                if let Some(Sketch::Object(entries)) = self.open.last_mut() {
                    entries.push((key, value));
                }
            }
        }
        self.keys.truncate(first_key);
        if sketching {
            self.close_sketch();
        }
    }

    fn text_items(&mut self, node: TextNode<'s>, each: &mut dyn FnMut(&mut Self, usize, Node<'s>)) -> usize {
        if !matches!(node.value, Scalar::Array) || self.stop.is_some() {
            return 0;
        }
        self.unread = false;
        let sketching = self.sketches(node.depth);
        if sketching {
            self.open.push(Sketch::Array(Vec::new()));
        }
        let mut count = 0;
        let mut first = true;
        loop {
            match self.scanner.next_item(std::mem::take(&mut first)) {
                Ok(true) => {}
                Ok(false) => break,
                Err(error) => {
                    self.fail(Stop::NotJson(error));
                    return count;
                }
            }
            let child = self.read(node.depth + 1);
            let sketch = if sketching { self.sketch_of(&child) } else { None };
            let depth = child.depth;
            each(self, count, Node::Text(child));
            self.skip_unread(depth);
            if self.stop.is_some() {
                return count;
            }
            if sketching {
                let value = sketch.or_else(|| self.done.take()).unwrap_or(Value::Null);
                if let Some(Sketch::Array(items)) = self.open.last_mut() {
                    items.push(value);
                }
            }
            count += 1;
        }
        if sketching {
            self.close_sketch();
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::CTX;
    use crate::rules::{field, required, walk_input, Field, Rule, Shape, TEXT};
    use crate::violation::Violations;

    const INNER: Shape = Shape { name: "Inner", doc: "", fields: &[field("name", TEXT)], variants: &[] };
    const FIELDS: &[Field] = &[required("a", TEXT), field("inner", Rule::Object(&INNER))];

    type Walked = (Vec<crate::vector::Expect>, Result<Option<Object>, Stop>);

    /// Checks that read `a`, `inner`, `l` and `z`, and one that reads `inner` and `y`.
    const SKETCHED: &[CrossFieldCheck] = &[
        CrossFieldCheck { reads: &["a", "inner", "l", "z"], check: |_, _| {} },
        CrossFieldCheck { reads: &["inner", "y"], check: |_, _| {} },
    ];

    fn walk(text: &str, sketching: bool) -> Walked {
        let mut source = Source::text(text, if sketching { SKETCHED } else { &[] });
        let mut out = Violations::new("body", "E");
        let root = source.root();
        walk_input(&mut source, root, FIELDS, &CTX, &mut out);
        (crate::violation::triples(out.into_vec()), source.finish())
    }

    #[test]
    fn the_text_is_walked_once_to_its_end_past_what_the_walker_did_not_want() {
        // `inner` as an array and the unknown `x` are not read by the walker: read past.
        let (violations, end) = walk(r#" {"x": {"y": [1, {"z": []}]}, "inner": [[{}], "s"], "a": "\u00e9"} "#, false);
        let paths: Vec<&str> = violations.iter().map(|(p, _, _)| p.as_str()).collect();
        assert_eq!(paths, ["/x", "/inner"]);
        assert_eq!(end, Ok(None));
        assert_eq!(walk(r#"[1, {"a": 2}]"#, false).1, Ok(None), "a root the walker refuses");
    }

    #[test]
    fn text_that_is_not_json_stops_the_walk_with_the_tree_reader_s_error() {
        for text in [r#"{"a": "x""#, r#"{"inner": [1,}"#, r#"{"a": "x"} x"#, r#"{"x": {"y": tru}}"#, ""] {
            let expected = Value::from_json(text).unwrap_err();
            assert_eq!(walk(text, true).1, Err(Stop::NotJson(expected)), "{text}");
        }
    }

    #[test]
    fn a_key_given_twice_or_holding_a_lone_surrogate_needs_the_tree() {
        for text in [
            r#"{"a": "x", "a": "y"}"#,
            r#"{"a": "x", "inner": {"name": "n", "n\u0061me": "m"}}"#,
            r#"{"a": "x", "q": 1, "r": 2, "q": 3}"#,
            r#"{"a": "x", "\ud800": 1}"#,
        ] {
            assert_eq!(walk(text, false).1, Err(Stop::NeedsTree), "{text}");
        }
    }

    #[test]
    fn the_sketch_holds_two_levels_with_containers_below_them_empty() {
        let text = r#"{"a": "x\n", "inner": {"name": "n", "deep": {"k": 1}, "list": [1]}, "l": [{"m": 1}, 2, "s"], "z": null}"#;
        let (_, end) = walk(text, true);
        let sketch = Value::Object(end.unwrap().unwrap());
        assert_eq!(sketch.to_json(), r#"{"a":"x\n","inner":{"name":"n","deep":{},"list":[]},"l":[{},2,"s"],"z":null}"#);
        assert_eq!(walk(text, false).1, Ok(None), "no sketch unless asked");
    }

    #[test]
    fn the_sketch_keeps_only_the_root_fields_the_checks_read() {
        // `x` and `w` are read by no check: neither they nor their contents are kept, and a key
        // given twice within them is the walker's business only (here, none of it).
        let text = r#"{"x": {"k": 1, "k": 2}, "w": [{"m": 1}], "inner": {"name": "n"}, "y": [1, {"q": 2}], "a": "s"}"#;
        let sketch = Value::Object(walk(text, true).1.unwrap().unwrap());
        assert_eq!(sketch.to_json(), r#"{"inner":{"name":"n"},"y":[1,{}],"a":"s"}"#);
    }
}
