//! `CallOptions`, read: the idempotency key's rules (refused where the operation takes none, a
//! fresh one where it takes one and none was given), the relay's headers and the deadline.
//! Making a fresh key is host I/O (Web Crypto): the host hands over a way to get one.

use super::{invalid, read_object, HostValues, CALL, CODE};
use crate::error::Failure;
use crate::operation::{CallContext, Operation};
use crate::value::Value;
use crate::violation::{Pointer, Violations};

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
        out.add(
            &Pointer::default().child("idempotencyKey"),
            None,
            format!("must NOT be given: {} {} takes no idempotency key", op.provider.display_name(), op.name),
        );
    }
    let violations = out.into_vec();
    if !violations.is_empty() {
        let message = invalid(&format!("{} {}", op.provider.display_name(), op.name), &violations);
        return Err(Failure::config(op.provider, op.name, message, violations));
    }
    if op.idempotency_key && idempotency_key.is_none() {
        // One key per logical call: what prepareX shows is what X would send.
        idempotency_key = Some(fresh_key().ok_or_else(|| {
            let message =
                "this host has neither crypto.randomUUID nor crypto.getRandomValues: pass options.idempotencyKey";
            Failure::config(op.provider, op.name, message.to_owned(), Vec::new())
        })?);
    }
    let context = CallContext { idempotency_key, capability: text("capability"), user_hash: text("userHash") };
    Ok(CallChoices { context, deadline_ms: object.get("deadlineMs").and_then(Value::as_number) })
}
