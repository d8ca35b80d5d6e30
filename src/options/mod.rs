//! The options a client, a call and a relay take, as rule tables, and the readers that check
//! options against them: their TypeScript is generated from the tables (`src/typescript.rs`),
//! so each option's name, type, limits and doc are written once, here. The host layer only
//! takes its own values (`fetch`, a signal, a limiter) apart and says what it found
//! ([`HostValues`]); every rule and default is decided here ([`client`], [`call`]).

pub mod call;
pub mod client;
pub mod relay;

use crate::provider::Provider;
use crate::redact::MIN_KEY_CHARS;
use crate::rules::{
    check_input, field, kept, required, Alias, Field, Format, HostKind, HostValue, Rule, RuleContext, Shape,
    NON_EMPTY_TEXT, TEXT,
};
use crate::value::{Object, Value};
use crate::violation::{Keyword, Pointer, Violation, Violations};

/// The code of every option mistake.
pub const CODE: &str = "INVALID_OPTION";

/// `setTimeout` fires at once for delays past 2^31 − 1 ms.
pub const MAX_TIMER_MS: i64 = 2_147_483_647;

/// A shorter key could not be scrubbed from errors without mangling ordinary words.
const API_KEY: Rule = Rule::Text { min: MIN_KEY_CHARS, max: None, format: None };

/// A function of the host's (its TypeScript says which).
const fn function(ts: &'static str) -> HostValue {
    HostValue { kind: HostKind::Function, ts, expected: "function" }
}

const FETCH: HostValue = function("(input: string | Request, init?: RequestInit) => Promise<Response>");
const SIGNAL: HostValue = HostValue { kind: HostKind::AbortSignal, ts: "AbortSignal", expected: "an AbortSignal" };
const CONVERSATION_STORE: HostValue = HostValue {
    kind: HostKind::ConversationStore,
    ts: "TicketwireConversationStore",
    expected: "an object with append() and read() methods",
};
const LIMITER: HostValue = HostValue {
    kind: HostKind::RateLimiter,
    ts: "TicketwireRateLimiter",
    expected: "an object with an acquire() method",
};

/// A limit: so many requests per window.
pub const QUOTA: Shape = Shape {
    name: "RateLimitQuota",
    doc: kept("A rate limit: at most `requests` per `windowMs` milliseconds."),
    variants: &[],
    fields: &[
        required("requests", Rule::Integer { min: 1, max: 1_000_000 }),
        required("windowMs", Rule::Integer { min: 1, max: MAX_TIMER_MS }),
    ],
};

/// `ClientOptions`: what every client's constructor takes.
pub const CLIENT: Shape = Shape {
    name: "ClientOptions",
    doc: kept("Options of every client."),
    variants: &[],
    fields: &[
        field("apiKey", API_KEY)
            .doc("The provider's API key. Omit it when calls go through a relay that adds it."),
        field("baseUrl", TEXT)
            .doc("Where the API (or your relay) lives: an absolute http(s) URL, or in a browser page a path on the page's origin (`/support/mava`). Mava defaults to https://gateway.mava.app; HelpWave and Tickiti need one."),
        field("fetch", Rule::Host(&FETCH))
            .doc("The fetch to call instead of the global one (a Workers service binding, a test double)."),
        field("timeoutMs", Rule::Integer { min: 1, max: MAX_TIMER_MS })
            .doc("Timeout of each attempt, in milliseconds (default 30000)."),
        field("maxRetries", Rule::Integer { min: 0, max: 10 })
            .doc("Retries after a failed attempt, where retrying is safe (default 2)."),
        field("deadlineMs", Rule::Integer { min: 1, max: MAX_TIMER_MS })
            .doc("The most one call may take, retries and waits included, in milliseconds (default: no limit)."),
        field("rateLimit", Rule::Either(&Rule::Enum(&["wait", "fail"]), &Rule::Host(&LIMITER))).doc(
            "Pacing under the provider's limit (Mava: 90 per 30 s per key), shared by every client with \
             the same key: \"wait\" (default) waits for a slot, \"fail\" rejects at once with kind \
             \"rate_limited\" and `retryAfterMs`, or your own limiter (e.g. backed by a Durable Object).",
        ),
        field("rateLimitQuota", Rule::Object(&QUOTA))
            .doc("The limit to pace to, when yours differs from the published one (Mava: 90 per 30000 ms)."),
        field("dangerouslyAllowBrowser", Rule::Bool)
            .doc("Allows an `apiKey` in a browser page, where every visitor can read it."),
        field("attachmentBucketPrefix", TEXT)
            .doc("Mava: attachment URLs must be in an S3 bucket whose name starts with this (default \"app.mava.\")."),
        field("maxResponseBytes", Rule::Integer { min: 1, max: 1 << 30 }).doc(
            "A response body longer than this many bytes is an error (kind \"api\", code \"RESPONSE_TOO_LARGE\"); default 16 MiB.",
        ),
    ],
};

