//! Every decision of CONTRACT §6, made by the core alone.

use super::capability::{capability_message, format_capability, upstream_fingerprint, Holds};
use super::*;
use crate::request::ApiKey;
use crate::response::Response;
use crate::{helpwave, mava, tickiti};

const ORIGIN: &str = "https://shop.example";
const KEY: &str = "sk_relay/Key+1=\"x";

fn upstream_with(provider: Provider, names: Option<&[&str]>, secrets: Secrets) -> Result<Upstream, String> {
    let names: Option<Vec<String>> = names.map(|n| n.iter().map(|s| (*s).to_owned()).collect());
    let config = Config::new(&format!("https://{}.upstream.example", provider.id()), Some(ApiKey::new(KEY)));
    Upstream::new(provider, config, names.as_deref(), secrets)
}

fn upstream(provider: Provider, names: Option<&[&str]>, capability: bool) -> Result<Upstream, String> {
    upstream_with(provider, names, Secrets { capability, identity: false })
}

fn fingerprint(provider: Provider) -> String {
    upstream_fingerprint(&format!("https://{}.upstream.example", provider.id()), KEY)
}

fn relay(capabilities: bool, identity_check: bool) -> Relay {
    let secrets = Secrets { capability: capabilities, identity: identity_check };
    let everything = |provider, names: &[&str]| upstream_with(provider, Some(names), secrets).unwrap();
    let upstreams = if capabilities {
        vec![
            everything(Provider::Mava, if identity_check { &["createTicket", "identify"] } else { &["createTicket"] }),
            everything(Provider::HelpWave, &["createTicket", "identify", "sendMessage", "listComments"]),
            everything(Provider::Tickiti, &["createTicket", "createTicketUnified", "sendMessage"]),
        ]
    } else {
        let defaults = |p| upstream_with(p, None, secrets).unwrap();
        let mava = if identity_check {
            everything(Provider::Mava, &["createTicket", "identify"])
        } else {
            defaults(Provider::Mava)
        };
        vec![mava, defaults(Provider::HelpWave), defaults(Provider::Tickiti)]
    };
    Relay::new(RelayPolicy {
        upstreams,
        allowed_origins: vec![ORIGIN.to_owned()],
        capabilities,
        identity_check,
        max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        visitor_limit: Some(RateLimit { requests: 1_000, window_ms: 60_000 }),
        shared_visitors: false,
        base_path: String::new(),
        mava_webhook_key: None,
    })
}

fn head<'a>(method: &'a str, path: &str) -> RequestHead<'a> {
    RequestHead {
        method,
        url: Box::leak(format!("https://relay.example{path}").into_boxed_str()),
        origin: Some(ORIGIN),
        content_type: Some("application/json"),
        visitor: "203.0.113.7",
        ..RequestHead::default()
    }
}

fn answered(admission: Admission) -> Answer {
    match admission {
        Admission::Answer(answer) => answer,
        Admission::ReadBody { route, .. } | Admission::CountVisitor { route, .. } => {
            panic!("admitted {}", route.op.name)
        }
        Admission::Webhook => panic!("admitted a webhook"),
    }
}

fn admitted(relay: &mut Relay, head: &RequestHead) -> Route {
    match relay.admit(head, 0.0) {
        Admission::ReadBody { route, .. } => route,
        Admission::Answer(answer) => panic!("refused: {} {}", answer.status, answer.body),
        Admission::CountVisitor { .. } => panic!("counted in the shared limiter"),
        Admission::Webhook => panic!("admitted a webhook"),
    }
}

fn checked(relay: &mut Relay, head: &RequestHead, body: Option<&str>) -> Result<Checked, Answer> {
    let route = admitted(relay, head);
    relay.check(head, route, body, 1_000.0)
}

fn error_code(answer: &Answer) -> String {
    Value::from_json(&answer.body).unwrap().as_object().unwrap().get("error").unwrap().as_str().unwrap().to_owned()
}

#[test]
fn by_default_only_what_a_visitor_needs_is_enabled() {
    let names =
        |provider| upstream(provider, None, false).unwrap().operations.iter().map(|op| op.name).collect::<Vec<_>>();
    assert_eq!(names(Provider::Mava), ["createTicket"], "Mava identify rewrites a record: only with an identitySecret");
    assert_eq!(names(Provider::HelpWave), ["createTicket", "identify"]);
    assert_eq!(names(Provider::Tickiti), ["createTicket", "createTicketUnified"]);
}

#[test]
fn operations_that_read_everyones_data_can_never_be_enabled() {
    for name in ["listTickets", "iterateTickets", "listAgents"] {
        let error = upstream(Provider::Mava, Some(&["createTicket", name]), true).unwrap_err();
        assert_eq!(error, format!("Mava {name} reads everyone's data: a relay never serves it"));
    }
    assert!(upstream(Provider::Mava, Some(&["listCategories"]), false).is_ok());
}

#[test]
fn operations_that_speak_or_act_as_the_business_can_never_be_enabled() {
    for name in ["sendMessage", "updateTicket"] {
        let error = upstream(Provider::Mava, Some(&[name]), true).unwrap_err();
        assert_eq!(error, format!("Mava {name} speaks or acts as the business: a relay never serves it"));
    }
}

