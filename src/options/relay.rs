//! `RelayOptions`, read (CONTRACT §6): the base path, the providers served with their client
//! settings and operations, the visitor limit, the origins and secrets, every default. Each
//! provider's section is read by the client reader itself, as a client of the relay's own
//! (`createRelay mava`), with the relay's upstream deadline. A failure never quotes a key or
//! secret the options hold.

use super::client::{self, ClientSettings, HostFacts};
use super::{invalid, read_object, HostValues, CODE, RELAY};
use crate::error::Failure;
use crate::provider::Provider;
use crate::rate_limit::RateLimit;
use crate::redact::{Redactor, MIN_KEY_CHARS};
use crate::relay::{
    RelayPolicy, Secrets, Upstream, DEFAULT_MAX_BODY_BYTES, DEFAULT_RELAY_MAX_RESPONSE_BYTES, DEFAULT_VISITOR_LIMIT,
    DEFAULT_VISITOR_SHARE, RELAY_UPSTREAM_DEADLINE_MS,
};
use crate::request::ApiKey;
use crate::value::{Object, Value};
use crate::violation::{listed, Keyword, Pointer, Violations};
use crate::webhook::mava::{read_signing_key, SIGNING_KEY_PREFIX};

/// A relay's settings, defaults filled in.
#[derive(Debug)]
pub struct RelaySettings {
    /// What the relay decides with.
    pub policy: RelayPolicy,
    /// Each provider's client settings, in `policy.upstreams`' order.
    pub clients: Vec<(Provider, ClientSettings)>,
    /// The HMAC key for ticket capabilities, if set.
    pub capability_secret: Option<String>,
    /// The HMAC key for identity hashes, if set.
    pub identity_secret: Option<String>,
}

/// Reads `createRelay`'s options. `host` says which host values (`fetch`, `rateLimit`,
/// `visitorKey`, `now`) the host found; each provider's client shares the `fetch` and limiter.
/// `in_workerd`: the platform sets `cf-connecting-ip`, so the visitor has a default key.
pub fn read(options: &Value, host: HostFacts, in_workerd: bool) -> Result<RelaySettings, Failure> {
    let secrets = secrets_in(options);
    read_unscrubbed(options, host, in_workerd).map_err(|mut failure| {
        for secret in &secrets {
            failure.redact(&Redactor::new(secret));
        }
        failure
    })
}

/// Every provider's id, as the message for options naming none lists them.
const PROVIDER_IDS: [&str; Provider::ALL.len()] = {
    let mut ids = [""; Provider::ALL.len()];
    let mut i = 0;
    while i < ids.len() {
        ids[i] = Provider::ALL[i].id();
        i += 1;
    }
    ids
};

