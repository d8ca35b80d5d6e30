//! Every helpdesk the SDK speaks, and every fact about one in one row: its ids, where its key
//! goes, its default host, its rate limit, how it names field mistakes, the codes its statuses
//! stand for and its error body. Its operations are listed in [`crate::catalog`]. Adding a
//! provider is one variant and one row here, a row in the catalog, and its folder of operations
//! (README, "Where a rule lives").

use crate::rate_limit::RateLimit;
use crate::request::Auth;
use crate::value::{Object, Value};
use crate::violation::Violation;

/// A helpdesk API the SDK speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    /// Mava (CONTRACT §1).
    Mava,
    /// HelpWave (CONTRACT §2).
    HelpWave,
    /// Tickiti (CONTRACT §3).
    Tickiti,
}

/// How a provider writes a field mistake in its error body, so a relay's refusal reads as the
/// provider's own (CONTRACT §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorBody {
    /// `{ error: CODE, message }` (Mava's Fastify).
    CodeAndMessage,
    /// `{ error: sentence }` (HelpWave).
    Sentence,
    /// `{ code, message, errors: { "a.b": [sentence, …] } }` (Tickiti), every violation listed.
    CodeMessageAndFieldErrors,
}

/// One provider's facts.
#[derive(Debug)]
struct Facts {
    id: &'static str,
    display_name: &'static str,
    auth: Auth,
    default_base_url: Option<&'static str>,
    rate_limit: Option<RateLimit>,
    validation_code: &'static str,
    validation_status: u16,
    codes_by_status: &'static [(u16, &'static str)],
    error_body: ErrorBody,
}

const MAVA_FACTS: Facts = Facts {
    id: "mava",
    display_name: "Mava",
    auth: Auth::Header("x-auth-token"),
    default_base_url: Some("https://gateway.mava.app"),
    rate_limit: Some(RateLimit { requests: 90, window_ms: 30_000 }),
    validation_code: "VALIDATION_ERROR",
    validation_status: 400,
    codes_by_status: &[],
    error_body: ErrorBody::CodeAndMessage,
};

const HELPWAVE_FACTS: Facts = Facts {
    id: "helpwave",
    display_name: "HelpWave",
    auth: Auth::Header("x-api-key"),
    default_base_url: None,
    rate_limit: None,
    validation_code: "VALIDATION_ERROR",
    validation_status: 400,
    codes_by_status: &[],
    error_body: ErrorBody::Sentence,
};

const TICKITI_FACTS: Facts = Facts {
    id: "tickiti",
    display_name: "Tickiti",
    auth: Auth::Bearer,
    default_base_url: None,
    rate_limit: None,
    validation_code: "validation_failed",
    validation_status: 422,
    // Tickiti documents a code per status, but not its error body's shape.
    codes_by_status: &[
        (401, "unauthenticated"),
        (403, "forbidden"),
        (409, "idempotency_key_conflict"),
        (422, "validation_failed"),
    ],
    error_body: ErrorBody::CodeMessageAndFieldErrors,
};

impl Provider {
    /// Every provider, in the order the docs and types list them.
    pub const ALL: [Provider; 3] = [Provider::Mava, Provider::HelpWave, Provider::Tickiti];

    const fn facts(self) -> &'static Facts {
        match self {
            Provider::Mava => &MAVA_FACTS,
            Provider::HelpWave => &HELPWAVE_FACTS,
            Provider::Tickiti => &TICKITI_FACTS,
        }
    }

    /// The provider with this id (`mava`, `helpwave`, `tickiti`), as routes and orders name it.
    pub fn from_id(id: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.id() == id)
    }

    /// The id used in errors, routes and options: `mava`, `helpwave`, `tickiti`.
    pub const fn id(self) -> &'static str {
        self.facts().id
    }

    /// The name used in messages.
    pub fn display_name(self) -> &'static str {
        self.facts().display_name
    }

    /// Where the key goes.
    pub fn auth(self) -> Auth {
        self.facts().auth
    }

    /// The default base URL; `None` where each customer has its own host.
    pub fn default_base_url(self) -> Option<&'static str> {
        self.facts().default_base_url
    }

    /// The published rate limit per API key, where there is one.
    pub fn rate_limit(self) -> Option<RateLimit> {
        self.facts().rate_limit
    }

    /// The code the provider answers for a field mistake.
    pub fn validation_code(self) -> &'static str {
        self.facts().validation_code
    }

    /// The status the provider answers for a field mistake.
    pub fn validation_status(self) -> u16 {
        self.facts().validation_status
    }

    /// The code a status stands for when the error body names none.
    pub fn code_for_status(self, status: u16) -> Option<&'static str> {
        self.facts().codes_by_status.iter().find(|(s, _)| *s == status).map(|(_, code)| *code)
    }

    /// How the provider writes a field mistake.
    pub fn error_body(self) -> ErrorBody {
        self.facts().error_body
    }

    /// `violations` (at least one) as the provider's own error body.
    pub fn write_error_body(self, violations: &[Violation]) -> String {
        let first = &violations[0];
        let text = |s: &str| Value::String(s.into());
        let mut object = Object::new();
        match self.error_body() {
            ErrorBody::CodeAndMessage => {
                object.insert("error", text(&first.code));
                object.insert("message", text(&first.message));
            }
            ErrorBody::Sentence => object.insert("error", text(&first.message)),
            ErrorBody::CodeMessageAndFieldErrors => {
                object.insert("code", text(&first.code));
                object.insert("message", text(&first.message));
                let mut errors = Object::new();
                for v in violations {
                    let key = v.path.trim_start_matches('/').replace('/', ".");
                    let mut messages = match errors.get(&key) {
                        Some(Value::Array(items)) => items.clone(),
                        _ => Vec::new(),
                    };
                    messages.push(text(&v.message));
                    errors.insert(key, Value::Array(messages));
                }
                object.insert("errors", Value::Object(errors));
            }
        }
        Value::Object(object).to_json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_provider_is_found_by_its_id_and_only_by_it() {
        for provider in Provider::ALL {
            assert_eq!(Provider::from_id(provider.id()), Some(provider));
        }
        assert_eq!(Provider::from_id("Mava"), None);
        assert_eq!(Provider::from_id("zendesk"), None);
    }

    #[test]
    fn a_status_names_a_code_only_where_the_provider_documents_one() {
        assert_eq!(Provider::Tickiti.code_for_status(409), Some("idempotency_key_conflict"));
        assert_eq!(Provider::Tickiti.code_for_status(500), None);
        assert_eq!(Provider::Mava.code_for_status(401), None);
    }

    #[test]
    fn field_mistakes_are_written_in_each_providers_own_body() {
        let violations = [
            Violation::new("/a/b", "c", "", crate::violation::Keyword::Not, "m1"),
            Violation::new("/a/b", "c", "", crate::violation::Keyword::Not, "m2"),
        ];
        assert_eq!(Provider::Mava.write_error_body(&violations), r#"{"error":"c","message":"m1"}"#);
        assert_eq!(Provider::HelpWave.write_error_body(&violations), r#"{"error":"m1"}"#);
        assert_eq!(
            Provider::Tickiti.write_error_body(&violations),
            r#"{"code":"c","message":"m1","errors":{"a.b":["m1","m2"]}}"#
        );
    }
}
