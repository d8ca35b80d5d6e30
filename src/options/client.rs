//! `ClientOptions`, read: the base URL and its default, the key guard in a browser page, the
//! rate limit mode and every default. The host layer hands over the options as a core value
//! and what it found of its own (`fetch`, a limiter, whether this is a browser page).

use super::{invalid, read_object, HostValues, CLIENT, CODE};
use crate::call::{DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS};
use crate::error::Failure;
use crate::provider::Provider;
use crate::rate_limit::RateLimit;
#[cfg(feature = "full")]
use crate::redact::{Redactor, MIN_KEY_CHARS};
use crate::request::{check_base_url, is_path_only, resolve_base_url, ApiKey, Config};
use crate::retry::DEFAULT_MAX_RETRIES;
use crate::rules::Rule;
use crate::value::{Object, Value};
use crate::violation::{Keyword, Pointer, Violations};
use std::borrow::Cow;

/// What the host layer knows that the options do not say.
#[derive(Debug, Clone, Copy, Default)]
pub struct HostFacts<'a> {
    /// What it found at `fetch` and `rateLimit`.
    pub values: HostValues<'a>,
    /// Whether the client is made in a browser page (`window`, `window.document`, `navigator`).
    pub in_browser_page: bool,
    /// The page's origin (`location.origin`) in a browser page: a path-only `baseUrl`
    /// (`/support/mava`) is taken on it, as the page's own `fetch` would.
    pub page_origin: Option<&'a str>,
}

/// How a client keeps under the provider's rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimitChoice {
    /// Wait for a slot (the default).
    Wait,
    /// Refuse at once with kind `rate_limited`.
    Fail,
    /// Ask the caller's limiter (`acquire({ provider, operation })`), which the host holds.
    Custom,
}

/// A client's settings, defaults filled in.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    /// What the core needs to prepare requests.
    pub config: Config,
    /// Per-attempt timeout, in milliseconds.
    pub timeout_ms: f64,
    /// Retries after a failed attempt, where safe.
    pub max_retries: u32,
    /// The most one call may take, if limited.
    pub deadline_ms: Option<f64>,
    /// Pacing under the rate limit.
    pub rate_limit: RateLimitChoice,
    /// The limit to pace to, instead of the provider's published one.
    pub quota: Option<RateLimit>,
    /// The largest response body read.
    pub max_response_bytes: usize,
}

/// What a client of `ticketwire/lite` given an `apiKey` is told, after its class name.
pub const LITE_HOLDS_NO_KEY: &str =
    " was given an apiKey, but ticketwire/lite holds no key: it calls a relay that adds \
     the key (baseUrl: the relay's URL for the provider). To hold a key (a server, or a page with \
     dangerouslyAllowBrowser: true), import the full entry, 'ticketwire', instead.";

/// What a path-only `baseUrl` is told where it has no page to resolve against.
const PATH_OUTSIDE_A_PAGE: &str =
    "must be an absolute http(s) URL, or a path (/support/mava) in a browser page served over http(s)";

