//! Send message: respond — `POST /api/v1/tickets/respond` with an `Idempotency-Key`
//! → `{ ok, data: { ticket_id, response_id, reopened } }` (CONTRACT §3.3).

use crate::operation::{Input, Method, Operation, Relaying, RetrySafety, StaffField, TicketRole};
use crate::provider::Provider;
use crate::rules::{field, kept, required, Format, Rule, Shape, EMAIL, NON_EMPTY_TEXT};

/// The operation.
pub const SEND_MESSAGE: Operation = Operation {
    provider: Provider::Tickiti,
    name: "sendMessage",
    method: Method::Post,
    path: "/api/v1/tickets/respond",
    input: Input::Body(&INPUT),
    checks: &[],
    safety: RetrySafety::Idempotent,
    idempotency_key: true,
    reshape: None,
    relaying: Relaying {
        ticket: TicketRole::ActsOn("ticket_number"),
        staff_field: Some(StaffField { name: "is_internal", staff_text: None, visitor_value: None }),
        visitor_fields: Some(&["ticket_number", "content", "is_internal"]),
        ..Relaying::WHEN_LISTED
    },
};

/// A ticket number: six digits, as a number or a string.
const TICKET_NUMBER: Rule = Rule::Either(
    &Rule::Integer { min: 100_000, max: 999_999 },
    &Rule::Text { min: 6, max: Some(6), format: Some(Format::Digits) },
);

/// The input.
pub const INPUT: Shape = Shape {
    name: "TickitiSendMessageInput",
    doc: kept("Input of `TickitiClient.sendMessage`: a response on a ticket."),
    variants: &[],
    fields: &[
        required("ticket_number", TICKET_NUMBER).doc("The ticket number."),
        required("content", NON_EMPTY_TEXT).doc("The response (HTML allowed)."),
        field("from_email", EMAIL).doc("Who it is from."),
        field("is_internal", Rule::Bool).doc("A staff-only note (default false)."),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tickiti::tests::{prepared, violations};
    use crate::vector::expect;

    const E: &str = "validation_failed";

    #[test]
    fn a_response_carries_bearer_auth_and_the_idempotency_key() {
        let body = r#"{"ticket_number":482113,"content":"<p>We have shipped a replacement.</p>","from_email":"agent@sole-provider.example","is_internal":false}"#;
        let r = prepared(&SEND_MESSAGE, Some("k-1"), body);
        assert_eq!(
            (r.method.as_str(), r.url.as_str()),
            ("POST", "https://support.sole-provider.example/api/v1/tickets/respond")
        );
        assert_eq!(r.header("authorization"), Some("Bearer TOKEN"));
        assert_eq!(r.header("idempotency-key"), Some("k-1"));
        assert_eq!(r.body.as_deref(), Some(body));
    }

    #[test]
    fn the_ticket_number_is_six_digits_as_a_number_or_a_string() {
        let with = |n: &str| format!(r#"{{"ticket_number":{n},"content":"x"}}"#);
        for ok in ["482113", r#""482113""#, r#""012345""#] {
            assert_eq!(violations(&SEND_MESSAGE, &with(ok)), vec![], "{ok}");
        }
        let cases = [
            ("12345", "body/ticket_number must be >= 100000"),
            ("1234567", "body/ticket_number must be <= 999999"),
            (r#""12345""#, "body/ticket_number must NOT have fewer than 6 characters"),
            (r#""1234567""#, "body/ticket_number must NOT have more than 6 characters"),
            (r#""48211a""#, "body/ticket_number must match pattern \"^[0-9]+$\""),
            ("true", "body/ticket_number must be integer,string"),
        ];
        for (n, message) in cases {
            assert_eq!(violations(&SEND_MESSAGE, &with(n)), vec![expect("/ticket_number", E, message)], "{n}");
        }
    }

    #[test]
    fn content_is_required_and_the_rest_typed() {
        assert_eq!(
            violations(&SEND_MESSAGE, r#"{"ticket_number":482113,"from_email":"agent","is_internal":"no"}"#),
            vec![
                expect("/from_email", E, "body/from_email must match format \"email\""),
                expect("/is_internal", E, "body/is_internal must be boolean"),
                expect("/content", E, "body must have required property 'content'"),
            ]
        );
        assert_eq!(
            violations(&SEND_MESSAGE, r#"{"ticket_number":482113,"content":""}"#),
            vec![expect("/content", E, "body/content must NOT have fewer than 1 characters")]
        );
    }
}
