//! Send message or private note — `PUT /api/message` → `200 { message, ticket, sender }`
//! (CONTRACT §1.3; the heading says PUT, the examples POST: the heading is normative).

use crate::operation::{CrossFieldCheck, Input, Method, Operation, Relaying, RetrySafety};
use crate::provider::Provider;
use crate::rules::{field, formatted, kept, required, Format, Rule, Shape, NON_EMPTY_TEXT, TEXT};
use crate::value::{Object, Value};
use crate::violation::{Keyword, Pointer, Violations};

/// The operation.
pub const SEND_MESSAGE: Operation = Operation {
    provider: Provider::Mava,
    name: "sendMessage",
    method: Method::Put,
    path: "/api/message",
    input: Input::Body(&INPUT),
    checks: &[CrossFieldCheck { reads: &["content", "attachments"], check: content_or_attachments }],
    safety: RetrySafety::Unsafe,
    idempotency_key: false,
    reshape: None,
    // An external message reaches the customer as the team's own words (CONTRACT §6).
    relaying: Relaying::BUSINESS_ONLY,
};

pub(crate) const ATTACHMENT: Shape = Shape {
    name: "MavaMessageAttachment",
    doc: kept("A file sent with a message."),
    variants: &[],
    fields: &[
        required("fileName", NON_EMPTY_TEXT).doc("The display name."),
        required("url", formatted(Format::HttpUrl)).doc("A public absolute http(s) URL."),
        required("fileType", formatted(Format::MimeType)).doc("The MIME type, `type/subtype`."),
    ],
};

/// The input.
pub const INPUT: Shape = Shape {
    name: "MavaSendMessageInput",
    doc: kept("Input of `MavaClient.sendMessage`: `content` or `attachments` (or both)."),
    variants: &[],
    fields: &[
        required("ticketId", TEXT).doc("The ticket to write to."),
        field("content", TEXT).doc("The message text."),
        field("messageType", Rule::Enum(&["ExternalMessage", "InternalNote"]))
            .doc("`ExternalMessage` (the default) reaches the customer; `InternalNote` stays with the team."),
        field("attachments", Rule::List { max: None, item: &Rule::Object(&ATTACHMENT) }).doc("Files at public URLs."),
    ],
};

/// The server answers "Content or attachments are required" otherwise.
fn content_or_attachments(input: &Object, out: &mut Violations) {
    let has_content = matches!(input.get("content"), Some(Value::String(s)) if !s.is_empty());
    let has_attachments = matches!(input.get("attachments"), Some(Value::Array(a)) if !a.is_empty());
    if !has_content && !has_attachments {
        out.add(&Pointer::default(), None, Keyword::AnyNonEmpty(&["content", "attachments"]));
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
    fn doc_external_message_is_sent_with_put_to_the_gateway() {
        let r = prepared(
            &SEND_MESSAGE,
            r#"{"ticketId": "TICKET_ID", "content": "Thanks for reaching out! We will look into this right away.", "messageType": "ExternalMessage"}"#,
        );
        assert_eq!((r.method.as_str(), r.url.as_str()), ("PUT", "https://gateway.mava.app/api/message"));
        assert_eq!(
            r.headers,
            vec![("x-auth-token".into(), "YOUR_API_KEY".into()), ("content-type".into(), "application/json".into())]
        );
        assert_eq!(
            r.body.as_deref(),
            Some(
                r#"{"ticketId":"TICKET_ID","content":"Thanks for reaching out! We will look into this right away.","messageType":"ExternalMessage"}"#
            )
        );
    }

    #[test]
    fn doc_internal_note() {
        let r = prepared(
            &SEND_MESSAGE,
            r#"{"ticketId": "TICKET_ID", "content": "Customer has been flagged as a premium user, prioritise this ticket.", "messageType": "InternalNote"}"#,
        );
        assert_eq!(
            r.body.as_deref(),
            Some(
                r#"{"ticketId":"TICKET_ID","content":"Customer has been flagged as a premium user, prioritise this ticket.","messageType":"InternalNote"}"#
            )
        );
    }

    #[test]
    fn ticket_id_is_required() {
        assert_eq!(
            violations(&SEND_MESSAGE, r#"{"content": "hi"}"#),
            vec![v("/ticketId", "body must have required property 'ticketId'")]
        );
    }

    #[test]
    fn content_or_a_non_empty_attachment_list_is_required() {
        let want = vec![v("", "body must have a non-empty 'content' or 'attachments'")];
        assert_eq!(violations(&SEND_MESSAGE, r#"{"ticketId": "T"}"#), want);
        assert_eq!(violations(&SEND_MESSAGE, r#"{"ticketId": "T", "content": "", "attachments": []}"#), want);
        let file = r#"{"fileName": "a.pdf", "url": "https://cdn.example.com/a.pdf", "fileType": "application/pdf"}"#;
        assert_eq!(violations(&SEND_MESSAGE, &format!(r#"{{"ticketId": "T", "attachments": [{file}]}}"#)), vec![]);
    }

    #[test]
    fn message_type_is_one_of_two() {
        assert_eq!(
            violations(&SEND_MESSAGE, r#"{"ticketId": "T", "content": "x", "messageType": "Note"}"#),
            vec![v("/messageType", "body/messageType must be equal to one of the allowed values")]
        );
    }

    #[test]
    fn attachments_need_file_name_absolute_url_and_mime_type() {
        assert_eq!(
            violations(
                &SEND_MESSAGE,
                r#"{"ticketId": "T", "attachments": [{"fileName": "a", "url": "/a.pdf", "fileType": "pdf"}, {}]}"#
            ),
            vec![
                v("/attachments/0/url", "body/attachments/0/url must be an absolute http(s) URL"),
                v("/attachments/0/fileType", "body/attachments/0/fileType must be a MIME type (type/subtype)"),
                v("/attachments/1/fileName", "body/attachments/1 must have required property 'fileName'"),
                v("/attachments/1/url", "body/attachments/1 must have required property 'url'"),
                v("/attachments/1/fileType", "body/attachments/1 must have required property 'fileType'"),
            ]
        );
    }
}
