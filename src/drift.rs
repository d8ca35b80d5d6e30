//! Every input's TypeScript is generated from its rule table (`src/typescript.rs`) except
//! Tickiti's create ticket, a union of three shapes declared by hand: this keeps those shapes
//! and the table naming the same fields.

use crate::rules::Field;
use crate::tickiti;
use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::fmt;

/// A deserializer that records the field (or variant) names a `Deserialize` impl asks for.
struct NameCapture<'a>(&'a mut Vec<&'static str>);

#[derive(Debug)]
struct Captured;

impl fmt::Display for Captured {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("names captured")
    }
}

impl std::error::Error for Captured {}

impl de::Error for Captured {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Captured
    }
}

impl<'de> Deserializer<'de> for NameCapture<'_> {
    type Error = Captured;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Captured> {
        Err(Captured)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Captured> {
        self.0.extend(fields);
        Err(Captured)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Captured> {
        self.0.extend(variants);
        Err(Captured)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map identifier ignored_any
    }
}

fn names_of<'de, T: Deserialize<'de>>() -> Vec<&'static str> {
    let mut names = Vec::new();
    let _ = T::deserialize(NameCapture(&mut names));
    names.sort_unstable();
    names
}

fn table(fields: &[Field]) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = fields.iter().map(|f| f.name).collect();
    names.sort_unstable();
    names
}

#[test]
fn tickiti_create_ticket_shapes_name_exactly_the_table_fields() {
    // The three payload shapes of create ticket together name every field of its table.
    let mut shapes = names_of::<tickiti::TickitiSubjectContentTicket>();
    shapes.extend(names_of::<tickiti::TickitiTemplateTicket>());
    shapes.extend(names_of::<tickiti::TickitiInterventionTicket>());
    shapes.sort_unstable();
    shapes.dedup();
    assert_eq!(shapes, table(tickiti::create_ticket::INPUT.fields));
}
