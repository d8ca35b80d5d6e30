//! The providers the sandbox stands in for, and the shape of a provider's server behaviour:
//! what its framework does around the handlers. Each provider fills it in its own folder
//! (`mava/mod.rs`, `helpwave/mod.rs`, `tickiti/mod.rs`), so the pipeline never asks which
//! provider it serves.

use crate::body::RawBody;
use crate::endpoints::Mistake;
use crate::schema::Dialect;
use crate::{helpwave, mava, tickiti, Reply};
use axum::http::HeaderMap;
use ticketwire::value::Value;

/// A provider the sandbox stands in for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    /// Mava: Fastify with Ajv.
    Mava,
    /// HelpWave: sentences, no codes.
    HelpWave,
    /// Tickiti: `422 validation_failed` with every field's errors.
    Tickiti,
}

impl Provider {
    /// Its prefix in the sandbox's URLs.
    pub fn id(self) -> &'static str {
        match self {
            Provider::Mava => "mava",
            Provider::HelpWave => "helpwave",
            Provider::Tickiti => "tickiti",
        }
    }

    /// The provider at a URL prefix.
    pub fn from_id(id: &str) -> Option<Provider> {
        [Provider::Mava, Provider::HelpWave, Provider::Tickiti].into_iter().find(|p| p.id() == id)
    }

    /// Its server's behaviour.
    pub(crate) fn server(self) -> &'static Server {
        match self {
            Provider::Mava => &mava::SERVER,
            Provider::HelpWave => &helpwave::SERVER,
            Provider::Tickiti => &tickiti::SERVER,
        }
    }
}

/// A provider's server behaviour, in the order a request meets it: the key, the limit, the
/// body, the validator, and the error bodies it answers with on the way.
pub(crate) struct Server {
    /// The API key, from the header(s) the server reads.
    pub key: fn(&HeaderMap) -> Option<String>,
    /// The answer to a missing key (`false`) or an unknown one (`true`).
    pub unauthorized: fn(key_given: bool) -> Reply,
    /// Whether a known key may call, by its abilities (Tickiti's `create-ticket`); `Err` is the answer.
    pub authorize: fn(abilities: &str) -> Result<(), Reply>,
    /// Whether requests count against the sandbox's rate limiter (Mava's, per key).
    pub rate_limited: bool,
    /// The largest body read; past it the parser gets [`RawBody::TooLarge`].
    pub body_limit: usize,
    /// The body parser (`None`: there is no body), or its answer when it cannot read one.
    pub parse_body: fn(&HeaderMap, &RawBody) -> Result<Option<Value>, Reply>,
    /// What the validator sees when a request that takes a body has none.
    pub absent_body: fn() -> Value,
    /// How the validator applies a schema.
    pub dialect: Dialect,
    /// The code a field mistake carries where the server names none of its own (CONTRACT §0).
    pub validation_code: &'static str,
    /// The answer to refused input: `mistakes` in check order, never empty; `root` is where
    /// they were found (`body`, `querystring`, `params`).
    pub refusal: fn(root: &str, mistakes: &[Mistake]) -> Reply,
    /// An error in the provider's own format.
    pub error: fn(status: u16, message: &str) -> Reply,
    /// An unknown route.
    pub not_found: fn(method: &str, path: &str) -> Reply,
    /// A failure of the sandbox itself (a commit that fails, an injected `500` after the
    /// writes), for the endpoint by its name.
    pub internal_error: fn(endpoint: &str) -> Reply,
}
