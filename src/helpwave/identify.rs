//! Identify: create or find a customer — `POST /api/v1/customers` (CONTRACT §2.2). An existing
//! email or phone answers `200 { existing: true }` instead of a duplicate: safe to retry.

use crate::operation::{Input, Method, Operation, Provider, Relaying, RetrySafety};
use crate::rules::{field, Field, EMAIL, NON_EMPTY_TEXT, TEXT};
use crate::value::Object;
use crate::violation::{Pointer, Violations};
use serde::{Deserialize, Serialize};

/// The operation.
pub const IDENTIFY: Operation = Operation {
    provider: Provider::HelpWave,
    name: "identify",
    method: Method::Post,
    path: "/api/v1/customers",
    input: Input::Body(FIELDS),
    checks: &[email_or_phone],
    safety: RetrySafety::Idempotent,
    idempotency_key: false,
    reshape: None,
    relaying: Relaying { identity: &["email", "phone_number"], ..Relaying::FOR_VISITORS },
};

/// The field table.
pub const FIELDS: &[Field] = &[
    field("email", EMAIL),
    field("phone_number", NON_EMPTY_TEXT),
    field("first_name", TEXT),
    field("last_name", TEXT),
    field("full_name", TEXT),
    field("shopify_id", TEXT),
    field("wordpress_id", TEXT),
    field("fb_user_id", TEXT),
    field("ig_user_id", TEXT),
    field("whatsapp_id", TEXT),
];

/// The customer is found (or created) by one of these.
fn email_or_phone(input: &Object, out: &mut Violations) {
    if input.get("email").is_none() && input.get("phone_number").is_none() {
        out.add(&Pointer::default(), None, "must have required property 'email' or 'phone_number'");
    }
}

/// Input of `HelpWaveClient.identify`: `email` or `phone_number`, and optional profile ids.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct HelpWaveIdentifyInput {
    /// Looked up first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Looked up when there is no email (non-empty).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// First name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Full name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// Shopify customer id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shopify_id: Option<String>,
    /// WordPress user id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wordpress_id: Option<String>,
    /// Facebook user id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fb_user_id: Option<String>,
    /// Instagram user id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ig_user_id: Option<String>,
    /// WhatsApp id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub whatsapp_id: Option<String>,
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
