//! Create ticket — `POST /api/ticket` → `201 { ticket }` (CONTRACT §1.1).

use super::{PRIORITY, STATUS};
use crate::operation::{CrossFieldCheck, CustomerRole, Input, Method, Operation, Relaying, RetrySafety, TicketRole};
use crate::provider::Provider;
use crate::rules::{
    field, formatted, kept, required, text_max, Format, Rule, Shape, EMAIL, NON_EMPTY_TEXT, OBJECT_ID, TEXT,
};
use crate::value::{Object, Value};
use crate::violation::{Keyword, Pointer, Violations};

/// The operation.
pub const CREATE_TICKET: Operation = Operation {
    provider: Provider::Mava,
    name: "createTicket",
    method: Method::Post,
    path: "/api/ticket",
    input: Input::Body(&INPUT),
    checks: &[CrossFieldCheck { reads: MODES, check: exactly_one_customer_mode }],
    // "Failure rolls back the entire request": a 500 wrote nothing.
    safety: RetrySafety::RolledBackOn500,
    idempotency_key: false,
    reshape: None,
    relaying: Relaying {
        ticket: TicketRole::Creates(&["ticket", "_id"]),
        customer: CustomerRole::Names("customerId"),
        // A customer's attributes are the business's: a visitor naming someone's email must not
        // rewrite that customer's record.
        visitor_fields: Some(&[
            "customerId",
            "customer.name",
            "customer.email",
            "customer.walletAddress",
            "message",
            "sourceType",
        ]),
        takes_ticket_defaults: true,
        ..Relaying::FOR_VISITORS
    },
};

const SOURCE_TYPES: &[&str] = &["web", "discord", "telegram", "twitter", "email"];
const ATTACHMENT_TYPES: &[&str] = &["Image", "Video", "Audio", "Voice", "Animation", "File"];

pub(crate) const ATTRIBUTE: Shape = Shape {
    name: "MavaAttributeInput",
    doc: kept("A custom attribute value: `{ attribute: <ObjectId>, content }`."),
    variants: &[],
    fields: &[
        required("attribute", OBJECT_ID).doc("The attribute's ObjectId."),
        required("content", TEXT).doc("Its value."),
    ],
};
const ATTRIBUTES: Rule = Rule::List { max: Some(30), item: &Rule::Object(&ATTRIBUTE) };

pub(crate) const CUSTOMER: Shape = Shape {
    name: "MavaCustomerInput",
    doc: kept("A customer to find or create: `email` or `walletAddress` is required."),
    variants: &[],
    fields: &[
        field("name", TEXT).doc("Display name, applied only when the customer is created."),
        field("email", EMAIL).doc("Looked up first."),
        field("walletAddress", formatted(Format::WalletAddress)).doc("Looked up when there is no email."),
        field("attributes", ATTRIBUTES).doc("Custom attributes."),
    ],
};

pub(crate) const ATTACHMENT: Shape = Shape {
    name: "MavaAttachmentInput",
    doc: kept("A file in Mava's S3 storage."),
    variants: &[],
    fields: &[
        required("url", formatted(Format::MavaAttachmentUrl)).code("INVALID_ATTACHMENT_URL").doc("Where the file is."),
        required("fileName", NON_EMPTY_TEXT).doc("The original file name."),
        field("fileSize", Rule::Number { min: Some(0.0) }).doc("Size in bytes."),
        field("type", Rule::Enum(ATTACHMENT_TYPES)).doc("What kind of file it is."),
    ],
};

pub(crate) const MESSAGE: Shape = Shape {
    name: "MavaInitialMessageInput",
    doc: kept("The first message of a new ticket."),
    variants: &[],
    fields: &[
        required("content", text_max(10_000)).doc("The text."),
        field("attachments", Rule::List { max: Some(10), item: &Rule::Object(&ATTACHMENT) })
            .doc("Files already uploaded to Mava's storage."),
    ],
};