fn read_unscrubbed(options: &Value, host: HostFacts, in_workerd: bool) -> Result<RelaySettings, Failure> {
    let mut out = Violations::new("options", CODE);
    let object = read_object(&RELAY, options, host.values, &mut out);
    let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
    let base_path = text("basePath").unwrap_or_default();
    if !base_path.is_empty() && (!base_path.starts_with('/') || base_path.ends_with('/') || base_path.contains("//")) {
        let words = "must be empty or start with '/' and not end with one";
        out.add_worded(&Pointer::default().child("basePath"), None, Keyword::Format("base-path"), words);
    }
    let providers: Vec<Provider> = Provider::ALL.into_iter().filter(|p| object.get(p.id()).is_some()).collect();
    let visitors_unlimited = object.get("visitorLimit") == Some(&Value::Bool(false));
    let visitor_key_given = options.as_object().is_some_and(|o| o.get("visitorKey").is_some());
    if !in_workerd && !visitors_unlimited && !visitor_key_given {
        out.add_worded(
            &Pointer::default().child("visitorKey"),
            None,
            Keyword::Required("visitorKey".into()),
            "is required outside Cloudflare Workers, where no header the platform sets names the visitor: \
             pass visitorKey(request) (e.g. the client address your server saw), or visitorLimit: false",
        );
    }
    let visitor_share = object.get("visitorShare").and_then(Value::as_number).unwrap_or(DEFAULT_VISITOR_SHARE);
    if !(visitor_share > 0.0 && visitor_share <= 1.0) {
        let rule = if visitor_share > 1.0 { Keyword::Maximum(1.0) } else { Keyword::ExclusiveMinimum(0.0) };
        out.add_worded(&Pointer::default().child("visitorShare"), None, rule, "must be greater than 0 and at most 1");
    }
    if providers.is_empty() {
        let words = format!("must have at least one of {}", listed(&PROVIDER_IDS));
        out.add_worded(&Pointer::default(), None, Keyword::AnyRequired(&PROVIDER_IDS), words);
    }
    let violations = out.into_vec();
    if !violations.is_empty() {
        return Err(Failure::relay_config(invalid("createRelay", &violations), violations));
    }
    let capability_secret = text("capabilitySecret");
    let identity_secret = text("identitySecret");
    let secrets = Secrets { capability: capability_secret.is_some(), identity: identity_secret.is_some() };
    let max_response_bytes =
        object.get("maxResponseBytes").and_then(Value::as_number).unwrap_or(DEFAULT_RELAY_MAX_RESPONSE_BYTES as f64);
    // The clients share the relay's fetch and limiter, and nothing else of its host values.
    let shared: Vec<&str> = host.values.given.iter().copied().filter(|k| ["fetch", "rateLimit"].contains(k)).collect();
    // An upstream is never relative to a page: the relay's `baseUrl`s stay absolute.
    let client_host =
        HostFacts { values: HostValues { given: &shared, other_objects: &[] }, page_origin: None, ..host };
    let mava_section = object.get("mava").and_then(Value::as_object);
    let mava_webhook_key = match mava_section.and_then(|m| m.get("webhookSigningKey")).and_then(Value::as_str) {
        None => None,
        Some(key) => match read_signing_key(key) {
            Ok(_) => Some(ApiKey::new(key.trim())),
            Err(why) => {
                return Err(Failure::relay_config(
                    format!("createRelay mava: webhookSigningKey: {}", why.reason()),
                    Vec::new(),
                ))
            }
        },
    };
    let mut clients = Vec::new();
    let mut upstreams = Vec::new();
    for provider in providers {
        let section = object.get(provider.id()).and_then(Value::as_object).cloned().unwrap_or_default();
        let options = client_options(provider, &section, visitor_share, max_response_bytes);
        let settings = client::read(provider, &format!("createRelay {}", provider.id()), &options, client_host)
            .map_err(|failure| Failure::relay_config(failure.message, Vec::new()))?;
        let names: Option<Vec<String>> = match section.get("operations") {
            Some(Value::Array(items)) => Some(items.iter().filter_map(Value::as_str).map(str::to_owned).collect()),
            _ => None,
        };
        let defaults = section.get("ticketDefaults").and_then(Value::as_object).cloned().unwrap_or_default();
        let upstream = Upstream::new(provider, settings.config.clone(), names.as_deref(), secrets)
            .map_err(|why| Failure::relay_config(format!("createRelay: {why}"), Vec::new()))?
            .with_ticket_defaults(defaults)
            .map_err(|why| Failure::relay_config(format!("createRelay {}: {why}", provider.id()), Vec::new()))?;
        upstreams.push(upstream);
        clients.push((provider, settings));
    }
    let visitor_limit = match object.get("visitorLimit") {
        Some(Value::Bool(false)) => None,
        Some(Value::Object(quota)) => RateLimit::from_quota(quota),
        _ => Some(DEFAULT_VISITOR_LIMIT),
    };
    let allowed_origins = match object.get("allowedOrigins") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    };
    let policy = RelayPolicy {
        upstreams,
        allowed_origins,
        capabilities: capability_secret.is_some(),
        identity_check: identity_secret.is_some(),
        max_body_bytes: object
            .get("maxBodyBytes")
            .and_then(Value::as_number)
            .map_or(DEFAULT_MAX_BODY_BYTES, |n| n as usize),
        visitor_limit,
        // The host's to say: whether its `rateLimit` counts visitors once for all isolates.
        shared_visitors: false,
        base_path,
        mava_webhook_key,
    };
    Ok(RelaySettings { policy, clients, capability_secret, identity_secret })
}

