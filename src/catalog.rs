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

fn catalog(provider: Provider) -> &'static Catalog {
    match provider {
        Provider::Mava => &Catalog { calls: mava::OPERATIONS, iterators: &[&mava::ITERATE_TICKETS] },
        Provider::HelpWave => &Catalog { calls: helpwave::OPERATIONS, iterators: &[] },
        Provider::Tickiti => &Catalog { calls: tickiti::OPERATIONS, iterators: &[] },
    }
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
}
