//! Fetch tickets, one page — `GET /api/tickets` → `{ tickets, count, pagination }`
//! (CONTRACT §1.6). Violations use the endpoint's own codes.

use super::STATUS;
use crate::operation::{CrossFieldCheck, Input, Method, Operation, Relaying, RetrySafety};
use crate::provider::Provider;
use crate::rules::date::{self, one_year_after};
use crate::rules::{field, formatted, kept, required, Alias, Format, Rule, Shape, MAX_SAFE_INTEGER, OBJECT_ID};
use crate::value::{Object, Value};
use crate::violation::{Keyword, Pointer, Violations};

/// The operation.
pub const LIST_TICKETS: Operation = Operation {
    provider: Provider::Mava,
    name: "listTickets",
    method: Method::Get,
    path: "/api/tickets",
    input: Input::Query(&INPUT),
    checks: &[CrossFieldCheck { reads: DATE_RANGE_READS, check: date_range }],
    safety: RetrySafety::Idempotent,
    idempotency_key: false,
    reshape: None,
    relaying: Relaying::NEVER,
};

const INVALID_DATE_RANGE: &str = "INVALID_DATE_RANGE";

/// What `csatValues` takes.
const CSAT_VALUE: Alias = Alias {
    name: "MavaCsatValue",
    doc: kept("A CSAT filter value: a rating 1–5 (number or string) or \"no-rating\"."),
    rule: Rule::Either(&Rule::IntEnum(&[1, 2, 3, 4, 5]), &Rule::Enum(&["1", "2", "3", "4", "5", "no-rating"])),
};

/// What `origin` takes.
const ORIGIN: Alias = Alias {
    name: "MavaOrigin",
    doc: kept("Where a ticket came from."),
    rule: Rule::Enum(&["web", "discord", "telegram", "telegram-group", "email"]),
};

/// The query.
pub const INPUT: Shape = Shape {
    name: "MavaListTicketsInput",
    doc: kept("Query of `MavaClient.listTickets`: a date range of at most one year, and filters."),
    variants: &[],
    fields: &[
        required("startDate", formatted(Format::IsoDate))
            .code(INVALID_DATE_RANGE)
            .missing_code("MISSING_DATE_RANGE")
            .doc("Start of the range."),
        required("endDate", formatted(Format::IsoDate))
            .code(INVALID_DATE_RANGE)
            .missing_code("MISSING_DATE_RANGE")
            .doc("End of the range (exclusive), after `startDate`, at most one year later."),
        field("limit", Rule::Integer { min: 1, max: 100 })
            .code("INVALID_LIMIT")
            .doc("Tickets per page (server default 50)."),
        field("skip", Rule::Integer { min: 0, max: MAX_SAFE_INTEGER })
            .code("INVALID_SKIP")
            .doc("Tickets to skip (server default 0)."),
        field("status", Rule::OneOrMany(&STATUS)).doc("Only these statuses."),
        field("assignedTo", Rule::OneOrMany(&formatted(Format::ObjectIdOr("Unassigned"))))
            .doc("Only these agent ids, or `Unassigned`."),
        field("category", Rule::OneOrMany(&OBJECT_ID)).doc("Only these category ids."),
        field("tags", Rule::OneOrMany(&OBJECT_ID)).doc("Only these tag ids."),
        field("csatValues", Rule::OneOrMany(&Rule::Named(&CSAT_VALUE))).doc("Only these CSAT ratings."),
        field("origin", Rule::OneOrMany(&Rule::Named(&ORIGIN))).doc("Only these origins."),
        field(
            "sortBy",
            Rule::Enum(&["createdAt", "status", "priority", "sourceType", "assignedTo", "category", "resolutionTime"]),
        )
        .code("UNSUPPORTED_SORT_FIELD")
        .doc("The sort field (server default `createdAt`)."),
        field("sortOrder", Rule::Enum(&["asc", "desc"]))
            .code("UNSUPPORTED_SORT_ORDER")
            .doc("The sort direction (server default `desc`)."),
        field("includeMessages", Rule::Bool).doc("Includes each ticket's messages, oldest first."),
    ],
};

/// Both dates present, `endDate` after `startDate` (it is exclusive) and at most one year later.
fn date_range(input: &Object, out: &mut Violations) {
    check_date_range(input, out, false);
}

/// The fields [`check_date_range`] reads.
pub(crate) const DATE_RANGE_READS: &[&str] = &["startDate", "endDate", "sortBy"];

