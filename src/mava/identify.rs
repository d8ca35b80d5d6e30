//! Identify — `POST /api/identify` (CONTRACT §1.2).

use crate::operation::{CrossFieldCheck, CustomerRole, Input, Method, Operation, RelayAccess, Relaying, RetrySafety};
use crate::provider::Provider;
use crate::rules::{field, formatted, has_non_empty, kept, required, Format, Rule, Shape, TEXT};
use crate::value::{Object, Value};
use crate::violation::{Keyword, Pointer, Violations};

/// The operation.
pub const IDENTIFY: Operation = Operation {
    provider: Provider::Mava,
    name: "identify",
    method: Method::Post,
    path: "/api/identify",
    input: Input::Body(&INPUT),
    checks: &[CrossFieldCheck { reads: IDENTITIES, check: at_least_one_identity }],
    // Without a stored id the server creates a customer each time.
    safety: RetrySafety::Unsafe,
    idempotency_key: false,
    reshape: Some(surface_customer_id),
    // It reads and rewrites a customer's record by what the visitor names (CONTRACT §6).
    relaying: Relaying {
        access: RelayAccess::WhenListedWithIdentitySecret,
        customer: CustomerRole::Identifies(customer_id_in),
        identity: &["mavaCustomerId", "plaformUserId", "emailAddress"],
        ..Relaying::NEVER
    },
};

pub(crate) const CUSTOM_ATTRIBUTE: Shape = Shape {
    name: "MavaCustomAttribute",
    doc: kept("One `{ label, value }` pair pushed to the customer."),
    variants: &[],
    fields: &[required("label", TEXT).doc("The attribute's label."), required("value", TEXT).doc("Its value.")],
};

/// The input. `plaformUserId` keeps the API's own spelling (sic).
pub const INPUT: Shape = Shape {
    name: "MavaIdentifyInput",
    doc: kept("Input of `MavaClient.identify`: at least one of the three identities, non-empty."),
    variants: &[],
    fields: &[
        field("emailAddress", formatted(Format::EmailOrEmpty))
            .doc("The customer's email (\"\" is allowed and means none)."),
        field("plaformUserId", TEXT).doc("Your platform's user id. The wire name is Mava's own spelling."),
        field("mavaCustomerId", TEXT).doc("The id Mava returned earlier; absent or \"\" creates a customer."),
        field("customAttributes", Rule::List { max: None, item: &Rule::Object(&CUSTOM_ATTRIBUTE) })
            .doc("Attributes to store on the customer."),
    ],
};

/// The fields that name a customer.
const IDENTITIES: &[&str] = &["emailAddress", "plaformUserId", "mavaCustomerId"];

/// Without any identity every call would create a new anonymous customer.
fn at_least_one_identity(input: &Object, out: &mut Violations) {
    if !IDENTITIES.iter().any(|k| has_non_empty(input, k)) {
        out.add(&Pointer::default(), None, Keyword::AnyNonEmpty(IDENTITIES));
    }
}

/// `{ customerId, response }`: the id from `mavaCustomerId`, `customerId` or `_id` (also
/// inside `customer`), and the undocumented body byte for byte as it came.
/// The customer's id in an identify answer: `mavaCustomerId`, `customerId` or `_id`, at the
/// top or in `customer` (Mava does not document the shape).
fn customer_id_in(response: &Value) -> Option<String> {
    let id_in = |object: &Object| {
        ["mavaCustomerId", "customerId", "_id"]
            .iter()
            .find_map(|k| object.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned))
    };
    response.as_object().and_then(|o| id_in(o).or_else(|| o.get("customer").and_then(Value::as_object).and_then(id_in)))
}

