//! Cross-layer tests: the exported client driven from wasm, in Node (`wasm-pack test --node`)
//! and in headless Chromium and Firefox (`--headless --chrome --features browser-tests`).
//! Hostile JS values, the transport over a fetch double, timeouts, aborts and key redaction.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Object, Promise, Reflect};
use ticketwire::wasm::options::{CallOptions, ClientOptions};
use ticketwire::wasm::{HelpWaveClient, MavaClient, TickitiClient};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

#[cfg(feature = "browser-tests")]
wasm_bindgen_test_configure!(run_in_browser);

// The runner skips a test binary configured for the other side and exits 0, as if every test had
// passed: a browser run without the feature (or a Node run with it) would run nothing. wasm-pack
// tells the build which side it runs (WASM_BINDGEN_TEST_ONLY_WEB for --chrome, --firefox and
// --safari, WASM_BINDGEN_TEST_ONLY_NODE for --node), so the mismatch stops the build instead.
const _: () = assert!(
    option_env!("WASM_BINDGEN_TEST_ONLY_WEB").is_none() || cfg!(feature = "browser-tests"),
    "these tests run in a browser only with `--features browser-tests` (without it the runner skips them all)"
);
const _: () = assert!(
    option_env!("WASM_BINDGEN_TEST_ONLY_NODE").is_none() || !cfg!(feature = "browser-tests"),
    "`--features browser-tests` configures these tests for a browser: under --node the runner would skip them all"
);

const SECRET: &str = "sk_live_do_not_leak_4242";
const GOOD: &str = r#"{"customerId":"645abc1234567890abcdef12","message":{"content":"hi"}}"#;

fn js(source: &str) -> JsValue {
    js_sys::JSON::parse(source).unwrap()
}

/// A JS function from source; tests only (the SDK itself never evaluates code).
fn function(args: &str, body: &str) -> Function {
    Function::new_with_args(args, body)
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &key.into()).unwrap()
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    Reflect::set(target, &key.into(), value).unwrap();
}

fn options(pairs: &[(&str, JsValue)]) -> Option<ClientOptions> {
    let object = Object::new();
    for (k, v) in pairs {
        set(&object, k, v);
    }
    Some(object.unchecked_into())
}

fn client_with(pairs: &[(&str, JsValue)]) -> MavaClient {
    // One attempt per call: these tests are about the transport (tests/e2e covers retries).
    let mut all =
        vec![("apiKey", JsValue::from(SECRET)), ("dangerouslyAllowBrowser", JsValue::TRUE), ("maxRetries", 0.into())];
    all.extend(pairs.iter().cloned());
    MavaClient::new(options(&all)).map_err(|e| get(&e, "message")).unwrap()
}

/// (path, code, message) of each violation `validateCreateTicket` returns.
fn violations(client: &MavaClient, input: JsValue) -> Vec<(String, String, String)> {
    let list: Array = client.validate_create_ticket(input).unchecked_into();
    list.iter()
        .map(|v| {
            (
                get(&v, "path").as_string().unwrap(),
                get(&v, "code").as_string().unwrap(),
                get(&v, "message").as_string().unwrap(),
            )
        })
        .collect()
}

/// Asserts the client still validates and prepares a good input exactly.
fn assert_still_works(client: &MavaClient) {
    assert_eq!(violations(client, js(GOOD)), vec![]);
    let request = client.prepare_create_ticket(js(GOOD), None).unwrap();
    assert_eq!(get(&request, "body").as_string().as_deref(), Some(GOOD));
}

/// An input whose `customer` field is `value`.
fn with_customer(value: &JsValue) -> JsValue {
    let input = Object::new();
    set(&input, "customer", value);
    input.into()
}

