//! Identify: create or find a customer — `POST /api/v1/customers` (CONTRACT §2.2). An existing
//! email or phone answers `200 { existing: true }` instead of a duplicate: safe to retry.

use crate::operation::{CrossFieldCheck, CustomerRole, Input, Method, Operation, Relaying, RetrySafety};
use crate::provider::Provider;
use crate::rules::{field, kept, Shape, EMAIL, NON_EMPTY_TEXT, TEXT};
use crate::value::{Object, Value};
use crate::violation::{Keyword, Pointer, Violations};

/// The operation.
pub const IDENTIFY: Operation = Operation {
    provider: Provider::HelpWave,
    name: "identify",
    method: Method::Post,
    path: "/api/v1/customers",
    input: Input::Body(&INPUT),
    checks: &[CrossFieldCheck { reads: &["email", "phone_number"], check: email_or_phone }],
    safety: RetrySafety::Idempotent,
    idempotency_key: false,
    reshape: None,
    relaying: Relaying {
        customer: CustomerRole::Identifies(customer_id_in),
        identity: &["email", "phone_number"],
        unverified_answer: Some(only_the_customer_id),
        ..Relaying::FOR_VISITORS
    },
};

/// The input.
pub const INPUT: Shape = Shape {
    name: "HelpWaveIdentifyInput",
    doc: kept("Input of `HelpWaveClient.identify`: `email` or `phone_number`, and optional profile ids."),
    variants: &[],
    fields: &[
        field("email", EMAIL).doc("Looked up first."),
        field("phone_number", NON_EMPTY_TEXT).doc("Looked up when there is no email."),
        field("first_name", TEXT).doc("First name."),
        field("last_name", TEXT).doc("Last name."),
        field("full_name", TEXT).doc("Full name."),
        field("shopify_id", TEXT).doc("Shopify customer id."),
        field("wordpress_id", TEXT).doc("WordPress user id."),
        field("fb_user_id", TEXT).doc("Facebook user id."),
        field("ig_user_id", TEXT).doc("Instagram user id."),
        field("whatsapp_id", TEXT).doc("WhatsApp id."),
    ],
};

/// The customer is found (or created) by one of these.
fn email_or_phone(input: &Object, out: &mut Violations) {
    if input.get("email").is_none() && input.get("phone_number").is_none() {
        out.add(&Pointer::default(), None, Keyword::AnyRequired(&["email", "phone_number"]));
    }
}

/// The customer's id in an identify answer (`customer.id`, a number or a string of digits).
fn customer_id_in(response: &Value) -> Option<String> {
    response.as_object()?.get("customer")?.as_object()?.get("id")?.id_text()
}

/// What a visitor whose identity was not verified reads of an identify answer: that it
/// succeeded and the customer's id, none of the record's other fields (CONTRACT §6).
fn only_the_customer_id(response: &Value) -> String {
    let mut customer = Object::new();
    if let Some(id) = response.as_object().and_then(|o| o.get("customer")?.as_object()?.get("id")) {
        customer.insert("id", id.clone());
    }
    let mut answer = Object::new();
    answer.insert("success", response.as_object().and_then(|o| o.get("success")).cloned().unwrap_or(Value::Bool(true)));
    answer.insert("customer", Value::Object(customer));
    Value::Object(answer).to_json()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helpwave::tests::{prepared, violations};
    use crate::vector::expect;

    #[test]
    fn an_email_prepares_a_post_to_customers() {
        let r = prepared(&IDENTIFY, r#"{"email":"jane@example.com","first_name":"Jane","shopify_id":"7001"}"#);
        assert_eq!((r.method.as_str(), r.url.as_str()), ("POST", "https://api.helpwave.example/api/v1/customers"));
        assert_eq!(r.header("x-api-key"), Some("YOUR_API_KEY"));
        assert_eq!(r.body.as_deref(), Some(r#"{"email":"jane@example.com","first_name":"Jane","shopify_id":"7001"}"#));
    }

    #[test]
    fn email_or_phone_is_required() {
        assert_eq!(
            violations(&IDENTIFY, r#"{"full_name":"Jane"}"#),
            vec![expect("", "VALIDATION_ERROR", "body must have required property 'email' or 'phone_number'")]
        );
        assert_eq!(violations(&IDENTIFY, r#"{"phone_number":"+4915112345678"}"#), vec![]);
        assert_eq!(
            violations(&IDENTIFY, r#"{"email":"jane","phone_number":""}"#),
            vec![
                expect("/email", "VALIDATION_ERROR", "body/email must match format \"email\""),
                expect("/phone_number", "VALIDATION_ERROR", "body/phone_number must NOT have fewer than 1 characters"),
            ]
        );
    }

    #[test]
    fn profile_ids_are_strings() {
        let input = r#"{"email":"a@b.co","first_name":1,"last_name":1,"full_name":1,"shopify_id":7001,"wordpress_id":1,"fb_user_id":1,"ig_user_id":1,"whatsapp_id":1}"#;
        let paths: Vec<String> = violations(&IDENTIFY, input).into_iter().map(|v| v.0).collect();
        assert_eq!(
            paths,
            [
                "/first_name",
                "/last_name",
                "/full_name",
                "/shopify_id",
                "/wordpress_id",
                "/fb_user_id",
                "/ig_user_id",
                "/whatsapp_id"
            ]
        );
    }
}