fn surface_customer_id(response: &Value, text: &str) -> String {
    let id = customer_id_in(response).map_or(Value::Null, |id| Value::String(id.into())).to_json();
    format!("{{\"customerId\":{id},\"response\":{}}}", text.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mava::tests::{prepared, violations};
    use crate::response::{read_response, Response};

    #[test]
    fn doc_example_with_every_identity_empty_is_refused() {
        // sources/mava-api-overview.md: both curl and Node examples send "" for every identity.
        let input = r#"{"emailAddress": "", "mavaCustomerId": "", "customAttributes": [{"label": "exampleLabel", "value": "exampleValue"}]}"#;
        assert_eq!(
            violations(&IDENTIFY, input),
            vec![(
                "".into(),
                "VALIDATION_ERROR".into(),
                "body must have a non-empty 'emailAddress', 'plaformUserId' or 'mavaCustomerId'".into()
            )]
        );
    }

    #[test]
    fn doc_example_with_an_email_prepares_exactly() {
        let r = prepared(
            &IDENTIFY,
            r#"{"emailAddress": "jane@example.com", "mavaCustomerId": "", "customAttributes": [{"label": "exampleLabel", "value": "exampleValue"}]}"#,
        );
        assert_eq!((r.method.as_str(), r.url.as_str()), ("POST", "https://gateway.mava.app/api/identify"));
        assert_eq!(r.header("x-auth-token"), Some("YOUR_API_KEY"), "sent although the curl example omits it");
        assert_eq!(
            r.body.as_deref(),
            Some(
                r#"{"emailAddress":"jane@example.com","mavaCustomerId":"","customAttributes":[{"label":"exampleLabel","value":"exampleValue"}]}"#
            )
        );
    }

    #[test]
    fn the_misspelled_wire_name_is_kept_and_the_right_spelling_gets_a_hint() {
        assert_eq!(violations(&IDENTIFY, r#"{"plaformUserId": "u-1"}"#), vec![]);
        assert_eq!(
            violations(&IDENTIFY, r#"{"platformUserId": "u-1", "mavaCustomerId": "c"}"#),
            vec![(
                "/platformUserId".into(),
                "VALIDATION_ERROR".into(),
                "body must NOT have additional properties 'platformUserId'; did you mean 'plaformUserId'?".into()
            )]
        );
    }

    #[test]
    fn email_is_checked_only_when_non_empty() {
        assert_eq!(
            violations(&IDENTIFY, r#"{"emailAddress": "jane", "mavaCustomerId": "c"}"#),
            vec![(
                "/emailAddress".into(),
                "VALIDATION_ERROR".into(),
                "body/emailAddress must match format \"email\"".into()
            )]
        );
    }

    #[test]
    fn custom_attributes_need_label_and_value() {
        assert_eq!(
            violations(
                &IDENTIFY,
                r#"{"mavaCustomerId": "c", "customAttributes": [{"label": "plan"}, {"label": 1, "value": "x"}]}"#
            ),
            vec![
                (
                    "/customAttributes/0/value".into(),
                    "VALIDATION_ERROR".into(),
                    "body/customAttributes/0 must have required property 'value'".into()
                ),
                (
                    "/customAttributes/1/label".into(),
                    "VALIDATION_ERROR".into(),
                    "body/customAttributes/1/label must be string".into()
                ),
            ]
        );
    }

    #[test]
    fn the_customer_id_is_surfaced_from_any_of_its_names() {
        let read = |body: &str| read_response(&IDENTIFY, &Response::new(200, body), 0).unwrap();
        assert_eq!(read(r#"{"mavaCustomerId":"c1"}"#), r#"{"customerId":"c1","response":{"mavaCustomerId":"c1"}}"#);
        assert_eq!(
            read(r#"{"customerId":"c2","ok":true}"#),
            r#"{"customerId":"c2","response":{"customerId":"c2","ok":true}}"#
        );
        assert_eq!(read(r#"{"customer":{"_id":"c3"}}"#), r#"{"customerId":"c3","response":{"customer":{"_id":"c3"}}}"#);
        assert_eq!(read(r#"{"success":true}"#), r#"{"customerId":null,"response":{"success":true}}"#);
        assert_eq!(read(r#"{"_id":12}"#), r#"{"customerId":null,"response":{"_id":12}}"#, "ids are never numbers");
        assert_eq!(
            read(" {\"customerId\": \"c4\", \"score\": 1.00000000000000011102230246251565404236316680908203125}\n"),
            r#"{"customerId":"c4","response":{"customerId": "c4", "score": 1.00000000000000011102230246251565404236316680908203125}}"#,
            "the body is passed through as sent"
        );
    }
}
