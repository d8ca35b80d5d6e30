//! The sandbox's documented behaviour, driven in-process through its router: rollback,
//! tenant isolation, idempotent replay, the silent override, audited updates, the rate limit.

use axum::body::{to_bytes, Body};
use axum::http::Request;
use std::sync::Arc;
use std::time::Duration;
use ticketwire::value::Value;
use ticketwire_sandbox::faults::{Drop, Fault};
use ticketwire_sandbox::{app, db, Sandbox};
use tower::ServiceExt;

const MAVA: &str = "sandbox_mava_acme";
const MAVA_GLOBEX: &str = "sandbox_mava_globex";
const TICKITI: &str = "sandbox_tickiti_acme";

fn sandbox() -> Arc<Sandbox> {
    Sandbox::new(None, 90, Duration::from_secs(30)).unwrap()
}

/// Sends one request; returns (status, body as JSON, `retry-after`), or `None` when the
/// connection was cut.
async fn call(
    sb: &Arc<Sandbox>,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Option<(u16, Value, Option<String>)> {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if !body.is_empty() && !headers.iter().any(|(name, _)| *name == "content-type") {
        request = request.header("content-type", "application/json"); // as every client sends
    }
    let response = app(sb.clone()).oneshot(request.body(Body::from(body.to_owned())).unwrap()).await.unwrap();
    let status = response.status().as_u16();
    let retry_after = response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
    let bytes = to_bytes(response.into_body(), usize::MAX).await.ok()?;
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    Some((
        status,
        Value::from_json(if text.is_empty() { "null" } else { &text }).unwrap_or(Value::String(text.into())),
        retry_after,
    ))
}

async fn mava(sb: &Arc<Sandbox>, method: &str, path: &str, key: &str, body: &str) -> (u16, Value) {
    let (status, body, _) =
        call(sb, method, &format!("/mava{path}"), &[("x-auth-token", key), ("content-type", "application/json")], body)
            .await
            .unwrap();
    (status, body)
}

fn get<'a>(value: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(value, |v, k| v.as_object().and_then(|o| o.get(k)).unwrap_or(&Value::Null))
}

fn count(sb: &Arc<Sandbox>, org: &str, table: &str) -> i64 {
    db::counts(&sb.db(), org).unwrap().into_iter().find(|(t, _)| *t == table).unwrap().1
}

const NEW_CUSTOMER_TICKET: &str =
    r#"{"customer":{"email":"jane@example.com","name":"Jane"},"message":{"content":"Help"}}"#;

