//! Create ticket — `POST /api/create_ticket` with an `Idempotency-Key` (CONTRACT §3.1).
//! Exactly one payload shape: A subject + content, B template + data, C intervention + uid + data.

use crate::operation::{CrossFieldCheck, Input, Method, Operation, Relaying, RetrySafety};
use crate::provider::Provider;
use crate::rules::{field, kept, kept_variants, required, Field, Rule, Shape, Variant, EMAIL, NON_EMPTY_TEXT, TEXT};
use crate::value::{Object, Value};
use crate::violation::{Keyword, Pointer, Violations};

/// The operation.
pub const CREATE_TICKET: Operation = Operation {
    provider: Provider::Tickiti,
    name: "createTicket",
    method: Method::Post,
    path: "/api/create_ticket",
    input: Input::Body(&INPUT),
    checks: &[CrossFieldCheck {
        reads: &["data", "template_identifier", "intervention", "uid"],
        check: exactly_one_payload_shape,
    }],
    // The same key and body replay the stored answer: every retry is safe.
    safety: RetrySafety::Idempotent,
    idempotency_key: true,
    reshape: None,
    // Interventions, private first responses and the responder are the business's.
    relaying: Relaying {
        visitor_fields: Some(&["originator_email_address", "data", "template_identifier"]),
        takes_ticket_defaults: true,
        ..Relaying::FOR_VISITORS
    },
};

/// The input; `data` is passed through as given (the SDK never re-nests it). It comes in three
/// shapes, which `exactly_one_payload_shape` tells apart; its TypeScript is their union.
pub const INPUT: Shape = Shape {
    name: "TickitiCreateTicketInput",
    doc: kept("Input of `TickitiClient.createTicket`: exactly one of the three payload shapes."),
    fields: &[
        required("originator_email_address", EMAIL).doc("The customer the ticket is filed for (created if unknown)."),
        field("data", Rule::AnyObject),
        field("template_identifier", NON_EMPTY_TEXT).doc("The template to render."),
        field("intervention", NON_EMPTY_TEXT).doc("The intervention to run."),
        field("uid", NON_EMPTY_TEXT).doc("Your id for this run."),
        field("is_public", Rule::Bool).doc("Whether the first response is public (default true)."),
        field("use_passed_originator_as_responder", Rule::Bool).doc("Shows the originator as the response author."),
    ],
    variants: kept_variants(&[
        Variant {
            name: "TickitiSubjectContentTicket",
            doc: kept("Shape A of `TickitiClient.createTicket`: a subject and content of your own."),
            requires: &[],
            narrows: &[
                required("data", Rule::Open(&SUBJECT_CONTENT_DATA))
                    .doc("`subject` and `content`, an optional `queue_name`, and anything else."),
                not_with_this_shape("template_identifier"),
                not_with_this_shape("intervention"),
                not_with_this_shape("uid"),
            ],
        },
        Variant {
            name: "TickitiTemplateTicket",
            doc: kept("Shape B of `TickitiClient.createTicket`: a template rendered with `data`."),
            requires: &["template_identifier"],
            narrows: &[
                required("data", Rule::Open(&TEMPLATE_DATA)).doc("The template's data, and an optional `queue_name`."),
                not_with_this_shape("intervention"),
                not_with_this_shape("uid"),
            ],
        },
        Variant {
            name: "TickitiInterventionTicket",
            doc: kept(
                "Shape C of `TickitiClient.createTicket`: an intervention driven by `data` (it picks the queue).",
            ),
            requires: &["intervention", "uid"],
            narrows: &[
                required("data", Rule::Open(&INTERVENTION_DATA)).doc("The intervention's data; no `queue_name`."),
                not_with_this_shape("template_identifier"),
            ],
        },
    ]),
};

const fn not_with_this_shape(name: &'static str) -> Field {
    field(name, Rule::Absent).doc("Not with this shape.")
}

const SUBJECT_CONTENT_DATA: Shape = Shape {
    name: "TickitiSubjectContentData",
    doc: kept("Shape A's data."),
    fields: &[required("subject", NON_EMPTY_TEXT), required("content", NON_EMPTY_TEXT), field("queue_name", TEXT)],
    variants: &[],
};

const TEMPLATE_DATA: Shape = Shape {
    name: "TickitiTemplateData",
    doc: kept("Shape B's data."),
    fields: &[field("queue_name", TEXT)],
    variants: &[],
};

const INTERVENTION_DATA: Shape = Shape {
    name: "TickitiInterventionData",
    doc: kept("Shape C's data: the intervention picks the queue."),
    fields: &[field("queue_name", Rule::Absent)],
    variants: &[],
};