#[test]
fn mava_identify_is_enabled_only_with_an_identity_secret() {
    assert_eq!(
        upstream(Provider::Mava, Some(&["identify"]), true).unwrap_err(),
        "Mava identify reads and rewrites a customer's record by what the visitor names: \
         enable it only with an identitySecret"
    );
    let secrets = Secrets { capability: false, identity: true };
    assert!(upstream_with(Provider::Mava, Some(&["identify"]), secrets).is_ok());
}

#[test]
fn operations_on_an_existing_ticket_need_a_capability_secret() {
    for (provider, name) in
        [(Provider::HelpWave, "sendMessage"), (Provider::HelpWave, "listComments"), (Provider::Tickiti, "sendMessage")]
    {
        let error = upstream(provider, Some(&[name]), false).unwrap_err();
        assert!(error.ends_with("acts on an existing ticket: enable it only with a capabilitySecret"), "{error}");
        assert!(upstream(provider, Some(&[name]), true).is_ok());
    }
    assert_eq!(
        upstream(Provider::Tickiti, Some(&["respond"]), true).unwrap_err(),
        "Tickiti has no operation 'respond' (it has createTicket, createTicketUnified, sendMessage)"
    );
}

#[test]
fn an_absent_or_other_origin_is_refused_without_cors_headers() {
    let mut relay = relay(false, false);
    for origin in [None, Some("https://evil.example"), Some("https://shop.example/"), Some("https://SHOP.example")] {
        let request = RequestHead { origin, ..head("POST", "/mava/api/ticket") };
        let answer = answered(relay.admit(&request, 0.0));
        assert_eq!((answer.status, error_code(&answer).as_str()), (403, "ORIGIN_NOT_ALLOWED"), "{origin:?}");
        assert_eq!(answer.header("access-control-allow-origin"), None);
    }
}

/// A page on the relay's own origin (`relay="/support"`) sends its GETs without `Origin`; the
/// browser's `Sec-Fetch-Site: same-origin` (which no page can set) admits them, and their answers
/// carry no CORS headers. Any other `Sec-Fetch-Site`, or none, is refused as an absent `Origin`
/// is; an `Origin` must still be allowed whatever `Sec-Fetch-Site` says; and there is no
/// preflight without an `Origin`.
#[test]
fn a_same_origin_request_without_origin_is_admitted_without_cors_headers() {
    let mut relay = relay(true, false);
    let path = "/helpwave/api/v1/tickets/12/comments";
    let same_origin = RequestHead { origin: None, fetch_site: Some("same-origin"), ..head("GET", path) };
    match relay.admit(&same_origin, 0.0) {
        Admission::ReadBody { route, max_bytes: 0 } => assert_eq!(route.op.name, "listComments"),
        other => panic!("not admitted: {other:?}"),
    }
    let elsewhere = RequestHead { origin: None, fetch_site: Some("same-origin"), ..head("GET", "/helpwave/api/v1/x") };
    let answer = answered(relay.admit(&elsewhere, 0.0));
    assert_eq!((answer.status, error_code(&answer).as_str()), (404, "NOT_FOUND"));
    assert_eq!(answer.header("access-control-allow-origin"), None);
    for fetch_site in [None, Some("same-site"), Some("cross-site"), Some("none"), Some("Same-Origin")] {
        let request = RequestHead { origin: None, fetch_site, ..head("GET", path) };
        let answer = answered(relay.admit(&request, 0.0));
        assert_eq!((answer.status, error_code(&answer).as_str()), (403, "ORIGIN_NOT_ALLOWED"), "{fetch_site:?}");
    }
    let other =
        RequestHead { origin: Some("https://evil.example"), fetch_site: Some("same-origin"), ..head("GET", path) };
    assert_eq!(error_code(&answered(relay.admit(&other, 0.0))), "ORIGIN_NOT_ALLOWED");
    let preflight = RequestHead {
        origin: None,
        fetch_site: Some("same-origin"),
        preflight_method: Some("POST"),
        ..head("OPTIONS", "/mava/api/ticket")
    };
    assert_eq!(error_code(&answered(relay.admit(&preflight, 0.0))), "ORIGIN_NOT_ALLOWED");
}

