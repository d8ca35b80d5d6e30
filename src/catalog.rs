//! Every provider's operations, by the client method names a relay's `operations` option and the
//! generated client classes use: one row per provider. An operation itself is one file in its
//! provider's folder; listing it in its provider's `OPERATIONS` puts it here.

use crate::operation::{Input, Operation};
use crate::provider::Provider;
use crate::{helpwave, mava, tickiti};

/// What a provider's client offers.
struct Catalog {
    /// Each sent as one call (`client.x`, `validateX`, `prepareX`).
    calls: &'static [&'static Operation],
    /// Walked page by page (`client.iterateX`) with another operation's request.
    iterators: &'static [&'static Operation],
}

#[cfg(feature = "full")]
fn catalog(provider: Provider) -> &'static Catalog {
    match provider {
        Provider::Mava => &Catalog { calls: mava::OPERATIONS, iterators: &[&mava::ITERATE_TICKETS] },
        Provider::HelpWave => &Catalog { calls: helpwave::OPERATIONS, iterators: &[] },
        Provider::Tickiti => &Catalog { calls: tickiti::OPERATIONS, iterators: &[] },
    }
}

/// `ticketwire/lite` (no "full" feature): only what a relay may ever serve a visitor
/// ([`Operation::servable_to_visitors`], the rule `createRelay` refuses the others by), and no
/// iterator; the operations left out are in no table, so none of their code is in the build.
#[cfg(not(feature = "full"))]
fn catalog(provider: Provider) -> &'static Catalog {
    const MAVA: &[&Operation] = &visitor_calls::<{ visitor_count(mava::OPERATIONS) }>(mava::OPERATIONS);
    const HELPWAVE: &[&Operation] = &visitor_calls::<{ visitor_count(helpwave::OPERATIONS) }>(helpwave::OPERATIONS);
    const TICKITI: &[&Operation] = &visitor_calls::<{ visitor_count(tickiti::OPERATIONS) }>(tickiti::OPERATIONS);
    match provider {
        Provider::Mava => &Catalog { calls: MAVA, iterators: &[] },
        Provider::HelpWave => &Catalog { calls: HELPWAVE, iterators: &[] },
        Provider::Tickiti => &Catalog { calls: TICKITI, iterators: &[] },
    }
}

/// How many of `operations` a relay may serve a visitor.
pub const fn visitor_count(operations: &[&Operation]) -> usize {
    let (mut count, mut i) = (0, 0);
    while i < operations.len() {
        if operations[i].servable_to_visitors() {
            count += 1;
        }
        i += 1;
    }
    count
}

/// The `N` of `operations` a relay may serve a visitor, in their order (`N` from [`visitor_count`]).
pub const fn visitor_calls<const N: usize>(operations: &[&'static Operation]) -> [&'static Operation; N] {
    let mut out: [&'static Operation; N] = [operations[0]; N];
    let (mut i, mut n) = (0, 0);
    while i < operations.len() {
        if operations[i].servable_to_visitors() {
            out[n] = operations[i];
            n += 1;
        }
        i += 1;
    }
    out
}

/// `provider`'s operations sent as one call each.
pub fn calls(provider: Provider) -> &'static [&'static Operation] {
    catalog(provider).calls
}

/// `provider`'s calls that take an input object: each has `validateX`, `prepareX` and a
/// Standard Schema view (`client.schemas.x`).
pub fn validated(provider: Provider) -> impl Iterator<Item = &'static Operation> {
    calls(provider).iter().copied().filter(|op| matches!(op.input, Input::Body(_) | Input::Query(_)))
}

/// Every operation of `provider`, by its client method name: the calls, then the iterators.
pub fn operations(provider: Provider) -> impl Iterator<Item = &'static Operation> {
    let catalog = catalog(provider);
    catalog.calls.iter().chain(catalog.iterators).copied()
}

/// The operation of `provider` a client method stem names (`createTicket`).
pub fn operation(provider: Provider, name: &str) -> Option<&'static Operation> {
    operations(provider).find(|op| op.name == name)
}

/// Every one-call operation of every provider, in provider order.
pub fn every_call() -> impl Iterator<Item = &'static Operation> {
    Provider::ALL.into_iter().flat_map(calls).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_belongs_to_its_provider_under_one_name_and_a_path_under_api() {
        for provider in Provider::ALL {
            let mut names: Vec<&str> = operations(provider).map(|op| op.name).collect();
            let count = names.len();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), count, "{provider:?} names an operation twice");
            assert!(operations(provider).all(|op| op.provider == provider && op.path.starts_with("/api/")));
        }
        assert_eq!(operation(Provider::Mava, "iterateTickets").map(|op| op.name), Some("iterateTickets"));
        assert!(operation(Provider::HelpWave, "iterateTickets").is_none());
        assert_eq!(every_call().count(), 7 + 4 + 3);
    }

    #[test]
    fn the_visitor_calls_are_the_operations_a_relay_may_enable() {
        let names = |ops: &[&Operation]| ops.iter().map(|op| op.name).collect::<Vec<_>>();
        let mava: [&Operation; visitor_count(mava::OPERATIONS)] = visitor_calls(mava::OPERATIONS);
        assert_eq!(names(&mava), ["createTicket", "identify", "listCategories"]);
        let helpwave: [&Operation; visitor_count(helpwave::OPERATIONS)] = visitor_calls(helpwave::OPERATIONS);
        assert_eq!(names(&helpwave), ["createTicket", "identify", "sendMessage", "listComments"]);
        let tickiti: [&Operation; visitor_count(tickiti::OPERATIONS)] = visitor_calls(tickiti::OPERATIONS);
        assert_eq!(names(&tickiti), ["createTicket", "createTicketUnified", "sendMessage"]);
        // Each one left out is one createRelay refuses to enable, whatever the secrets.
        let secrets = crate::relay::Secrets { capability: true, identity: true };
        for op in every_call().chain(operations(Provider::Mava)) {
            let refused = crate::relay::Upstream::new(
                op.provider,
                crate::request::Config::new("https://api.example", Some(crate::request::ApiKey::new("secret-key"))),
                Some(&[op.name.to_owned()]),
                secrets,
            )
            .is_err();
            assert_eq!(refused, !op.servable_to_visitors(), "{}", op.name);
        }
    }
}
