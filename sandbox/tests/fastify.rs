//! What curl gets from the sandbox's Mava: Fastify's behaviour (its Ajv defaults `coerceTypes:
//! 'array'`, `removeAdditional: true`, `allErrors: false`; its content-type parser and body
//! limit), and the other providers' documented leniency. Requests are written byte for byte
//! on a real TCP connection, as curl sends them, `content-length` included.

use std::sync::Arc;
use std::time::Duration;
use ticketwire::value::Value;
use ticketwire_sandbox::{app, db, Sandbox};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const MAVA: &str = "sandbox_mava_acme";

async fn serve() -> (Arc<Sandbox>, String) {
    let sb = Sandbox::new(None, 1000, Duration::from_secs(30)).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let router = app(sb.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (sb, address)
}

/// Sends `head` (request line and headers, without the blank line) and `body` as they are;
/// returns the status and the body text.
async fn raw(address: &str, head: &str, body: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(address).await.unwrap();
    let mut request = format!("{head}\r\nhost: {address}\r\nconnection: close\r\n\r\n").into_bytes();
    request.extend_from_slice(body);
    stream.write_all(&request).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let text = String::from_utf8(answer).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, body.to_owned())
}

/// As `curl -X METHOD -H 'x-auth-token: …' -H 'content-type: …' -d BODY`.
async fn curl(address: &str, method: &str, path: &str, content_type: Option<&str>, body: &[u8]) -> (u16, String) {
    let mut head = format!("{method} /mava{path} HTTP/1.1\r\nx-auth-token: {MAVA}");
    if let Some(content_type) = content_type {
        head.push_str(&format!("\r\ncontent-type: {content_type}"));
    }
    if !body.is_empty() {
        head.push_str(&format!("\r\ncontent-length: {}", body.len()));
    }
    raw(address, &head, body).await
}

async fn json(address: &str, method: &str, path: &str, body: &str) -> (u16, Value) {
    let (status, text) = curl(address, method, path, Some("application/json"), body.as_bytes()).await;
    (status, Value::from_json(&text).unwrap_or(Value::String(text.into())))
}

fn at<'a>(value: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(value, |v, k| match (v, k.parse::<usize>()) {
        (Value::Array(items), Ok(i)) => items.get(i).unwrap_or(&Value::Null),
        _ => v.as_object().and_then(|o| o.get(k)).unwrap_or(&Value::Null),
    })
}

fn tickets(sb: &Sandbox) -> i64 {
    db::counts(&sb.db(), "acme").unwrap().into_iter().find(|(t, _)| *t == "mava_tickets").unwrap().1
}