/// As [`date_range`]; with `longer_by_created_at`, a range past one year is allowed when the
/// sort is by `createdAt` (the iterator splits it into windows).
pub(crate) fn check_date_range(input: &Object, out: &mut Violations, longer_by_created_at: bool) {
    // Their absence is the table's (`missing_code`); here, how they relate.
    let root = Pointer::default();
    let instant = |key| input.get(key).and_then(Value::as_str).and_then(|s| date::parse(s, true));
    if let (Some(start), Some(end)) = (instant("startDate"), instant("endDate")) {
        let at = root.child("endDate");
        if end <= start {
            out.add(&at, Some(INVALID_DATE_RANGE), Keyword::DateAfter("startDate"));
        } else if end > one_year_after(start) {
            let by_created_at = input.get("sortBy").is_none_or(|v| v.as_str() == Some("createdAt"));
            if !longer_by_created_at {
                out.add(&at, Some(INVALID_DATE_RANGE), Keyword::DateWithinYear("startDate"));
            } else if !by_created_at {
                let rule = Keyword::DateWithinYear("startDate");
                let words = format!("{} unless sortBy is createdAt", rule.words());
                out.add_worded(&at, Some(INVALID_DATE_RANGE), rule, words);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mava::tests::{prepared, violations};

    fn v(path: &str, code: &str, message: &str) -> (String, String, String) {
        (path.to_owned(), code.to_owned(), message.to_owned())
    }

    const RANGE: &str = r#""startDate": "2026-01-01", "endDate": "2026-04-01""#;

    #[test]
    fn doc_basic_usage() {
        let r = prepared(&LIST_TICKETS, &format!(r#"{{{RANGE}, "limit": 20}}"#));
        assert_eq!(r.method, "GET");
        assert_eq!(r.url, "https://gateway.mava.app/api/tickets?startDate=2026-01-01&endDate=2026-04-01&limit=20");
        assert_eq!(r.headers, vec![("x-auth-token".into(), "YOUR_API_KEY".into())]);
        assert_eq!(r.body, None);
    }

    #[test]
    fn doc_filters_and_messages_repeat_multi_valued_parameters() {
        let r = prepared(
            &LIST_TICKETS,
            &format!(
                r#"{{{RANGE}, "status": ["Open", "Pending"], "assignedTo": "Unassigned", "origin": "discord",
                    "sortBy": "priority", "sortOrder": "desc", "includeMessages": true, "limit": 10}}"#
            ),
        );
        assert_eq!(
            r.url,
            "https://gateway.mava.app/api/tickets?startDate=2026-01-01&endDate=2026-04-01&status=Open&status=Pending\
             &assignedTo=Unassigned&origin=discord&sortBy=priority&sortOrder=desc&includeMessages=true&limit=10"
        );
    }

    #[test]
    fn doc_node_usage_and_pagination() {
        let r = prepared(&LIST_TICKETS, &format!(r#"{{{RANGE}, "limit": 20, "includeMessages": true}}"#));
        assert_eq!(r.url, "https://gateway.mava.app/api/tickets?startDate=2026-01-01&endDate=2026-04-01&limit=20&includeMessages=true");
        let r = prepared(&LIST_TICKETS, &format!(r#"{{{RANGE}, "limit": 50, "skip": 100}}"#));
        assert_eq!(
            r.url,
            "https://gateway.mava.app/api/tickets?startDate=2026-01-01&endDate=2026-04-01&limit=50&skip=100"
        );
    }

    #[test]
    fn doc_csat_values_mix_numbers_and_strings() {
        let r = prepared(&LIST_TICKETS, &format!(r#"{{{RANGE}, "csatValues": [4, "5", "no-rating"]}}"#));
        assert!(r.url.ends_with("&csatValues=4&csatValues=5&csatValues=no-rating"), "{}", r.url);
        assert_eq!(
            violations(&LIST_TICKETS, &format!(r#"{{{RANGE}, "csatValues": [0, "6", true]}}"#)),
            vec![
                v(
                    "/csatValues/0",
                    "VALIDATION_ERROR",
                    "querystring/csatValues/0 must be equal to one of the allowed values"
                ),
                v(
                    "/csatValues/1",
                    "VALIDATION_ERROR",
                    "querystring/csatValues/1 must be equal to one of the allowed values"
                ),
                v("/csatValues/2", "VALIDATION_ERROR", "querystring/csatValues/2 must be number,string"),
            ]
        );
    }

    #[test]
    fn date_times_are_encoded_as_url_search_params_does() {
        let r = prepared(
            &LIST_TICKETS,
            r#"{"startDate": "2026-01-01T00:00:00.000Z", "endDate": "2026-01-02T00:00:00+02:00"}"#,
        );
        assert_eq!(
            r.url,
            "https://gateway.mava.app/api/tickets?startDate=2026-01-01T00%3A00%3A00.000Z&endDate=2026-01-02T00%3A00%3A00%2B02%3A00"
        );
    }

    #[test]
    fn missing_dates_are_missing_date_range() {
        assert_eq!(
            violations(&LIST_TICKETS, r#"{"limit": 10}"#),
            vec![
                v("/startDate", "MISSING_DATE_RANGE", "querystring must have required property 'startDate'"),
                v("/endDate", "MISSING_DATE_RANGE", "querystring must have required property 'endDate'"),
            ]
        );
    }

    #[test]
    fn bad_dates_order_and_length_are_invalid_date_range() {
        let code = INVALID_DATE_RANGE;
        assert_eq!(
            violations(&LIST_TICKETS, r#"{"startDate": "2026-02-30", "endDate": 20260401}"#),
            vec![
                v("/startDate", code, "querystring/startDate must be an ISO 8601 date (YYYY-MM-DD) or date-time"),
                v("/endDate", code, "querystring/endDate must be string"),
            ]
        );
        assert_eq!(
            violations(&LIST_TICKETS, r#"{"startDate": "2026-04-01", "endDate": "2026-04-01"}"#),
            vec![v("/endDate", code, "querystring/endDate must be after startDate")]
        );
        assert_eq!(
            violations(&LIST_TICKETS, r#"{"startDate": "2026-01-01", "endDate": "2027-01-01T00:00:00.001Z"}"#),
            vec![v("/endDate", code, "querystring/endDate must NOT be more than one year after startDate")]
        );
        assert_eq!(violations(&LIST_TICKETS, r#"{"startDate": "2026-01-01", "endDate": "2027-01-01"}"#), vec![]);
        assert_eq!(violations(&LIST_TICKETS, r#"{"startDate": "2024-02-29", "endDate": "2025-02-28"}"#), vec![]);
        assert_eq!(
            violations(&LIST_TICKETS, r#"{"startDate": "2024-02-29", "endDate": "2025-03-01"}"#),
            vec![v("/endDate", code, "querystring/endDate must NOT be more than one year after startDate")]
        );
    }

    #[test]
    fn limit_and_skip_have_their_own_codes() {
        assert_eq!(
            violations(&LIST_TICKETS, &format!(r#"{{{RANGE}, "limit": 0, "skip": -1}}"#)),
            vec![
                v("/limit", "INVALID_LIMIT", "querystring/limit must be >= 1"),
                v("/skip", "INVALID_SKIP", "querystring/skip must be >= 0"),
            ]
        );
        assert_eq!(
            violations(&LIST_TICKETS, &format!(r#"{{{RANGE}, "limit": "20", "skip": 1.5}}"#)),
            vec![
                v("/limit", "INVALID_LIMIT", "querystring/limit must be integer"),
                v("/skip", "INVALID_SKIP", "querystring/skip must be integer"),
            ]
        );
        assert_eq!(
            violations(&LIST_TICKETS, &format!(r#"{{{RANGE}, "limit": 101}}"#)),
            vec![v("/limit", "INVALID_LIMIT", "querystring/limit must be <= 100")]
        );
    }

    #[test]
    fn sort_field_and_order_have_their_own_codes() {
        assert_eq!(
            violations(&LIST_TICKETS, &format!(r#"{{{RANGE}, "sortBy": "updatedAt", "sortOrder": "up"}}"#)),
            vec![
                v("/sortBy", "UNSUPPORTED_SORT_FIELD", "querystring/sortBy must be equal to one of the allowed values"),
                v(
                    "/sortOrder",
                    "UNSUPPORTED_SORT_ORDER",
                    "querystring/sortOrder must be equal to one of the allowed values"
                ),
            ]
        );
    }

    #[test]
    fn filters_check_each_value() {
        assert_eq!(
            violations(
                &LIST_TICKETS,
                &format!(
                    r#"{{{RANGE}, "status": ["Open", "Closed"], "assignedTo": ["nobody"], "category": "c", "tags": [1], "origin": "slack", "includeMessages": "true"}}"#
                )
            ),
            vec![
                v("/status/1", "VALIDATION_ERROR", "querystring/status/1 must be equal to one of the allowed values"),
                v(
                    "/assignedTo/0",
                    "VALIDATION_ERROR",
                    "querystring/assignedTo/0 must match pattern \"^[0-9a-fA-F]{24}$\" or be 'Unassigned'"
                ),
                v("/category", "VALIDATION_ERROR", "querystring/category must match pattern \"^[0-9a-fA-F]{24}$\""),
                v("/tags/0", "VALIDATION_ERROR", "querystring/tags/0 must be string"),
                v("/origin", "VALIDATION_ERROR", "querystring/origin must be equal to one of the allowed values"),
                v("/includeMessages", "VALIDATION_ERROR", "querystring/includeMessages must be boolean"),
            ]
        );
    }
}