#[tokio::test]
async fn a_failure_after_the_writes_leaves_no_customer_ticket_or_message() {
    let sb = sandbox();
    sb.arm(Fault {
        provider: Some("mava".into()),
        times: 1,
        status: Some(500),
        after_writes: true,
        ..Fault::default()
    });
    let (status, body) = mava(&sb, "POST", "/api/ticket", MAVA, NEW_CUSTOMER_TICKET).await;
    assert_eq!((status, body.to_json()), (500, r#"{"error":"INTERNAL_ERROR"}"#.to_owned()));
    for table in ["mava_customers", "mava_tickets", "mava_messages"] {
        assert_eq!(count(&sb, "acme", table), 0, "{table}");
    }
    // The same request again (the fault is used up) writes all three.
    assert_eq!(mava(&sb, "POST", "/api/ticket", MAVA, NEW_CUSTOMER_TICKET).await.0, 201);
    for table in ["mava_customers", "mava_tickets", "mava_messages"] {
        assert_eq!(count(&sb, "acme", table), 1, "{table}");
    }
}

#[tokio::test]
async fn a_dropped_connection_rolls_back_before_commit_and_keeps_writes_after() {
    let sb = sandbox();
    sb.arm(Fault { times: 1, drop: Some(Drop::BeforeCommit), ..Fault::default() });
    assert!(
        call(&sb, "POST", "/mava/api/ticket", &[("x-auth-token", MAVA)], NEW_CUSTOMER_TICKET).await.is_none(),
        "the connection is cut"
    );
    assert_eq!(count(&sb, "acme", "mava_tickets"), 0);
    sb.arm(Fault { times: 1, drop: Some(Drop::AfterCommit), ..Fault::default() });
    assert!(call(&sb, "POST", "/mava/api/ticket", &[("x-auth-token", MAVA)], NEW_CUSTOMER_TICKET).await.is_none());
    assert_eq!(count(&sb, "acme", "mava_tickets"), 1);
}

#[tokio::test]
async fn status_faults_answer_with_retry_after_and_write_nothing() {
    let sb = sandbox();
    sb.arm(Fault { times: 1, status: Some(503), retry_after: Some("2".into()), ..Fault::default() });
    let (status, body, retry_after) =
        call(&sb, "POST", "/mava/api/ticket", &[("x-auth-token", MAVA)], NEW_CUSTOMER_TICKET).await.unwrap();
    assert_eq!(
        (status, body.to_json(), retry_after.as_deref()),
        (503, r#"{"error":"Service Unavailable"}"#.to_owned(), Some("2"))
    );
    assert_eq!(count(&sb, "acme", "mava_tickets"), 0);
}

#[tokio::test]
async fn truncated_and_non_json_bodies() {
    let sb = sandbox();
    sb.arm(Fault { times: 1, truncate: true, ..Fault::default() });
    let (status, body, _) = call(&sb, "GET", "/mava/api/categories", &[("x-auth-token", MAVA)], "").await.unwrap();
    assert_eq!(status, 200);
    assert!(matches!(body, Value::String(ref t) if t.starts_with(r#"{"categories":[{"#)), "{body:?}");
    sb.arm(Fault { times: 1, non_json: true, status: Some(502), ..Fault::default() });
    let (status, body, _) = call(&sb, "GET", "/mava/api/categories", &[("x-auth-token", MAVA)], "").await.unwrap();
    assert_eq!((status, body), (502, Value::String("<html><body><h1>502 Bad Gateway</h1></body></html>".into())));
}

#[tokio::test]
async fn cross_organisation_ids_answer_404() {
    let sb = sandbox();
    let (_, created) = mava(&sb, "POST", "/api/ticket", MAVA, NEW_CUSTOMER_TICKET).await;
    let customer = get(&created, &["ticket", "customer", "_id"]).as_str().unwrap().to_owned();
    let ticket = get(&created, &["ticket", "_id"]).as_str().unwrap().to_owned();
    let (status, body) =
        mava(&sb, "POST", "/api/ticket", MAVA_GLOBEX, &format!(r#"{{"customerId":"{customer}"}}"#)).await;
    assert_eq!((status, body.to_json()), (404, r#"{"error":"CUSTOMER_NOT_FOUND"}"#.to_owned()));
    let acme_agent = db::fixture_id("a", 2, 1);
    let (status, body) = mava(
        &sb,
        "POST",
        "/api/ticket",
        MAVA_GLOBEX,
        &format!(r#"{{"customer":{{"email":"x@globex.example"}},"assignedTo":"{acme_agent}"}}"#),
    )
    .await;
    assert_eq!((status, body.to_json()), (404, r#"{"error":"ASSIGNEE_NOT_FOUND"}"#.to_owned()));
    let acme_category = db::fixture_id("a", 1, 1);
    let (status, body) = mava(
        &sb,
        "POST",
        "/api/ticket",
        MAVA_GLOBEX,
        &format!(r#"{{"customer":{{"email":"x@globex.example"}},"category":"{acme_category}"}}"#),
    )
    .await;
    assert_eq!((status, body.to_json()), (404, r#"{"error":"CATEGORY_NOT_FOUND"}"#.to_owned()));
    let acme_tag = db::fixture_id("a", 3, 1);
    let (status, body) = mava(
        &sb,
        "POST",
        "/api/ticket",
        MAVA_GLOBEX,
        &format!(r#"{{"customer":{{"email":"x@globex.example"}},"tags":["{acme_tag}"]}}"#),
    )
    .await;
    assert_eq!((status, body.to_json()), (404, r#"{"error":"TAG_NOT_FOUND"}"#.to_owned()));
    let (status, _) =
        mava(&sb, "PUT", "/api/message", MAVA_GLOBEX, &format!(r#"{{"ticketId":"{ticket}","content":"x"}}"#)).await;
    assert_eq!(status, 400, "Mava answers 'Ticket not found' with 400");
    assert_eq!(count(&sb, "globex", "mava_tickets"), 0);
    // HelpWave: Acme's customer 123 does not exist for Globex.
    let (status, body, _) = call(
        &sb,
        "POST",
        "/helpwave/api/v1/tickets",
        &[("x-api-key", "sandbox_helpwave_globex")],
        r#"{"customerId":123,"Channel":"Mail"}"#,
    )
    .await
    .unwrap();
    assert_eq!((status, body.to_json()), (404, r#"{"error":"Customer not found"}"#.to_owned()));
}

#[tokio::test]
async fn customers_are_found_without_overwriting_and_silent_forces_quiet() {
    let sb = sandbox();
    mava(&sb, "POST", "/api/ticket", MAVA, NEW_CUSTOMER_TICKET).await;
    let (_, again) = mava(
        &sb,
        "POST",
        "/api/ticket",
        MAVA,
        r#"{"customer":{"email":"jane@example.com","name":"Someone Else"},"silent":true,"notify":true,"triggerAutomations":true}"#,
    )
    .await;
    assert_eq!(get(&again, &["ticket", "customer", "name"]).as_str(), Some("Jane"), "name not overwritten");
    assert_eq!(count(&sb, "acme", "mava_customers"), 1);
    assert_eq!(get(&again, &["ticket", "notify"]), &Value::Bool(false));
    assert_eq!(get(&again, &["ticket", "triggerAutomations"]), &Value::Bool(false));
}

#[tokio::test]
async fn updates_change_only_what_differs_with_an_audit_message_each() {
    let sb = sandbox();
    let (_, created) = mava(&sb, "POST", "/api/ticket", MAVA, NEW_CUSTOMER_TICKET).await;
    let ticket = get(&created, &["ticket", "_id"]).as_str().unwrap().to_owned();
    let agent = db::fixture_id("a", 2, 1);
    let update = format!(r#"{{"ticketId":"{ticket}","status":"Resolved","priority":2,"assignedTo":"{agent}"}}"#);
    assert_eq!(
        mava(&sb, "PUT", "/api/ticket", MAVA, &update).await,
        (200, Value::from_json(r#"{"message":"Ticket updated"}"#).unwrap())
    );
    assert_eq!(count(&sb, "acme", "mava_messages"), 3, "status and assignee changed; priority 2 was already 2");
    mava(&sb, "PUT", "/api/ticket", MAVA, &update).await;
    assert_eq!(count(&sb, "acme", "mava_messages"), 3, "nothing differs the second time");
    let listed = |sb: Arc<Sandbox>| async move {
        let (from, to) = (db::iso(db::now_ms() - 86_400_000), db::iso(db::now_ms() + 86_400_000));
        let (_, page) = mava(&sb, "GET", &format!("/api/tickets?startDate={from}&endDate={to}"), MAVA, "").await;
        page.as_object()
            .and_then(|o| o.get("tickets"))
            .and_then(|t| if let Value::Array(a) = t { a.first().cloned() } else { None })
            .unwrap()
    };
    assert_eq!(get(&listed(sb.clone()).await, &["assignedTo", "_id"]).as_str(), Some(agent.as_str()));
    mava(&sb, "PUT", "/api/ticket", MAVA, &format!(r#"{{"ticketId":"{ticket}","assignedTo":null}}"#)).await;
    assert_eq!(get(&listed(sb.clone()).await, &["assignedTo"]), &Value::Null, "null unassigns");
    assert_eq!(count(&sb, "acme", "mava_messages"), 4, "the unassignment is audited too");
    let (_, bad) =
        mava(&sb, "PUT", "/api/ticket", MAVA, &format!(r#"{{"ticketId":"{ticket}","status":"Closed"}}"#)).await;
    assert_eq!(bad.to_json(), r#"{"error":"Invalid status or priority"}"#);
}

#[tokio::test]
async fn tickiti_replays_the_same_key_and_body_and_conflicts_on_another_body() {
    let sb = sandbox();
    let headers = [("authorization", "Bearer sandbox_tickiti_acme"), ("idempotency-key", "key-1")];
    let body = r#"{"originator_email_address":"a@b.co","data":{"subject":"s","content":"c"}}"#;
    let first = call(&sb, "POST", "/tickiti/api/create_ticket", &headers, body).await.unwrap();
    let replay = call(&sb, "POST", "/tickiti/api/create_ticket", &headers, body).await.unwrap();
    assert_eq!(first.0, 201);
    assert_eq!(first, replay);
    assert_eq!(count(&sb, "acme", "tickiti_tickets"), 1);
    let other = r#"{"originator_email_address":"a@b.co","data":{"subject":"other","content":"c"}}"#;
    let (status, conflict, _) = call(&sb, "POST", "/tickiti/api/create_ticket", &headers, other).await.unwrap();
    assert_eq!(status, 409);
    assert_eq!(get(&conflict, &["code"]).as_str(), Some("idempotency_key_conflict"));
    assert_eq!(count(&sb, "acme", "tickiti_tickets"), 1);
}

#[tokio::test]
async fn provider_auth_and_error_formats() {
    let sb = sandbox();
    let (status, body, _) = call(&sb, "GET", "/mava/api/agents", &[("x-auth-token", "wrong")], "").await.unwrap();
    assert_eq!((status, body), (401, Value::Null), "Mava's 401 has no body");
    let (status, body, _) = call(&sb, "POST", "/helpwave/api/v1/customers", &[], "{}").await.unwrap();
    assert_eq!((status, body.to_json()), (401, r#"{"error":"Missing API key"}"#.to_owned()));
    let (status, body, _) =
        call(&sb, "POST", "/helpwave/api/v1/customers", &[("x-api-key", "nope")], "{}").await.unwrap();
    assert_eq!((status, body.to_json()), (401, r#"{"error":"Unauthorized - Invalid API key"}"#.to_owned()));
    let (status, body, _) = call(
        &sb,
        "POST",
        "/tickiti/api/tickets/create",
        &[("authorization", "Bearer sandbox_tickiti_acme_readonly")],
        "{}",
    )
    .await
    .unwrap();
    assert_eq!((status, get(&body, &["code"]).as_str()), (403, Some("forbidden")));
    let (status, body, _) = call(
        &sb,
        "POST",
        "/tickiti/api/tickets/create",
        &[("authorization", &format!("Bearer {TICKITI}"))],
        r#"{"content":"c"}"#,
    )
    .await
    .unwrap();
    assert_eq!(status, 422);
    assert_eq!(
        body.to_json(),
        r#"{"code":"validation_failed","message":"The given data was invalid.","errors":{"originator_email_address":["body must have required property 'originator_email_address'"]}}"#
    );
    let (status, body) =
        mava(&sb, "POST", "/api/ticket", MAVA, r#"{"customerId":"645abc1234567890abcdef12","priority":7}"#).await;
    assert_eq!(
        (status, body.to_json()),
        (
            400,
            r#"{"error":"VALIDATION_ERROR","message":"body/priority must be equal to one of the allowed values"}"#
                .to_owned()
        )
    );
    let (status, body, _) = call(
        &sb,
        "POST",
        "/helpwave/api/v1/tickets",
        &[("x-api-key", "sandbox_helpwave_acme")],
        r#"{"Channel":"Mail"}"#,
    )
    .await
    .unwrap();
    assert_eq!((status, body.to_json()), (400, r#"{"error":"customerId is required"}"#.to_owned()));
}

#[tokio::test]
async fn mava_answers_429_with_retry_after_past_its_limit() {
    let sb = Sandbox::new(None, 3, Duration::from_secs(30)).unwrap();
    for _ in 0..3 {
        assert_eq!(mava(&sb, "GET", "/api/categories", MAVA, "").await.0, 200);
    }
    let (status, _, retry_after) =
        call(&sb, "GET", "/mava/api/categories", &[("x-auth-token", MAVA)], "").await.unwrap();
    assert_eq!((status, retry_after.as_deref()), (429, Some("30")));
    assert_eq!(mava(&sb, "GET", "/api/categories", MAVA_GLOBEX, "").await.0, 200, "each key has its own limit");
    let (_, counted, _) = call(&sb, "GET", "/_sandbox/rate-limit", &[], "").await.unwrap();
    assert_eq!(counted.to_json(), r#"{"requests":3,"windowMs":30000,"admitted":4,"refused":1}"#);
}

#[tokio::test]
async fn helpwave_ids_are_bigint_strings_and_customers_are_found_again() {
    let sb = sandbox();
    let key = [("x-api-key", "sandbox_helpwave_acme")];
    let (status, created, _) = call(
        &sb,
        "POST",
        "/helpwave/api/v1/tickets",
        &key,
        r#"{"customerId":"123","Channel":"Mail","isOpenedTicket":true}"#,
    )
    .await
    .unwrap();
    assert_eq!(status, 201);
    assert_eq!(get(&created, &["ticket", "id"]).as_str(), Some("987654321012345678"));
    let body = r#"{"email":"new@acme.example","first_name":"New"}"#;
    let (first, one, _) = call(&sb, "POST", "/helpwave/api/v1/customers", &key, body).await.unwrap();
    let (again, two, _) = call(&sb, "POST", "/helpwave/api/v1/customers", &key, body).await.unwrap();
    assert_eq!((first, get(&one, &["existing"])), (201, &Value::Bool(false)));
    assert_eq!((again, get(&two, &["existing"])), (200, &Value::Bool(true)));
    assert_eq!(get(&one, &["customer", "id"]), get(&two, &["customer", "id"]));
}

#[tokio::test]
async fn a_database_file_keeps_its_data_across_restarts() {
    let path = std::env::temp_dir().join(format!("ticketwire-sandbox-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let file = path.to_str().unwrap();
    {
        let sb = Sandbox::new(Some(file), 90, Duration::from_secs(30)).unwrap();
        assert_eq!(mava(&sb, "POST", "/api/ticket", MAVA, NEW_CUSTOMER_TICKET).await.0, 201);
    }
    let reopened = Sandbox::new(Some(file), 90, Duration::from_secs(30)).unwrap();
    assert_eq!(count(&reopened, "acme", "mava_tickets"), 1, "kept, and the fixtures not seeded twice");
    assert_eq!(mava(&reopened, "GET", "/api/categories", MAVA, "").await.1.to_json().matches("_id").count(), 2);
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn a_fault_with_a_header_breaking_retry_after_is_refused_when_armed() {
    let sb = sandbox();
    let (status, body, _) =
        call(&sb, "POST", "/_sandbox/faults", &[], r#"{"provider":"mava","status":503,"retryAfter":"1\r\nx: y"}"#)
            .await
            .unwrap();
    assert_eq!(status, 400);
    assert_eq!(get(&body, &["error"]).as_str(), Some("'retryAfter' must be a valid header value (visible ASCII)"));
    let (status, _) = mava(&sb, "GET", "/api/categories", MAVA, "").await;
    assert_eq!(status, 200, "nothing was armed");
}

/// HelpWave and Tickiti publish nothing about bodies: they take JSON only (Mava's Fastify
/// parsing is tested over TCP in `fastify.rs`).
#[tokio::test]
async fn helpwave_and_tickiti_take_json_only_and_refuse_invalid_utf8() {
    let sb = sandbox();
    for (provider, key_header, key) in [
        ("helpwave", "x-api-key", "sandbox_helpwave_acme"),
        ("tickiti", "authorization", "Bearer sandbox_tickiti_acme"),
    ] {
        let path = match provider {
            "helpwave" => "/helpwave/api/v1/tickets",
            _ => "/tickiti/api/tickets/create",
        };
        let answer = |content_type: Option<&'static str>, body: Vec<u8>| {
            let mut request = Request::builder().method("POST").uri(path).header(key_header, key);
            if let Some(content_type) = content_type {
                request = request.header("content-type", content_type);
            }
            let sb = sb.clone();
            async move {
                let response = app(sb).oneshot(request.body(Body::from(body)).unwrap()).await.unwrap();
                let status = response.status().as_u16();
                let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
                (status, String::from_utf8(bytes.to_vec()).unwrap())
            }
        };
        let ticket = r#"{"customerId":123,"Channel":"Mail","originator_email_address":"a@b.co","content":"c"}"#;
        for content_type in [None, Some("text/plain"), Some("application/x-www-form-urlencoded")] {
            let (status, body) = answer(content_type, ticket.into()).await;
            assert_eq!(status, 415, "{provider} {content_type:?}");
            let given = content_type.unwrap_or("none");
            let expected = match provider {
                "helpwave" => format!(r#"{{"error":"Unsupported Media Type: {given}"}}"#),
                _ => format!(r#"{{"message":"Unsupported Media Type: {given}"}}"#),
            };
            assert_eq!(body, expected);
        }
        let invalid = b"{\"customer\":{\"email\":\"\xff@example.com\"}}".to_vec();
        let (status, _) = answer(Some("application/json; charset=utf-8"), invalid).await;
        assert_eq!(status, 400, "{provider}: invalid UTF-8");
    }
    assert_eq!(count(&sb, "acme", "helpwave_tickets") + count(&sb, "acme", "tickiti_tickets"), 0);
}