/// The input.
pub const INPUT: Shape = Shape {
    name: "MavaCreateTicketInput",
    doc: kept("Input of `MavaClient.createTicket`: exactly one of `customerId` / `customer`."),
    variants: &[],
    fields: &[
        field("customerId", OBJECT_ID).doc("An existing customer."),
        field("customer", Rule::Object(&CUSTOMER)).doc("Find-or-create by email or wallet."),
        field("status", STATUS).doc("Initial status (server default `Open`)."),
        field("priority", PRIORITY).doc("`1` low, `2` medium, `3` high (server default `2`)."),
        field("sourceType", Rule::Enum(SOURCE_TYPES)).doc("Where the ticket came from (server default `web`)."),
        field("assignedTo", OBJECT_ID).doc("Agent id (from `listAgents`)."),
        field("category", OBJECT_ID).doc("A category."),
        field("tags", Rule::List { max: Some(20), item: &OBJECT_ID }).doc("Tag ids."),
        field("emailSubjectLine", text_max(998)).doc("Email subject."),
        field("attributes", ATTRIBUTES).doc("Ticket attributes."),
        field("message", Rule::Object(&MESSAGE)).doc("The first customer message."),
        field("silent", Rule::Bool).doc("Suppresses notifications and automations (forces the next two to false)."),
        field("notify", Rule::Bool).doc("In-app notification for the assigned agent (server default true)."),
        field("triggerAutomations", Rule::Bool).doc("Runs automations with the initial message (server default true)."),
    ],
};

const MODE: Option<&str> = Some("INVALID_CUSTOMER_MODE");
/// The two ways to name the customer.
const MODES: &[&str] = &["customerId", "customer"];