#[wasm_bindgen_test]
fn deep_nesting_is_a_violation_not_a_stack_overflow() {
    let client = client_with(&[]);
    let mut value: JsValue = Object::new().into();
    for _ in 0..100_000 {
        let outer = Object::new();
        set(&outer, "a", &value);
        value = outer.into();
    }
    let input = Object::new();
    set(&input, "customerId", &"645abc1234567890abcdef12".into());
    set(&input, "message", &value);
    let found = violations(&client, input.into());
    assert_eq!(found[0].0, "/message/a");
    assert_eq!(found[0].2, "body/message must NOT have additional properties 'a'");
    assert_still_works(&client);
}

#[wasm_bindgen_test]
fn cycles_bigint_symbol_and_functions_are_violations() {
    let client = client_with(&[]);
    let cyclic = Object::new();
    set(&cyclic, "email", &"a@b.co".into());
    let attributes = Array::of1(&cyclic);
    set(&cyclic, "attributes", &attributes);
    let found = violations(&client, with_customer(&cyclic));
    assert_eq!(
        found,
        vec![(
            "/customer/attributes/0".to_owned(),
            "VALIDATION_ERROR".to_owned(),
            "body/customer/attributes/0 must NOT contain a circular reference".to_owned()
        )]
    );
    let input = js(GOOD);
    set(
        &input,
        "tags",
        &Array::of3(&js_sys::BigInt::from(1u32).into(), &js_sys::Symbol::for_("x").into(), &function("", "").into()),
    );
    let messages: Vec<String> = violations(&client, input).into_iter().map(|v| v.2).collect();
    assert_eq!(messages, ["body/tags/0 must be string", "body/tags/1 must be string", "body/tags/2 must be string"]);
    assert_still_works(&client);
}

#[wasm_bindgen_test]
fn throwing_getters_and_proxies_are_violations() {
    let client = client_with(&[]);
    let handler = Object::new();
    set(&handler, "ownKeys", &function("", "throw new Error('ownKeys trap')").into());
    let proxy = js_sys::Proxy::new(&Object::new(), &handler);
    let getter = function(
        "",
        "return Object.defineProperty({}, 'email', { enumerable: true, get() { throw new Error('getter') } })",
    )
    .call0(&JsValue::NULL)
    .unwrap();
    let revoked =
        function("", "const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy").call0(&JsValue::NULL).unwrap();
    for (value, path) in [(proxy.into(), "/customer"), (getter, "/customer/email"), (revoked, "/customer")] {
        let found = violations(&client, with_customer(&value));
        assert_eq!(found[0].0, path);
        assert!(found[0].2.ends_with("could not be read: a getter or Proxy threw"), "{:?}", found[0]);
    }
    // A Proxy as the whole input.
    let found = violations(&client, js_sys::Proxy::new(&Object::new(), &handler).into());
    assert_eq!(found[0].2, "body could not be read: a getter or Proxy threw");
    assert_still_works(&client);
}

#[wasm_bindgen_test]
fn huge_and_ill_formed_strings_are_violations() {
    let client = client_with(&[]);
    let huge = JsValue::from(js_sys::JsString::from("x").repeat(50_000_000));
    let input = js(GOOD);
    set(&input, "emailSubjectLine", &huge);
    set(&get(&input, "message"), "content", &js_sys::JsString::from_char_code1(0xD800).into());
    assert_eq!(
        violations(&client, input),
        vec![
            // Input order: `message` came with GOOD, `emailSubjectLine` was added after it.
            (
                "/message/content".into(),
                "VALIDATION_ERROR".into(),
                "body/message/content must be a well-formed Unicode string".into()
            ),
            (
                "/emailSubjectLine".into(),
                "VALIDATION_ERROR".into(),
                "body/emailSubjectLine must NOT have more than 998 characters".into()
            ),
        ]
    );
    // Ten thousand astral characters are exactly ten thousand.
    let input = js(GOOD);
    set(&get(&input, "message"), "content", &js_sys::JsString::from("👍").repeat(10_000).into());
    assert_eq!(violations(&client, input), vec![]);
    assert_still_works(&client);
}

