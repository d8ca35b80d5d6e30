//! `iterateTickets`: every matching ticket, page by page (CONTRACT §1.6 and §4). The [`plan`]
//! says which date windows to walk, in which order, with which filters; the [`TicketPager`]
//! walks them as a sans-IO state machine: it says the next page's query, takes each page, and
//! says which of its tickets to yield. The host only fetches and hands the tickets out.

use super::list_tickets::{self, check_date_range, DATE_RANGE_READS};
use crate::error::{ErrorKind, Failure};
use crate::operation::{CrossFieldCheck, Operation};
use crate::request::Config;
use crate::rules::date::{self, format_utc, one_year_after};
use crate::value::{Object, Value};
use crate::violation::{Keyword, Pointer, Violation, Violations};
use std::collections::{HashSet, VecDeque};

/// The query rules of `iterateTickets`: those of one page, but a range longer than a year is
/// allowed when sorting by `createdAt`, and `skip` is the iterator's own.
pub const ITERATE_TICKETS: Operation = Operation {
    name: "iterateTickets",
    checks: &[
        CrossFieldCheck { reads: DATE_RANGE_READS, check: date_range_for_iteration },
        CrossFieldCheck { reads: &["skip"], check: no_skip },
    ],
    ..list_tickets::LIST_TICKETS
};

/// Page size when the query names none: the largest the API allows, for the fewest requests.
pub const DEFAULT_PAGE_SIZE: f64 = 100.0;

fn date_range_for_iteration(input: &Object, out: &mut Violations) {
    check_date_range(input, out, true);
}