/// Exactly one of `customerId` / `customer`, and a `customer` names an email or a wallet.
fn exactly_one_customer_mode(input: &Object, out: &mut Violations) {
    let root = Pointer::default();
    match (input.get("customerId"), input.get("customer")) {
        (Some(_), Some(_)) => out.add_worded(
            &root,
            MODE,
            Keyword::ExactlyOne(MODES),
            format!("{}, not both", Keyword::ExactlyOne(MODES).words()),
        ),
        (None, None) => out.add(&root, MODE, Keyword::ExactlyOne(MODES)),
        (None, Some(Value::Object(customer)))
            if customer.get("email").is_none() && customer.get("walletAddress").is_none() =>
        {
            out.add(&root.child("customer"), MODE, Keyword::AnyRequired(&["email", "walletAddress"]))
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mava::tests::{prepared, violations, Expect};

    fn v(path: &str, code: &str, message: &str) -> Expect {
        (path.to_owned(), code.to_owned(), message.to_owned())
    }

    // Vectors: every example of sources/mava-create-ticket.md.

    #[test]
    fn doc_minimal_with_existing_customer() {
        let r = prepared(&CREATE_TICKET, r#"{"customerId": "645abc1234567890abcdef12"}"#);
        assert_eq!((r.method.as_str(), r.url.as_str()), ("POST", "https://gateway.mava.app/api/ticket"));
        assert_eq!(
            r.headers,
            vec![("x-auth-token".into(), "YOUR_API_KEY".into()), ("content-type".into(), "application/json".into())]
        );
        assert_eq!(r.body.as_deref(), Some(r#"{"customerId":"645abc1234567890abcdef12"}"#));
    }

    #[test]
    fn doc_find_or_create_by_email_with_message() {
        let r = prepared(
            &CREATE_TICKET,
            r#"{"customer": {"email": "jane@example.com", "name": "Jane Doe"}, "priority": 3,
                "message": {"content": "I cannot log in to my account."}}"#,
        );
        assert_eq!(
            r.body.as_deref(),
            Some(
                r#"{"customer":{"email":"jane@example.com","name":"Jane Doe"},"priority":3,"message":{"content":"I cannot log in to my account."}}"#
            )
        );
    }

    const FULL_PAYLOAD: &str = r#"{
        "customerId": "645abc1234567890abcdef12", "status": "Open", "priority": 3, "sourceType": "email",
        "assignedTo": "645ghi1234567890abcdef34", "category": "645jkl1234567890abcdef56",
        "tags": ["645mno1234567890abcdef78"], "emailSubjectLine": "Refund request — order #1234",
        "message": {"content": "Please see attached receipt.", "attachments": [{
            "url": "https://s3.eu-central-1.amazonaws.com/app.mava.container.2/receipt.jpg",
            "fileName": "receipt.jpg", "fileSize": 30106, "type": "Image"}]}}"#;

    #[test]
    fn doc_full_payload_is_refused_for_its_placeholder_ids() {
        let pattern = "must match pattern \"^[0-9a-fA-F]{24}$\"";
        assert_eq!(
            violations(&CREATE_TICKET, FULL_PAYLOAD),
            vec![
                v("/assignedTo", "VALIDATION_ERROR", &format!("body/assignedTo {pattern}")),
                v("/category", "VALIDATION_ERROR", &format!("body/category {pattern}")),
                v("/tags/0", "VALIDATION_ERROR", &format!("body/tags/0 {pattern}")),
            ]
        );
    }

    #[test]
    fn doc_full_payload_with_hex_ids_prepares_exactly() {
        let input = FULL_PAYLOAD.replace("645ghi", "645def").replace("645jkl", "645fed").replace("645mno", "645bcd");
        let r = prepared(&CREATE_TICKET, &input);
        assert_eq!(
            r.body.as_deref(),
            Some(concat!(
                r#"{"customerId":"645abc1234567890abcdef12","status":"Open","priority":3,"sourceType":"email","#,
                r#""assignedTo":"645def1234567890abcdef34","category":"645fed1234567890abcdef56","#,
                r#""tags":["645bcd1234567890abcdef78"],"emailSubjectLine":"Refund request — order #1234","#,
                r#""message":{"content":"Please see attached receipt.","attachments":[{"#,
                r#""url":"https://s3.eu-central-1.amazonaws.com/app.mava.container.2/receipt.jpg","#,
                r#""fileName":"receipt.jpg","fileSize":30106,"type":"Image"}]}}"#
            ))
        );
    }

    #[test]
    fn doc_node_create_and_silent_backfill() {
        let r = prepared(
            &CREATE_TICKET,
            r#"{"customer": {"email": "jane@example.com", "name": "Jane Doe"}, "message": {"content": "Hello, I need help with my order."}}"#,
        );
        assert_eq!(
            r.body.as_deref(),
            Some(
                r#"{"customer":{"email":"jane@example.com","name":"Jane Doe"},"message":{"content":"Hello, I need help with my order."}}"#
            )
        );
        let r = prepared(
            &CREATE_TICKET,
            r#"{"customer": {"email": "legacy@example.com"}, "status": "Resolved", "sourceType": "email",
                "message": {"content": "Imported from legacy system."}, "silent": true}"#,
        );
        assert_eq!(
            r.body.as_deref(),
            Some(
                r#"{"customer":{"email":"legacy@example.com"},"status":"Resolved","sourceType":"email","message":{"content":"Imported from legacy system."},"silent":true}"#
            )
        );
    }

    // One test per rule of the table in CONTRACT §1.1.

    #[test]
    fn customer_mode_is_exactly_one() {
        let mode = "INVALID_CUSTOMER_MODE";
        assert_eq!(
            violations(&CREATE_TICKET, r#"{"priority": 1}"#),
            vec![v("", mode, "body must have exactly one of 'customerId' or 'customer'")]
        );
        assert_eq!(
            violations(
                &CREATE_TICKET,
                r#"{"customerId": "645abc1234567890abcdef12", "customer": {"email": "a@b.co"}}"#
            ),
            vec![v("", mode, "body must have exactly one of 'customerId' or 'customer', not both")]
        );
        assert_eq!(
            violations(&CREATE_TICKET, r#"{"customer": {"name": "Jane"}}"#),
            vec![v("/customer", mode, "body/customer must have required property 'email' or 'walletAddress'")]
        );
        assert_eq!(
            violations(
                &CREATE_TICKET,
                r#"{"customer": {"walletAddress": "0x52908400098527886E0F7030069857D2E4169EE7"}}"#
            ),
            vec![]
        );
    }

    #[test]
    fn customer_fields() {
        assert_eq!(
            violations(&CREATE_TICKET, r#"{"customerId": "645abc1234567890abcdef1"}"#),
            vec![v("/customerId", "VALIDATION_ERROR", "body/customerId must match pattern \"^[0-9a-fA-F]{24}$\"")]
        );
        assert_eq!(
            violations(&CREATE_TICKET, r#"{"customer": {"email": "jane@localhost", "name": 5}}"#),
            vec![
                v("/customer/email", "VALIDATION_ERROR", "body/customer/email must match format \"email\""),
                v("/customer/name", "VALIDATION_ERROR", "body/customer/name must be string"),
            ]
        );
        assert_eq!(
            violations(&CREATE_TICKET, r#"{"customer": {"walletAddress": "0x123"}}"#),
            vec![v(
                "/customer/walletAddress",
                "VALIDATION_ERROR",
                "body/customer/walletAddress must match pattern \"^0x[0-9a-fA-F]{40}$\""
            )]
        );
        assert_eq!(
            violations(&CREATE_TICKET, r#"{"customer": []}"#),
            vec![v("/customer", "VALIDATION_ERROR", "body/customer must be object")]
        );
    }

    #[test]
    fn attributes_hold_at_most_30_attribute_content_pairs() {
        let attr = r#"{"attribute": "645abc1234567890abcdef12", "content": "Gold"}"#;
        let thirty = [attr; 30].join(",");
        assert_eq!(
            violations(
                &CREATE_TICKET,
                &format!(r#"{{"customerId": "645abc1234567890abcdef12", "attributes": [{thirty}]}}"#)
            ),
            vec![]
        );
        assert_eq!(
            violations(
                &CREATE_TICKET,
                &format!(r#"{{"customerId": "645abc1234567890abcdef12", "attributes": [{thirty},{attr}]}}"#)
            ),
            vec![v("/attributes", "VALIDATION_ERROR", "body/attributes must NOT have more than 30 items")]
        );
        assert_eq!(
            violations(&CREATE_TICKET, r#"{"customer": {"email": "a@b.co", "attributes": [{"attribute": "x"}]}}"#),
            vec![
                v(
                    "/customer/attributes/0/attribute",
                    "VALIDATION_ERROR",
                    "body/customer/attributes/0/attribute must match pattern \"^[0-9a-fA-F]{24}$\""
                ),
                v(
                    "/customer/attributes/0/content",
                    "VALIDATION_ERROR",
                    "body/customer/attributes/0 must have required property 'content'"
                ),
            ]
        );
    }

    #[test]
    fn enums_status_priority_and_source_type() {
        let base = r#""customerId": "645abc1234567890abcdef12""#;
        let allowed = "must be equal to one of the allowed values";
        assert_eq!(
            violations(
                &CREATE_TICKET,
                &format!(r#"{{{base}, "status": "Closed", "priority": 4, "sourceType": "slack"}}"#)
            ),
            vec![
                v("/status", "VALIDATION_ERROR", &format!("body/status {allowed}")),
                v("/priority", "VALIDATION_ERROR", &format!("body/priority {allowed}")),
                v("/sourceType", "VALIDATION_ERROR", &format!("body/sourceType {allowed}")),
            ]
        );
        assert_eq!(
            violations(&CREATE_TICKET, &format!(r#"{{{base}, "priority": "3"}}"#)),
            vec![v("/priority", "VALIDATION_ERROR", "body/priority must be number")]
        );
    }

    #[test]
    fn assigned_to_is_an_agent_id_not_an_email() {
        assert_eq!(
            violations(
                &CREATE_TICKET,
                r#"{"customerId": "645abc1234567890abcdef12", "assignedTo": "agent@example.com"}"#
            ),
            vec![v("/assignedTo", "VALIDATION_ERROR", "body/assignedTo must match pattern \"^[0-9a-fA-F]{24}$\"")]
        );
    }

    #[test]
    fn tags_hold_at_most_20_object_ids() {
        let tag = r#""645abc1234567890abcdef12""#;
        let twenty = [tag; 20].join(",");
        assert_eq!(violations(&CREATE_TICKET, &format!(r#"{{"customerId": {tag}, "tags": [{twenty}]}}"#)), vec![]);
        assert_eq!(
            violations(&CREATE_TICKET, &format!(r#"{{"customerId": {tag}, "tags": [{twenty},{tag}]}}"#)),
            vec![v("/tags", "VALIDATION_ERROR", "body/tags must NOT have more than 20 items")]
        );
    }

    #[test]
    fn email_subject_line_counts_code_points_up_to_998() {
        let ok = format!(r#"{{"customerId": "645abc1234567890abcdef12", "emailSubjectLine": "{}"}}"#, "👍".repeat(998));
        assert_eq!(violations(&CREATE_TICKET, &ok), vec![]);
        let long =
            format!(r#"{{"customerId": "645abc1234567890abcdef12", "emailSubjectLine": "{}"}}"#, "👍".repeat(999));
        assert_eq!(
            violations(&CREATE_TICKET, &long),
            vec![v(
                "/emailSubjectLine",
                "VALIDATION_ERROR",
                "body/emailSubjectLine must NOT have more than 998 characters"
            )]
        );
    }

    #[test]
    fn message_content_is_required_and_at_most_10000_characters() {
        let c = r#""customerId": "645abc1234567890abcdef12""#;
        assert_eq!(
            violations(&CREATE_TICKET, &format!(r#"{{{c}, "message": {{}}}}"#)),
            vec![v("/message/content", "VALIDATION_ERROR", "body/message must have required property 'content'")]
        );
        let exactly = format!(r#"{{{c}, "message": {{"content": "{}"}}}}"#, "👍".repeat(10_000));
        assert_eq!(violations(&CREATE_TICKET, &exactly), vec![]);
        let over = format!(r#"{{{c}, "message": {{"content": "{}"}}}}"#, "a".repeat(10_001));
        assert_eq!(
            violations(&CREATE_TICKET, &over),
            vec![v(
                "/message/content",
                "VALIDATION_ERROR",
                "body/message/content must NOT have more than 10000 characters"
            )]
        );
    }

    #[test]
    fn attachments_at_most_10_each_with_a_storage_url_and_a_file_name() {
        let good = r#"{"url": "https://s3.amazonaws.com/app.mava.x/a.png", "fileName": "a.png"}"#;
        let ten = [good; 10].join(",");
        let msg = |list: &str| {
            format!(
                r#"{{"customerId": "645abc1234567890abcdef12", "message": {{"content": "x", "attachments": [{list}]}}}}"#
            )
        };
        assert_eq!(violations(&CREATE_TICKET, &msg(&ten)), vec![]);
        assert_eq!(
            violations(&CREATE_TICKET, &msg(&format!("{ten},{good}"))),
            vec![v(
                "/message/attachments",
                "VALIDATION_ERROR",
                "body/message/attachments must NOT have more than 10 items"
            )]
        );
        assert_eq!(
            violations(
                &CREATE_TICKET,
                &msg(
                    r#"{"url": "https://s3.amazonaws.com/app.mava.x/%2e%2e/a.png", "fileName": "", "fileSize": -1, "type": "Pdf"}"#
                )
            ),
            vec![
                v(
                    "/message/attachments/0/url",
                    "INVALID_ATTACHMENT_URL",
                    "body/message/attachments/0/url must NOT contain '.' or '..' path segments"
                ),
                v(
                    "/message/attachments/0/fileName",
                    "VALIDATION_ERROR",
                    "body/message/attachments/0/fileName must NOT have fewer than 1 characters"
                ),
                v(
                    "/message/attachments/0/fileSize",
                    "VALIDATION_ERROR",
                    "body/message/attachments/0/fileSize must be >= 0"
                ),
                v(
                    "/message/attachments/0/type",
                    "VALIDATION_ERROR",
                    "body/message/attachments/0/type must be equal to one of the allowed values"
                ),
            ]
        );
        assert_eq!(
            violations(&CREATE_TICKET, &msg(r#"{"fileName": "a"}"#)),
            vec![v(
                "/message/attachments/0/url",
                "VALIDATION_ERROR",
                "body/message/attachments/0 must have required property 'url'"
            )]
        );
        assert_eq!(
            violations(&CREATE_TICKET, &msg(r#"{"url": "http://s3.amazonaws.com/app.mava.x/a.png", "fileName": "a"}"#)),
            vec![v(
                "/message/attachments/0/url",
                "INVALID_ATTACHMENT_URL",
                "body/message/attachments/0/url must use https"
            )]
        );
    }

    #[test]
    fn flags_are_booleans() {
        assert_eq!(
            violations(
                &CREATE_TICKET,
                r#"{"customerId": "645abc1234567890abcdef12", "silent": "true", "notify": 1, "triggerAutomations": null}"#
            ),
            vec![
                v("/silent", "VALIDATION_ERROR", "body/silent must be boolean"),
                v("/notify", "VALIDATION_ERROR", "body/notify must be boolean"),
                v("/triggerAutomations", "VALIDATION_ERROR", "body/triggerAutomations must be boolean"),
            ]
        );
    }

    #[test]
    fn a_silent_ticket_is_sent_as_given_without_injected_defaults() {
        let r = prepared(&CREATE_TICKET, r#"{"customerId": "645abc1234567890abcdef12", "silent": true}"#);
        assert_eq!(r.body.as_deref(), Some(r#"{"customerId":"645abc1234567890abcdef12","silent":true}"#));
    }
}