/// Reads `ClientOptions` for a client of `provider` named `class_name` (`MavaClient`); the
/// error is a `config` failure of operation `constructor`, with the key scrubbed from it.
pub fn read(provider: Provider, class_name: &str, options: &Value, host: HostFacts) -> Result<ClientSettings, Failure> {
    // `ticketwire/lite` holds no key (no redaction, no per-key limiter): refused before
    // anything is read, so nothing quotes it.
    #[cfg(not(feature = "full"))]
    if options.as_object().and_then(|o| o.get("apiKey")).is_some() {
        return Err(Failure::config(provider, "constructor", format!("{class_name}{LITE_HOLDS_NO_KEY}"), Vec::new()));
    }
    let mut out = Violations::new("options", CODE);
    // Options the table allows as they are (the usual case) are read directly; only others go
    // through the table's walker, for their violations.
    let object = match read_direct(options, host.values) {
        Some(object) => Cow::Borrowed(object),
        None => Cow::Owned(read_object(&CLIENT, options, host.values, &mut out)),
    };
    let text = |key| object.get(key).and_then(Value::as_str).map(str::to_owned);
    let number = |key| object.get(key).and_then(Value::as_number);

    let base_url = text("baseUrl")
        .map(|url| resolve_base_url(url, host.page_origin))
        .or_else(|| provider.default_base_url().map(str::to_owned));
    match &base_url {
        None => out.add_at(
            &Pointer::default().child("baseUrl"),
            &Pointer::default(),
            None,
            Keyword::Required("baseUrl".into()),
        ),
        // Still a path: no page (Node, a Worker), or a page with no http(s) origin.
        Some(url) if is_path_only(url) => {
            out.add_worded(&Pointer::default().child("baseUrl"), None, Keyword::Format("base-url"), PATH_OUTSIDE_A_PAGE)
        }
        Some(url) => {
            if let Err(message) = check_base_url(url) {
                let message = message.trim_start_matches("baseUrl ");
                out.add_worded(&Pointer::default().child("baseUrl"), None, Keyword::Format("base-url"), message);
            }
        }
    }
    let violations = out.into_vec();
    let api_key = text("apiKey");
    let fail = |message: String, violations| {
        #[allow(unused_mut)]
        let mut failure = Failure::config(provider, "constructor", message, violations);
        // A key too short to scrub is refused for that, and never quoted.
        #[cfg(feature = "full")]
        if let Some(secret) = api_key.as_deref().filter(|s| s.chars().count() >= MIN_KEY_CHARS) {
            failure.redact(&Redactor::new(secret));
        }
        failure
    };
    if !violations.is_empty() {
        return Err(fail(invalid(class_name, &violations), violations));
    }
    if api_key.is_some() && host.in_browser_page && object.get("dangerouslyAllowBrowser") != Some(&Value::Bool(true)) {
        return Err(fail(
            format!(
                "{class_name} was given an apiKey in a browser page, where every visitor can read it. \
                 Call through an edge relay that adds the key, or pass dangerouslyAllowBrowser: true \
                 if you accept that risk."
            ),
            Vec::new(),
        ));
    }
    let mut config = Config::new(base_url.as_deref().unwrap_or(""), api_key.clone().map(ApiKey::new));
    if let Some(prefix) = text("attachmentBucketPrefix") {
        config.attachment_bucket_prefix = prefix;
    }
    let rate_limit = match (host.values.given.contains(&"rateLimit"), text("rateLimit").as_deref()) {
        (true, _) => RateLimitChoice::Custom,
        (false, Some("fail")) => RateLimitChoice::Fail,
        _ => RateLimitChoice::Wait,
    };
    Ok(ClientSettings {
        config,
        timeout_ms: number("timeoutMs").unwrap_or(DEFAULT_TIMEOUT_MS),
        max_retries: number("maxRetries").map_or(DEFAULT_MAX_RETRIES, |n| n as u32),
        deadline_ms: number("deadlineMs"),
        rate_limit,
        quota: object.get("rateLimitQuota").and_then(Value::as_object).and_then(RateLimit::from_quota),
        max_response_bytes: number("maxResponseBytes").map_or(DEFAULT_MAX_RESPONSE_BYTES, |n| n as usize),
    })
}

/// The options object when the table allows every option in it as it is, read without the
/// walker: each key is a field of [`CLIENT`], each host option holds a host value, and each
/// other option fits its rule. `None` when anything does not (the walker then says what), and
/// for options that are not an object (no options, `Value::Null`, cost the walker nothing).
fn read_direct<'a>(options: &'a Value, host: HostValues) -> Option<&'a Object> {
    let Value::Object(object) = options else { return None };
    if !host.other_objects.is_empty() {
        return None;
    }
    for (key, value) in object.iter() {
        let field = CLIENT.fields.iter().find(|f| f.name == key)?;
        let taken = field.rule.host_value().is_some() && host.given.contains(&field.name);
        if !taken && !fits(&field.rule, value) {
            return None;
        }
    }
    CLIENT.fields.iter().all(|f| !f.required || object.get(f.name).is_some()).then_some(object)
}