fn no_skip(input: &Object, out: &mut Violations) {
    if input.get("skip").is_some() {
        out.add_worded(
            &Pointer::default().child("skip"),
            Some("INVALID_SKIP"),
            Keyword::Not,
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
            window.insert("startDate", Value::String(pair[0].as_str().into()));
            window.insert("endDate", Value::String(pair[1].as_str().into()));
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

/// Walks an [`IterationPlan`]: each window with `skip += limit` while `hasMore`, never
/// yielding an `_id` twice, and stopping with an error instead of looping when a page makes no
/// progress.
#[derive(Debug)]
pub struct TicketPager {
    /// Windows still to walk, the current one first.
    windows: VecDeque<Object>,
    /// Where the next page of the current window starts.
    skip: f64,
    /// Every `_id` yielded so far.
    seen: HashSet<String>,
}

impl TicketPager {
    /// A pager over `plan`'s windows.
    pub fn new(plan: IterationPlan) -> Self {
        TicketPager { windows: plan.windows.into(), skip: 0.0, seen: HashSet::new() }
    }

    /// The query of the next page (a `listTickets` input), or `None` when every window is walked.
    pub fn next_query(&self) -> Option<Value> {
        let mut query = self.windows.front()?.clone();
        query.insert("skip", Value::Number(self.skip));
        Some(Value::Object(query))
    }

    /// Stops the walk: [`TicketPager::next_query`] says `None` from now on.
    pub fn finish(&mut self) {
        self.windows.clear();
    }

    /// Takes the body of the page [`TicketPager::next_query`] asked for, and says which of its
    /// `tickets` (by position) to yield: those not yielded before, in page order. A page that
    /// says `hasMore` but adds nothing new is `PAGINATION_STALLED`; a malformed page (a ticket
    /// without a string `_id` included) is `INVALID_RESPONSE`. Either ends the walk.
    pub fn handle_page(&mut self, body: &str) -> Result<Vec<usize>, Failure> {
        let page = read_page(body);
        let (ids, has_more) = match page {
            Ok(page) => page,
            Err(why) => {
                self.finish();
                return Err(page_failure("INVALID_RESPONSE", format!("answered a page that {why}")));
            }
        };
        let fresh: Vec<usize> =
            ids.into_iter().enumerate().filter(|(_, id)| self.seen.insert(id.clone())).map(|(i, _)| i).collect();
        if !has_more {
            self.windows.pop_front();
            self.skip = 0.0;
        } else if fresh.is_empty() {
            self.finish();
            let skip = crate::value::js_number(self.skip);
            let message = format!("answered a page at skip {skip} that says hasMore but adds no new ticket");
            return Err(page_failure("PAGINATION_STALLED", message));
        } else {
            let limit = self.windows.front().and_then(|w| w.get("limit")).and_then(Value::as_number);
            self.skip += limit.unwrap_or(DEFAULT_PAGE_SIZE);
        }
        Ok(fresh)
    }
}

/// A page's ticket `_id`s in order, and its `pagination.hasMore`; or what is wrong with it.
fn read_page(body: &str) -> Result<(Vec<String>, bool), &'static str> {
    let page = Value::from_json(body).map_err(|_| "is not JSON")?;
    let page = page.as_object().ok_or("is not an object")?;
    let Some(Value::Array(tickets)) = page.get("tickets") else { return Err("has no tickets array") };
    let ids = tickets
        .iter()
        .map(|t| t.as_object().and_then(|t| t.get("_id")).and_then(Value::as_str).map(str::to_owned))
        .collect::<Option<Vec<String>>>()
        .ok_or("holds a ticket without a string _id")?;
    match page.get("pagination").and_then(Value::as_object).and_then(|p| p.get("hasMore")) {
        Some(Value::Bool(has_more)) => Ok((ids, *has_more)),
        _ => Err("has no boolean pagination.hasMore"),
    }
}

fn page_failure(code: &str, detail: String) -> Failure {
    let message = format!("Mava iterateTickets: listTickets {detail}");
    Failure {
        status: Some(200),
        code: Some(code.to_owned()),
        ..Failure::new(ErrorKind::Api, &ITERATE_TICKETS, message)
    }
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

    fn pager(input: &str) -> TicketPager {
        TicketPager::new(plan(&Value::from_json(input).unwrap(), &docs_config()).unwrap())
    }

    fn page(ids: &[&str], has_more: bool) -> String {
        let tickets: Vec<String> = ids.iter().map(|id| format!(r#"{{"_id":"{id}"}}"#)).collect();
        format!(r#"{{"tickets":[{}],"count":99,"pagination":{{"hasMore":{has_more}}}}}"#, tickets.join(","))
    }

    fn skip_of(pager: &TicketPager) -> Option<String> {
        pager.next_query().map(|q| q.as_object().unwrap().get("skip").unwrap().to_json())
    }

    #[test]
    fn the_pager_walks_each_window_with_skip_plus_limit_while_has_more() {
        let mut p = pager(r#"{"startDate":"2023-03-01","endDate":"2025-06-01","limit":2}"#);
        assert_eq!(
            p.next_query().unwrap().to_json(),
            r#"{"startDate":"2025-03-01T00:00:00.000Z","endDate":"2025-06-01","limit":2,"skip":0}"#
        );
        assert_eq!(p.handle_page(&page(&["a", "b"], true)), Ok(vec![0, 1]));
        assert_eq!(skip_of(&p).as_deref(), Some("2"));
        assert_eq!(p.handle_page(&page(&["c"], false)), Ok(vec![0]));
        assert_eq!(
            p.next_query().unwrap().as_object().unwrap().get("endDate").unwrap().as_str(),
            Some("2025-03-01T00:00:00.000Z")
        );
        assert_eq!(skip_of(&p).as_deref(), Some("0"), "a new window starts at 0");
        assert_eq!(p.handle_page(&page(&[], false)), Ok(vec![]));
        assert_eq!(p.handle_page(&page(&["d"], false)), Ok(vec![0]));
        assert_eq!(p.next_query(), None);
    }

    #[test]
    fn a_ticket_already_yielded_is_not_yielded_again() {
        let mut p = pager(r#"{"startDate":"2026-01-01","endDate":"2026-04-01","limit":3}"#);
        assert_eq!(p.handle_page(&page(&["a", "b", "c"], true)), Ok(vec![0, 1, 2]));
        // A ticket created meanwhile pushed "c" onto the next page.
        assert_eq!(p.handle_page(&page(&["c", "d", "e"], true)), Ok(vec![1, 2]));
        assert_eq!(skip_of(&p).as_deref(), Some("6"));
    }

    #[test]
    fn a_page_that_says_has_more_but_adds_nothing_stops_the_walk() {
        let mut p = pager(r#"{"startDate":"2026-01-01","endDate":"2026-04-01","limit":2}"#);
        assert_eq!(p.handle_page(&page(&["a", "b"], true)), Ok(vec![0, 1]));
        let stalled = p.handle_page(&page(&["a", "b"], true)).unwrap_err();
        assert_eq!(
            (stalled.kind, stalled.status, stalled.code.as_deref()),
            (ErrorKind::Api, Some(200), Some("PAGINATION_STALLED"))
        );
        assert_eq!(
            stalled.message,
            "Mava iterateTickets: listTickets answered a page at skip 2 that says hasMore but adds no new ticket"
        );
        assert_eq!(p.next_query(), None, "nothing more is fetched");
        let mut empty = pager(r#"{"startDate":"2026-01-01","endDate":"2026-04-01"}"#);
        assert_eq!(empty.handle_page(&page(&[], true)).unwrap_err().code.as_deref(), Some("PAGINATION_STALLED"));
    }

    #[test]
    fn tickets_without_a_string_id_are_never_merged_into_one() {
        for body in [
            r#"{"tickets":[{"_id":"a"},{"subject":"no id"},{"_id":7}],"pagination":{"hasMore":false}}"#,
            r#"{"tickets":[{"_id":null}],"pagination":{"hasMore":false}}"#,
            r#"{"tickets":["a"],"pagination":{"hasMore":false}}"#,
        ] {
            let mut p = pager(r#"{"startDate":"2026-01-01","endDate":"2026-04-01"}"#);
            let failure = p.handle_page(body).unwrap_err();
            assert_eq!(failure.code.as_deref(), Some("INVALID_RESPONSE"), "{body}");
            assert_eq!(
                failure.message,
                "Mava iterateTickets: listTickets answered a page that holds a ticket without a string _id"
            );
            assert_eq!(p.next_query(), None);
        }
        for (body, why) in [
            ("[]", "is not an object"),
            (r#"{"pagination":{"hasMore":false}}"#, "has no tickets array"),
            (r#"{"tickets":[]}"#, "has no boolean pagination.hasMore"),
            (r#"{"tickets":[],"pagination":{"hasMore":"yes"}}"#, "has no boolean pagination.hasMore"),
        ] {
            let mut p = pager(r#"{"startDate":"2026-01-01","endDate":"2026-04-01"}"#);
            assert_eq!(
                p.handle_page(body).unwrap_err().message,
                format!("Mava iterateTickets: listTickets answered a page that {why}")
            );
        }
    }
}
