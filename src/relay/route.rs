//! Which operation a request to the relay names (CONTRACT §6, routes are the providers' own
//! wire): `{basePath}/{provider}{operation path}` with the operation's method, matched against
//! the operation tables as the path arrived, with no normalisation.

use crate::operation::Operation;

/// A request the relay serves: the operation, and the path fields it names (`ticketId`).
#[derive(Debug, Clone)]
pub struct Route {
    /// The operation.
    pub op: &'static Operation,
    /// Each `{field}` of the operation's path, with the text the request gave for it.
    pub params: Vec<(&'static str, String)>,
}

/// What no route path may hold, in any letter case: a dot segment, an empty segment, or an
/// encoded dot, slash or backslash.
const NEVER_IN_A_ROUTE: [&str; 6] = ["..", "//", "\\", "%2e", "%2f", "%5c"];

/// The path of an absolute URL as it arrived: after the authority, before `?` or `#`.
pub fn path_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(url, |at| &url[at + 3..]);
    let path = after_scheme.find('/').map_or("", |at| &after_scheme[at..]);
    &path[..path.find(['?', '#']).unwrap_or(path.len())]
}

/// The route `url` names with `method` among `operations` (those the relay enables), under
/// `base_path` (`""` or `/mount`); `None` for anything else.
pub fn find(base_path: &str, method: &str, url: &str, operations: &[&'static Operation]) -> Option<Route> {
    let path = path_of(url);
    let lower = path.to_ascii_lowercase();
    if NEVER_IN_A_ROUTE.iter().any(|bad| lower.contains(bad)) {
        return None;
    }
    let (provider, within) = path.strip_prefix(base_path)?.strip_prefix('/')?.split_once('/')?;
    let within = &path[path.len() - within.len() - 1..]; // keep the leading '/'
    operations
        .iter()
        .filter(|op| op.provider.id() == provider && op.method.as_str() == method)
        .find_map(|op| Some(Route { op, params: match_path(op.path, within)? }))
}

/// The `{field}` values when `path` matches `pattern` segment by segment.
fn match_path(pattern: &'static str, path: &str) -> Option<Vec<(&'static str, String)>> {
    let (mut wanted, mut given) = (pattern.split('/'), path.split('/'));
    let mut params = Vec::new();
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return Some(params),
            (Some(w), Some(g)) if w.len() > 2 && w.starts_with('{') && w.ends_with('}') && !g.is_empty() => {
                params.push((&w[1..w.len() - 1], g.to_owned()));
            }
            (Some(w), Some(g)) if w == g => {}
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{helpwave, mava, tickiti};

    const ENABLED: &[&Operation] = &[
        &mava::CREATE_TICKET,
        &mava::IDENTIFY,
        &helpwave::CREATE_TICKET,
        &helpwave::SEND_MESSAGE,
        &helpwave::LIST_COMMENTS,
        &tickiti::CREATE_TICKET,
    ];

    fn found(method: &str, url: &str) -> Option<(&'static str, Vec<(&'static str, String)>)> {
        find("", method, url, ENABLED).map(|r| (r.op.name, r.params))
    }

    #[test]
    fn a_route_is_the_providers_own_path_and_method() {
        assert_eq!(found("POST", "https://relay.example/mava/api/ticket"), Some(("createTicket", vec![])));
        assert_eq!(found("POST", "https://relay.example/mava/api/identify?x=1"), Some(("identify", vec![])));
        assert_eq!(found("POST", "https://relay.example/tickiti/api/create_ticket"), Some(("createTicket", vec![])));
        assert_eq!(
            found("POST", "https://relay.example/helpwave/api/v1/tickets/987654321012345678/comments"),
            Some(("sendMessage", vec![("ticketId", "987654321012345678".to_owned())]))
        );
        assert_eq!(
            found("GET", "https://relay.example/helpwave/api/v1/tickets/12/comments"),
            Some(("listComments", vec![("ticketId", "12".to_owned())]))
        );
    }

    #[test]
    fn anything_else_is_no_route() {
        for (method, url) in [
            ("GET", "https://relay.example/mava/api/ticket"),       // wrong method
            ("PUT", "https://relay.example/mava/api/ticket"),       // updateTicket: not enabled
            ("POST", "https://relay.example/mava/api/ticket/"),     // trailing slash
            ("POST", "https://relay.example/Mava/api/ticket"),      // case
            ("POST", "https://relay.example/mava/API/ticket"),      // case
            ("POST", "https://relay.example/zendesk/api/ticket"),   // unknown provider
            ("POST", "https://relay.example/mava/api/tickets"),     // unknown operation
            ("POST", "https://relay.example/mava//api/ticket"),     // empty segment
            ("POST", "https://relay.example/mava/api/x/../ticket"), // dot segment
            ("POST", "https://relay.example/mava/api%2fticket"),    // encoded slash
            ("POST", "https://relay.example/mava/api%2Fticket"),
            ("POST", "https://relay.example/mava/api/%2e%2E/api/ticket"),
            ("POST", "https://relay.example/mava/api%5cticket"),
            ("POST", "https://relay.example/mava\\api\\ticket"),
            ("POST", "https://relay.example/helpwave/api/v1/tickets//comments"),
            ("GET", "https://relay.example/helpwave/api/v1/tickets/12/comments/extra"),
            ("POST", "https://relay.example/"),
            ("POST", "https://relay.example"),
        ] {
            assert_eq!(found(method, url), None, "{method} {url}");
        }
    }

    #[test]
    fn a_base_path_is_matched_exactly() {
        let route = find("/support", "POST", "https://shop.example/support/mava/api/ticket", ENABLED);
        assert_eq!(route.map(|r| r.op.name), Some("createTicket"));
        assert!(find("/support", "POST", "https://shop.example/mava/api/ticket", ENABLED).is_none());
        assert!(find("/support", "POST", "https://shop.example/supportx/mava/api/ticket", ENABLED).is_none());
    }

    #[test]
    fn the_path_is_read_as_it_arrived() {
        assert_eq!(path_of("https://relay.example:8443/a/b?c=%2e#d"), "/a/b");
        assert_eq!(path_of("http://relay.example"), "");
    }
}