#[wasm_bindgen_test]
fn huge_sparse_arrays_and_non_objects_are_violations() {
    let client = client_with(&[]);
    let input = js(GOOD);
    set(&input, "tags", &function("", "return new Array(1e9)").call0(&JsValue::NULL).unwrap());
    let found = violations(&client, input);
    assert_eq!(found[0].2, "body/tags must NOT hold more than 100000 values or 4194304 characters in all");
    for value in [JsValue::NULL, JsValue::UNDEFINED, 5.into(), "text".into(), js("[]")] {
        assert_eq!(violations(&client, value)[0].2, "body must be object");
    }
    assert_still_works(&client);
}

#[wasm_bindgen_test]
fn prepare_throws_a_validation_error_with_every_violation() {
    let client = client_with(&[]);
    let error = client.prepare_create_ticket(js(r#"{"priority":9}"#), None).unwrap_err();
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&error, "name").as_string().as_deref(), Some("TicketwireError"));
    assert_eq!(get(&error, "kind").as_string().as_deref(), Some("validation"));
    assert_eq!(get(&error, "operation").as_string().as_deref(), Some("createTicket"));
    let list: Array = get(&error, "violations").unchecked_into();
    assert_eq!(list.length(), 2);
    assert_eq!(get(&list.get(0), "path").as_string().as_deref(), Some("/priority"));
    assert_eq!(get(&list.get(1), "code").as_string().as_deref(), Some("INVALID_CUSTOMER_MODE"));
}

#[wasm_bindgen_test]
fn bad_options_throw_a_config_error_without_the_key() {
    let error = MavaClient::new(options(&[
        ("apiKey", SECRET.into()),
        ("timeoutMs", (-1).into()),
        ("baseUrl", "ftp://x".into()),
    ]))
    .err()
    .unwrap();
    assert_eq!(get(&error, "kind").as_string().as_deref(), Some("config"));
    let message = get(&error, "message").as_string().unwrap();
    assert_eq!(
        message,
        "MavaClient options are invalid: options/timeoutMs must be >= 1; options/baseUrl must be an absolute http(s) URL"
    );
    let json = js_sys::JSON::stringify(&error).unwrap().as_string().unwrap();
    assert!(!json.contains(SECRET), "{json}");
}

/// In a browser page a secret key needs `dangerouslyAllowBrowser`; in Node it does not.
#[wasm_bindgen_test]
fn a_key_in_a_browser_page_needs_explicit_consent() {
    let result = MavaClient::new(options(&[("apiKey", SECRET.into())]));
    if cfg!(feature = "browser-tests") {
        let error = result.err().unwrap();
        assert_eq!(get(&error, "kind").as_string().as_deref(), Some("config"));
        let message = get(&error, "message").as_string().unwrap();
        assert!(message.starts_with("MavaClient was given an apiKey in a browser page"), "{message}");
        assert!(!message.contains(SECRET));
    } else {
        assert!(result.is_ok());
    }
    // Without a key (calls through a relay) a browser page is fine, and so is explicit consent.
    assert!(MavaClient::new(options(&[])).is_ok());
    assert!(MavaClient::new(options(&[("apiKey", SECRET.into()), ("dangerouslyAllowBrowser", JsValue::TRUE)])).is_ok());
}

/// A path-only `baseUrl` (`/support/mava`) is on the page's origin in a browser page, as the
/// page's own `fetch` would resolve it; in Node it is a `config` error that says where it works.
#[wasm_bindgen_test]
fn a_path_only_base_url_is_on_the_page_s_origin() {
    let result = MavaClient::new(options(&[("baseUrl", "/support/mava".into())]));
    if cfg!(feature = "browser-tests") {
        let origin = get(&get(&js_sys::global(), "location"), "origin").as_string().unwrap();
        let request = result.map_err(|e| get(&e, "message")).unwrap().prepare_create_ticket(js(GOOD), None).unwrap();
        assert_eq!(get(&request, "url").as_string().unwrap(), format!("{origin}/support/mava/api/ticket"));
    } else {
        let error = result.err().unwrap();
        assert_eq!(get(&error, "kind").as_string().as_deref(), Some("config"));
        assert_eq!(
            get(&error, "message").as_string().unwrap(),
            "MavaClient options are invalid: options/baseUrl must be an absolute http(s) URL, \
             or a path (/support/mava) in a browser page served over http(s)"
        );
    }
}

