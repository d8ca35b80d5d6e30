//! ticketwire: one validated client for the Mava, HelpWave and Tickiti helpdesk APIs.
//!
//! The crate is a sans-IO core: it turns an input into violations or the exact
//! [`PreparedRequest`](request::PreparedRequest), and a response into a result or a typed
//! [`Failure`](error::Failure). It never performs I/O and never reads a clock. The JS host
//! layer in `src/wasm/` (compiled for `wasm32` only) runs the loop over the host's `fetch`.
//!
//! ```
//! use ticketwire::{mava, operation::CallContext, request::{ApiKey, Config}, value::Value};
//!
//! let config = Config::new("https://gateway.mava.app", Some(ApiKey::new("key")));
//! let input = Value::from_json(r#"{"customerId":"645abc1234567890abcdef12"}"#).unwrap();
//! let request = mava::CREATE_TICKET.prepare(&input, &config, &CallContext::default()).unwrap();
//! assert_eq!(request.url, "https://gateway.mava.app/api/ticket");
//! assert_eq!(request.body.as_deref(), Some(r#"{"customerId":"645abc1234567890abcdef12"}"#));
//! ```

#![warn(missing_docs)]
// A call ends in one `Failure` at most; boxing it would only add noise at every `?`.
#![allow(clippy::result_large_err)]

pub mod call;
pub mod catalog;
pub mod conversation;
pub mod error;
pub mod helpwave;
pub mod json;
pub mod mava;
pub(crate) mod number;
pub mod operation;
pub mod options;
pub mod provider;
pub mod rate_limit;
pub(crate) mod redact;
pub mod relay;
pub mod request;
pub(crate) mod response;
pub(crate) mod retry;
pub mod rules;
pub mod tickiti;
pub mod value;
pub mod violation;
pub mod webhook;

#[cfg(any(test, fuzzing))]
#[doc(hidden)]
pub mod fuzz;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties;
#[cfg(test)]
mod typescript;
#[cfg(test)]
mod vector;

/// The JS API (wasm-bindgen exports); public only for the cross-layer tests in `tests/host.rs`.
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod wasm;