/// Whether `value` passes `rule` with no violation, for the rules options use; any other rule
/// answers `false` (the walker decides).
fn fits(rule: &Rule, value: &Value) -> bool {
    match (*rule, value) {
        (Rule::Text { min, max, format: None }, Value::String(text)) => {
            let length = if min > 0 || max.is_some() { text.chars().count() } else { 0 };
            length >= min && max.is_none_or(|max| length <= max)
        }
        (Rule::Integer { min, max }, Value::Number(n)) => {
            n.is_finite() && n.fract() == 0.0 && *n >= min as f64 && *n <= max as f64
        }
        (Rule::Bool, Value::Bool(_)) => true,
        (Rule::Enum(allowed), Value::String(text)) => allowed.contains(&text.as_str()),
        (Rule::Either(a, b), _) => fits(a, value) || fits(b, value),
        (Rule::Object(shape), Value::Object(object)) => {
            object.iter().all(|(key, item)| shape.fields.iter().any(|f| f.name == key && fits(&f.rule, item)))
                && shape.fields.iter().all(|f| !f.required || object.get(f.name).is_some())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    //! Twins of the JS tests on client options (`tests/node/*.test.mjs`, `tests/host.rs`), on
    //! the core reader: the same options as a core value, the same message and violations.
    use super::*;
    use crate::error::ErrorKind;
    use crate::violation::{AllowedValues, Violation};

    /// `tests/node/helpers.mjs`'s key.
    const SECRET: &str = "sk_live_node_secret_7331";
    /// `tests/host.rs`'s key.
    const HOST_SECRET: &str = "sk_live_do_not_leak_4242";

    fn value(json: &str) -> Value {
        Value::from_json(json).unwrap()
    }

    /// Reads `json` as Node would (no browser page, no host values).
    fn read_json(provider: Provider, class_name: &str, json: &str) -> Result<ClientSettings, Failure> {
        read(provider, class_name, &value(json), HostFacts::default())
    }

    fn mava(json: &str) -> Result<ClientSettings, Failure> {
        read_json(Provider::Mava, "MavaClient", json)
    }

    fn in_browser_page(json: &str) -> Result<ClientSettings, Failure> {
        read(Provider::Mava, "MavaClient", &value(json), HostFacts { in_browser_page: true, ..HostFacts::default() })
    }

    fn at(path: &str, rule: Keyword, words: &str) -> Violation {
        Violation::new(path, CODE, &format!("options{path}"), rule, words)
    }

    /// helpwave.test.mjs: "HelpWave needs a baseUrl".
    #[test]
    fn helpwave_needs_a_base_url() {
        let json = format!(r#"{{"apiKey":"{SECRET}"}}"#);
        let failure = read_json(Provider::HelpWave, "HelpWaveClient", &json).unwrap_err();
        assert_eq!((failure.kind, failure.provider, failure.operation), (ErrorKind::Config, "helpwave", "constructor"));
        assert_eq!(
            failure.message,
            "HelpWaveClient options are invalid: options must have required property 'baseUrl'"
        );
        let missing = Violation::new(
            "/baseUrl",
            CODE,
            "options",
            Keyword::Required("baseUrl".into()),
            "must have required property 'baseUrl'",
        );
        assert_eq!(failure.violations, [missing]);
    }

    /// tickiti.test.mjs: "every §5 Tickiti name exists, and a baseUrl is required".
    #[test]
    fn tickiti_needs_a_base_url() {
        let failure =
            read_json(Provider::Tickiti, "TickitiClient", &format!(r#"{{"apiKey":"{SECRET}"}}"#)).unwrap_err();
        assert_eq!((failure.kind, failure.provider), (ErrorKind::Config, "tickiti"));
        assert_eq!(failure.message, "TickitiClient options are invalid: options must have required property 'baseUrl'");
    }

    /// bounds.test.mjs: "an API key shorter than 8 characters is refused".
    #[test]
    fn an_api_key_shorter_than_8_characters_is_refused() {
        for key in ["k", "abc1234"] {
            let json = format!(r#"{{"apiKey":"{key}","baseUrl":"https://hw.example"}}"#);
            let failure = read_json(Provider::HelpWave, "HelpWaveClient", &json).unwrap_err();
            assert_eq!(failure.kind, ErrorKind::Config);
            let short = at("/apiKey", Keyword::MinLength(8), "must NOT have fewer than 8 characters");
            assert_eq!(failure.violations, [short], "{key}");
        }
    }

    /// bounds.test.mjs: "host values in options are refused for what they must be; "wait" and
    /// "fail" are checked as JSON" (the client half; the call half is in `options::call`).
    #[test]
    fn host_values_are_refused_for_what_they_must_be() {
        // `rateLimit: {}` is an object without acquire(): the host says so.
        let host =
            HostFacts { values: HostValues { given: &[], other_objects: &["rateLimit"] }, ..HostFacts::default() };
        let options = value(r#"{"apiKey":"bench-api-key","fetch":"x","rateLimit":{}}"#);
        let failure = read(Provider::Mava, "MavaClient", &options, host).unwrap_err();
        assert_eq!(
            failure.violations,
            [
                at("/fetch", Keyword::Type("function".into()), "must be function"),
                at(
                    "/rateLimit",
                    Keyword::Type("TicketwireRateLimiter".into()),
                    r#"must be "wait", "fail" or an object with an acquire() method"#
                ),
            ]
        );
        let failure = mava(r#"{"apiKey":"bench-api-key","rateLimit":5}"#).unwrap_err();
        assert_eq!(failure.violations, [at("/rateLimit", Keyword::Type("string".into()), "must be string")]);
        let failure = mava(r#"{"apiKey":"bench-api-key","rateLimit":"later"}"#).unwrap_err();
        let choices = Keyword::Enum(AllowedValues::Texts(&["wait", "fail"]));
        assert_eq!(failure.violations, [at("/rateLimit", choices, "must be equal to one of the allowed values")]);
    }

    /// host.rs: `bad_options_throw_a_config_error_without_the_key`.
    #[test]
    fn bad_options_are_a_config_failure_without_the_key() {
        let json = format!(r#"{{"apiKey":"{HOST_SECRET}","timeoutMs":-1,"baseUrl":"ftp://x"}}"#);
        let failure = mava(&json).unwrap_err();
        assert_eq!(failure.kind, ErrorKind::Config);
        assert_eq!(
            failure.message,
            "MavaClient options are invalid: options/timeoutMs must be >= 1; options/baseUrl must be an absolute http(s) URL"
        );
        assert!(!format!("{failure:?}").contains(HOST_SECRET), "{failure:?}");
    }

    /// secrets.test.mjs: "no key in a config (bad options) error", the key also a property name.
    #[test]
    fn no_key_in_a_bad_options_failure() {
        let failure = mava(&format!(r#"{{"apiKey":"{SECRET}","timeoutMs":0,"{SECRET}":1}}"#)).unwrap_err();
        assert_eq!(
            failure.message,
            "MavaClient options are invalid: options/timeoutMs must be >= 1; \
             options must NOT have additional properties '[redacted]'"
        );
        assert!(!format!("{failure:?}").contains(SECRET), "{failure:?}");
    }

    /// host.rs: `a_key_in_a_browser_page_needs_explicit_consent`; browser.test.mjs's guard.
    #[test]
    fn a_key_in_a_browser_page_needs_explicit_consent() {
        for key in [HOST_SECRET, "sk_page_secret"] {
            let failure = in_browser_page(&format!(r#"{{"apiKey":"{key}"}}"#)).unwrap_err();
            assert_eq!((failure.kind, failure.violations.as_slice()), (ErrorKind::Config, &[][..]));
            assert_eq!(
                failure.message,
                "MavaClient was given an apiKey in a browser page, where every visitor can read it. \
                 Call through an edge relay that adds the key, or pass dangerouslyAllowBrowser: true \
                 if you accept that risk."
            );
            assert!(!format!("{failure:?}").contains(key), "{failure:?}");
        }
        let refused = in_browser_page(&format!(r#"{{"apiKey":"{SECRET}","dangerouslyAllowBrowser":false}}"#));
        assert!(refused.unwrap_err().message.starts_with("MavaClient was given an apiKey in a browser page"));
        // Outside a browser page, without a key (calls through a relay), or with consent: fine.
        assert!(mava(&format!(r#"{{"apiKey":"{SECRET}"}}"#)).is_ok());
        assert!(in_browser_page("{}").is_ok());
        let consented = in_browser_page(r#"{"apiKey":"sk_test_key","dangerouslyAllowBrowser":true}"#).unwrap();
        assert_eq!(consented.config.api_key.as_ref().map(ApiKey::expose), Some("sk_test_key"));
    }

    /// A path-only `baseUrl` (`/support/mava`) is taken on the page's origin, as the page's own
    /// `fetch` resolves it; outside a page, or on a page with no http(s) origin, it is a
    /// `config` error that says where a path works.
    #[test]
    fn a_path_only_base_url_resolves_on_the_page_s_origin() {
        let on_page = |origin, json: &str| {
            let host = HostFacts { in_browser_page: true, page_origin: Some(origin), ..HostFacts::default() };
            read(Provider::HelpWave, "HelpWaveClient", &value(json), host)
        };
        let settings = on_page("https://shop.example", r#"{"baseUrl":"/support/helpwave"}"#).unwrap();
        assert_eq!(settings.config.base_url, "https://shop.example/support/helpwave");
        let settings = on_page("http://127.0.0.1:8080", r#"{"baseUrl":"/support/helpwave/"}"#).unwrap();
        assert_eq!(settings.config.base_url, "http://127.0.0.1:8080/support/helpwave");
        // An absolute URL stays as given on a page.
        let settings = on_page("https://shop.example", r#"{"baseUrl":"https://relay.example/helpwave"}"#).unwrap();
        assert_eq!(settings.config.base_url, "https://relay.example/helpwave");

        let words = "must be an absolute http(s) URL, or a path (/support/mava) in a browser page served over http(s)";
        let path_refused = at("/baseUrl", Keyword::Format("base-url"), words);
        let message = format!("HelpWaveClient options are invalid: options/baseUrl {words}");
        // Outside a page (Node, a Worker: no origin), and on a `file:` page (origin "null").
        for failure in [
            read_json(Provider::HelpWave, "HelpWaveClient", r#"{"baseUrl":"/support/helpwave"}"#).unwrap_err(),
            on_page("null", r#"{"baseUrl":"/support/helpwave"}"#).unwrap_err(),
        ] {
            assert_eq!((failure.kind, failure.operation), (ErrorKind::Config, "constructor"));
            assert_eq!(failure.message, message);
            assert_eq!(failure.violations, std::slice::from_ref(&path_refused));
        }
        // `//host/path` names another host, and a relative path another place on each page:
        // neither is a path on the page's origin.
        for url in ["//relay.example/helpwave", "support/helpwave"] {
            let failure = on_page("https://shop.example", &format!(r#"{{"baseUrl":"{url}"}}"#)).unwrap_err();
            let absolute = at("/baseUrl", Keyword::Format("base-url"), "must be an absolute http(s) URL");
            assert_eq!(failure.violations, [absolute], "{url}");
        }
        // A query, fragment or backslash after the path is refused as in an absolute URL.
        for url in ["/support?x=1", "/support#top", "/\\\\relay.example"] {
            let failure = on_page("https://shop.example", &format!(r#"{{"baseUrl":"{url}"}}"#)).unwrap_err();
            assert_eq!(failure.violations.len(), 1, "{url}");
            assert!(
                failure.violations[0].message.ends_with("with a host and no query, fragment or user info"),
                "{url}"
            );
        }
    }

    /// browser.test.mjs (`consented.url`), mava.test.mjs (a relay's base URL), bounds.test.mjs
    /// (the 16777216-byte default): what a client gets when its options say nothing.
    #[test]
    fn defaults_and_what_overrides_them() {
        for options in ["null", "{}"] {
            let settings = mava(options).unwrap();
            assert_eq!(settings.config.base_url, "https://gateway.mava.app");
            assert!(settings.config.api_key.is_none());
            assert_eq!(settings.config.attachment_bucket_prefix, "app.mava.");
            assert_eq!((settings.timeout_ms, settings.max_retries, settings.deadline_ms), (30_000.0, 2, None));
            assert_eq!((settings.rate_limit, settings.quota), (RateLimitChoice::Wait, None));
            assert_eq!(settings.max_response_bytes, 16_777_216);
        }
        let settings = mava(
            r#"{"baseUrl":"https://relay.example.com/mava/","timeoutMs":50,"maxRetries":0,"deadlineMs":900,
                "rateLimit":"fail","rateLimitQuota":{"requests":5,"windowMs":1000},"maxResponseBytes":1000,
                "attachmentBucketPrefix":"acme-"}"#,
        )
        .unwrap();
        assert_eq!(settings.config.base_url, "https://relay.example.com/mava");
        assert_eq!(settings.config.attachment_bucket_prefix, "acme-");
        assert_eq!((settings.timeout_ms, settings.max_retries, settings.deadline_ms), (50.0, 0, Some(900.0)));
        assert_eq!(settings.rate_limit, RateLimitChoice::Fail);
        assert_eq!(settings.quota, Some(RateLimit { requests: 5, window_ms: 1000 }));
        assert_eq!(settings.max_response_bytes, 1000);
        assert_eq!(mava(r#"{"rateLimit":"wait"}"#).unwrap().rate_limit, RateLimitChoice::Wait);
        let host = HostFacts {
            values: HostValues { given: &["rateLimit", "fetch"], other_objects: &[] },
            ..HostFacts::default()
        };
        let custom = read(Provider::Mava, "MavaClient", &value(r#"{"rateLimit":{},"fetch":{}}"#), host).unwrap();
        assert_eq!(custom.rate_limit, RateLimitChoice::Custom);
    }

    /// The direct read takes no options the walker would refuse, and the same object: each
    /// option (and one the table lacks) alone and in every pair, with values of every kind, in
    /// and out of bounds, host values among them (given, or some other object).
    #[test]
    fn the_direct_read_takes_only_what_the_walker_allows() {
        const HOST: &str = "<host value>";
        const OTHER: &str = "<other object>";
        let values = [
            HOST,
            OTHER,
            "null",
            "true",
            "false",
            "0",
            "1",
            "-1",
            "1.5",
            "10",
            "11",
            "2147483647",
            "2147483648",
            "1073741824",
            "1073741825",
            "1e400",
            r#""""#,
            r#""k""#,
            r#""abc1234""#,
            r#""abc12345""#,
            r#""😀😀😀😀😀😀😀😀""#,
            r#""wait""#,
            r#""fail""#,
            r#""https://x.example""#,
            "[]",
            "{}",
            r#"{"requests":1,"windowMs":1}"#,
            r#"{"requests":0,"windowMs":1}"#,
            r#"{"requests":1}"#,
            r#"{"requests":1,"windowMs":1,"x":1}"#,
            r#"{"requests":1.5,"windowMs":1}"#,
        ];
        let names: Vec<&str> = CLIENT.fields.iter().map(|f| f.name).chain(["unknown"]).collect();
        let is_host = |name: &str| CLIENT.fields.iter().any(|f| f.name == name && f.rule.host_value().is_some());
        let singles: Vec<(&str, &str)> = names.iter().flat_map(|n| values.iter().map(move |v| (*n, *v))).collect();
        let (mut direct, mut cases) = (0, 0);
        for (i, a) in singles.iter().enumerate() {
            for b in singles[i..].iter().filter(|b| b.0 != a.0).chain([a]) {
                let pairs = if a == b { vec![*a] } else { vec![*a, *b] };
                let (mut given, mut other) = (Vec::new(), Vec::new());
                let mut json = String::from("{");
                for (name, v) in &pairs {
                    match *v {
                        HOST if is_host(name) => given.push(*name),
                        OTHER if is_host(name) => other.push(*name),
                        _ => {}
                    }
                    let v = if *v == HOST || *v == OTHER { "{}" } else { v };
                    json.push_str(&format!("{}\"{name}\":{v}", if json.len() > 1 { "," } else { "" }));
                }
                json.push('}');
                let options = value(&json);
                let host = HostValues { given: &given, other_objects: &other };
                let mut out = Violations::new("options", CODE);
                let walked = read_object(&CLIENT, &options, host, &mut out);
                cases += 1;
                if let Some(object) = read_direct(&options, host) {
                    direct += 1;
                    assert_eq!(out.into_vec(), [], "{json} given {given:?}");
                    let untaken: Object = object
                        .iter()
                        .filter(|(k, _)| !given.contains(k))
                        .map(|(k, v)| (k.to_owned(), v.clone()))
                        .collect();
                    assert_eq!(untaken, walked, "{json}");
                }
            }
        }
        assert!(direct > 500 && direct < cases, "{direct} of {cases} read directly");
        let host = HostValues::default();
        assert!(read_direct(&value(r#"{"apiKey":"bench-api-key","baseUrl":"https://x.example"}"#), host).is_some());
    }

    /// Options that are not an object are refused as a whole.
    #[test]
    fn options_that_are_not_an_object() {
        let failure = mava("5").unwrap_err();
        assert_eq!(failure.message, "MavaClient options are invalid: options must be object");
        assert_eq!(failure.violations, [at("", Keyword::Type("object".into()), "must be object")]);
    }
}
