//! Update ticket — `PUT /api/ticket` → `200 { message: "Ticket updated" }` (CONTRACT §1.4).

use super::{PRIORITY, STATUS};
use crate::operation::{CrossFieldCheck, Input, Method, Operation, Relaying, RetrySafety};
use crate::provider::Provider;
use crate::rules::{field, kept, required, Rule, Shape, OBJECT_ID, TEXT};
use crate::value::Object;
use crate::violation::{listed, Keyword, Pointer, Violations};

/// The operation.
pub const UPDATE_TICKET: Operation = Operation {
    provider: Provider::Mava,
    name: "updateTicket",
    method: Method::Put,
    path: "/api/ticket",
    input: Input::Body(&INPUT),
    checks: &[CrossFieldCheck { reads: CHANGES, check: changes_something }],
    // Each change writes an audit-log message; a repeat after a lost answer is not known safe.
    safety: RetrySafety::Unsafe,
    idempotency_key: false,
    reshape: None,
    // Status, priority and category are triage (CONTRACT §6).
    relaying: Relaying::BUSINESS_ONLY,
};

/// The input. Note `categoryId` here where create says `category`.
pub const INPUT: Shape = Shape {
    name: "MavaUpdateTicketInput",
    doc: kept("Input of `MavaClient.updateTicket`: the ticket and at least one change."),
    variants: &[],
    fields: &[
        required("ticketId", TEXT).doc("The ticket to change."),
        field("status", STATUS).doc("The new status."),
        field("priority", PRIORITY).doc("The new priority."),
        field("categoryId", OBJECT_ID).doc("An active category."),
        field("assignedTo", Rule::Nullable(&OBJECT_ID))
            .doc("An agent id, or `null` to unassign; absent leaves it unchanged."),
    ],
};

/// What a call can change: the table's optional fields.
const CHANGES: &[&str] = &["status", "priority", "categoryId", "assignedTo"];

/// A call with only `ticketId` would change nothing.
fn changes_something(input: &Object, out: &mut Violations) {
    if !CHANGES.iter().any(|name| input.get(name).is_some()) {
        let words = format!("must have at least one of {}", listed(CHANGES));
        out.add_worded(&Pointer::default(), None, Keyword::AnyRequired(CHANGES), words);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mava::tests::{prepared, violations};

    fn v(path: &str, message: &str) -> (String, String, String) {
        (path.to_owned(), "VALIDATION_ERROR".to_owned(), message.to_owned())
    }

    #[test]
    fn doc_assign_example_is_sent_with_put() {
        let r = prepared(&UPDATE_TICKET, r#"{"ticketId":"TICKET_ID","assignedTo":"6630a1f4c2b9e4a1d8f00b21"}"#);
        assert_eq!((r.method.as_str(), r.url.as_str()), ("PUT", "https://gateway.mava.app/api/ticket"));
        assert_eq!(r.body.as_deref(), Some(r#"{"ticketId":"TICKET_ID","assignedTo":"6630a1f4c2b9e4a1d8f00b21"}"#));
    }

    #[test]
    fn null_assignee_unassigns_and_is_sent_as_null() {
        let r = prepared(&UPDATE_TICKET, r#"{"ticketId":"T","assignedTo":null}"#);
        assert_eq!(r.body.as_deref(), Some(r#"{"ticketId":"T","assignedTo":null}"#));
    }

    #[test]
    fn null_is_accepted_nowhere_else() {
        assert_eq!(
            violations(&UPDATE_TICKET, r#"{"ticketId":"T","status":null,"categoryId":null}"#),
            vec![v("/status", "body/status must be string"), v("/categoryId", "body/categoryId must be string")]
        );
    }

    #[test]
    fn an_email_is_not_an_assignee() {
        assert_eq!(
            violations(&UPDATE_TICKET, r#"{"ticketId":"T","assignedTo":"agent@example.com"}"#),
            vec![v("/assignedTo", "body/assignedTo must match pattern \"^[0-9a-fA-F]{24}$\"")]
        );
        assert_eq!(
            violations(&UPDATE_TICKET, r#"{"ticketId":"T","assignedTo":5}"#),
            vec![v("/assignedTo", "body/assignedTo must be string,null")]
        );
    }

    #[test]
    fn status_priority_and_category_follow_create() {
        let allowed = "must be equal to one of the allowed values";
        assert_eq!(
            violations(&UPDATE_TICKET, r#"{"ticketId":"T","status":"Done","priority":0,"categoryId":"cat"}"#),
            vec![
                v("/status", &format!("body/status {allowed}")),
                v("/priority", &format!("body/priority {allowed}")),
                v("/categoryId", "body/categoryId must match pattern \"^[0-9a-fA-F]{24}$\""),
            ]
        );
    }

    #[test]
    fn an_update_must_change_something() {
        assert_eq!(
            violations(&UPDATE_TICKET, r#"{"ticketId":"T"}"#),
            vec![v("", "body must have at least one of 'status', 'priority', 'categoryId' or 'assignedTo'")]
        );
        assert_eq!(
            violations(&UPDATE_TICKET, r#"{"status":"Open"}"#),
            vec![v("/ticketId", "body must have required property 'ticketId'")]
        );
    }
}
