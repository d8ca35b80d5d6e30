//! List comments — `GET /api/v1/tickets/{ticketId}/comments` → `{ success, comments, totalCount }`
//! (CONTRACT §2.3).

use super::TICKET_ID;
use crate::operation::{Input, Method, Operation, Relaying, RetrySafety, TicketRole};
use crate::provider::Provider;
use crate::rules::{kept, required, Shape};

/// The operation.
pub const LIST_COMMENTS: Operation = Operation {
    provider: Provider::HelpWave,
    name: "listComments",
    method: Method::Get,
    path: "/api/v1/tickets/{ticketId}/comments",
    input: Input::Path(&INPUT),
    checks: &[],
    safety: RetrySafety::Idempotent,
    idempotency_key: false,
    reshape: None,
    relaying: Relaying {
        ticket: TicketRole::ActsOn("ticketId"),
        visitor_fields: Some(&["ticketId"]),
        ..Relaying::WHEN_LISTED
    },
};

/// The path parameters.
pub const INPUT: Shape = Shape {
    name: "HelpWaveListCommentsParams",
    doc: kept("The ticket whose comments to list (a path parameter; `listComments` takes it as a string)."),
    variants: &[],
    fields: &[required("ticketId", TICKET_ID).doc("The ticket, as the string of digits HelpWave returned.")],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helpwave::tests::{prepared, violations};
    use crate::vector::expect;

    #[test]
    fn a_get_on_the_comments_path_with_no_body() {
        let r = prepared(&LIST_COMMENTS, r#"{"ticketId":"987654321012345678"}"#);
        assert_eq!(
            (r.method.as_str(), r.url.as_str()),
            ("GET", "https://api.helpwave.example/api/v1/tickets/987654321012345678/comments")
        );
        assert_eq!(r.headers, vec![("x-api-key".into(), "YOUR_API_KEY".into())]);
        assert_eq!(r.body, None);
    }

    #[test]
    fn the_ticket_id_is_checked_as_a_path_parameter() {
        assert_eq!(
            violations(&LIST_COMMENTS, r#"{"ticketId":"abc"}"#),
            vec![expect("/ticketId", "VALIDATION_ERROR", "params/ticketId must match pattern \"^[0-9]+$\"")]
        );
    }
}