/// `CallOptions`: what every call takes after its input.
pub const CALL: Shape = Shape {
    name: "CallOptions",
    doc: kept("Options of one call."),
    variants: &[],
    fields: &[
        field("signal", Rule::Host(&SIGNAL)).doc("Aborts the call, even while it waits."),
        field("idempotencyKey", Rule::Text { min: 1, max: Some(255), format: None })
            .doc("The Idempotency-Key to send, for operations that take one."),
        field("deadlineMs", Rule::Integer { min: 1, max: MAX_TIMER_MS })
            .doc("The most this call may take, retries and waits included, in milliseconds."),
        field("capability", Rule::Text { min: 1, max: Some(512), format: None })
            .doc("Through a relay: the ticket capability its create answered with (`result.capability`)."),
        field("userHash", Rule::Text { min: 1, max: Some(512), format: None })
            .doc("Through a relay with identity verification: your backend's HMAC of the user's identity."),
    ],
};

const OPERATIONS_DOC: &str = "The operations served, by their client method names. Default: what a visitor needs \
     (createTicket and identify; Tickiti createTicket and createTicketUnified). Operations on an existing ticket \
     need a capabilitySecret; listTickets, iterateTickets and listAgents are never served.";

const TICKET_DEFAULTS_DOC: &str = "The business's fields of every ticket a visitor creates (status, priority, \
     assignee, tags, category, …), merged in by the relay: a visitor may send only the customer's own fields.";

/// The names a relay's `operations` option takes: text to the option table (`Upstream::new`
/// names a wrong one), in TypeScript the union of the names every one of `providers` can
/// serve, from the catalog (`src/typescript.rs`).
pub struct RelayOperationNames {
    /// The alias the option's items are.
    pub alias: &'static Alias,
    /// Whose operations: a name is in the union when each of these can serve it.
    pub providers: &'static [Provider],
}

const fn relay_operation(name: &'static str, doc: &'static str) -> Alias {
    Alias { name, doc: kept(doc), rule: NON_EMPTY_TEXT }
}

const MAVA_OPERATION: Alias = relay_operation("MavaRelayOperation", "An operation a relay can serve for Mava.");
const HELPWAVE_OPERATION: Alias =
    relay_operation("HelpWaveRelayOperation", "An operation a relay can serve for HelpWave.");
const TICKITI_OPERATION: Alias =
    relay_operation("TickitiRelayOperation", "An operation a relay can serve for Tickiti.");
const HOSTED_OPERATION: Alias =
    relay_operation("RelayHostedOperation", "An operation a relay can serve for HelpWave and for Tickiti alike.");

/// Every alias of relay operation names, with the providers whose catalog gives its union.
pub const RELAY_OPERATION_NAMES: [RelayOperationNames; 4] = [
    RelayOperationNames { alias: &MAVA_OPERATION, providers: &[Provider::Mava] },
    RelayOperationNames { alias: &HELPWAVE_OPERATION, providers: &[Provider::HelpWave] },
    RelayOperationNames { alias: &TICKITI_OPERATION, providers: &[Provider::Tickiti] },
    RelayOperationNames { alias: &HOSTED_OPERATION, providers: &[Provider::HelpWave, Provider::Tickiti] },
];

/// `operations` of a relay's section, its items `names` (a `Rule::Named` relay operation alias).
const fn operations(names: &'static Rule) -> Field {
    field("operations", Rule::List { max: None, item: names }).doc(OPERATIONS_DOC)
}