/// A fetch double that records its arguments on `record` and answers `status` with `body`.
fn fetch_double(record: &Object, status: u16, body: &str) -> JsValue {
    let factory = function(
        "record, status, body",
        "return async (url, init) => { record.url = url; record.init = init; \
         return new Response(body, { status, headers: { 'retry-after': '3' } }); }",
    );
    factory.call3(&JsValue::NULL, record, &status.into(), &body.into()).unwrap()
}

async fn settle(promise: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(promise).await
}

#[wasm_bindgen_test]
async fn a_call_sends_exactly_the_prepared_request_through_the_given_fetch() {
    let record = Object::new();
    let client =
        client_with(&[("fetch", fetch_double(&record, 201, r#"{"ticket":{"_id":"6650a1b2c3d4e5f678901234"}}"#))]);
    let result = settle(client.create_ticket(js(GOOD), None)).await.unwrap();
    assert_eq!(get(&get(&result, "ticket"), "_id").as_string().as_deref(), Some("6650a1b2c3d4e5f678901234"));
    assert_eq!(get(&record, "url").as_string().as_deref(), Some("https://gateway.mava.app/api/ticket"));
    let init = get(&record, "init");
    assert_eq!(get(&init, "method").as_string().as_deref(), Some("POST"));
    assert_eq!(get(&init, "body").as_string().as_deref(), Some(GOOD));
    let headers = get(&init, "headers");
    assert_eq!(get(&headers, "x-auth-token").as_string().as_deref(), Some(SECRET));
    assert_eq!(get(&headers, "content-type").as_string().as_deref(), Some("application/json"));
    for forbidden in ["credentials", "mode", "cache"] {
        assert!(get(&init, forbidden).is_undefined(), "{forbidden} is rejected by Workers");
    }
    assert_eq!(
        get(&init, "redirect").as_string().as_deref(),
        Some("manual"),
        "a redirect would take the key elsewhere"
    );
}

#[wasm_bindgen_test]
async fn an_opaque_redirect_is_unexpected_redirect_with_no_status() {
    // What a browser's fetch resolves to for `redirect: "manual"`: the redirect hidden.
    let opaque = function(
        "",
        "return async () => ({ type: 'opaqueredirect', status: 0, ok: false, headers: new Headers(), body: null });",
    );
    let client = client_with(&[("fetch", opaque.call0(&JsValue::NULL).unwrap())]);
    let error = settle(client.create_ticket(js(GOOD), None)).await.unwrap_err();
    assert_eq!(get(&error, "kind").as_string().as_deref(), Some("api"));
    assert_eq!(get(&error, "code").as_string().as_deref(), Some("UNEXPECTED_REDIRECT"));
    assert!(get(&error, "status").is_undefined());
}

#[wasm_bindgen_test]
async fn an_invalid_input_rejects_without_calling_fetch() {
    let record = Object::new();
    let client = client_with(&[("fetch", fetch_double(&record, 201, "{}"))]);
    let error = settle(client.create_ticket(js("{}"), None)).await.unwrap_err();
    assert_eq!(get(&error, "kind").as_string().as_deref(), Some("validation"));
    assert!(get(&record, "url").is_undefined(), "fetch was called");
}

#[wasm_bindgen_test]
async fn api_errors_are_typed_and_an_echoed_key_is_redacted() {
    let record = Object::new();
    let body = format!(r#"{{"error":"VALIDATION_ERROR","message":"bad token {SECRET}"}}"#);
    let client = client_with(&[("fetch", fetch_double(&record, 400, &body))]);
    let error = settle(client.create_ticket(js(GOOD), None)).await.unwrap_err();
    assert_eq!(get(&error, "kind").as_string().as_deref(), Some("api"));
    assert_eq!(get(&error, "status").as_f64(), Some(400.0));
    assert_eq!(get(&error, "code").as_string().as_deref(), Some("VALIDATION_ERROR"));
    assert_eq!(get(&error, "retryAfterMs").as_f64(), Some(3000.0));
    assert_eq!(
        get(&error, "message").as_string().as_deref(),
        Some("Mava createTicket failed: 400 VALIDATION_ERROR: bad token [redacted]")
    );
    let json = js_sys::JSON::stringify(&error).unwrap().as_string().unwrap();
    assert!(!json.contains(SECRET), "{json}");
    let stack = get(&error, "stack").as_string().unwrap_or_default();
    assert!(!stack.contains(SECRET), "{stack}");
}

/// A fetch that never answers but rejects when its signal aborts, as real fetch does.
fn hanging_fetch() -> JsValue {
    function(
        "",
        "return (url, init) => new Promise((_, reject) => \
         init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))",
    )
    .call0(&JsValue::NULL)
    .unwrap()
}

#[wasm_bindgen_test]
async fn an_attempt_past_its_timeout_is_a_timeout_error() {
    let client = client_with(&[("fetch", hanging_fetch()), ("timeoutMs", 20.into())]);
    let error = settle(client.list_categories(None)).await.unwrap_err();
    assert_eq!(get(&error, "kind").as_string().as_deref(), Some("timeout"));
    assert_eq!(get(&error, "message").as_string().as_deref(), Some("Mava listCategories timed out after 20 ms"));
}

#[wasm_bindgen_test]
async fn the_callers_signal_aborts_the_call() {
    let client = client_with(&[("fetch", hanging_fetch())]);
    let controller = function("", "return new AbortController()").call0(&JsValue::NULL).unwrap();
    let call_options = Object::new();
    set(&call_options, "signal", &get(&controller, "signal"));
    let query = js(r#"{"startDate":"2026-01-01","endDate":"2026-02-01"}"#);
    let promise = client.list_tickets(query, Some(call_options.clone().unchecked_into::<CallOptions>()));
    let abort: Function = get(&controller, "abort").unchecked_into();
    abort.call0(&controller).unwrap();
    let error = settle(promise).await.unwrap_err();
    assert_eq!(get(&error, "kind").as_string().as_deref(), Some("aborted"));
    // An already-aborted signal never reaches fetch.
    let error = settle(client.list_categories(Some(call_options.unchecked_into()))).await.unwrap_err();
    assert_eq!(get(&error, "kind").as_string().as_deref(), Some("aborted"));
}

#[wasm_bindgen_test]
async fn a_fetch_that_ignores_its_signal_still_settles_at_the_timeout_the_deadline_and_the_abort() {
    let deaf = || function("", "return () => new Promise(() => {})").call0(&JsValue::NULL).unwrap();
    let timed = client_with(&[("fetch", deaf()), ("timeoutMs", 20.into())]);
    let error = settle(timed.list_agents(None)).await.unwrap_err();
    assert_eq!(get(&error, "message").as_string().as_deref(), Some("Mava listAgents timed out after 20 ms"));
    let late = client_with(&[("fetch", deaf()), ("deadlineMs", 30.into())]);
    let error = settle(late.list_agents(None)).await.unwrap_err();
    assert_eq!(get(&error, "message").as_string().as_deref(), Some("Mava listAgents ran past its deadline"));
    let controller = function("", "const c = new AbortController(); setTimeout(() => c.abort(), 20); return c")
        .call0(&JsValue::NULL)
        .unwrap();
    let call_options = Object::new();
    set(&call_options, "signal", &get(&controller, "signal"));
    let error =
        settle(client_with(&[("fetch", deaf())]).list_agents(Some(call_options.unchecked_into()))).await.unwrap_err();
    assert_eq!(get(&error, "kind").as_string().as_deref(), Some("aborted"));
}

#[wasm_bindgen_test]
async fn a_failed_connection_is_a_network_error() {
    let failing =
        function("", "return async () => { throw new TypeError('fetch failed') }").call0(&JsValue::NULL).unwrap();
    let client = client_with(&[("fetch", failing)]);
    let error = settle(client.list_agents(None)).await.unwrap_err();
    assert_eq!(get(&error, "kind").as_string().as_deref(), Some("network"));
    assert_eq!(get(&error, "message").as_string().as_deref(), Some("Mava listAgents got no response: fetch failed"));
}

#[wasm_bindgen_test]
fn tickiti_keys_come_from_the_hosts_crypto_one_per_call() {
    let client = TickitiClient::new(
        options(&[
            ("baseUrl", "https://t.example".into()),
            ("apiKey", SECRET.into()),
            ("dangerouslyAllowBrowser", JsValue::TRUE),
        ])
        .unwrap()
        .unchecked_into(),
    )
    .map_err(|e| get(&e, "message"))
    .unwrap();
    let input = || js(r#"{"originator_email_address":"a@b.co","data":{"subject":"s","content":"c"}}"#).unchecked_into();
    let key = |request: JsValue| get(&get(&request, "headers"), "idempotency-key").as_string().unwrap();
    let first = key(client.prepare_create_ticket(input(), None).unwrap());
    let second = key(client.prepare_create_ticket(input(), None).unwrap());
    assert_ne!(first, second);
    for k in [&first, &second] {
        let b = k.as_bytes();
        assert_eq!((k.len(), b[8], b[13], b[14], b[18]), (36, b'-', b'-', b'4', b'-'), "{k}");
        assert!(matches!(b[19], b'8' | b'9' | b'a' | b'b'), "{k}");
    }
}

#[wasm_bindgen_test]
async fn helpwave_ticket_ids_go_into_the_path_as_strings() {
    let record = Object::new();
    let client = HelpWaveClient::new(
        options(&[
            ("baseUrl", "https://hw.example/".into()),
            ("fetch", fetch_double(&record, 200, r#"{"success":true,"comments":[],"totalCount":0}"#)),
        ])
        .unwrap()
        .unchecked_into(),
    )
    .map_err(|e| get(&e, "message"))
    .unwrap();
    settle(client.list_comments("987654321012345678".into(), None)).await.unwrap();
    assert_eq!(
        get(&record, "url").as_string().as_deref(),
        Some("https://hw.example/api/v1/tickets/987654321012345678/comments")
    );
}

/// A real call over HTTP to the sandbox the test command started: from Chromium this is a
/// cross-origin request (the test page and the sandbox listen on different ports), so the
/// CORS preflight for `x-auth-token` runs too.
#[wasm_bindgen_test]
async fn a_real_call_reaches_the_sandbox_across_origins() {
    let Some(url) = option_env!("TICKETWIRE_SANDBOX_URL") else {
        panic!("start a sandbox and set TICKETWIRE_SANDBOX_URL when building the tests (scripts/test.sh does both)");
    };
    let client = MavaClient::new(options(&[
        ("apiKey", "sandbox_mava_globex".into()),
        ("baseUrl", format!("{url}/mava").into()),
        ("dangerouslyAllowBrowser", JsValue::TRUE),
    ]))
    .map_err(|e| get(&e, "message"))
    .unwrap();
    let input = js(
        r#"{"customer":{"email":"browser@globex.example","name":"From the page"},"message":{"content":"Sent from wasm"}}"#,
    );
    let created = settle(client.create_ticket(input, None)).await.map_err(|e| get(&e, "message")).unwrap();
    let ticket = get(&created, "ticket");
    assert_eq!(get(&get(&ticket, "customer"), "email").as_string().as_deref(), Some("browser@globex.example"));
    assert_eq!(get(&get(&get(&ticket, "messages"), "0"), "content").as_string().as_deref(), Some("Sent from wasm"));
    let listed = settle(client.list_categories(None)).await.unwrap();
    assert_eq!(Array::from(&get(&listed, "categories")).length(), 2);
}
