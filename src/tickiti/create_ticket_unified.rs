//! Unified create — `POST /api/tickets/create` → `ticket_number`, `ticket_id`, `secure_id`
//! (CONTRACT §3.2: no templates, no interventions, no idempotency key).

use crate::operation::{Input, Method, Operation, Relaying, RetrySafety, TicketRole};
use crate::provider::Provider;
use crate::rules::{field, kept, required, Rule, Shape, EMAIL, NON_EMPTY_TEXT, TEXT};

/// The operation.
pub const CREATE_TICKET_UNIFIED: Operation = Operation {
    provider: Provider::Tickiti,
    name: "createTicketUnified",
    method: Method::Post,
    path: "/api/tickets/create",
    input: Input::Body(&INPUT),
    checks: &[],
    // No idempotency key: once it may have reached the server it is not repeated.
    safety: RetrySafety::Unsafe,
    idempotency_key: false,
    reshape: None,
    relaying: Relaying {
        ticket: TicketRole::Creates(&["ticket_number"]),
        visitor_fields: Some(&["originator_email_address", "subject", "content"]),
        takes_ticket_defaults: true,
        ..Relaying::FOR_VISITORS
    },
};

/// The input (the contract's decision; the list is not published).
pub const INPUT: Shape = Shape {
    name: "TickitiCreateTicketUnifiedInput",
    doc: kept("Input of `TickitiClient.createTicketUnified`: flat fields, and the new ticket's ids back."),
    variants: &[],
    fields: &[
        required("originator_email_address", EMAIL).doc("The customer the ticket is filed for."),
        field("subject", TEXT).doc("Subject."),
        required("content", NON_EMPTY_TEXT).doc("The first message."),
        field("queue_name", TEXT).doc("A non-default queue."),
        field("is_public", Rule::Bool).doc("Whether the first response is public."),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tickiti::tests::{prepared, violations};
    use crate::vector::expect;

    const E: &str = "validation_failed";

    #[test]
    fn flat_fields_with_bearer_auth_and_no_idempotency_key() {
        let body = r#"{"originator_email_address":"marcus@trailblazers-club.example","subject":"Carbon plate cracked","content":"Order SP-2412-0489.","queue_name":"Returns","is_public":false}"#;
        let r = prepared(&CREATE_TICKET_UNIFIED, None, body);
        assert_eq!(
            (r.method.as_str(), r.url.as_str()),
            ("POST", "https://support.sole-provider.example/api/tickets/create")
        );
        assert_eq!(
            r.headers,
            vec![("authorization".into(), "Bearer TOKEN".into()), ("content-type".into(), "application/json".into())]
        );
        assert_eq!(r.body.as_deref(), Some(body));
    }

    #[test]
    fn originator_and_content_are_required() {
        assert_eq!(
            violations(&CREATE_TICKET_UNIFIED, r#"{"subject":"s"}"#),
            vec![
                expect("/originator_email_address", E, "body must have required property 'originator_email_address'"),
                expect("/content", E, "body must have required property 'content'"),
            ]
        );
        assert_eq!(
            violations(
                &CREATE_TICKET_UNIFIED,
                r#"{"originator_email_address":"x","content":"","subject":1,"queue_name":1,"is_public":0}"#
            ),
            vec![
                expect("/originator_email_address", E, "body/originator_email_address must match format \"email\""),
                expect("/content", E, "body/content must NOT have fewer than 1 characters"),
                expect("/subject", E, "body/subject must be string"),
                expect("/queue_name", E, "body/queue_name must be string"),
                expect("/is_public", E, "body/is_public must be boolean"),
            ]
        );
    }

    #[test]
    fn templates_and_interventions_are_not_fields_here() {
        assert_eq!(
            violations(
                &CREATE_TICKET_UNIFIED,
                r#"{"originator_email_address":"a@b.co","content":"c","template_identifier":"t"}"#
            ),
            vec![expect("/template_identifier", E, "body must NOT have additional properties 'template_identifier'")]
        );
    }
}
