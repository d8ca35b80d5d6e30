//! The JS host layer, compiled for `wasm32` only: the only code that knows JS. It converts
//! JS values to core values and back, and runs each call over the host's `fetch`.

mod client;
mod convert;
mod error;
mod helpwave;
mod iterate;
mod mava;
pub mod options;
mod sys;
mod tickiti;
mod transport;

pub use error::register_error_class;
pub use helpwave::HelpWaveClient;
pub use iterate::MavaTicketIterator;
pub use mava::MavaClient;
pub use tickiti::TickitiClient;
