//! JSON text to a [`Value`](crate::value::Value) and back: a bounded reader (`read`) and a
//! writer that matches `JSON.stringify` byte for byte (`write`).

pub(crate) mod read;
pub(crate) mod write;

pub use read::JsonError;
