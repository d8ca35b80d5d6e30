//! Send message: a comment — `POST /api/v1/tickets/{ticketId}/comments` (CONTRACT §2.3). The
//! SDK's input is flat: `ticketId` goes into the path (percent-encoded), the rest is the body.

use super::TICKET_ID;
use crate::operation::{Input, Method, Operation, Relaying, RetrySafety, StaffField, TicketRole};
use crate::provider::Provider;
use crate::rules::{field, formatted, kept, required, Format, Rule, Shape, EMAIL, TEXT};

/// The operation.
pub const SEND_MESSAGE: Operation = Operation {
    provider: Provider::HelpWave,
    name: "sendMessage",
    method: Method::Post,
    path: "/api/v1/tickets/{ticketId}/comments",
    input: Input::Body(&INPUT),
    checks: &[],
    safety: RetrySafety::Unsafe,
    idempotency_key: false,
    reshape: None,
    relaying: Relaying {
        ticket: TicketRole::ActsOn("ticketId"),
        // HelpWave's default is `true`, the shop: a visitor's comment says `false`.
        staff_field: Some(StaffField { name: "isFromShop", staff_text: None, visitor_value: Some(false) }),
        visitor_fields: Some(&["ticketId", "text", "isFromShop"]),
        ..Relaying::WHEN_LISTED
    },
};

/// The input.
pub const INPUT: Shape = Shape {
    name: "HelpWaveSendMessageInput",
    doc: kept("Input of `HelpWaveClient.sendMessage`: a comment on a ticket."),
    variants: &[],
    fields: &[
        required("ticketId", TICKET_ID).doc("The ticket, as the string of digits HelpWave returned."),
        required("text", formatted(Format::NonBlank)).doc("The comment."),
        field("time", formatted(Format::DateTime)).doc("When it was written."),
        field("subject", TEXT).doc("Subject."),
        field("fromEmail", EMAIL).doc("Sender email."),
        field("toEmails", Rule::List { max: None, item: &EMAIL }).doc("Recipient emails."),
        field("tags", Rule::List { max: None, item: &TEXT }).doc("Tags."),
        field("Channel", TEXT).doc("The channel (defaults to the conversation's)."),
        field("isFromShop", Rule::Bool).doc("Whether the shop wrote it (default true)."),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helpwave::tests::{prepared, violations};
    use crate::vector::expect;

    const E: &str = "VALIDATION_ERROR";

    #[test]
    fn the_ticket_id_goes_into_the_path_unchanged_and_the_rest_into_the_body() {
        let r = prepared(&SEND_MESSAGE, r#"{"ticketId":"987654321012345678","text":"Refund sent.","isFromShop":true}"#);
        assert_eq!(
            (r.method.as_str(), r.url.as_str()),
            ("POST", "https://api.helpwave.example/api/v1/tickets/987654321012345678/comments")
        );
        assert_eq!(r.body.as_deref(), Some(r#"{"text":"Refund sent.","isFromShop":true}"#));
    }

    #[test]
    fn the_ticket_id_is_a_digit_string_never_a_number() {
        assert_eq!(
            violations(&SEND_MESSAGE, r#"{"ticketId":987654321012345678,"text":"x"}"#),
            vec![expect("/ticketId", E, "body/ticketId must be string")]
        );
        assert_eq!(
            violations(&SEND_MESSAGE, r#"{"ticketId":"12/../34","text":"x"}"#),
            vec![expect("/ticketId", E, "body/ticketId must match pattern \"^[0-9]+$\"")]
        );
        assert_eq!(
            violations(&SEND_MESSAGE, r#"{"text":"x"}"#),
            vec![expect("/ticketId", E, "body must have required property 'ticketId'")]
        );
    }

    #[test]
    fn text_is_required_and_not_blank() {
        assert_eq!(
            violations(&SEND_MESSAGE, r#"{"ticketId":"1"}"#),
            vec![expect("/text", E, "body must have required property 'text'")]
        );
        assert_eq!(
            violations(&SEND_MESSAGE, r#"{"ticketId":"1","text":" \n "}"#),
            vec![expect("/text", E, "body/text must NOT be blank")]
        );
    }

    #[test]
    fn time_emails_tags_channel_and_flag() {
        assert_eq!(
            violations(
                &SEND_MESSAGE,
                r#"{"ticketId":"1","text":"x","time":"noon","subject":1,"fromEmail":"shop","toEmails":["a@b.co","nope"],"tags":[1],"Channel":1,"isFromShop":"yes"}"#
            ),
            vec![
                expect("/time", E, "body/time must match format \"date-time\""),
                expect("/subject", E, "body/subject must be string"),
                expect("/fromEmail", E, "body/fromEmail must match format \"email\""),
                expect("/toEmails/1", E, "body/toEmails/1 must match format \"email\""),
                expect("/tags/0", E, "body/tags/0 must be string"),
                expect("/Channel", E, "body/Channel must be string"),
                expect("/isFromShop", E, "body/isFromShop must be boolean"),
            ]
        );
    }
}