#[test]
fn a_preflight_for_an_enabled_route_names_its_method_and_the_clients_headers() {
    let mut relay = relay(false, false);
    let preflight = RequestHead { preflight_method: Some("POST"), ..head("OPTIONS", "/mava/api/ticket") };
    let answer = answered(relay.admit(&preflight, 0.0));
    assert_eq!(answer.status, 204);
    assert_eq!(
        answer.headers,
        [
            ("access-control-allow-origin", ORIGIN),
            ("vary", "origin"),
            ("access-control-expose-headers", "retry-after, x-ticketwire-capability, x-ticketwire-socket"),
            ("access-control-allow-methods", "POST"),
            (
                "access-control-allow-headers",
                "content-type, idempotency-key, x-ticketwire-capability, x-ticketwire-user-hash"
            ),
            ("access-control-max-age", "600"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    let wrong = RequestHead { preflight_method: Some("PUT"), ..head("OPTIONS", "/mava/api/ticket") };
    assert_eq!(answered(relay.admit(&wrong, 0.0)).status, 404);
}

#[test]
fn disabled_and_unknown_routes_are_404_with_cors_headers() {
    let mut relay = relay(false, false);
    for (method, path) in [
        ("PUT", "/mava/api/message"),
        ("GET", "/mava/api/agents"),
        ("POST", "/mava/api/ticket/"),
        ("POST", "/mava/api%2fticket"),
    ] {
        let answer = answered(relay.admit(&head(method, path), 0.0));
        assert_eq!((answer.status, error_code(&answer).as_str()), (404, "NOT_FOUND"), "{method} {path}");
        assert_eq!(answer.header("access-control-allow-origin"), Some(ORIGIN));
    }
}

#[test]
fn each_visitor_gets_the_visitor_limit() {
    let mut relay = relay(false, false);
    relay.policy.visitor_limit = Some(RateLimit { requests: 3, window_ms: 60_000 });
    for _ in 0..3 {
        admitted(&mut relay, &head("POST", "/mava/api/ticket"));
    }
    let answer = answered(relay.admit(&head("POST", "/mava/api/ticket"), 1_000.0));
    assert_eq!((answer.status, error_code(&answer).as_str()), (429, "RATE_LIMITED"));
    assert_eq!(answer.header("retry-after"), Some("60"));
    let other = RequestHead { visitor: "198.51.100.1", ..head("POST", "/mava/api/ticket") };
    admitted(&mut relay, &other);
}

#[test]
fn only_json_bodies_within_the_limit_are_read() {
    let mut relay = relay(false, false);
    for content_type in [None, Some("text/plain"), Some("application/jsonx")] {
        let request = RequestHead { content_type, ..head("POST", "/helpwave/api/v1/customers") };
        let answer = answered(relay.admit(&request, 0.0));
        assert_eq!((answer.status, error_code(&answer).as_str()), (415, "UNSUPPORTED_MEDIA_TYPE"));
    }
    let charset = RequestHead {
        content_type: Some("Application/JSON; charset=utf-8"),
        ..head("POST", "/helpwave/api/v1/customers")
    };
    assert!(matches!(relay.admit(&charset, 0.0), Admission::ReadBody { max_bytes: 65_536, .. }));
    let long = RequestHead { content_length: Some("65537"), ..head("POST", "/tickiti/api/create_ticket") };
    let answer = answered(relay.admit(&long, 0.0));
    assert_eq!((answer.status, error_code(&answer).as_str()), (413, "BODY_TOO_LARGE"));
}

#[test]
fn a_body_that_is_not_json_is_400_in_the_providers_format() {
    let mut relay = relay(false, false);
    let cases = [
        ("/mava/api/ticket", r#"{"error":"VALIDATION_ERROR","message":"body must be valid JSON"}"#),
        ("/helpwave/api/v1/customers", r#"{"error":"body must be valid JSON"}"#),
        (
            "/tickiti/api/create_ticket",
            r#"{"code":"validation_failed","message":"body must be valid JSON","errors":{"":["body must be valid JSON"]}}"#,
        ),
    ];
    for (path, body) in cases {
        let answer = checked(&mut relay, &head("POST", path), Some("{nope")).unwrap_err();
        assert_eq!((answer.status, answer.body.as_str()), (400, body), "{path}");
    }
}

#[test]
fn violations_answer_in_each_providers_own_format() {
    let mut relay = relay(false, false);
    let mava = checked(&mut relay, &head("POST", "/mava/api/ticket"), Some(r#"{"priority":7}"#)).unwrap_err();
    assert_eq!(mava.status, 400);
    assert_eq!(
        mava.body,
        r#"{"error":"VALIDATION_ERROR","message":"body/priority must be equal to one of the allowed values"}"#
    );
    let helpwave =
        checked(&mut relay, &head("POST", "/helpwave/api/v1/tickets"), Some(r#"{"Channel":"Website"}"#)).unwrap_err();
    assert_eq!(
        (helpwave.status, helpwave.body.as_str()),
        (400, r#"{"error":"body must have required property 'customerId'"}"#)
    );
    let tickiti = checked(
        &mut relay,
        &head("POST", "/tickiti/api/tickets/create"),
        Some(r#"{"originator_email_address":"x","content":""}"#),
    )
    .unwrap_err();
    assert_eq!(tickiti.status, 422);
    assert_eq!(
        tickiti.body,
        r#"{"code":"validation_failed","message":"body/originator_email_address must match format \"email\"","errors":{"originator_email_address":["body/originator_email_address must match format \"email\""],"content":["body/content must NOT have fewer than 1 characters"]}}"#
    );
}

#[test]
fn a_visitor_never_writes_as_the_business() {
    let mut relay = relay(true, false);
    let capability = Some("tw1.99999999999.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8");
    for (path, body) in [
        ("/mava/api/ticket", r#"{"customer":{"email":"a@b.example"},"status":"Resolved"}"#),
        ("/tickiti/api/v1/tickets/respond", r#"{"ticket_number":482113,"content":"x","is_internal":true}"#),
        ("/helpwave/api/v1/tickets/12/comments", r#"{"text":"x","isFromShop":true}"#),
    ] {
        let request = RequestHead { capability, ..head("POST", path) };
        let answer = checked(&mut relay, &request, Some(body)).unwrap_err();
        assert_eq!((answer.status, error_code(&answer).as_str()), (403, "FIELD_NOT_ALLOWED"), "{path}");
    }
    let request = RequestHead { capability, ..head("POST", "/helpwave/api/v1/tickets/12/comments") };
    let comment = checked(&mut relay, &request, Some(r#"{"text":"from the visitor"}"#)).unwrap();
    assert_eq!(comment.input.to_json(), r#"{"ticketId":"12","text":"from the visitor","isFromShop":false}"#);
}

#[test]
fn acting_on_a_ticket_needs_its_capability() {
    let mut relay = relay(true, false);
    let good = "tw1.99999999999.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    for capability in [None, Some("nope"), Some("tw1.1.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")] {
        let request = RequestHead { capability, ..head("GET", "/helpwave/api/v1/tickets/12/comments") };
        let answer = checked(&mut relay, &request, None).unwrap_err();
        assert_eq!(
            (answer.status, error_code(&answer).as_str()),
            (403, "CAPABILITY_REQUIRED"),
            "{capability:?} (the last one expired)"
        );
    }
    let request = RequestHead { capability: Some(good), ..head("PUT", "/tickiti/api/v1/tickets/respond") };
    assert_eq!(answered(relay.admit(&request, 0.0)).status, 404, "respond is a POST");
    let request = RequestHead { capability: Some(good), ..head("POST", "/tickiti/api/v1/tickets/respond") };
    let respond = checked(&mut relay, &request, Some(r#"{"ticket_number":482113,"content":"x"}"#)).unwrap();
    assert_eq!(respond.signatures.len(), 1);
    let signature = &respond.signatures[0];
    assert_eq!(signature.secret, Secret::Capability);
    let expected =
        capability_message(Holds::Ticket, Provider::Tickiti, &fingerprint(Provider::Tickiti), "482113", 99_999_999_999);
    assert_eq!(signature.message, expected);
    assert_eq!(signature.mac, (0..32).collect::<Vec<u8>>());
    assert_eq!(error_code(&signature.refusal), "CAPABILITY_REQUIRED");
    let in_body = RequestHead { capability: Some(good), ..head("POST", "/helpwave/api/v1/tickets/12/comments") };
    let answer = checked(&mut relay, &in_body, Some(r#"{"ticketId":"13","text":"x"}"#)).unwrap_err();
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (400, r#"{"error":"body/ticketId must NOT be given: it is in the path"}"#)
    );
}

#[test]
fn identify_needs_the_user_hash_when_an_identity_secret_is_set() {
    let mut relay = relay(false, true);
    let body = r#"{"emailAddress":"jane@example.com","plaformUserId":"","mavaCustomerId":""}"#;
    for user_hash in [None, Some("ABC"), Some("zz")] {
        let request = RequestHead { user_hash, ..head("POST", "/mava/api/identify") };
        let answer = checked(&mut relay, &request, Some(body)).unwrap_err();
        assert_eq!((answer.status, error_code(&answer).as_str()), (403, "IDENTITY_NOT_VERIFIED"));
    }
    let hash = "ab".repeat(32);
    let request = RequestHead { user_hash: Some(&hash), ..head("POST", "/mava/api/identify") };
    let identify = checked(&mut relay, &request, Some(body)).unwrap();
    assert_eq!(
        (identify.signatures[0].secret, identify.signatures[0].message.as_str()),
        (Secret::Identity, "jane@example.com")
    );
    let create =
        checked(&mut relay, &head("POST", "/mava/api/ticket"), Some(r#"{"customer":{"email":"a@b.example"}}"#))
            .unwrap();
    assert!(create.signatures.is_empty());
}

#[test]
fn an_identity_hash_covers_every_identity_field_the_call_sends() {
    let mut relay = relay(false, true);
    let hash = "ab".repeat(32);
    let request = RequestHead { user_hash: Some(&hash), ..head("POST", "/helpwave/api/v1/customers") };
    // A valid hash for a fresh email must not carry a victim's phone number along.
    let identify =
        checked(&mut relay, &request, Some(r#"{"phone_number":"+4915112345","email":"j@example.com"}"#)).unwrap();
    assert_eq!(identify.signatures[0].message, "j@example.com\n+4915112345", "email, then phone_number");
    let only_phone = checked(&mut relay, &request, Some(r#"{"phone_number":"+4915112345"}"#)).unwrap();
    assert_eq!(only_phone.signatures[0].message, "+4915112345");
    let request = RequestHead { user_hash: Some(&hash), ..head("POST", "/mava/api/identify") };
    let mava = r#"{"emailAddress":"victim@example.com","plaformUserId":"own-id","mavaCustomerId":""}"#;
    let identify = checked(&mut relay, &request, Some(mava)).unwrap();
    assert_eq!(identify.signatures[0].message, "own-id\nvictim@example.com", "plaformUserId, then emailAddress");
}

#[test]
fn tickitis_pass_through_data_is_sent_as_given_or_refused_never_changed() {
    let mut relay = relay(false, false);
    let create = |relay: &mut Relay, data: &str| {
        let body = format!(r#"{{"originator_email_address":"a@b.co","template_identifier":"t","data":{data}}}"#);
        checked(relay, &head("POST", "/tickiti/api/create_ticket"), Some(&body))
    };
    let exact = create(&mut relay, r#"{"order":9007199254740992,"note":"x"}"#).unwrap();
    assert_eq!(
        exact.input.to_json(),
        r#"{"originator_email_address":"a@b.co","template_identifier":"t","data":{"order":9007199254740992,"note":"x"}}"#
    );
    let big = create(&mut relay, r#"{"order":9007199254740993}"#).unwrap_err();
    assert_eq!(big.status, 422);
    assert!(
        big.body.contains(r#""data.order":["body/data/order must be an integer a double holds exactly"#),
        "{}",
        big.body
    );
    let keys = create(&mut relay, r#"{"\ud800":"a","\udbff":"b"}"#).unwrap_err();
    assert_eq!(keys.status, 422);
    assert!(keys.body.contains("must NOT be a key holding a lone surrogate"), "{}", keys.body);
}

#[test]
fn a_visitor_sets_only_visitor_fields() {
    let mut relay = relay(true, false);
    for (path, body, field) in [
        ("/mava/api/ticket", r#"{"customer":{"email":"a@b.example"},"priority":3}"#, "priority"),
        (
            "/mava/api/ticket",
            r#"{"customer":{"email":"victim@b.example","attributes":[{"attribute":"645abc1234567890abcdef12","content":"x"}]}}"#,
            "customer.attributes",
        ),
        (
            "/mava/api/ticket",
            r#"{"customer":{"email":"a@b.example"},"assignedTo":"645abc1234567890abcdef12"}"#,
            "assignedTo",
        ),
        ("/mava/api/ticket", r#"{"customer":{"email":"a@b.example"},"tags":["645abc1234567890abcdef12"]}"#, "tags"),
        ("/mava/api/ticket", r#"{"customer":{"email":"a@b.example"},"silent":true}"#, "silent"),
        ("/helpwave/api/v1/tickets", r#"{"customerId":"1","Channel":"Website","assigned_to":"2"}"#, "assigned_to"),
        (
            "/tickiti/api/create_ticket",
            r#"{"originator_email_address":"a@b.co","intervention":"x","uid":"u","data":{}}"#,
            "intervention",
        ),
        (
            "/tickiti/api/create_ticket",
            r#"{"originator_email_address":"a@b.co","template_identifier":"t","data":{},"is_public":false}"#,
            "is_public",
        ),
        (
            "/tickiti/api/tickets/create",
            r#"{"originator_email_address":"a@b.co","content":"c","queue_name":"vip"}"#,
            "queue_name",
        ),
    ] {
        let answer = checked(&mut relay, &head("POST", path), Some(body)).unwrap_err();
        assert_eq!(answer.status, 403, "{path} {body}: {}", answer.body);
        assert_eq!(error_code(&answer), "FIELD_NOT_ALLOWED");
        let message = Value::from_json(&answer.body).unwrap().as_object().unwrap().get("message").unwrap().to_json();
        assert!(message.starts_with(&format!("\"{field} may not be set by a visitor")), "{message}");
    }
    let invalid = checked(&mut relay, &head("POST", "/mava/api/ticket"), Some(r#"{"priority":7}"#)).unwrap_err();
    assert_eq!(invalid.status, 400, "a body is validated first");
}

#[test]
fn the_business_fields_come_from_ticket_defaults_merged_server_side() {
    let mut relay = relay(true, false);
    let defaults =
        Value::from_json(r#"{"priority":3,"tags":["645abc1234567890abcdef12"],"status":"Pending"}"#).unwrap();
    let mava = std::mem::replace(&mut relay.policy.upstreams[0], upstream(Provider::Mava, None, true).unwrap());
    relay.policy.upstreams[0] = mava.with_ticket_defaults(defaults.as_object().unwrap().clone()).unwrap();
    let create =
        checked(&mut relay, &head("POST", "/mava/api/ticket"), Some(r#"{"customer":{"email":"a@b.example"}}"#))
            .unwrap();
    assert_eq!(
        create.input.to_json(),
        r#"{"customer":{"email":"a@b.example"},"priority":3,"tags":["645abc1234567890abcdef12"],"status":"Pending"}"#
    );
    let tickiti = upstream(Provider::Tickiti, None, false).unwrap();
    let defaults = |json: &str| Value::from_json(json).unwrap().as_object().unwrap().clone();
    let unified_only = tickiti.with_ticket_defaults(defaults(r#"{"queue_name":"vip","is_public":false}"#)).unwrap();
    assert_eq!(unified_only.ticket_defaults.len(), 2);
    let mava = || upstream(Provider::Mava, None, false).unwrap();
    assert_eq!(
        mava().with_ticket_defaults(defaults(r#"{"nope":1}"#)).unwrap_err(),
        "Mava creates take no field 'nope'"
    );
    assert_eq!(
        mava().with_ticket_defaults(defaults(r#"{"message":{"content":"x"}}"#)).unwrap_err(),
        "message is the visitor's to send, not a default"
    );
    assert_eq!(
        mava().with_ticket_defaults(defaults(r#"{"priority":7}"#)).unwrap_err(),
        "ticketDefaults/priority must be equal to one of the allowed values"
    );
}

#[test]
fn naming_an_existing_customer_needs_its_capability_or_an_identity_hash_over_its_id() {
    let mut relay = relay(true, false);
    let body = r#"{"customerId":"645abc1234567890abcdef12"}"#;
    let answer = checked(&mut relay, &head("POST", "/mava/api/ticket"), Some(body)).unwrap_err();
    assert_eq!((answer.status, error_code(&answer).as_str()), (403, "CAPABILITY_REQUIRED"));
    let token = "tw1.99999999999.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    let request = RequestHead { capability: Some(token), ..head("POST", "/mava/api/ticket") };
    let create = checked(&mut relay, &request, Some(body)).unwrap();
    let signed = capability_message(
        Holds::Customer,
        Provider::Mava,
        &fingerprint(Provider::Mava),
        "645abc1234567890abcdef12",
        99_999_999_999,
    );
    assert_eq!((create.signatures[0].secret, &create.signatures[0].message), (Secret::Capability, &signed));
    let mut verified = self::relay(false, true);
    let hash = "cd".repeat(32);
    let request = RequestHead { user_hash: Some(&hash), ..head("POST", "/mava/api/ticket") };
    let create = checked(&mut verified, &request, Some(body)).unwrap();
    assert_eq!(
        (create.signatures[0].secret, create.signatures[0].message.as_str()),
        (Secret::Identity, "645abc1234567890abcdef12")
    );
}

#[test]
fn a_capability_binds_the_upstream_it_was_minted_for() {
    let relay = relay(true, false);
    let now = 1_800_000_000_000.0;
    let response = Response::new(201, r#"{"ticket":{"_id":"6650a1b2c3d4e5f678901234"}}"#);
    let (_, mint) = relay.answer(&head("POST", "/x"), &mava::CREATE_TICKET, UpstreamEnd::Answered(&response), now);
    let mint = mint.unwrap();
    assert!(mint.message.contains(&format!("\n{}\n", fingerprint(Provider::Mava))), "{}", mint.message);
    let other_key = upstream_fingerprint("https://mava.upstream.example", "another shop's key");
    assert!(!mint.message.contains(&other_key));
}

#[test]
fn identify_without_a_verified_identity_answers_only_the_customer_id_and_its_capability() {
    let relay = relay(true, false);
    let now = 1_800_000_000_000.0;
    let record = r#"{"success":true,"existing":true,"customer":{"id":42,"email":"v@example.com","phone_number":"+49151","first_name":"Vic"}}"#;
    let response = Response::new(200, record);
    let (answer, mint) = relay.answer(&head("POST", "/x"), &helpwave::IDENTIFY, UpstreamEnd::Answered(&response), now);
    assert_eq!(answer.body, r#"{"success":true,"customer":{"id":42}}"#);
    let expiry = 1_800_000_000 + CAPABILITY_LIFETIME_SECS;
    let signed =
        capability_message(Holds::Customer, Provider::HelpWave, &fingerprint(Provider::HelpWave), "42", expiry);
    assert_eq!(mint, Some(Mint { message: signed, expiry }));
    let verified = self::relay(true, true);
    let (answer, _) = verified.answer(&head("POST", "/x"), &helpwave::IDENTIFY, UpstreamEnd::Answered(&response), now);
    assert_eq!(answer.body, record, "a verified identity reads its own record");
}

#[test]
fn an_ipv6_visitor_is_one_visitor_across_its_slash_64() {
    let mut relay = relay(false, false);
    relay.policy.visitor_limit = Some(RateLimit { requests: 2, window_ms: 60_000 });
    for visitor in ["2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff"] {
        admitted(&mut relay, &RequestHead { visitor, ..head("POST", "/mava/api/ticket") });
    }
    let third = RequestHead { visitor: "[2001:db8:1:2::3]", ..head("POST", "/mava/api/ticket") };
    assert_eq!(answered(relay.admit(&third, 0.0)).status, 429);
    let next_prefix = RequestHead { visitor: "2001:db8:1:3::1", ..head("POST", "/mava/api/ticket") };
    admitted(&mut relay, &next_prefix);
    let v4 = RequestHead { visitor: "203.0.113.9", ..head("POST", "/mava/api/ticket") };
    admitted(&mut relay, &v4);
}

#[test]
fn only_a_well_formed_idempotency_key_passes() {
    let mut relay = relay(false, false);
    let body = r#"{"originator_email_address":"a@b.co","data":{"subject":"s","content":"c"}}"#;
    let given = RequestHead { idempotency_key: Some("crm-58221"), ..head("POST", "/tickiti/api/create_ticket") };
    assert_eq!(checked(&mut relay, &given, Some(body)).unwrap().idempotency_key.as_deref(), Some("crm-58221"));
    assert_eq!(
        checked(&mut relay, &head("POST", "/tickiti/api/create_ticket"), Some(body)).unwrap().idempotency_key,
        None
    );
    let long = "k".repeat(256);
    for key in ["", "a\u{7f}b", long.as_str()] {
        let bad = RequestHead { idempotency_key: Some(key), ..head("POST", "/tickiti/api/create_ticket") };
        let answer = checked(&mut relay, &bad, Some(body)).unwrap_err();
        assert_eq!((answer.status, error_code(&answer).as_str()), (400, "INVALID_IDEMPOTENCY_KEY"));
    }
    let mava = RequestHead { idempotency_key: Some("x"), ..head("POST", "/mava/api/ticket") };
    let create = checked(&mut relay, &mava, Some(r#"{"customer":{"email":"a@b.example"}}"#)).unwrap();
    assert_eq!(create.idempotency_key, None, "only operations that take one");
}

#[test]
fn the_upstream_answer_comes_back_as_it_is_without_the_key_and_with_two_headers() {
    let relay = relay(false, false);
    let echo = format!(r#"{{"error":"bad key {}","also":"{}"}}"#, "sk_relay/Key+1=\\\"x", "sk_relay\\/Key+1=\\\"x");
    let end = UpstreamEnd::Answered(&Response {
        status: 401,
        content_type: Some("application/json; charset=utf-8".into()),
        retry_after: Some("5".into()),
        body: echo,
        capability: None,
        socket_offered: false,
    });
    let (answer, mint) = relay.answer(&head("POST", "/mava/api/ticket"), &mava::CREATE_TICKET, end, 0.0);
    assert_eq!(answer.status, 401);
    assert_eq!(answer.body, r#"{"error":"bad key [redacted]","also":"[redacted]"}"#);
    assert_eq!(answer.header("content-type"), Some("application/json; charset=utf-8"));
    assert_eq!(answer.header("retry-after"), Some("5"));
    assert_eq!(answer.headers.len(), 5, "CORS, content-type and retry-after only");
    assert_eq!(mint, None);
}

#[test]
fn a_created_ticket_comes_back_with_a_capability_to_sign() {
    let relay = relay(true, false);
    let now = 1_700_000_000_000.0;
    let expiry = 1_700_000_000 + 86_400;
    for (op, body, ticket) in [
        (&mava::CREATE_TICKET, r#"{"ticket":{"_id":"6650a1b2c3d4e5f678901234"}}"#, Some("6650a1b2c3d4e5f678901234")),
        (
            &helpwave::CREATE_TICKET,
            r#"{"success":true,"ticket":{"id":"987654321012345678"}}"#,
            Some("987654321012345678"),
        ),
        (&tickiti::CREATE_TICKET_UNIFIED, r#"{"ticket_number":482113,"ticket_id":9}"#, Some("482113")),
        (&tickiti::CREATE_TICKET, r#"{"ok":true,"data":{}}"#, None),
        (&mava::CREATE_TICKET, r#"{"ticket":{}}"#, None),
    ] {
        let response = Response::new(201, body);
        let (_, mint) = relay.answer(&head("POST", "/x"), op, UpstreamEnd::Answered(&response), now);
        let expected = ticket.map(|t| Mint {
            message: capability_message(Holds::Ticket, op.provider, &fingerprint(op.provider), t, expiry),
            expiry,
        });
        assert_eq!(mint, expected, "{} {}", op.provider.id(), op.name);
    }
    let failed = Response::new(500, r#"{"ticket":{"_id":"x"}}"#);
    assert_eq!(relay.answer(&head("POST", "/x"), &mava::CREATE_TICKET, UpstreamEnd::Answered(&failed), now).1, None);
    assert_eq!(
        format_capability(expiry, &[0; 32]),
        format!("tw1.{expiry}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    );
}

#[test]
fn no_answer_upstream_is_the_relays_own_and_says_whether_anything_was_sent() {
    let relay = relay(false, false);
    let failure = |kind, code: Option<&str>, retry_after_ms| Failure {
        code: code.map(str::to_owned),
        retry_after_ms,
        ..Failure::new(kind, &mava::CREATE_TICKET, format!("failed for {KEY}"))
    };
    let cases = [
        (failure(ErrorKind::RateLimited, None, Some(4_500)), 0, 429, "RATE_LIMITED", Some("5")),
        (failure(ErrorKind::Timeout, None, None), 0, 429, "RATE_LIMITED", None),
        (failure(ErrorKind::Timeout, None, None), 1, 504, "UPSTREAM_TIMEOUT", None),
        (failure(ErrorKind::Network, None, None), 2, 502, "UPSTREAM_UNREACHABLE", None),
        (failure(ErrorKind::Api, Some("RESPONSE_TOO_LARGE"), None), 1, 502, "UPSTREAM_RESPONSE_TOO_LARGE", None),
        (failure(ErrorKind::Config, None, None), 0, 500, "RELAY_ERROR", None),
    ];
    for (failure, attempts, status, code, retry_after) in cases {
        let (answer, _) = relay.answer(
            &head("POST", "/x"),
            &mava::CREATE_TICKET,
            UpstreamEnd::Failed { failure: &failure, attempts },
            0.0,
        );
        assert_eq!(
            (answer.status, error_code(&answer).as_str(), answer.header("retry-after")),
            (status, code, retry_after)
        );
        assert!(!answer.body.contains("sk_relay"), "{}", answer.body);
    }
}

#[test]
fn a_redirect_upstream_is_the_relays_502_and_mints_nothing() {
    let relay = relay(true, false);
    let redirect = Response::new(302, r#"{"ticket":{"_id":"6650a1b2c3d4e5f678901234"}}"#);
    let failure = crate::response::read_response(&mava::CREATE_TICKET, &redirect, 0).unwrap_err();
    let end = UpstreamEnd::Failed { failure: &failure, attempts: 1 };
    let (answer, mint) = relay.answer(&head("POST", "/mava/api/ticket"), &mava::CREATE_TICKET, end, 0.0);
    assert_eq!((answer.status, error_code(&answer).as_str()), (502, "UNEXPECTED_REDIRECT"));
    assert_eq!(mint, None);
}
#[test]
fn every_upstream_header_passed_on_is_scrubbed() {
    let relay = relay(false, false);
    let end = UpstreamEnd::Answered(&Response {
        status: 429,
        content_type: Some(format!("application/json; echo={KEY}")),
        retry_after: Some(KEY.to_uppercase()),
        body: r#"{"error":"TOO_MANY"}"#.to_owned(),
        capability: None,
        socket_offered: false,
    });
    let (answer, _) = relay.answer(&head("POST", "/mava/api/ticket"), &mava::CREATE_TICKET, end, 0.0);
    assert_eq!(answer.header("content-type"), Some("application/json; echo=[redacted]"));
    assert_eq!(answer.header("retry-after"), Some("[redacted]"));
    for (name, value) in &answer.headers {
        assert!(!Redactor::new(KEY).finds_in(value), "{name}: {value}");
    }
}

#[test]
fn a_key_echoed_with_json_escapes_is_scrubbed_as_the_page_will_read_it() {
    let relay = relay(false, false);
    // Every character of the key as `\uXXXX` (either hex case), or only some of them.
    let all: String = KEY.chars().map(|c| format!("\\u{:04X}", u32::from(c))).collect();
    let some: String = KEY
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 3 == 0 {
                format!("\\u{:04x}", u32::from(c))
            } else if c == '"' {
                "\\\"".to_owned()
            } else {
                c.to_string()
            }
        })
        .collect();
    for escaped in [all, some] {
        let body = format!(r#"{{"error":"bad key {escaped}","{escaped}":["{escaped}"],"note":"caf\u00e9"}}"#);
        let end = UpstreamEnd::Answered(&Response::new(401, body.as_str()));
        let (answer, _) = relay.answer(&head("POST", "/mava/api/ticket"), &mava::CREATE_TICKET, end, 0.0);
        let read = Value::from_json(&answer.body).expect("still JSON");
        assert_eq!(
            read.to_json(),
            r#"{"error":"bad key [redacted]","[redacted]":["[redacted]"],"note":"café"}"#,
            "{body}"
        );
    }
}

#[test]
fn the_relays_own_message_never_names_the_upstreams_host_or_port() {
    let relay = relay(false, false);
    let failure = |kind, code: Option<&str>, message: &str| Failure {
        code: code.map(str::to_owned),
        ..Failure::new(kind, &mava::CREATE_TICKET, message)
    };
    let cases = [
        (
            failure(
                ErrorKind::Network,
                None,
                "Mava createTicket got no response: fetch failed: connect ECONNREFUSED 10.0.3.7:8443",
            ),
            502,
            "Mava createTicket: the provider could not be reached",
        ),
        (
            failure(ErrorKind::Timeout, None, "Mava createTicket timed out after 20000 ms (gw.internal:8443)"),
            504,
            "Mava createTicket: the provider did not answer in time",
        ),
        (
            failure(ErrorKind::Api, Some("RESPONSE_TOO_LARGE"), "answered 200 from gw.internal:8443"),
            502,
            "Mava createTicket: the provider's answer is larger than the relay relays",
        ),
        (
            failure(ErrorKind::Api, Some("UNEXPECTED_REDIRECT"), "redirected to http://10.0.3.7:8443/x"),
            502,
            "Mava createTicket: the provider answered with a redirect, which the relay never follows",
        ),
    ];
    for (failure, status, message) in cases {
        let end = UpstreamEnd::Failed { failure: &failure, attempts: 1 };
        let (answer, _) = relay.answer(&head("POST", "/mava/api/ticket"), &mava::CREATE_TICKET, end, 0.0);
        let body = Value::from_json(&answer.body).unwrap();
        let said = body.as_object().unwrap().get("message").and_then(Value::as_str).unwrap().to_owned();
        assert_eq!((answer.status, said.as_str()), (status, message));
        for private in ["10.0.3.7", "8443", "gw.internal"] {
            assert!(!answer.body.contains(private), "{}", answer.body);
        }
    }
}
