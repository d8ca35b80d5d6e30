//! `CallOptions`, read: the idempotency key's rules (refused where the operation takes none, a
//! fresh one where it takes one and none was given), the relay's headers and the deadline.
//! Making a fresh key is host I/O (Web Crypto): the host hands over a way to get one.

use super::{invalid, read_object, HostValues, CALL, CODE};
use crate::error::Failure;
use crate::operation::{CallContext, Operation};
use crate::value::Value;
use crate::violation::{Keyword, Pointer, Violations};

/// What one call's options choose, besides the host's `signal`.
#[derive(Debug, Clone, Default)]
pub struct CallChoices {
    /// The idempotency key and the relay's headers.
    pub context: CallContext,
    /// The most this call may take, if limited.
    pub deadline_ms: Option<f64>,
}

/// Reads `CallOptions` for one call of `op`. `fresh_key` is asked only when `op` takes an
/// idempotency key and none was given (`None`: the host has no source of randomness).
pub fn read(
    op: &Operation,
    options: &Value,
    host: HostValues,
    fresh_key: impl FnOnce() -> Option<String>,
) -> Result<CallChoices, Failure> {
    let mut out = Violations::new("options", CODE);
    let object = read_object(&CALL, options, host, &mut out);
    let text = |key| object.get(key).and_then(Value::as_str).map(str::to_owned);
    let mut idempotency_key = text("idempotencyKey");
    if idempotency_key.is_some() && !op.idempotency_key {
        out.add_worded(
            &Pointer::default().child("idempotencyKey"),
            None,
            Keyword::Not,
            format!("must NOT be given: {} {} takes no idempotency key", op.provider.display_name(), op.name),
        );
    }
    let violations = out.into_vec();
    if !violations.is_empty() {
        let message = invalid(&format!("{} {}", op.provider.display_name(), op.name), &violations);
        return Err(Failure::config(op.provider, op.name, message, violations));
    }
    if op.needs_fresh_key(idempotency_key.as_deref()) {
        idempotency_key = Some(fresh_key().ok_or_else(|| {
            let message =
                "this host has neither crypto.randomUUID nor crypto.getRandomValues: pass options.idempotencyKey";
            Failure::config(op.provider, op.name, message.to_owned(), Vec::new())
        })?);
    }
    let context = CallContext { idempotency_key, capability: text("capability"), user_hash: text("userHash") };
    Ok(CallChoices { context, deadline_ms: object.get("deadlineMs").and_then(Value::as_number) })
}

#[cfg(test)]
mod tests {
    //! Twins of the JS tests on call options (`tests/node/*.test.mjs`), on the core reader.
    use super::*;
    use crate::error::ErrorKind;
    use crate::redact::Redactor;
    use crate::violation::Violation;
    use crate::{mava, tickiti};
    use std::cell::Cell;

    /// `tests/node/helpers.mjs`'s key.
    const SECRET: &str = "sk_live_node_secret_7331";
    const FRESH: &str = "6f1c2b9e-8d4a-4e1b-9c3f-2a7d5e8b0c41";

    fn value(json: &str) -> Value {
        Value::from_json(json).unwrap()
    }

    /// Reads `json` for `op` with no host values; a fresh key is `FRESH`.
    fn read_json(op: &Operation, json: &str) -> Result<CallChoices, Failure> {
        read(op, &value(json), HostValues::default(), || Some(FRESH.to_owned()))
    }

    fn at(path: &str, rule: Keyword, words: &str) -> Violation {
        Violation::new(path, CODE, &format!("options{path}"), rule, words)
    }

