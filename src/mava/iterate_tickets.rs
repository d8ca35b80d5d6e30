//! `iterateTickets`: every matching ticket, page by page (CONTRACT §1.6, auto-pagination). The
//! plan is pure: which date windows to walk, in which order, with which filters. The host
//! pages through each window with `skip += limit` while `hasMore`, and drops `_id`s it has
//! already yielded.

use super::list_tickets::{self, check_date_range};
use crate::operation::Operation;
use crate::request::Config;
use crate::rules::date::{self, format_utc, one_year_after};
use crate::value::{Object, Value};
use crate::violation::{Pointer, Violation, Violations};

/// The query rules of `iterateTickets`: those of one page, but a range longer than a year is
/// allowed when sorting by `createdAt`, and `skip` is the iterator's own.
pub const ITERATE_TICKETS: Operation =
    Operation { name: "iterateTickets", checks: &[date_range_for_iteration, no_skip], ..list_tickets::LIST_TICKETS };

/// Page size when the query names none: the largest the API allows, for the fewest requests.
pub const DEFAULT_PAGE_SIZE: f64 = 100.0;

fn date_range_for_iteration(input: &Object, out: &mut Violations) {
    check_date_range(input, out, true);
}

fn no_skip(input: &Object, out: &mut Violations) {
    if input.get("skip").is_some() {
        out.add(
            &Pointer::default().child("skip"),
            Some("INVALID_SKIP"),
            "must NOT be given: iterateTickets pages by itself",
        );
    }
}

/// What to fetch: each window's query (dates, filters and `limit`), in the order to walk them.
#[derive(Debug, Clone, PartialEq)]
pub struct IterationPlan {
    /// One query per window of at most a year, newest first unless `sortOrder` is `asc`.
    pub windows: Vec<Object>,
}

/// Plans an iteration over `input`, or says why it cannot be run.
pub fn plan(input: &Value, config: &Config) -> Result<IterationPlan, Vec<Violation>> {
    let violations = ITERATE_TICKETS.validate(input, config);
    if !violations.is_empty() {
        return Err(violations);
    }
    let query = input.as_object().cloned().unwrap_or_default();
    let text = |key| query.get(key).and_then(Value::as_str).unwrap_or("").to_owned();
    let (start_text, end_text) = (text("startDate"), text("endDate"));
    let (Some(start), Some(end)) = (date::parse(&start_text, true), date::parse(&end_text, true)) else {
        return Err(violations); // unreachable: validation parsed both
    };
    // Window bounds: the caller's own text at both ends, UTC instants between.
    let mut bounds = vec![start_text];
    let mut cut = one_year_after(start);
    while cut < end {
        bounds.push(format_utc(cut));
        cut = one_year_after(cut);
    }
    bounds.push(end_text);
    let mut windows: Vec<Object> = bounds
        .windows(2)
        .map(|pair| {
            let mut window = Object::new();
            window.insert("startDate", Value::String(pair[0].clone()));
            window.insert("endDate", Value::String(pair[1].clone()));
            for (key, value) in query.iter().filter(|(k, _)| !matches!(*k, "startDate" | "endDate")) {
                window.insert(key, value.clone());
            }
            if window.get("limit").is_none() {
                window.insert("limit", Value::Number(DEFAULT_PAGE_SIZE));
            }
            window
        })
        .collect();
    if query.get("sortOrder").and_then(Value::as_str) != Some("asc") {
        windows.reverse(); // the API's default order is newest first
    }
    Ok(IterationPlan { windows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mava::tests::docs_config;
    use crate::vector::expect;

    fn windows(input: &str) -> Vec<String> {
        plan(&Value::from_json(input).unwrap(), &docs_config())
            .unwrap()
            .windows
            .into_iter()
            .map(|w| Value::Object(w).to_json())
            .collect()
    }

    fn refused(input: &str) -> Vec<(String, String, String)> {
        crate::violation::triples(plan(&Value::from_json(input).unwrap(), &docs_config()).unwrap_err())
    }

    #[test]
    fn a_range_within_a_year_is_one_window_with_the_callers_dates_and_a_page_of_100() {
        assert_eq!(
            windows(r#"{"startDate":"2026-01-01","endDate":"2026-04-01","status":"Open"}"#),
            [r#"{"startDate":"2026-01-01","endDate":"2026-04-01","status":"Open","limit":100}"#]
        );
        assert_eq!(windows(r#"{"startDate":"2026-01-01","endDate":"2027-01-01","limit":20}"#).len(), 1);
    }

    #[test]
    fn a_longer_range_is_split_into_yearly_windows_newest_first() {
        assert_eq!(
            windows(r#"{"startDate":"2023-03-01","endDate":"2025-06-01","limit":50}"#),
            [
                r#"{"startDate":"2025-03-01T00:00:00.000Z","endDate":"2025-06-01","limit":50}"#,
                r#"{"startDate":"2024-03-01T00:00:00.000Z","endDate":"2025-03-01T00:00:00.000Z","limit":50}"#,
                r#"{"startDate":"2023-03-01","endDate":"2024-03-01T00:00:00.000Z","limit":50}"#,
            ]
        );
    }

    #[test]
    fn ascending_order_walks_the_windows_oldest_first_and_29_february_cuts_at_28() {
        assert_eq!(
            windows(r#"{"startDate":"2024-02-29","endDate":"2026-01-01","sortBy":"createdAt","sortOrder":"asc"}"#),
            [
                r#"{"startDate":"2024-02-29","endDate":"2025-02-28T00:00:00.000Z","sortBy":"createdAt","sortOrder":"asc","limit":100}"#,
                r#"{"startDate":"2025-02-28T00:00:00.000Z","endDate":"2026-01-01","sortBy":"createdAt","sortOrder":"asc","limit":100}"#,
            ]
        );
    }

    #[test]
    fn a_longer_range_with_another_sort_is_refused() {
        assert_eq!(
            refused(r#"{"startDate":"2023-01-01","endDate":"2025-01-01","sortBy":"priority"}"#),
            vec![expect(
                "/endDate",
                "INVALID_DATE_RANGE",
                "querystring/endDate must NOT be more than one year after startDate unless sortBy is createdAt"
            )]
        );
    }

    #[test]
    fn skip_belongs_to_the_iterator_and_the_page_rules_still_hold() {
        assert_eq!(
            refused(r#"{"startDate":"2026-01-01","endDate":"2026-02-01","skip":10,"limit":500}"#),
            vec![
                expect("/limit", "INVALID_LIMIT", "querystring/limit must be <= 100"),
                expect("/skip", "INVALID_SKIP", "querystring/skip must NOT be given: iterateTickets pages by itself"),
            ]
        );
        assert_eq!(
            refused(r#"{"endDate":"2026-02-01"}"#),
            vec![expect("/startDate", "MISSING_DATE_RANGE", "querystring must have required property 'startDate'")]
        );
    }

    #[test]
    fn one_page_still_refuses_a_range_past_a_year() {
        let input = Value::from_json(r#"{"startDate":"2023-01-01","endDate":"2025-01-01"}"#).unwrap();
        let violations = list_tickets::LIST_TICKETS.validate(&input, &docs_config());
        assert_eq!(violations[0].message, "querystring/endDate must NOT be more than one year after startDate");
    }
}
