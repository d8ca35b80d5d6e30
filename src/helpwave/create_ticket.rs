//! Create ticket (conversation) — `POST /api/v1/tickets` → `{ success, ticket }` (CONTRACT §2.1).

use super::NUMERIC_ID;
use crate::operation::{CustomerRole, Input, Method, Operation, Relaying, RetrySafety, TicketRole};
use crate::provider::Provider;
use crate::rules::{
    field, formatted, kept, required, Format, Rule, Shape, EMAIL, MAX_SAFE_INTEGER, NON_EMPTY_TEXT, TEXT,
};

/// The operation.
pub const CREATE_TICKET: Operation = Operation {
    provider: Provider::HelpWave,
    name: "createTicket",
    method: Method::Post,
    path: "/api/v1/tickets",
    input: Input::Body(&INPUT),
    checks: &[],
    // Nothing makes a repeat safe: a second conversation would be opened.
    safety: RetrySafety::Unsafe,
    idempotency_key: false,
    reshape: None,
    relaying: Relaying {
        ticket: TicketRole::Creates(&["ticket", "id"]),
        customer: CustomerRole::Names("customerId"),
        visitor_fields: Some(&["customerId", "Channel", "name", "lastMessage", "emailUsed", "language_code"]),
        takes_ticket_defaults: true,
        ..Relaying::FOR_VISITORS
    },
};