    /// mava.test.mjs: "an idempotency key is refused for Mava, which has none".
    #[test]
    fn an_idempotency_key_is_refused_for_mava() {
        let failure = read_json(&mava::CREATE_TICKET, r#"{"idempotencyKey":"k"}"#).unwrap_err();
        assert_eq!((failure.kind, failure.provider, failure.operation), (ErrorKind::Config, "mava", "createTicket"));
        assert_eq!(
            failure.message,
            "Mava createTicket options are invalid: options/idempotencyKey must NOT be given: \
             Mava createTicket takes no idempotency key"
        );
        let refused =
            at("/idempotencyKey", Keyword::Not, "must NOT be given: Mava createTicket takes no idempotency key");
        assert_eq!(failure.violations, [refused]);
    }

    /// tickiti.test.mjs: "the idempotency key is 1–255 characters, and only where the operation takes one".
    #[test]
    fn the_idempotency_key_is_1_to_255_characters_and_only_where_taken() {
        let long = format!(r#"{{"idempotencyKey":"{}"}}"#, "k".repeat(256));
        for (json, violation) in [
            (
                r#"{"idempotencyKey":""}"#,
                at("/idempotencyKey", Keyword::MinLength(1), "must NOT have fewer than 1 characters"),
            ),
            (long.as_str(), at("/idempotencyKey", Keyword::MaxLength(255), "must NOT have more than 255 characters")),
            (r#"{"idempotencyKey":5}"#, at("/idempotencyKey", Keyword::Type("string".into()), "must be string")),
        ] {
            let failure = read_json(&tickiti::CREATE_TICKET, json).unwrap_err();
            assert_eq!((failure.kind, failure.violations), (ErrorKind::Config, vec![violation]), "{json}");
        }
        let unified = read_json(&tickiti::CREATE_TICKET_UNIFIED, "{}").unwrap();
        assert_eq!(unified.context.idempotency_key, None);
        let failure = read_json(&tickiti::CREATE_TICKET_UNIFIED, r#"{"idempotencyKey":"k"}"#).unwrap_err();
        assert_eq!(
            failure.message,
            "Tickiti createTicketUnified options are invalid: options/idempotencyKey must NOT be given: \
             Tickiti createTicketUnified takes no idempotency key"
        );
    }

    /// tickiti.test.mjs: "createTicket sends … its own key", "a fresh key per call unless given":
    /// a given key is sent as given, and no fresh one is made for it.
    #[test]
    fn a_given_key_is_kept_and_a_missing_one_is_fresh() {
        let asked = Cell::new(0);
        let fresh = || {
            asked.set(asked.get() + 1);
            Some(FRESH.to_owned())
        };
        let long = "k".repeat(255);
        for key in ["crm-58221", long.as_str()] {
            let options = value(&format!(r#"{{"idempotencyKey":"{key}"}}"#));
            let choices = read(&tickiti::CREATE_TICKET, &options, HostValues::default(), fresh).unwrap();
            assert_eq!(choices.context.idempotency_key.as_deref(), Some(key));
        }
        assert_eq!(asked.get(), 0);
        let choices = read(&tickiti::CREATE_TICKET, &Value::Null, HostValues::default(), fresh).unwrap();
        assert_eq!((choices.context.idempotency_key.as_deref(), asked.get()), (Some(FRESH), 1));
        // An operation without a key never asks for one.
        let choices = read(&mava::CREATE_TICKET, &Value::Null, HostValues::default(), fresh).unwrap();
        assert_eq!((choices.context.idempotency_key, asked.get()), (None, 1));
    }

    /// A host without Web Crypto (tickiti.test.mjs covers `getRandomValues` standing in for
    /// `randomUUID`; with neither, the caller must pass a key).
    #[test]
    fn without_a_source_of_randomness_a_key_must_be_given() {
        let failure = read(&tickiti::CREATE_TICKET, &Value::Null, HostValues::default(), || None).unwrap_err();
        assert_eq!((failure.kind, failure.operation), (ErrorKind::Config, "createTicket"));
        assert_eq!(
            failure.message,
            "this host has neither crypto.randomUUID nor crypto.getRandomValues: pass options.idempotencyKey"
        );
        assert!(failure.violations.is_empty());
        let given = read(&tickiti::CREATE_TICKET, &value(r#"{"idempotencyKey":"k"}"#), HostValues::default(), || None);
        assert_eq!(given.unwrap().context.idempotency_key.as_deref(), Some("k"));
    }

    /// bounds.test.mjs: "host values in options are refused for what they must be" (the call
    /// half: `signal: { aborted: 'no' }`, an object that is no AbortSignal).
    #[test]
    fn a_signal_must_be_an_abort_signal() {
        let not_a_signal = HostValues { given: &[], other_objects: &["signal"] };
        let options = value(r#"{"signal":{"aborted":"no"}}"#);
        let failure = read(&mava::CREATE_TICKET, &options, not_a_signal, || None).unwrap_err();
        assert_eq!(failure.kind, ErrorKind::Config);
        assert_eq!(failure.violations, [at("/signal", Keyword::Type("AbortSignal".into()), "must be an AbortSignal")]);
        assert_eq!(failure.message, "Mava createTicket options are invalid: options/signal must be an AbortSignal");
        // Not an object either: still refused for what it must be, not as JSON.
        let failure = read_json(&mava::CREATE_TICKET, r#"{"signal":5}"#).unwrap_err();
        assert_eq!(failure.violations, [at("/signal", Keyword::Type("AbortSignal".into()), "must be an AbortSignal")]);
        // A real one stays with the host.
        let signal = HostValues { given: &["signal"], other_objects: &[] };
        assert!(read(&mava::CREATE_TICKET, &options, signal, || None).is_ok());
    }

    /// secrets.test.mjs: "no key in a config (bad call options) error": the client scrubs its
    /// key from the failure (`Client::throw`), here with the same redactor.
    #[test]
    fn no_key_in_a_bad_call_options_failure() {
        let mut failure = read_json(&mava::CREATE_TICKET, &format!(r#"{{"idempotencyKey":"{SECRET}"}}"#)).unwrap_err();
        failure.redact(&Redactor::new(SECRET));
        assert_eq!(
            failure.message,
            "Mava createTicket options are invalid: options/idempotencyKey must NOT be given: \
             Mava createTicket takes no idempotency key"
        );
        assert!(!format!("{failure:?}").contains(SECRET), "{failure:?}");
    }

    /// The relay's headers and the call's deadline, as given.
    #[test]
    fn capability_user_hash_and_deadline() {
        let options = value(r#"{"capability":"cap.1","userHash":"h1","deadlineMs":2500}"#);
        let choices = read(&mava::SEND_MESSAGE, &options, HostValues::default(), || None).unwrap();
        assert_eq!(choices.context.capability.as_deref(), Some("cap.1"));
        assert_eq!(choices.context.user_hash.as_deref(), Some("h1"));
        assert_eq!(choices.deadline_ms, Some(2500.0));
        let failure = read_json(&mava::SEND_MESSAGE, r#"{"deadlineMs":0,"other":1}"#).unwrap_err();
        assert_eq!(
            failure.message,
            "Mava sendMessage options are invalid: options/deadlineMs must be >= 1; \
             options must NOT have additional properties 'other'"
        );
    }
}
