//! List categories — `GET /api/categories` → `{ categories: [{ _id, name }] }` (CONTRACT §1.5).

use crate::operation::{Input, Method, Operation, Relaying, RetrySafety};
use crate::provider::Provider;

/// The operation.
pub const LIST_CATEGORIES: Operation = Operation {
    provider: Provider::Mava,
    name: "listCategories",
    method: Method::Get,
    path: "/api/categories",
    input: Input::None,
    checks: &[],
    safety: RetrySafety::Idempotent,
    idempotency_key: false,
    reshape: None,
    relaying: Relaying::WHEN_LISTED,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mava::tests::docs_config;
    use crate::operation::CallContext;
    use crate::value::Value;

    #[test]
    fn a_get_with_auth_and_no_body() {
        let r = LIST_CATEGORIES.prepare(&Value::Null, &docs_config(), &CallContext::default()).unwrap();
        assert_eq!((r.method.as_str(), r.url.as_str()), ("GET", "https://gateway.mava.app/api/categories"));
        assert_eq!(r.headers, vec![("x-auth-token".into(), "YOUR_API_KEY".into())]);
        assert_eq!(r.body, None);
    }
}