/// Shape A, B or C, chosen by `template_identifier` / `intervention`, and what each needs.
fn exactly_one_payload_shape(input: &Object, out: &mut Violations) {
    let root = Pointer::default();
    let data = input.get("data").and_then(Value::as_object);
    let needs = |key: &'static str, out: &mut Violations| {
        if input.get(key).is_none() {
            out.add_at(&root.child(key), &root, None, Keyword::Required(key.into()));
        }
    };
    let template = input.get("template_identifier").is_some();
    let intervention = input.get("intervention").is_some();
    if !intervention && input.get("uid").is_some() {
        out.add(&root.child("uid"), None, Keyword::DependentRequired { property: "uid", missing: "intervention" });
    }
    match (template, intervention) {
        (true, true) => {
            let words = "must have exactly one of 'template_identifier' or 'intervention', not both";
            out.add_worded(&root, None, Keyword::AtMostOne(&["template_identifier", "intervention"]), words)
        }
        (false, true) => {
            needs("uid", out);
            needs("data", out);
            if data.is_some_and(|d| d.get("queue_name").is_some()) {
                out.add_worded(
                    &root.child("data").child("queue_name"),
                    None,
                    Keyword::Not,
                    "must NOT be set with an intervention (it picks the queue)",
                );
            }
        }
        (true, false) => needs("data", out),
        (false, false) => {
            needs("data", out);
            if let Some(data) = data {
                let at = root.child("data");
                for key in ["subject", "content"] {
                    match data.get(key) {
                        Some(Value::String(s)) if !s.is_empty() => {}
                        Some(Value::String(_)) => out.add(&at.child(key), None, Keyword::MinLength(1)),
                        Some(_) => out.add(&at.child(key), None, Keyword::Type("string".into())),
                        None => out.add_at(&at.child(key), &at, None, Keyword::Required(key.into())),
                    }
                }
            }
        }
    }
    if let Some(queue) = data.and_then(|d| d.get("queue_name")) {
        if !intervention && queue.as_str().is_none() {
            out.add(&root.child("data").child("queue_name"), None, Keyword::Type("string".into()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tickiti::tests::{prepared, violations};
    use crate::vector::expect;

    const E: &str = "validation_failed";
    const KEY: &str = "5b0e6f0c-3d55-4b1f-9d2e-7a8c9b0d1e2f";

    #[test]
    fn doc_example_a_prepares_exactly_with_bearer_auth_and_the_key() {
        let body = r#"{"originator_email_address":"marcus@trailblazers-club.example","data":{"queue_name":"Returns","subject":"Carbon plate cracked on first marathon","content":"The Vapor Pro 3 plate snapped at mile 14 of Berlin Marathon. Order SP-2412-0489."}}"#;
        let r = prepared(&CREATE_TICKET, Some(KEY), body);
        assert_eq!(
            (r.method.as_str(), r.url.as_str()),
            ("POST", "https://support.sole-provider.example/api/create_ticket")
        );
        assert_eq!(
            r.headers,
            vec![
                ("authorization".into(), "Bearer TOKEN".into()),
                ("content-type".into(), "application/json".into()),
                ("idempotency-key".into(), KEY.into()),
            ]
        );
        assert_eq!(r.body.as_deref(), Some(body));
    }

    #[test]
    fn doc_example_b_template() {
        let body = r#"{"originator_email_address":"marcus@trailblazers-club.example","template_identifier":"warranty_acknowledgement","data":{"queue_name":"Returns","order_reference":"SP-2412-0489","product":"Vapor Pro 3","customer_name":"Marcus Whitfield"}}"#;
        assert_eq!(prepared(&CREATE_TICKET, Some(KEY), body).body.as_deref(), Some(body));
    }

    #[test]
    fn doc_example_c_intervention() {
        let body = r#"{"originator_email_address":"marcus@trailblazers-club.example","intervention":"warranty_claim","uid":"crm-claim-58221","data":{"order_reference":"SP-2412-0489","product":"Vapor Pro 3"}}"#;
        assert_eq!(prepared(&CREATE_TICKET, Some(KEY), body).body.as_deref(), Some(body));
    }

    #[test]
    fn data_is_never_re_nested() {
        let body = r#"{"originator_email_address":"a@b.co","intervention":"x","uid":"u","data":{"data":{"k":[1,{"deep":true}]}}}"#;
        assert_eq!(prepared(&CREATE_TICKET, Some(KEY), body).body.as_deref(), Some(body));
    }

    #[test]
    fn the_originator_is_a_required_email() {
        let data = r#""data":{"subject":"s","content":"c"}"#;
        assert_eq!(
            violations(&CREATE_TICKET, &format!("{{{data}}}")),
            vec![expect("/originator_email_address", E, "body must have required property 'originator_email_address'")]
        );
        assert_eq!(
            violations(&CREATE_TICKET, &format!(r#"{{"originator_email_address":"marcus",{data}}}"#)),
            vec![expect("/originator_email_address", E, "body/originator_email_address must match format \"email\"")]
        );
    }

    #[test]
    fn shape_a_needs_a_non_empty_subject_and_content() {
        let o = r#""originator_email_address":"a@b.co""#;
        assert_eq!(
            violations(&CREATE_TICKET, &format!("{{{o}}}")),
            vec![expect("/data", E, "body must have required property 'data'")]
        );
        assert_eq!(
            violations(&CREATE_TICKET, &format!(r#"{{{o},"data":{{"subject":"","queue_name":5}}}}"#)),
            vec![
                expect("/data/subject", E, "body/data/subject must NOT have fewer than 1 characters"),
                expect("/data/content", E, "body/data must have required property 'content'"),
                expect("/data/queue_name", E, "body/data/queue_name must be string"),
            ]
        );
        assert_eq!(
            violations(&CREATE_TICKET, &format!(r#"{{{o},"data":{{"subject":1,"content":"c"}}}}"#)),
            vec![expect("/data/subject", E, "body/data/subject must be string")]
        );
    }

    #[test]
    fn shape_b_needs_data() {
        assert_eq!(
            violations(&CREATE_TICKET, r#"{"originator_email_address":"a@b.co","template_identifier":"t"}"#),
            vec![expect("/data", E, "body must have required property 'data'")]
        );
        assert_eq!(
            violations(&CREATE_TICKET, r#"{"originator_email_address":"a@b.co","template_identifier":"","data":[]}"#),
            vec![
                expect("/template_identifier", E, "body/template_identifier must NOT have fewer than 1 characters"),
                expect("/data", E, "body/data must be object"),
            ]
        );
    }

    #[test]
    fn shape_c_needs_uid_and_data_and_no_queue_name() {
        assert_eq!(
            violations(&CREATE_TICKET, r#"{"originator_email_address":"a@b.co","intervention":"warranty_claim"}"#),
            vec![
                expect("/uid", E, "body must have required property 'uid'"),
                expect("/data", E, "body must have required property 'data'")
            ]
        );
        assert_eq!(
            violations(
                &CREATE_TICKET,
                r#"{"originator_email_address":"a@b.co","intervention":"i","uid":"u","data":{"queue_name":"Returns"}}"#
            ),
            vec![expect(
                "/data/queue_name",
                E,
                "body/data/queue_name must NOT be set with an intervention (it picks the queue)"
            )]
        );
    }

    #[test]
    fn exactly_one_shape() {
        assert_eq!(
            violations(
                &CREATE_TICKET,
                r#"{"originator_email_address":"a@b.co","template_identifier":"t","intervention":"i","uid":"u","data":{}}"#
            ),
            vec![expect("", E, "body must have exactly one of 'template_identifier' or 'intervention', not both")]
        );
        assert_eq!(
            violations(
                &CREATE_TICKET,
                r#"{"originator_email_address":"a@b.co","uid":"u","data":{"subject":"s","content":"c"}}"#
            ),
            vec![expect("/uid", E, "body/uid must NOT be given without 'intervention'")]
        );
    }

    /// Whether `input` is of `variant`'s TypeScript type, read from the declaration alone
    /// (every value here is of its field's type: only presence decides).
    fn fits(variant: &Variant, input: &Object) -> bool {
        INPUT.fields.iter().all(|table| {
            let field = variant.narrows.iter().find(|n| n.name == table.name).unwrap_or(table);
            let required = field.required || variant.requires.contains(&field.name);
            match (input.get(field.name), &field.rule) {
                (None, _) => !required,
                (Some(_), Rule::Absent) => false,
                (Some(Value::Object(data)), Rule::Open(shape)) => {
                    shape.fields.iter().all(|inner| match (data.get(inner.name), &inner.rule) {
                        (None, _) => !inner.required,
                        (Some(_), rule) => !matches!(rule, Rule::Absent),
                    })
                }
                (Some(_), _) => true,
            }
        })
    }

    #[test]
    fn the_check_takes_exactly_the_inputs_of_the_declared_variants() {
        // The TypeScript union is generated from INPUT.variants; the check is a function. Over
        // every combination of the fields that tell the shapes apart, they must agree.
        let outer = ["data", "template_identifier", "intervention", "uid"];
        let inner = ["subject", "content", "queue_name"];
        for present in 0..1u32 << outer.len() {
            for data_keys in 0..1u32 << inner.len() {
                let mut input = Object::new();
                input.insert("originator_email_address", Value::String("ada@example.com".into()));
                for (i, key) in outer.iter().enumerate().filter(|(i, _)| present >> i & 1 == 1) {
                    let value = if i == 0 {
                        let keys = inner.iter().enumerate().filter(|(j, _)| data_keys >> j & 1 == 1);
                        Value::Object(keys.map(|(_, k)| (k.to_string(), Value::String("x".into()))).collect())
                    } else {
                        Value::String("x".into())
                    };
                    input.insert(*key, value);
                }
                let mut out = Violations::new("body", E);
                exactly_one_payload_shape(&input, &mut out);
                let declared = INPUT.variants.iter().any(|v| fits(v, &input));
                assert_eq!(out.into_vec().is_empty(), declared, "{}", Value::Object(input).to_json());
            }
        }
    }

    #[test]
    fn flags_are_booleans() {
        assert_eq!(
            violations(
                &CREATE_TICKET,
                r#"{"originator_email_address":"a@b.co","data":{"subject":"s","content":"c"},"is_public":"false","use_passed_originator_as_responder":1}"#
            ),
            vec![
                expect("/is_public", E, "body/is_public must be boolean"),
                expect(
                    "/use_passed_originator_as_responder",
                    E,
                    "body/use_passed_originator_as_responder must be boolean"
                ),
            ]
        );
    }
}