#[tokio::test]
async fn mava_coerces_types_as_ajv_does() {
    let (sb, address) = serve().await;
    let tag = db::fixture_id("a", 3, 1);
    let body = format!(
        r#"{{"customer":{{"email":"coerce@example.com","name":42}},"priority":"3","silent":"true","tags":"{tag}","emailSubjectLine":7}}"#
    );
    let (status, created) = json(&address, "POST", "/api/ticket", &body).await;
    assert_eq!(status, 201, "{}", created.to_json());
    let ticket = at(&created, &["ticket"]);
    assert_eq!(at(ticket, &["priority"]), &Value::Number(3.0), "\"3\" is 3");
    assert_eq!(at(ticket, &["tags"]).to_json(), format!(r#"["{tag}"]"#), "one tag is a list of one");
    assert_eq!(at(ticket, &["notify"]), &Value::Bool(false), "\"true\" is true: silent forced notify off");
    assert_eq!(at(ticket, &["customer", "name"]).as_str(), Some("42"), "a number where a string goes is its digits");
    let row: (i64, String, Option<String>) = sb
        .db()
        .query_row("SELECT priority, tags, email_subject FROM mava_tickets", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(row, (3, format!(r#"["{tag}"]"#), Some("7".to_owned())));
    // What cannot be coerced is refused: "high" is no number.
    let (status, refused) =
        json(&address, "POST", "/api/ticket", r#"{"customer":{"email":"c@example.com"},"priority":"high"}"#).await;
    assert_eq!(
        (status, refused.to_json()),
        (400, r#"{"error":"VALIDATION_ERROR","message":"body/priority must be number"}"#.to_owned())
    );
}

#[tokio::test]
async fn mava_drops_unknown_fields_silently() {
    let (sb, address) = serve().await;
    let body = r#"{"customer":{"email":"drop@example.com","nickname":"J"},"message":{"content":"Hi","mood":"sad"},"platformUserId":"p-1"}"#;
    let (status, created) = json(&address, "POST", "/api/ticket", body).await;
    assert_eq!(status, 201);
    let text = created.to_json();
    assert!(!text.contains("nickname") && !text.contains("mood") && !text.contains("platformUserId"), "{text}");
    assert_eq!(at(&created, &["ticket", "messages", "0", "content"]).as_str(), Some("Hi"));
    let attributes: String = sb.db().query_row("SELECT attributes FROM mava_customers", [], |r| r.get(0)).unwrap();
    assert_eq!(attributes, "[]");
}

#[tokio::test]
async fn mava_answers_only_the_first_error_in_schema_order() {
    let (sb, address) = serve().await;
    // `priority` comes first in the body, but Ajv checks properties in the schema's order.
    let body = r#"{"priority":7,"status":"Closed","sourceType":"slack","customer":{"email":"jane@localhost"}}"#;
    let (status, refused) = json(&address, "POST", "/api/ticket", body).await;
    assert_eq!(
        (status, refused.to_json()),
        (400, r#"{"error":"VALIDATION_ERROR","message":"body/customer/email must match format \"email\""}"#.to_owned())
    );
    let (status, refused) = json(&address, "POST", "/api/ticket", r#"{"priority":7,"status":"Closed"}"#).await;
    assert_eq!(
        (status, refused.to_json()),
        (
            400,
            r#"{"error":"VALIDATION_ERROR","message":"body/status must be equal to one of the allowed values"}"#
                .to_owned()
        )
    );
    // Schema first, then the handler's own codes.
    let (status, refused) = json(&address, "POST", "/api/ticket", r#"{"priority":2}"#).await;
    assert_eq!(
        (status, refused.to_json()),
        (
            400,
            r#"{"error":"INVALID_CUSTOMER_MODE","message":"body must have exactly one of 'customerId' or 'customer'"}"#
                .to_owned()
        )
    );
    let attachment = r#"{"customer":{"email":"a@example.com"},"message":{"content":"x","attachments":[{"url":"https://evil.example/x.png","fileName":"x.png"}]}}"#;
    let (status, refused) = json(&address, "POST", "/api/ticket", attachment).await;
    assert_eq!((status, at(&refused, &["error"]).as_str()), (400, Some("INVALID_ATTACHMENT_URL")));
    assert_eq!(tickets(&sb), 0);
}

#[tokio::test]
async fn mava_content_types_as_fastify_parses_them() {
    let (sb, address) = serve().await;
    let body = br#"{"customer":{"email":"jane@example.com"}}"#;
    let (status, text) = curl(&address, "POST", "/api/ticket", Some("application/x-www-form-urlencoded"), body).await;
    assert_eq!(
        (status, text.as_str()),
        (
            415,
            r#"{"statusCode":415,"code":"FST_ERR_CTP_INVALID_MEDIA_TYPE","error":"Unsupported Media Type","message":"Unsupported Media Type: application/x-www-form-urlencoded"}"#
        )
    );
    let (status, text) = curl(&address, "POST", "/api/ticket", None, body).await;
    assert_eq!(
        (status, text.as_str()),
        (
            415,
            r#"{"statusCode":415,"code":"FST_ERR_CTP_INVALID_MEDIA_TYPE","error":"Unsupported Media Type","message":"Unsupported Media Type: undefined"}"#
        )
    );
    // text/plain has a default parser in Fastify: the body is a string, which is no object.
    let (status, text) = curl(&address, "POST", "/api/ticket", Some("text/plain"), body).await;
    assert_eq!((status, text.as_str()), (400, r#"{"error":"VALIDATION_ERROR","message":"body must be object"}"#));
    let (status, text) = curl(&address, "POST", "/api/ticket", Some("application/json"), b"").await;
    assert_eq!(
        (status, text.as_str()),
        (
            400,
            r#"{"statusCode":400,"code":"FST_ERR_CTP_EMPTY_JSON_BODY","error":"Bad Request","message":"Body cannot be empty when content-type is set to 'application/json'"}"#
        )
    );
    let (status, text) = curl(&address, "POST", "/api/ticket", Some("application/json"), b"{\"customer\":").await;
    assert_eq!(status, 400);
    assert!(text.starts_with(r#"{"statusCode":400,"error":"Bad Request","message":"Body is not valid JSON"#), "{text}");
    let poisoned = br#"{"customer":{"email":"p@example.com","__proto__":{"admin":true}}}"#;
    let (status, text) = curl(&address, "POST", "/api/ticket", Some("application/json"), poisoned).await;
    assert_eq!(
        (status, text.as_str()),
        (400, r#"{"statusCode":400,"error":"Bad Request","message":"Object contains forbidden prototype property"}"#)
    );
    let (status, _) = curl(&address, "POST", "/api/ticket", Some("Application/JSON; charset=utf-8"), body).await;
    assert_eq!(status, 201, "the media type is matched case-insensitively, parameters aside");
    assert_eq!(tickets(&sb), 1);
}

#[tokio::test]
async fn mava_refuses_invalid_utf8_by_its_length_as_fastify_does() {
    let (sb, address) = serve().await;
    // One bad byte decodes to U+FFFD, three bytes: the body no longer matches content-length.
    let invalid = b"{\"customer\":{\"email\":\"jane@example.com\",\"name\":\"J\xffne\"}}";
    let (status, text) = curl(&address, "POST", "/api/ticket", Some("application/json"), invalid).await;
    assert_eq!(
        (status, text.as_str()),
        (
            400,
            r#"{"statusCode":400,"code":"FST_ERR_CTP_INVALID_CONTENT_LENGTH","error":"Bad Request","message":"Request body size did not match Content-Length"}"#
        )
    );
    // Three bytes of a cut four-byte sequence become one U+FFFD, also three bytes: Fastify
    // then takes the replaced text, and so does the sandbox.
    let same_length = b"{\"customer\":{\"email\":\"jane@example.com\",\"name\":\"J\xf0\x9f\x91ne\"}}";
    let (status, text) = curl(&address, "POST", "/api/ticket", Some("application/json"), same_length).await;
    assert_eq!(status, 201, "{text}");
    let name: String = sb.db().query_row("SELECT name FROM mava_customers", [], |r| r.get(0)).unwrap();
    assert_eq!(name, "J\u{fffd}ne");
    assert_eq!(tickets(&sb), 1);
}

#[tokio::test]
async fn mava_refuses_bodies_over_one_mebibyte_with_413() {
    let (sb, address) = serve().await;
    let big =
        format!(r#"{{"customer":{{"email":"big@example.com"}},"message":{{"content":"{}"}}}}"#, "x".repeat(1 << 20));
    let (status, text) = curl(&address, "POST", "/api/ticket", Some("application/json"), big.as_bytes()).await;
    let too_large = r#"{"statusCode":413,"code":"FST_ERR_CTP_BODY_TOO_LARGE","error":"Payload Too Large","message":"Request body is too large"}"#;
    assert_eq!((status, text.as_str()), (413, too_large));
    // A declared length over the limit is refused before a byte of the body is read.
    let head = format!("POST /mava/api/ticket HTTP/1.1\r\nx-auth-token: {MAVA}\r\ncontent-type: application/json\r\ncontent-length: 5000000");
    let (status, text) = raw(&address, &head, b"").await;
    assert_eq!((status, text.as_str()), (413, too_large));
    // Just under the limit is read and checked (and then refused for its length of content).
    let under =
        format!(r#"{{"customer":{{"email":"big@example.com"}},"message":{{"content":"{}"}}}}"#, "x".repeat(10_001));
    let (status, text) = curl(&address, "POST", "/api/ticket", Some("application/json"), under.as_bytes()).await;
    assert_eq!(
        (status, text.as_str()),
        (
            400,
            r#"{"error":"VALIDATION_ERROR","message":"body/message/content must NOT have more than 10000 characters"}"#
        )
    );
    assert_eq!(tickets(&sb), 0);
}

#[tokio::test]
async fn mava_unknown_routes_get_fastifys_404() {
    let (_, address) = serve().await;
    let (status, text) = curl(&address, "DELETE", "/api/ticket", None, b"").await;
    assert_eq!(
        (status, text.as_str()),
        (404, r#"{"message":"Route DELETE:/api/ticket not found","error":"Not Found","statusCode":404}"#)
    );
}

#[tokio::test]
async fn mava_identify_and_update_follow_their_pages() {
    let (sb, address) = serve().await;
    // "If you send no customer ID, a customer will be created for you."
    let (status, created) = json(&address, "POST", "/api/identify", r#"{"emailAddress":"","mavaCustomerId":""}"#).await;
    assert_eq!(status, 200, "{}", created.to_json());
    let id = at(&created, &["mavaCustomerId"]).as_str().unwrap().to_owned();
    assert_eq!(id.len(), 24);
    let customers: i64 = sb.db().query_row("SELECT COUNT(*) FROM mava_customers", [], |r| r.get(0)).unwrap();
    assert_eq!(customers, 1);
    // The published schema has no `additionalProperties: false`: unknown fields are kept, unread.
    let (status, _) =
        json(&address, "POST", "/api/identify", &format!(r#"{{"mavaCustomerId":"{id}","platformUserId":"x"}}"#)).await;
    assert_eq!(status, 200);
    let (_, ticket) = json(&address, "POST", "/api/ticket", r#"{"customer":{"email":"u@example.com"}}"#).await;
    let ticket_id = at(&ticket, &["ticket", "_id"]).as_str().unwrap().to_owned();
    let (status, answer) =
        json(&address, "PUT", "/api/ticket", &format!(r#"{{"ticketId":"{ticket_id}","status":"Closed"}}"#)).await;
    assert_eq!((status, answer.to_json()), (400, r#"{"error":"Invalid status or priority"}"#.to_owned()));
    let (status, answer) =
        json(&address, "PUT", "/api/ticket", &format!(r#"{{"ticketId":"{ticket_id}","priority":"1"}}"#)).await;
    assert_eq!((status, answer.to_json()), (200, r#"{"message":"Ticket updated"}"#.to_owned()));
    let priority: i64 = sb.db().query_row("SELECT priority FROM mava_tickets", [], |r| r.get(0)).unwrap();
    assert_eq!(priority, 1, "\"1\" was coerced to 1");
    let (status, answer) = json(
        &address,
        "PUT",
        "/api/ticket",
        &format!(r#"{{"ticketId":"{ticket_id}","assignedTo":"agent@example.com"}}"#),
    )
    .await;
    assert_eq!(
        (status, answer.to_json()),
        (
            400,
            r#"{"error":"VALIDATION_ERROR","message":"body/assignedTo must match pattern \"^[0-9a-fA-F]{24}$\""}"#
                .to_owned()
        )
    );
    let (status, answer) =
        json(&address, "PUT", "/api/message", &format!(r#"{{"ticketId":"{ticket_id}","content":""}}"#)).await;
    assert_eq!((status, answer.to_json()), (400, r#"{"error":"Content or attachments are required"}"#.to_owned()));
}

#[tokio::test]
async fn mava_list_tickets_reads_its_query_with_its_own_codes() {
    let (_, address) = serve().await;
    let get = |query: &'static str| {
        let address = address.clone();
        async move { curl(&address, "GET", &format!("/api/tickets?{query}"), None, b"").await }
    };
    assert_eq!(
        get("endDate=2026-04-01").await,
        (
            400,
            r#"{"error":"MISSING_DATE_RANGE","message":"querystring must have required property 'startDate'"}"#.into()
        )
    );
    assert_eq!(
        get("startDate=2026-02-30&endDate=2026-04-01").await.1,
        r#"{"error":"INVALID_DATE_RANGE","message":"querystring/startDate must be an ISO 8601 date (YYYY-MM-DD) or date-time"}"#
    );
    assert_eq!(
        get("startDate=2026-01-01&endDate=2027-01-02").await.1,
        r#"{"error":"INVALID_DATE_RANGE","message":"querystring/endDate must NOT be more than one year after startDate"}"#
    );
    assert_eq!(
        get("startDate=2026-01-01&endDate=2026-04-01&limit=101").await.1,
        r#"{"error":"INVALID_LIMIT","message":"querystring/limit must be <= 100"}"#
    );
    assert_eq!(
        get("startDate=2026-01-01&endDate=2026-04-01&skip=-1").await.1,
        r#"{"error":"INVALID_SKIP","message":"querystring/skip must be >= 0"}"#
    );
    assert_eq!(
        get("startDate=2026-01-01&endDate=2026-04-01&sortBy=name").await.1,
        r#"{"error":"UNSUPPORTED_SORT_FIELD","message":"querystring/sortBy must be equal to one of the allowed values"}"#
    );
    let (status, page) = get("startDate=2026-01-01&endDate=2026-04-01&limit=10.0&includeMessages=yes&unknown=1").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.ends_with(r#""count":0,"pagination":{"limit":10,"skip":0,"hasMore":false}}"#), "{page}");
}

#[tokio::test]
async fn helpwave_parses_ids_and_reads_is_opened_ticket_as_its_page_says() {
    let (sb, address) = serve().await;
    let post = |body: &'static str| {
        let address = address.clone();
        async move {
            let head = format!(
                "POST /helpwave/api/v1/tickets HTTP/1.1\r\nx-api-key: sandbox_helpwave_acme\r\ncontent-type: application/json\r\ncontent-length: {}",
                body.len()
            );
            let (status, text) = raw(&address, &head, body.as_bytes()).await;
            (status, Value::from_json(&text).unwrap())
        }
    };
    let (status, created) =
        post(r#"{"customerId":"123abc","Channel":"Mail","assigned_to":"45.9","isOpenedTicket":"true","mood":"x"}"#)
            .await;
    assert_eq!(status, 201, "{}", created.to_json());
    let ticket = at(&created, &["ticket"]);
    assert_eq!(at(ticket, &["customerID"]), &Value::Number(123.0), "parseInt(\"123abc\") is 123");
    assert_eq!(at(ticket, &["assigned_to"]), &Value::Number(45.0));
    assert_eq!(at(ticket, &["isOpenedTicket"]), &Value::Bool(true));
    assert_eq!(at(ticket, &["mood"]), &Value::Null, "unknown fields are not stored");
    let (_, created) = post(r#"{"customerId":123,"Channel":"Mail","isOpenedTicket":"yes"}"#).await;
    assert_eq!(at(&created, &["ticket", "isOpenedTicket"]), &Value::Bool(false), "only true or 'true' is true");
    assert_eq!(post(r#"{"customerId":0,"Channel":"Mail"}"#).await.1.to_json(), r#"{"error":"customerId is required"}"#);
    assert_eq!(post(r#"{"customerId":123,"Channel":""}"#).await.1.to_json(), r#"{"error":"Channel is required"}"#);
    assert_eq!(
        post(r#"{"customerId":123,"Channel":"Mail","emailUsed":"support"}"#).await,
        (400, Value::from_json(r#"{"error":"body/emailUsed must match format \"email\""}"#).unwrap())
    );
    assert_eq!(post(r#"{"customerId":"abc","Channel":"Mail"}"#).await.0, 404, "NaN is no customer");
    let rows: i64 = sb.db().query_row("SELECT COUNT(*) FROM helpwave_tickets", [], |r| r.get(0)).unwrap();
    assert_eq!(rows, 2);
}

#[tokio::test]
async fn tickiti_lists_every_field_error_and_ignores_unknown_fields() {
    let (sb, address) = serve().await;
    let post = |body: &'static str| {
        let address = address.clone();
        async move {
            let head = format!(
                "POST /tickiti/api/tickets/create HTTP/1.1\r\nauthorization: Bearer sandbox_tickiti_acme\r\ncontent-type: application/json\r\ncontent-length: {}",
                body.len()
            );
            raw(&address, &head, body.as_bytes()).await
        }
    };
    assert_eq!(
        post(r#"{"originator_email_address":"x","content":"","is_public":"yes"}"#).await,
        (422, r#"{"code":"validation_failed","message":"The given data was invalid.","errors":{"originator_email_address":["body/originator_email_address must match format \"email\""],"content":["body/content must NOT have fewer than 1 characters"],"is_public":["body/is_public must be boolean"]}}"#.into())
    );
    let (status, text) = post(r#"{"originator_email_address":"a@b.co","content":"c","template_identifier":"t"}"#).await;
    assert_eq!(status, 201, "{text}");
    let rows: i64 = sb.db().query_row("SELECT COUNT(*) FROM tickiti_tickets", [], |r| r.get(0)).unwrap();
    assert_eq!(rows, 1);
}
