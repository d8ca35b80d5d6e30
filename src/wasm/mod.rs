//! The JS host layer, compiled for `wasm32` only: the only code that knows JS. It converts
//! JS values to core values and back, and runs each call over the host's `fetch`. The relay and
//! the Durable Object limiter and Mava's webhook verification are the "edge" feature's: they
//! hold secrets, so a browser page's build leaves them out. What needs a key of the client's own
//! (the operations no relay serves a visitor, the iterator, redaction, the shared limiter) is
//! the "full" feature's, left out of `ticketwire/lite`.

mod client;
mod conversation;
#[cfg(feature = "edge")]
mod conversation_object;
mod convert;
#[cfg(feature = "edge")]
mod durable;
mod error;
mod helpwave;
#[cfg(feature = "full")]
mod iterate;
mod mava;
pub mod options;
#[cfg(feature = "edge")]
mod relay;
mod schema;
mod sys;
mod tickiti;
mod transport;
#[cfg(feature = "edge")]
mod webhook;

pub use conversation::TicketwireConversation;
#[cfg(feature = "edge")]
pub use conversation_object::{durable_object_conversations, DurableObjectConversations, TicketwireConversationObject};
pub use convert::{memory, register_input_reader};
#[cfg(feature = "edge")]
pub use durable::{
    durable_object_rate_limiter, DurableObjectRateLimiter, DurableObjectSlot, TicketwireRateLimitObject,
};
pub use error::register_error_class;
pub use helpwave::HelpWaveClient;
#[cfg(feature = "full")]
pub use iterate::MavaTicketIterator;
pub use mava::MavaClient;
#[cfg(feature = "edge")]
pub use relay::{create_relay, Relay};
pub use tickiti::TickitiClient;
#[cfg(feature = "edge")]
pub use webhook::verify_mava_webhook;

/// Every operation's input type and the options, generated from their rule tables
/// (`src/typescript.rs`).
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const INPUT_TYPES: &'static str = include_str!("inputs.d.ts");

/// What the providers answer: TypeScript only, since calls resolve to the bodies as sent.
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const ANSWER_TYPES: &'static str = include_str!("answers.d.ts");

/// `ticketwire/lite` hands the numbers off the core's fast paths to the host (`src/number.rs`):
/// JavaScript's own `String(n)` and `Number(text)`, set as the module starts.
#[cfg(not(feature = "full"))]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
fn start() {
    crate::number::use_host_numbers(crate::number::HostNumbers {
        print: |n| js_sys::Number::from(n).to_string_with_radix(10).map(String::from).unwrap_or_default(),
        read: js_sys::Number::parse_float,
    });
}

#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The size of this module's linear memory in bytes, for the package's memory tests and
/// benchmarks (not part of the package's API).
#[wasm_bindgen::prelude::wasm_bindgen(js_name = "__wasmMemoryBytes", skip_typescript)]
pub fn wasm_memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size::<0>() * 65_536) as f64
}
