//! JSON text to a [`Value`](crate::value::Value) and back: a bounded reader (`read`) and a
//! writer that matches `JSON.stringify` byte for byte (`write`).

mod read;
mod write;

pub use read::JsonError;
pub(crate) use read::{Scanner, Str, Token};
pub use write::{write_json_array, write_json_object, write_json_string};