/// The input (the API mixes `Channel`, `contact_reason` and `isOpenedTicket` spellings).
pub const INPUT: Shape = Shape {
    name: "HelpWaveCreateTicketInput",
    doc: kept("Input of `HelpWaveClient.createTicket`: a conversation for an existing customer."),
    variants: &[],
    fields: &[
        required("customerId", NUMERIC_ID).doc("The customer."),
        required("Channel", NON_EMPTY_TEXT)
            .doc("`Mail`, `Website`, `Facebook`, `Instagram`, `Helpwave`, … (the list is open)."),
        field("name", TEXT).doc("Conversation name or subject."),
        field("threadId", TEXT).doc("Thread id, for email conversations."),
        field("emailUsed", EMAIL).doc("The email address used."),
        field("date", formatted(Format::DateTime)).doc("When it started (server default: now)."),
        field("lastMessage", TEXT).doc("The first or latest message."),
        field("lastMessageTime", formatted(Format::DateTime))
            .doc("When `lastMessage` was written (server default: now)."),
        field("contact_reason", TEXT).doc("Why the customer got in touch."),
        field("assigned_to", NUMERIC_ID).doc("The user to assign."),
        field("isOpenedTicket", Rule::Bool).doc("Whether to open a HumanTicket."),
        field("unReadChatCount", Rule::Integer { min: 0, max: MAX_SAFE_INTEGER }).doc("Unread message count."),
        field("tags", Rule::List { max: None, item: &TEXT }).doc("Tags."),
        field("language_code", TEXT).doc("Language code."),
        field("via", TEXT).doc("Via field."),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helpwave::tests::{prepared, violations};
    use crate::vector::expect;

    const E: &str = "VALIDATION_ERROR";

    #[test]
    fn doc_example_prepares_exactly() {
        // sources/helpwave-create-ticket.md, "JSON body".
        let body = r#"{"customerId":123,"Channel":"Mail","name":"Refund request","threadId":"thread-001","emailUsed":"support@example.com","lastMessage":"Hello, I need a refund.","contact_reason":"refund","assigned_to":45,"isOpenedTicket":true,"unReadChatCount":1,"tags":["refund","vip"],"language_code":"en","via":"api"}"#;
        let r = prepared(&CREATE_TICKET, body);
        assert_eq!((r.method.as_str(), r.url.as_str()), ("POST", "https://api.helpwave.example/api/v1/tickets"));
        assert_eq!(
            r.headers,
            vec![("x-api-key".into(), "YOUR_API_KEY".into()), ("content-type".into(), "application/json".into())]
        );
        assert_eq!(r.body.as_deref(), Some(body));
    }

    #[test]
    fn customer_id_and_channel_are_required() {
        assert_eq!(
            violations(&CREATE_TICKET, r#"{"name":"x"}"#),
            vec![
                expect("/customerId", E, "body must have required property 'customerId'"),
                expect("/Channel", E, "body must have required property 'Channel'"),
            ]
        );
        assert_eq!(
            violations(&CREATE_TICKET, r#"{"customerId":1,"Channel":""}"#),
            vec![expect("/Channel", E, "body/Channel must NOT have fewer than 1 characters")]
        );
    }

    #[test]
    fn ids_take_a_positive_safe_integer_or_a_digit_string() {
        for ok in ["123", r#""123""#, "9007199254740991", r#""987654321012345678""#] {
            let input = format!(r#"{{"customerId":{ok},"Channel":"Mail","assigned_to":{ok}}}"#);
            assert_eq!(violations(&CREATE_TICKET, &input), vec![], "{ok}");
        }
        assert_eq!(
            violations(&CREATE_TICKET, r#"{"customerId":0,"Channel":"Mail","assigned_to":1.5}"#),
            vec![
                expect("/customerId", E, "body/customerId must be >= 1"),
                expect("/assigned_to", E, "body/assigned_to must be integer")
            ]
        );
        assert_eq!(
            violations(&CREATE_TICKET, r#"{"customerId":9007199254740992,"Channel":"Mail","assigned_to":"12a"}"#),
            vec![
                expect("/customerId", E, "body/customerId must be <= 9007199254740991"),
                expect("/assigned_to", E, "body/assigned_to must match pattern \"^[0-9]+$\""),
            ]
        );
        assert_eq!(
            violations(&CREATE_TICKET, r#"{"customerId":true,"Channel":"Mail"}"#),
            vec![expect("/customerId", E, "body/customerId must be integer,string")]
        );
    }

    #[test]
    fn a_digit_string_is_sent_as_given() {
        let r = prepared(&CREATE_TICKET, r#"{"customerId":"00123","Channel":"Website"}"#);
        assert_eq!(r.body.as_deref(), Some(r#"{"customerId":"00123","Channel":"Website"}"#));
    }

    #[test]
    fn email_dates_flags_counts_and_tags() {
        assert_eq!(
            violations(
                &CREATE_TICKET,
                r#"{"customerId":1,"Channel":"Mail","emailUsed":"support","date":"2026-05-14","lastMessageTime":"yesterday",
                    "isOpenedTicket":"true","unReadChatCount":-1,"tags":["a",2]}"#
            ),
            vec![
                expect("/emailUsed", E, "body/emailUsed must match format \"email\""),
                expect("/date", E, "body/date must match format \"date-time\""),
                expect("/lastMessageTime", E, "body/lastMessageTime must match format \"date-time\""),
                expect("/isOpenedTicket", E, "body/isOpenedTicket must be boolean"),
                expect("/unReadChatCount", E, "body/unReadChatCount must be >= 0"),
                expect("/tags/1", E, "body/tags/1 must be string"),
            ]
        );
        assert_eq!(
            violations(
                &CREATE_TICKET,
                r#"{"customerId":1,"Channel":"Mail","date":"2026-05-14T12:00:00Z","lastMessageTime":"2026-05-14T12:00:00.5+02:00"}"#
            ),
            vec![]
        );
    }

    #[test]
    fn text_fields_are_strings_and_unknown_fields_get_a_hint() {
        assert_eq!(
            violations(
                &CREATE_TICKET,
                r#"{"customerId":1,"Channel":"Mail","name":1,"threadId":1,"lastMessage":1,"contact_reason":1,"language_code":1,"via":1,"channel":"x"}"#
            ),
            vec![
                expect("/name", E, "body/name must be string"),
                expect("/threadId", E, "body/threadId must be string"),
                expect("/lastMessage", E, "body/lastMessage must be string"),
                expect("/contact_reason", E, "body/contact_reason must be string"),
                expect("/language_code", E, "body/language_code must be string"),
                expect("/via", E, "body/via must be string"),
                expect("/channel", E, "body must NOT have additional properties 'channel'; did you mean 'Channel'?"),
            ]
        );
    }
}
