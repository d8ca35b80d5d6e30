//! Keeps the TypeScript-facing input structs and the rule tables from drifting apart: both
//! must name the same fields, and enums the same values.

use crate::mava::{self, create_ticket, identify, list_tickets, send_message, update_ticket};
use crate::rules::{Field, Rule};
use crate::{helpwave, tickiti};
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
fn mava_input_structs_name_exactly_the_table_fields() {
    assert_eq!(names_of::<mava::MavaCreateTicketInput>(), table(create_ticket::FIELDS));
    assert_eq!(names_of::<mava::MavaCustomerInput>(), table(create_ticket::CUSTOMER));
    assert_eq!(names_of::<mava::MavaAttributeInput>(), table(create_ticket::ATTRIBUTE));
    assert_eq!(names_of::<mava::MavaInitialMessageInput>(), table(create_ticket::MESSAGE));
    assert_eq!(names_of::<mava::MavaAttachmentInput>(), table(create_ticket::ATTACHMENT));
    assert_eq!(names_of::<mava::MavaIdentifyInput>(), table(identify::FIELDS));
    assert_eq!(names_of::<mava::MavaCustomAttribute>(), table(identify::CUSTOM_ATTRIBUTE));
    assert_eq!(names_of::<mava::MavaSendMessageInput>(), table(send_message::FIELDS));
    assert_eq!(names_of::<mava::MavaMessageAttachment>(), table(send_message::ATTACHMENT));
    assert_eq!(names_of::<mava::MavaUpdateTicketInput>(), table(update_ticket::FIELDS));
    assert_eq!(names_of::<mava::MavaListTicketsInput>(), table(list_tickets::FIELDS));
}

#[test]
fn the_status_enum_lists_exactly_the_allowed_statuses() {
    let Rule::Enum(allowed) = mava::STATUS else { panic!("STATUS is an enum rule") };
    let mut allowed = allowed.to_vec();
    allowed.sort_unstable();
    assert_eq!(names_of::<mava::MavaTicketStatus>(), allowed);
}

#[test]
fn helpwave_input_structs_name_exactly_the_table_fields() {
    assert_eq!(names_of::<helpwave::HelpWaveCreateTicketInput>(), table(helpwave::create_ticket::FIELDS));
    assert_eq!(names_of::<helpwave::HelpWaveIdentifyInput>(), table(helpwave::identify::FIELDS));
    assert_eq!(names_of::<helpwave::HelpWaveSendMessageInput>(), table(helpwave::send_message::FIELDS));
}

#[test]
fn tickiti_input_structs_name_exactly_the_table_fields() {
    // The three payload shapes of create ticket together name every field of its table.
    let mut shapes = names_of::<tickiti::TickitiSubjectContentTicket>();
    shapes.extend(names_of::<tickiti::TickitiTemplateTicket>());
    shapes.extend(names_of::<tickiti::TickitiInterventionTicket>());
    shapes.sort_unstable();
    shapes.dedup();
    assert_eq!(shapes, table(tickiti::create_ticket::FIELDS));
    assert_eq!(names_of::<tickiti::TickitiCreateTicketUnifiedInput>(), table(tickiti::create_ticket_unified::FIELDS));
    assert_eq!(names_of::<tickiti::TickitiSendMessageInput>(), table(tickiti::send_message::FIELDS));
}
