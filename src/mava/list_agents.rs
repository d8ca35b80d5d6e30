//! List agents — `GET /api/agents` → `{ agents: [{ id, email, username, walletAddress }] }`
//! (CONTRACT §1.5: non-archived agents; `id` is what `assignedTo` takes).

use crate::operation::{Input, Method, Operation, Relaying, RetrySafety};
use crate::provider::Provider;

/// The operation.
pub const LIST_AGENTS: Operation = Operation {
    provider: Provider::Mava,
    name: "listAgents",
    method: Method::Get,
    path: "/api/agents",
    input: Input::None,
    checks: &[],
    safety: RetrySafety::Idempotent,
    idempotency_key: false,
    reshape: None,
    relaying: Relaying::NEVER,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mava::tests::docs_config;
    use crate::operation::CallContext;
    use crate::value::Value;

    #[test]
    fn a_get_with_auth_and_no_body() {
        let r = LIST_AGENTS.prepare(&Value::Null, &docs_config(), &CallContext::default()).unwrap();
        assert_eq!((r.method.as_str(), r.url.as_str()), ("GET", "https://gateway.mava.app/api/agents"));
        assert_eq!(r.headers, vec![("x-auth-token".into(), "YOUR_API_KEY".into())]);
        assert_eq!(r.body, None);
    }
}