/// A provider's section as the client options its client reads: the relay's deadline and
/// answer limit, and the visitors' share of the key's quota (the provider's published one
/// unless the section names another), so the business's own calls keep the rest.
fn client_options(provider: Provider, section: &Object, visitor_share: f64, max_response_bytes: f64) -> Value {
    let mut options = Object::new();
    for key in ["apiKey", "baseUrl"] {
        if let Some(value) = section.get(key).filter(|v| v.as_str().is_some()) {
            options.insert(key, value.clone());
        }
    }
    let quota = section.get("rateLimitQuota").and_then(Value::as_object).and_then(RateLimit::from_quota);
    if let Some(quota) = quota.or(provider.rate_limit()) {
        let requests = (f64::from(quota.requests) * visitor_share).floor().max(1.0);
        let mut share = Object::new();
        share.insert("requests", Value::Number(requests));
        share.insert("windowMs", Value::Number(quota.window_ms as f64));
        options.insert("rateLimitQuota", Value::Object(share));
    }
    options.insert("deadlineMs", Value::Number(f64::from(RELAY_UPSTREAM_DEADLINE_MS)));
    options.insert("maxResponseBytes", Value::Number(max_response_bytes));
    Value::Object(options)
}

/// Every key and secret the options hold that is long enough to scrub.
fn secrets_in(options: &Value) -> Vec<String> {
    let Some(object) = options.as_object() else { return Vec::new() };
    let keys = Provider::ALL.iter().filter_map(|p| object.get(p.id())?.as_object()?.get("apiKey")?.as_str());
    let signing = object.get("mava").and_then(Value::as_object).and_then(|m| m.get("webhookSigningKey")?.as_str());
    let signing = signing.into_iter().flat_map(|k| [k, k.trim().trim_start_matches(SIGNING_KEY_PREFIX)]);
    let keys = keys.chain(signing);
    let secrets = ["capabilitySecret", "identitySecret"].iter().filter_map(|k| object.get(k)?.as_str());
    keys.chain(secrets).filter(|s| s.chars().count() >= MIN_KEY_CHARS).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    fn read_json(json: &str, given: &[&str]) -> Result<RelaySettings, Failure> {
        let host = HostFacts { values: HostValues { given, other_objects: &[] }, ..HostFacts::default() };
        read(&Value::from_json(json).unwrap(), host, true)
    }

    fn message(json: &str) -> String {
        let failure = read_json(json, &[]).unwrap_err();
        assert_eq!((failure.kind, failure.provider, failure.operation), (ErrorKind::Config, "relay", "createRelay"));
        failure.message
    }

    #[test]
    fn a_relay_serves_at_least_one_provider_under_a_clean_base_path() {
        assert_eq!(
            message(r#"{"allowedOrigins":["https://shop.example"],"basePath":"support/"}"#),
            "createRelay options are invalid: options/basePath must be empty or start with '/' and not end with one; \
             options must have at least one of 'mava', 'helpwave' or 'tickiti'"
        );
    }

    #[test]
    fn a_provider_section_is_read_as_its_client_reads_it_without_quoting_its_key() {
        let json = r#"{"allowedOrigins":["https://shop.example"],"helpwave":{"apiKey":"hw_secret_key_123","baseUrl":"ftp://x"}}"#;
        let text = message(json);
        assert!(text.starts_with("createRelay helpwave options are invalid: options/baseUrl"), "{text}");
        assert!(!text.contains("hw_secret_key_123"));
    }

    #[test]
    fn operations_are_named_from_the_catalog() {
        let json = r#"{"allowedOrigins":["https://shop.example"],"tickiti":{"apiKey":"tk_secret_key_1","baseUrl":"https://t.example","operations":["respond"]}}"#;
        assert_eq!(
            message(json),
            "createRelay: Tickiti has no operation 'respond' (it has createTicket, createTicketUnified, sendMessage)"
        );
    }

    #[test]
    fn defaults_fill_every_setting_and_each_client_gets_the_relays_deadline() {
        let json = format!(
            r#"{{"allowedOrigins":["https://shop.example"],"capabilitySecret":"{SECRET}","identitySecret":"{SECRET}","mava":{{"apiKey":"mava_key_12345","operations":["createTicket","identify"],"rateLimitQuota":{{"requests":5,"windowMs":1000}}}}}}"#
        );
        let settings = read_json(&json, &["fetch"]).unwrap();
        let policy = &settings.policy;
        assert_eq!(policy.allowed_origins, ["https://shop.example"]);
        assert_eq!((policy.max_body_bytes, policy.visitor_limit), (65_536, Some(DEFAULT_VISITOR_LIMIT)));
        assert_eq!((policy.capabilities, policy.identity_check, policy.base_path.as_str()), (true, true, ""));
        let names: Vec<&str> = policy.upstreams[0].operations.iter().map(|op| op.name).collect();
        assert_eq!(names, ["createTicket", "identify"]);
        let (provider, client) = &settings.clients[0];
        assert_eq!(*provider, Provider::Mava);
        assert_eq!(client.config.base_url, "https://gateway.mava.app");
        assert_eq!(client.deadline_ms, Some(20_000.0));
        assert_eq!(client.quota, Some(RateLimit { requests: 2, window_ms: 1000 }), "visitors' half of 5, rounded down");
        assert_eq!(settings.capability_secret.as_deref(), Some(SECRET));
    }

    #[test]
    fn a_visitor_limit_is_the_default_none_or_the_one_given() {
        let limit = |value: &str| {
            let json = format!(
                r#"{{"allowedOrigins":["https://a.example"],"mava":{{"apiKey":"mava_key_12345"}},"visitorLimit":{value}}}"#
            );
            read_json(&json, &[]).unwrap().policy.visitor_limit
        };
        assert_eq!(limit("true"), Some(DEFAULT_VISITOR_LIMIT));
        assert_eq!(limit("false"), None);
        assert_eq!(limit(r#"{"requests":2,"windowMs":10}"#), Some(RateLimit { requests: 2, window_ms: 10 }));
    }

    #[test]
    fn a_webhook_signing_key_is_read_once_and_never_quoted() {
        let bad = format!("mava_wh_{}", "A".repeat(60));
        let json = format!(
            r#"{{"allowedOrigins":["https://shop.example"],"mava":{{"apiKey":"mava_key_12345","webhookSigningKey":"{bad}"}}}}"#
        );
        let text = message(&json);
        assert_eq!(
            text,
            "createRelay mava: webhookSigningKey: the signing key is not a PKCS#8 RSA private key after `mava_wh_`"
        );
        let short = r#"{"allowedOrigins":["https://shop.example"],"mava":{"apiKey":"mava_key_12345","webhookSigningKey":"mava_wh_abc"}}"#;
        assert!(message(short).contains("options/mava/webhookSigningKey"), "{}", message(short));
        let none = r#"{"allowedOrigins":["https://shop.example"],"mava":{"apiKey":"mava_key_12345"}}"#;
        assert!(read_json(none, &[]).unwrap().policy.mava_webhook_key.is_none());
    }

    #[test]
    fn no_secret_is_quoted_in_any_failure() {
        let json = format!(
            r#"{{"allowedOrigins":["{SECRET}"],"mava":{{"apiKey":"mava_key_12345"}},"capabilitySecret":"{SECRET}"}}"#
        );
        let text = message(&json);
        assert!(text.starts_with("createRelay options are invalid: options/allowedOrigins/0"), "{text}");
        assert!(!text.contains(SECRET), "{text}");
    }
}