/// A relay's Mava section: its base URL has a default.
pub const RELAY_MAVA: Shape = Shape {
    name: "MavaRelayOptions",
    doc: kept("Mava, as a relay serves it."),
    variants: &[],
    fields: &[
        required("apiKey", API_KEY).doc("The provider's API key: it stays in the relay."),
        field("baseUrl", TEXT).doc("Where the provider's API lives (Mava defaults to https://gateway.mava.app)."),
        operations(&Rule::Named(&MAVA_OPERATION)),
        field("rateLimitQuota", Rule::Object(&QUOTA))
            .doc("The provider key's limit, when your plan's is not the published one (Mava: 90 per 30000 ms)."),
        field("ticketDefaults", Rule::AnyObject).doc(TICKET_DEFAULTS_DOC),
        field("webhookSigningKey", SECRET).doc(
            "The signing key Mava's dashboard shows (`mava_wh_…`): the relay then serves POST {basePath}/mava/webhooks \
             and, with a capabilitySecret, each ticket's conversation to its visitor (CONTRACT §7.2).",
        ),
    ],
};

/// The fields of a relay's section for a provider at the host its customer has (HelpWave,
/// Tickiti), its operations named by `names`.
const fn hosted_fields(names: &'static Rule) -> [Field; 5] {
    [
        required("apiKey", API_KEY).doc("The provider's API key: it stays in the relay."),
        required("baseUrl", TEXT).doc("Where the provider's API lives."),
        operations(names),
        field("rateLimitQuota", Rule::Object(&QUOTA))
            .doc("The provider key's limit, when your plan's is not the published one."),
        field("ticketDefaults", Rule::AnyObject).doc(TICKET_DEFAULTS_DOC),
    ]
}

const HELPWAVE_FIELDS: [Field; 5] = hosted_fields(&Rule::Named(&HELPWAVE_OPERATION));
const TICKITI_FIELDS: [Field; 5] = hosted_fields(&Rule::Named(&TICKITI_OPERATION));
const HOSTED_FIELDS: [Field; 5] = hosted_fields(&Rule::Named(&HOSTED_OPERATION));

/// A relay's HelpWave section.
pub const RELAY_HELPWAVE: Shape = Shape {
    name: "HelpWaveRelayOptions",
    doc: kept("HelpWave, as a relay serves it, at the host its customer has."),
    variants: &[],
    fields: &HELPWAVE_FIELDS,
};

/// A relay's Tickiti section.
pub const RELAY_TICKITI: Shape = Shape {
    name: "TickitiRelayOptions",
    doc: kept("Tickiti, as a relay serves it, at the host its customer has."),
    variants: &[],
    fields: &TICKITI_FIELDS,
};

/// A section either hosted provider takes (TypeScript only: a helper that builds HelpWave's
/// and Tickiti's sections alike names it).
pub const RELAY_HOSTED_PROVIDER: Shape = Shape {
    name: "RelayHostedProviderOptions",
    doc: kept(
        "A section that serves HelpWave or Tickiti alike (`helpwave` or `tickiti`), at the host its customer has.",
    ),
    variants: &[],
    fields: &HOSTED_FIELDS,
};

/// An HMAC key as long as the hash (256 bits), written as text.
const SECRET: Rule = Rule::Text { min: 32, max: None, format: None };

/// `RelayOptions`: what `createRelay` takes (CONTRACT §6).
pub const RELAY: Shape = Shape {
    name: "RelayOptions",
    doc: kept("Options of `createRelay` (CONTRACT §6)."),
    variants: &[],
    fields: &[
        field("mava", Rule::Object(&RELAY_MAVA)).doc("Serves Mava's operations."),
        field("helpwave", Rule::Object(&RELAY_HELPWAVE)).doc("Serves HelpWave's operations."),
        field("tickiti", Rule::Object(&RELAY_TICKITI)).doc("Serves Tickiti's operations."),
        required(
            "allowedOrigins",
            Rule::List { max: None, item: &Rule::Text { min: 1, max: None, format: Some(Format::Origin) } },
        )
        .doc("Exact origins allowed to call, e.g. \"https://shop.example\"; never \"*\"."),
        field("capabilitySecret", SECRET)
            .doc("HMAC key for ticket capabilities: creates answer with one, calls on a ticket need it."),
        field("identitySecret", SECRET).doc("HMAC key: identify then needs your backend's hash of the identity."),
        field("maxBodyBytes", Rule::Integer { min: 1, max: 16 << 20 })
            .doc("The largest request body read, in bytes (default 65536)."),
        field("visitorLimit", Rule::Either(&Rule::Bool, &Rule::Object(&QUOTA)))
            .doc("Each visitor's limit (default 30 per 60 s); false for none, true for the default."),
        field("visitorShare", Rule::Number { min: Some(0.0) }).doc(
            "The share of each provider key's quota visitors may use together (default 0.5): the rest stays \
             for your own backend's calls with the key. Greater than 0, at most 1.",
        ),
        field("maxResponseBytes", Rule::Integer { min: 1, max: 16 << 20 })
            .doc("The largest upstream answer relayed, in bytes (default 1048576); a larger one is a 502."),
        // Host values in the order their mistakes are reported.
        field("fetch", Rule::Host(&FETCH)).doc("The upstream fetch (default: the global one)."),
        field("rateLimit", Rule::Host(&LIMITER)).doc(
            "The provider key's limit shared by every isolate, e.g. `durableObjectRateLimiter(env.TICKETWIRE_LIMITER)`.",
        ),
        field("visitorKey", Rule::Host(&function("(request: Request) => string"))).doc(
            "Who a request comes from. In Workers the default is the cf-connecting-ip header (an IPv6 address by \
             its /64); elsewhere it is required unless visitorLimit is false.",
        ),
        field("conversations", Rule::Host(&CONVERSATION_STORE)).doc(
            "Where Mava's threads live (CONTRACT §7.2): by default the relay's memory (one process); in Workers, \
             `durableObjectConversations(env.TICKETWIRE_CONVERSATIONS)`, which also takes visitors' WebSockets.",
        ),
        field("basePath", TEXT).doc("Where the relay is mounted, e.g. \"/support\" (default \"\")."),
        field("now", Rule::Host(&function("() => number"))).doc("The clock, in Unix milliseconds (tests)."),
    ],
};

