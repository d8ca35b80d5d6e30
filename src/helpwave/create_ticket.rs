//! Create ticket (conversation) — `POST /api/v1/tickets` → `{ success, ticket }` (CONTRACT §2.1).

use super::NUMERIC_ID;
use crate::operation::{Input, Method, Operation, Provider, Relaying, RetrySafety, TicketRole};
use crate::rules::{field, formatted, required, Field, Format, Rule, EMAIL, MAX_SAFE_INTEGER, NON_EMPTY_TEXT, TEXT};
use serde::{Deserialize, Serialize};

/// The operation.
pub const CREATE_TICKET: Operation = Operation {
    provider: Provider::HelpWave,
    name: "createTicket",
    method: Method::Post,
    path: "/api/v1/tickets",
    input: Input::Body(FIELDS),
    checks: &[],
    // Nothing makes a repeat safe: a second conversation would be opened.
    safety: RetrySafety::Unsafe,
    idempotency_key: false,
    reshape: None,
    relaying: Relaying { ticket: TicketRole::Creates(&["ticket", "id"]), ..Relaying::FOR_VISITORS },
};

/// The field table (the API mixes `Channel`, `contact_reason` and `isOpenedTicket` spellings).
pub const FIELDS: &[Field] = &[
    required("customerId", NUMERIC_ID),
    required("Channel", NON_EMPTY_TEXT),
    field("name", TEXT),
    field("threadId", TEXT),
    field("emailUsed", EMAIL),
    field("date", formatted(Format::DateTime)),
    field("lastMessage", TEXT),
    field("lastMessageTime", formatted(Format::DateTime)),
    field("contact_reason", TEXT),
    field("assigned_to", NUMERIC_ID),
    field("isOpenedTicket", Rule::Bool),
    field("unReadChatCount", Rule::Integer { min: 0, max: MAX_SAFE_INTEGER }),
    field("tags", Rule::List { max: None, item: &TEXT }),
    field("language_code", TEXT),
    field("via", TEXT),
];

/// Input of `HelpWaveClient.createTicket`: a conversation for an existing customer.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HelpWaveCreateTicketInput {
    /// The customer: a positive integer, or its digits as a string.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number | string"))]
    pub customer_id: String,
    /// `Mail`, `Website`, `Facebook`, `Instagram`, `Helpwave`, … (the list is open).
    #[serde(rename = "Channel")]
    pub channel: String,
    /// Conversation name or subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Thread id, for email conversations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<String>,
    /// The email address used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_used: Option<String>,
    /// ISO 8601 date-time (server default: now).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The first or latest message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_message: Option<String>,
    /// ISO 8601 date-time of `lastMessage` (server default: now).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_message_time: Option<String>,
    /// Why the customer got in touch.
    #[serde(rename = "contact_reason", skip_serializing_if = "Option::is_none")]
    pub contact_reason: Option<String>,
    /// The user to assign: a positive integer, or its digits as a string.
    #[serde(rename = "assigned_to", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number | string"))]
    pub assigned_to: Option<String>,
    /// Whether to open a HumanTicket.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_opened_ticket: Option<bool>,
    /// Unread message count (an integer ≥ 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub un_read_chat_count: Option<u32>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Language code.
    #[serde(rename = "language_code", skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
    /// Via field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

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