/// What the host layer found at the options whose rule takes one of its values (`Rule::Host`):
/// the core cannot tell a function or an `AbortSignal` from other objects, the host can.
#[derive(Debug, Clone, Copy, Default)]
pub struct HostValues<'a> {
    /// Options holding a host value of the kind their rule asks for: the host keeps them.
    pub given: &'a [&'a str],
    /// Options holding some other object or function: never JSON the table could check.
    pub other_objects: &'a [&'a str],
}

/// Reads an options object against `shape`: the host values (`host.given`) are left to the
/// host, a wrong one is refused for what it must be, and the JSON-like rest is checked against
/// the table and returned. `Value::Null` stands for no options (JS `undefined` or `null`).
pub fn read_object(shape: &Shape, options: &Value, host: HostValues, out: &mut Violations) -> Object {
    let object = match options {
        Value::Null => return Object::new(),
        Value::Object(object) => object,
        other => {
            check_input(shape.fields, other, &RuleContext { attachment_bucket_prefix: "" }, out);
            return Object::new();
        }
    };
    let mut taken = Vec::new();
    for field in shape.fields.iter().filter(|f| object.get(f.name).is_some()) {
        if field.rule.host_value().is_none() {
            continue;
        }
        // Where JSON is also allowed (`rateLimit: "wait"`), the table checks what is not an object.
        let json_also = !matches!(field.rule, Rule::Host(_));
        if host.given.contains(&field.name) {
            taken.push(field.name);
        } else if !json_also || host.other_objects.contains(&field.name) {
            let rule = Keyword::Type(field.rule.host_value().map_or("", |host| host.type_name()).into());
            out.add_worded(&Pointer::default().child(field.name), None, rule, must_be(&field.rule));
            taken.push(field.name);
        }
    }
    let rest: Object =
        object.iter().filter(|(k, _)| !taken.contains(k)).map(|(k, v)| (k.to_owned(), v.clone())).collect();
    check_input(shape.fields, &Value::Object(rest.clone()), &RuleContext { attachment_bucket_prefix: "" }, out);
    rest
}

/// What a host option must be: the strings it also takes, then its host value.
pub fn must_be(rule: &Rule) -> String {
    let mut message = String::from("must be ");
    if let Rule::Either(Rule::Enum(values), _) = rule {
        for (i, value) in values.iter().enumerate() {
            message.push_str(if i == 0 { "\"" } else { ", \"" });
            message.push_str(value);
            message.push('"');
        }
        message.push_str(" or ");
    }
    message.push_str(rule.host_value().map_or("", |host| host.expected));
    message
}

/// `{subject} options are invalid: ` and every violation's message, `; ` between them.
fn invalid(subject: &str, violations: &[Violation]) -> String {
    let listed: Vec<&str> = violations.iter().map(|v| v.message.as_str()).collect();
    format!("{subject} options are invalid: {}", listed.join("; "))
}
